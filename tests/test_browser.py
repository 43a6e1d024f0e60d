"""A real browser opens the HTML briefing: Debian's chromium, headless, driven by playwright.

What only a browser can tell: the page runs no script and fetches nothing, its citation links
land on the highlighted words, and it fits a phone's screen. CI (CI=true) must run these
tests, so there a missing browser fails them; elsewhere they are skipped with the reason.
`make install-dev` installs chromium with apt-get when it is absent; playwright's own browser
downloads are never used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_render_html import HTML_SECTIONS, hostile_html_briefing

from briefer.render import render
from briefer.schema import Briefing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}: CI must run the browser tests (make install-dev installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (the dev extra)")
    if not CHROMIUM.exists():
        _unavailable(f"no {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """An open page, and everything it did while loading and afterwards."""

    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Visit]]:
    """Open a briefing's HTML page from a file, recording errors and requests."""
    contexts = []

    def open_page(briefing: Briefing, **context_options: Any) -> Visit:
        path = tmp_path / "brief.html"
        path.write_text(render(briefing, "html"), encoding="utf-8")
        context = browser.new_context(**context_options)
        contexts.append(context)
        context.route("http*://**", lambda route: route.abort())  # never the network
        page = context.new_page()
        visit = Visit(page, path.as_uri())
        page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        page.on("request", lambda request: visit.requests.append(request.url))
        page.goto(visit.url, wait_until="load")
        return visit

    yield open_page
    for context in contexts:
        context.close()


BRIEFINGS = {"dam": None, "hostile": hostile_html_briefing}


@pytest.fixture(params=sorted(BRIEFINGS))
def briefing(request: pytest.FixtureRequest, dam_briefing: Briefing) -> Briefing:
    make = BRIEFINGS[request.param]
    return make() if make else dam_briefing


def test_page_loads_without_errors_scripts_or_requests(
    briefing: Briefing, visit: Callable[..., Visit]
) -> None:
    opened = visit(briefing)
    page = opened.page
    page.wait_for_timeout(200)  # let anything a stray element would start begin
    assert opened.console_errors == []
    assert opened.page_errors == []
    assert opened.requests == [opened.url]
    assert page.locator("script, img, iframe, object, embed, link[rel=stylesheet]").count() == 0
    shown = " ".join(re.sub(r"[\x00-\x1f]", " ", briefing.headline).split())
    assert page.evaluate("document.title") == shown  # markup in the headline is text


def test_page_shows_the_briefing_sections_and_the_article(
    dam_briefing: Briefing, visit: Callable[..., Visit]
) -> None:
    page = visit(dam_briefing).page
    assert page.locator("h2").all_inner_texts() == HTML_SECTIONS
    assert page.locator("h1").inner_text() == dam_briefing.headline
    assert page.locator("#article mark[id]").count() == 7  # every quote found in the article
    assert "⚠ not found in the article" in page.locator("#e-3").inner_text()


def test_a_citation_leads_to_the_highlighted_quote_and_back(
    dam_briefing: Briefing, visit: Callable[..., Visit]
) -> None:
    page = visit(dam_briefing, viewport={"width": 1024, "height": 700}).page
    page.click("#cite-4-1")  # the permission: its quote is early in a long article
    assert page.evaluate("location.hash") == "#q-4"
    assert page.evaluate("document.querySelector(':target').id") == "q-4"
    assert_in_view(page, "#q-4")
    quote = dam_briefing.permissions[0].evidence[0].quote
    assert page.locator("#q-4").inner_text() == quote
    assert page.locator("#q-4").evaluate("e => getComputedStyle(e).outlineStyle") == "solid"

    page.click('#article a.back[href="#e-4"]')
    assert page.evaluate("location.hash") == "#e-4"
    assert_in_view(page, "#e-4")
    page.click('#e-4 a[href="#cite-4-1"]')
    assert_in_view(page, "#cite-4-1")

    page.click("#cite-3-1")  # unverified: to its evidence entry, which says so
    assert page.evaluate("location.hash") == "#e-3"
    assert_in_view(page, "#e-3")


def assert_in_view(page: Any, selector: str) -> None:
    box = page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }"
    )
    top, bottom, height = box
    assert top >= 0 and bottom <= height, (selector, box)


def test_page_fits_a_phone_screen(
    briefing: Briefing, visit: Callable[..., Visit], tmp_path: Path, request: Any
) -> None:
    page = visit(briefing, viewport=PHONE, is_mobile=True, has_touch=True).page
    width = page.evaluate("window.innerWidth")
    assert width == PHONE["width"]  # the viewport meta: no zoomed-out desktop layout
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 16
    screenshot = tmp_path / f"briefing-phone-{request.node.callspec.id}.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 10_000
    print(f"phone screenshot: {screenshot}")


def test_page_prints_without_navigation(
    dam_briefing: Briefing, visit: Callable[..., Visit], tmp_path: Path
) -> None:
    page = visit(dam_briefing).page
    page.emulate_media(media="print")
    assert page.locator("nav").evaluate("e => getComputedStyle(e).display") == "none"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
