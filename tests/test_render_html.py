"""Specification of the HTML page, user templates and `briefer render`.

The page must show everything the Markdown briefing shows, let a reader check every quote in
the article itself, and stay inert whatever the article or the LLM wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import DAM_ARTICLE, build_briefing
from hypothesis import given, settings
from hypothesis import strategies as st
from test_render import ANSI_RED, HEADING, HOSTILE, IMAGE, JINJA_EXPR, JINJA_TAG, LINK, SCRIPT

from briefer import backends
from briefer.backends import Backend
from briefer.cli import main
from briefer.errors import TemplateError
from briefer.render import FORMATS, load_template, render
from briefer.schema import Briefing

HTML_SECTIONS = [
    "Summary",
    "Actors",
    "Positions",
    "Permissions and prohibitions",
    "Warnings",
    "Disputed claims",
    "Open questions",
    "Source notes",
    "Evidence",
    "Article",
]
#: Every element briefer's page uses: anything else came from the article or the LLM.
OWN_TAGS = {
    *("html", "head", "meta", "link", "title", "style", "body", "header", "nav", "main"),
    *("section", "footer", "h1", "h2", "h3", "p", "ul", "ol", "li", "a", "strong", "em"),
    *("span", "sup", "mark"),
}
TAG_INJECTION = '<img src="http://evil/x.png" onerror="alert(1)">'
STYLE_BREAKOUT = "</style><script>alert(2)</script>"
HOSTILE_PARAGRAPH = f"Officials wrote {SCRIPT} and {TAG_INJECTION} then {JINJA_EXPR} {ANSI_RED}."
HOSTILE_ARTICLE = f"{DAM_ARTICLE}\n{HOSTILE_PARAGRAPH}\n"


class Page(HTMLParser):
    """What a browser would build from the page: elements, attributes, text, highlights."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.highlights: list[tuple[dict[str, str], str]] = []
        self.article_paragraphs: list[str] = []
        self._open: list[str] = []
        self._section = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "section":
            self._section = attributes.get("id", "")
        if tag == "mark":
            assert "mark" not in self._open, "marks must not nest"
            self.highlights.append((attributes, ""))
        if tag == "p" and self._section == "article":
            self.article_paragraphs.append("")
        if tag not in ("meta", "link"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if "style" in self._open or "title" in self._open:
            return
        self.text.append(data)
        for level in self.headings:
            if self._open and self._open[-1] == level:
                self.headings[level].append(data)
        if self._section == "article" and "p" in self._open and "sup" not in self._open:
            self.article_paragraphs[-1] += data
        if self._open and self._open[-1] == "mark":
            attributes, text = self.highlights[-1]
            self.highlights[-1] = (attributes, text + data)

    @property
    def content(self) -> str:
        return " ".join("".join(self.text).split())

    def covered_by(self, number: int) -> str:
        """The article text highlighted for quote `number`, its pieces joined."""
        return "".join(
            text for attrs, text in self.highlights if str(number) in attrs["data-q"].split()
        )

    def hrefs(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.tags if tag == "a"]


def located(briefing: Briefing) -> dict[int, Any]:
    """The briefing's distinct quotes by citation number, as the page numbers them."""
    numbers: dict[tuple[str, int | None, int | None], Any] = {}
    for evidence in briefing_order(briefing):
        numbers.setdefault((evidence.quote, evidence.start, evidence.end), evidence)
    return dict(enumerate(numbers.values(), start=1))


def briefing_order(briefing: Briefing) -> list[Any]:
    """Evidence in the order the page cites it: positions by voice, then the other sections."""
    from briefer.render import _voices

    voiced = [e for _, positions in _voices(briefing) for p in positions for e in p.evidence]
    rest = [
        e
        for item in [
            *briefing.permissions,
            *briefing.warnings,
            *briefing.disputed_claims,
            *briefing.open_questions,
            *briefing.source_notes,
        ]
        for e in item.evidence
    ]
    return voiced + rest


def hostile_html_briefing() -> Briefing:
    """Markup, scripts, template syntax and control characters in every printed string, in the
    article itself (quoted, so it is highlighted), and a javascript: address as the source."""
    data = {
        "headline": f"{HEADING} {HOSTILE} {TAG_INJECTION}",
        "summary": f"{STYLE_BREAKOUT}\n{HOSTILE}",
        "actors": [
            {"id": "council", "name": f"{LINK} {SCRIPT}", "kind": "group", "role": HOSTILE},
        ],
        "positions": [
            {"actor": "council", "stance": f"{JINJA_EXPR} {TAG_INJECTION}", "evidence": [SCRIPT]},
            {"actor": "council", "stance": HOSTILE, "evidence": [HOSTILE_PARAGRAPH]},
        ],
        "permissions": [
            {
                "grantor": "council",
                "grantee": TAG_INJECTION,
                "action": IMAGE,
                "status": "granted",
                "limits": STYLE_BREAKOUT,
                "evidence": [f"{LINK} {ANSI_RED}"],
            },
        ],
        "warnings": [
            {
                "issuer": "council",
                "warning": JINJA_TAG,
                "kind": "threat",
                "conditional": f"{LINK}\n{HEADING}",
                "evidence": ["The ministry disputes that figure"],
            },
        ],
        "disputed_claims": [
            {
                "claim": HOSTILE,
                "asserted_by": ["council"],
                "disputed_by": [SCRIPT],
                "evidence": [TAG_INJECTION],
            }
        ],
        "open_questions": [{"question": f"{SCRIPT}?", "evidence": [JINJA_EXPR + " words"]}],
        "source_notes": [{"note": HOSTILE, "kind": "loaded_wording", "evidence": [IMAGE]}],
    }
    source = {
        "title": HOSTILE,
        "name": TAG_INJECTION,
        "site": SCRIPT,
        "author": STYLE_BREAKOUT,
        "url": "javascript:alert(document.cookie)",
    }
    return build_briefing(data, HOSTILE_ARTICLE, lenient=True, source=source)


@pytest.fixture
def hostile() -> Briefing:
    return hostile_html_briefing()


def assert_inert(html: str) -> Page:
    """No element, attribute, link or character on the page that briefer did not put there."""
    page = Page(html)
    assert "<script" not in html.lower()
    assert {tag for tag, _ in page.tags} <= OWN_TAGS
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on") or name == "src"]
    for href in page.hrefs():
        assert href.startswith("#") or href.startswith(("https://", "http://")), href
    links = [attrs for tag, attrs in page.tags if tag == "link"]
    assert links == [{"rel": "icon", "href": "data:,"}]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", html)
    return page


# --- structure ------------------------------------------------------------------------------


def test_page_has_every_section_in_the_markdown_order_then_the_article(
    dam_briefing: Briefing,
) -> None:
    page = Page(render(dam_briefing, "html"))
    assert page.headings["h1"] == [dam_briefing.headline]
    assert page.headings["h2"] == HTML_SECTIONS
    ids = [attrs["id"] for tag, attrs in page.tags if tag == "section"]
    assert page.hrefs()[: len(ids)] == [f"#{i}" for i in ids]  # the navigation, first


def test_page_is_one_self_contained_responsive_printable_file(dam_briefing: Briefing) -> None:
    html = render(dam_briefing, "html")
    assert html.startswith("<!DOCTYPE html>\n")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media print" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)  # nothing fetched
    assert "@import" not in html and "url(" not in html
    assert_inert(html)


def test_every_item_is_shown(dam_briefing: Briefing) -> None:
    text = Page(render(dam_briefing, "html")).content
    for actor in dam_briefing.actors:
        assert f"{actor.name} ({actor.kind}): {actor.role}" in text
    for position in dam_briefing.positions:
        assert position.stance in text
    assert (
        "Constitutional Court → Meridane Hydro Consortium: keep building the dam wall and "
        "turbine hall (restricted)[4] Limits: reservoir capped at 212 metres" in text
    )
    assert (
        "Teodor Vasquel (prediction): households in the south will face rolling blackouts next "
        "winter[5] Condition: if the project slips by another year" in text
    )
    assert (
        "A full reservoir would flood about 14,000 hectares[6] Asserted by: Wayaku Council "
        "Disputed by: Ministry of Energy" in text
    )
    assert "Who must pay the compensation?[7]" in text
    assert "missing voice: The dissenting judges are not named or quoted directly.[8]" in text
    assert dam_briefing.summary in text


def test_positions_are_grouped_per_actor_in_the_order_the_article_quotes_them(
    dam_content: dict[str, Any], briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    dam_content["positions"].reverse()
    page = Page(render(briefing_of(dam_content, dam_article, lenient=True), "html"))
    assert page.headings["h3"] == [
        "Wayaku Council",
        "Ministry of Energy",
        "Meridane Hydro Consortium",
    ]


def test_footer_reports_model_usage_and_grounding(dam_briefing: Briefing) -> None:
    footer = render(dam_briefing, "html").split("<footer>", 1)[1]
    assert "no-model via none (built by the test suite)" in footer
    assert "0 LLM calls, 0 prompt + 0 completion tokens" in footer
    assert "quotes: 7 exact, 0 fuzzy, 1 unverified" in footer
    assert dam_briefing.source.sha256[:12] in footer


def test_a_failed_neutrality_check_is_shown_above_the_briefing(dam_briefing: Briefing) -> None:
    dam_briefing.meta.neutrality = ["'regime' is loaded", SCRIPT]
    html = render(dam_briefing, "html")
    notice = Page(html.split("<nav", 1)[0]).content
    assert notice.endswith(f"not neutral in places: 'regime' is loaded; {SCRIPT}.")
    assert_inert(html)


def test_empty_sections_say_none_identified(
    briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    briefing = briefing_of({"headline": "Nothing", "summary": "Little."}, dam_article)
    page = Page(render(briefing, "html"))
    assert page.content.count("None identified.") == 6
    assert "No stated positions identified." in page.content
    assert "No quotes." in page.content
    assert page.highlights == []


# --- citations and highlights ---------------------------------------------------------------


def test_each_citation_links_to_its_quote_highlighted_in_the_article(
    dam_briefing: Briefing,
) -> None:
    page = Page(render(dam_briefing, "html"))
    cites = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("class") == "cite"]
    quotes = located(dam_briefing)
    assert [a["id"] for a in cites] == [f"cite-{n}-1" for n in quotes]
    mark_ids = [attrs["id"] for attrs, _ in page.highlights if "id" in attrs]
    for anchor, (number, evidence) in zip(cites, quotes.items(), strict=True):
        if evidence.match == "unverified":
            assert anchor["href"] == f"#e-{number}"
        else:
            assert anchor["href"] == f"#q-{number}"
            assert mark_ids.count(f"q-{number}") == 1
    back = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#e-")]
    back.remove("#e-3")  # the unverified quote's citation leads to its evidence entry
    assert sorted(back) == sorted(f"#e-{n}" for n, e in quotes.items() if n != 3)


def test_highlights_are_exactly_the_quoted_offsets(dam_briefing: Briefing) -> None:
    page = Page(render(dam_briefing, "html"))
    text = dam_briefing.source.text
    for number, evidence in located(dam_briefing).items():
        if evidence.match != "unverified":
            assert page.covered_by(number) == text[evidence.start : evidence.end]
            assert page.covered_by(number) == evidence.quote


def test_unverified_quote_is_flagged_and_not_highlighted(
    dam_briefing: Briefing, fabricated_quote: str
) -> None:
    html = render(dam_briefing, "html")
    page = Page(html)
    number = next(n for n, e in located(dam_briefing).items() if e.match == "unverified")
    assert page.covered_by(number) == ""
    entry = html.split(f'<li id="e-{number}">', 1)[1].split("</li>", 1)[0]
    assert fabricated_quote in entry and "⚠ not found in the article" in entry
    assert (
        '<li><span class="flag">⚠ unverified, no quote found in the article:</span> Meridane'
        in html
    )
    assert html.count('class="flag"') == 2  # the item and its evidence entry


def test_overlapping_and_nested_quotes_become_non_overlapping_marks(
    dam_content: dict[str, Any], briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    outer = "a full reservoir would flood about 14,000 hectares, including nine villages"
    overlapping = "14,000 hectares, including nine villages and several burial grounds"
    nested = "about 14,000 hectares"
    same_start = "a full reservoir"
    dam_content["positions"][0]["evidence"] = [outer, overlapping]
    dam_content["disputed_claims"][0]["evidence"] = [nested, same_start]
    briefing = briefing_of(dam_content, dam_article, lenient=True)

    page = Page(render(briefing, "html"))  # asserts that no mark is inside another

    quotes = {e.quote: n for n, e in located(briefing).items()}
    for quote, number in quotes.items():
        if quote in (outer, overlapping, nested, same_start):
            assert page.covered_by(number) == quote
    mark_ids = [attrs["id"] for attrs, _ in page.highlights if "id" in attrs]
    assert len(mark_ids) == len(set(mark_ids)) == len(quotes) - 1  # all but the unverified one
    overlaps = [text for attrs, text in page.highlights if attrs.get("class") == "overlap"]
    assert "14,000 hectares" in overlaps


def test_a_quote_across_a_paragraph_break_is_highlighted_in_both(
    briefing_of: Callable[..., Briefing],
) -> None:
    text = "First paragraph ends here.\n\nSecond paragraph starts here, and goes on."
    data = {
        "headline": "h",
        "summary": "s",
        "source_notes": [
            {
                "note": "n",
                "kind": "terminology",
                "evidence": ["ends here.\n\nSecond paragraph starts"],
            }
        ],
    }
    page = Page(render(briefing_of(data, text), "html"))
    assert page.article_paragraphs == ["First paragraph ends here.", text[28:]]
    assert [text for _, text in page.highlights] == ["ends here.", "Second paragraph starts"]


def test_article_paragraphs_are_preserved(dam_briefing: Briefing) -> None:
    page = Page(render(dam_briefing, "html"))
    lines = [line for line in dam_briefing.source.text.splitlines() if line.strip()]
    assert page.article_paragraphs == lines  # the dam article: one paragraph a line


def test_offsets_outside_the_article_are_not_highlighted(dam_briefing: Briefing) -> None:
    """A hand-edited saved briefing can hold any offsets; the page must still render."""
    evidence = dam_briefing.source_notes[0].evidence[0]  # the last citation: number 8
    evidence.start, evidence.end = 10**6, 10**6 + 5
    html = render(dam_briefing, "html")
    assert 'href="#e-8">[8]</a>' in html
    assert Page(html).covered_by(8) == ""


# --- escaping -------------------------------------------------------------------------------


def test_hostile_text_reaches_the_page_data(hostile: Briefing) -> None:
    assert hostile.positions[1].evidence[0].match == "exact"  # highlighted in the article
    assert hostile.actors[0].name == f"{LINK} {SCRIPT}"
    assert hostile.source.url.startswith("javascript:")


def test_hostile_text_is_shown_as_text_not_markup(hostile: Briefing) -> None:
    html = render(hostile, "html")
    page = assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/style&gt;&lt;script&gt;alert(2)" in html
    assert f"{LINK} {SCRIPT}" in page.content  # the actor's name, as the reader sees it
    assert page.covered_by(2) == HOSTILE_PARAGRAPH.replace(ANSI_RED, " [31m")


def test_a_javascript_source_address_is_not_a_link(hostile: Briefing) -> None:
    html = render(hostile, "html")
    assert "javascript:" not in "".join(Page(html).hrefs())
    assert "javascript:alert(document.cookie)" in html  # shown, as text


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/news?id=1&x=<2>", True),
        ("http://example.org/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/", False),
        ("https://exa mple.org/", False),
    ],
)
def test_only_a_web_address_becomes_the_source_link(
    url: str, linked: bool, briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    briefing = briefing_of({"headline": "h", "summary": "s"}, dam_article, source={"url": url})
    page = assert_inert(render(briefing, "html"))
    external = [href for href in page.hrefs() if not href.startswith("#")]
    assert external == ([url] if linked else [])


def test_template_syntax_in_the_text_is_printed_not_evaluated(hostile: Briefing) -> None:
    content = Page(render(hostile, "html")).content
    assert JINJA_EXPR in content and JINJA_TAG in content
    assert not re.search(r"\b49\b", content)


def test_every_hostile_item_is_still_rendered(hostile: Briefing) -> None:
    html = render(hostile, "html")
    quotes = located(hostile)
    assert len(re.findall(r'<li id="e-\d+">', html)) == len(quotes)
    assert html.count("⚠ not found in the article") == sum(
        e.match == "unverified" for e in quotes.values()
    )


# --- user templates -------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


def test_user_markdown_template_gets_the_same_variables_and_escaping(
    hostile: Briefing, write: Callable[[str, str], Path]
) -> None:
    template = write(
        "mine.md.j2",
        "{{ b.headline }}\n{% for actor, ps in voices %}{{ actor.name }}: "
        "{% for p in ps %}{{ flag(p) }}{{ p.stance }}{{ cite(p) }} {% endfor %}\n{% endfor %}"
        "{% for n, e in citations.numbered() %}[^{{ n }}]: {{ e.quote }}\n{% endfor %}"
        "{{ actor_name('council') }} {{ 'linked' if source_url else 'not linked' }}\n",
    )
    text = render(hostile, "md", template=template)
    assert text.startswith("\\# heading \\[click\\](http\\://evil)")
    assert "\\[click\\](http\\://evil) \\<script\\>alert(1)\\</script\\>: " in text
    assert "[^1]: \\<script\\>" in text
    assert text.endswith(" not linked\n")  # a javascript: address is no source_url
    assert "<script>" not in text


def test_user_html_template_is_autoescaped(
    hostile: Briefing, write: Callable[[str, str], Path]
) -> None:
    template = write(
        "mine.html.j2",
        "<h1>{{ b.headline }}</h1>{% for p in b.positions %}<p>{{ p.stance }}"
        "{{ cite(p) }}</p>{% endfor %}{% for para in citations.passages() %}<p>"
        "{% for piece in para %}{{ piece.text }}{% endfor %}</p>{% endfor %}",
    )
    html = render(hostile, "md", template=template)  # the file name decides: HTML
    assert {tag for tag, _ in Page(html).tags} == {"h1", "p", "sup", "a"}
    assert "&lt;script&gt;" in html
    assert '<a class="cite" id="cite-1-1" href="#q-1">[1]</a>' in html


@pytest.mark.parametrize(
    ("name", "html"),
    [
        *[(name, True) for name in ("x.html", "x.HTM", "x.html.j2", "x.htm.jinja2")],
        *[(name, False) for name in ("x.md", "x.md.j2", "x.j2", "x.txt", "html.md")],
    ],
)
def test_the_template_name_selects_html_or_markdown_escaping(
    name: str, html: bool, write: Callable[[str, str], Path]
) -> None:
    template = load_template(write(name, "{{ b.headline }}"))
    assert template.environment.autoescape is html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% for x in %}", "line 1: Expected an expression"),
        ("ok\n{{ b.headline }\n", "line 2: unexpected '}'"),
        ("\xff", "not a UTF-8 text file"),
    ],
)
def test_a_broken_template_is_one_clear_error(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.md.j2"
    path.write_bytes(text.encode("latin-1") if text == "\xff" else text.encode())
    with pytest.raises(TemplateError, match=re.escape(message)) as caught:
        load_template(path)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ b.headline }}\n{{ nope }}", "line 2: 'nope' is undefined"),
        ("{{ b.__class__.__mro__ }}", "unsafe"),
        ("{{ b.model_config.__class__ }}", "unsafe"),
        ("{{ cite.__globals__ }}", "unsafe"),
        ('{% include "other.md.j2" %}', "cannot include 'other.md.j2'"),
        ("{{ 1 / 0 }}", "division by zero"),
    ],
)
def test_a_template_failing_while_rendering_is_one_clear_error(
    text: str, message: str, dam_briefing: Briefing, write: Callable[[str, str], Path]
) -> None:
    write("other.md.j2", "secret")
    path = write("mine.md.j2", text)
    with pytest.raises(TemplateError, match=re.escape(message)) as caught:
        render(dam_briefing, template=path)
    assert "\n" not in str(caught.value)


def test_a_missing_template_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r": no such template file$"):
        load_template(tmp_path / "missing.md.j2")
    with pytest.raises(TemplateError, match=r": is a directory, not a template file$"):
        load_template(tmp_path)


# --- the command line -----------------------------------------------------------------------


class _FakeBackend(Backend):
    """A backend that is never asked: `make_briefing` is replaced too."""

    @property
    def description(self) -> str:
        return "a test double"


@pytest.fixture
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach an LLM fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an LLM was asked")

    monkeypatch.setattr(backends, "resolve_backend", refuse)
    monkeypatch.setattr("briefer.api.make_briefing", refuse)


@pytest.fixture
def fake_llm(monkeypatch: pytest.MonkeyPatch, dam_briefing: Briefing) -> None:
    """`briefer make` answers with the dam briefing, without any backend."""
    fake = _FakeBackend(model="fake-model")
    monkeypatch.setattr(backends, "resolve_backend", lambda **kwargs: fake)
    monkeypatch.setattr("briefer.api.make_briefing", lambda *args, **kwargs: dam_briefing)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(DAM_ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def saved(tmp_path: Path, dam_briefing: Briefing) -> Path:
    """The dam briefing as `briefer make --format json` saves it."""
    path = tmp_path / "brief.json"
    path.write_text(render(dam_briefing, "json"), encoding="utf-8")
    return path


def test_the_cli_offers_every_format() -> None:
    from briefer.cli import _FORMATS

    assert _FORMATS == FORMATS


def test_make_renders_html_and_a_user_template(
    fake_llm: None,
    article_file: Path,
    dam_briefing: Briefing,
    write: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["make", str(article_file), "--format", "html"]) == 0
    assert capsys.readouterr().out == render(dam_briefing, "html")
    template = write("mine.md.j2", "{{ b.headline }} ({{ b.actors | length }} actors)\n")
    assert main(["make", str(article_file), "--template", str(template)]) == 0
    assert capsys.readouterr().out == f"{dam_briefing.headline} (5 actors)\n"


def test_make_with_a_broken_template_fails_before_any_llm_call(
    no_llm: None,
    article_file: Path,
    write: Callable[[str, str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = write("broken.html", "{% if %}")
    output = tmp_path / "brief.html"
    argv = ["make", str(article_file), "--template", str(template), "-o", str(output)]
    assert main(argv) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"briefer: error: {template}: line 1: Expected an expression, got 'end of statement block'"
    ]
    assert not output.exists()
    assert main(["make", str(article_file), "--template", str(tmp_path / "none.j2")]) == 3
    assert capsys.readouterr().err.endswith("none.j2: no such template file\n")


@pytest.mark.parametrize("format", ["md", "json", "html"])
def test_render_re_renders_a_saved_briefing_without_an_llm(
    format: str,
    no_llm: None,
    saved: Path,
    dam_briefing: Briefing,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / f"brief.{format}"
    assert main(["render", str(saved), "--format", format, "-o", str(output)]) == 0
    assert capsys.readouterr() == ("", "")
    assert output.read_text(encoding="utf-8") == render(dam_briefing, format)


def test_render_defaults_to_markdown_on_stdout_and_takes_a_template(
    no_llm: None,
    saved: Path,
    dam_briefing: Briefing,
    write: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["render", str(saved)]) == 0
    assert capsys.readouterr().out == render(dam_briefing)
    template = write("t.html", "<p>{{ b.source.text[:12] }}</p>")
    assert main(["render", str(saved), "--template", str(template)]) == 0
    assert capsys.readouterr().out == "<p>Constitution</p>"


def test_render_reads_stdin(
    no_llm: None,
    saved: Path,
    dam_briefing: Briefing,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(saved.read_bytes())))
    assert main(["render", "-", "-f", "html"]) == 0
    assert capsys.readouterr().out == render(dam_briefing, "html")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON (Invalid JSON: key must be a string"),
        (b"", "not valid JSON"),
        (b'{"headline": "h"}', "not a briefer briefing (made with --format json): "),
        (b"[1, 2]", "not a briefer briefing"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_render_refuses_what_is_not_a_saved_briefing(
    content: bytes,
    message: str,
    no_llm: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "brief.json"
    path.write_bytes(content)
    output = tmp_path / "out.md"
    output.write_text("earlier", encoding="utf-8")
    assert main(["render", str(path), "-o", str(output)]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"briefer: error: {path}: {message}")
    assert output.read_text(encoding="utf-8") == "earlier"


def test_render_of_a_missing_file_is_exit_3(
    no_llm: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(tmp_path / "gone.json")]) == 3
    assert capsys.readouterr().err == f"briefer: error: {tmp_path / 'gone.json'}: no such file\n"


# --- any valid briefing ---------------------------------------------------------------------

MARKUP = st.sampled_from(
    [
        LINK,
        IMAGE,
        SCRIPT,
        HEADING,
        JINJA_EXPR,
        JINJA_TAG,
        ANSI_RED,
        TAG_INJECTION,
        STYLE_BREAKOUT,
        "javascript:alert(1)",
        "<!--",
        "&amp;",
        "\u202e",
        "\x00",
        "\r\n",
        "\n\n",
        "1. ",
        "- ",
        "*_`|~",
        "\\",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=15), MARKUP), max_size=4).map("".join)


@st.composite
def briefings(draw: st.DrawFn) -> Briefing:
    """Any briefing validation lets through: markup everywhere, quotes cut from the article."""
    article = draw(TEXT.filter(str.strip))

    def quote() -> str:
        start = draw(st.integers(0, len(article) - 1))
        end = draw(st.integers(start + 1, len(article)))
        return draw(st.one_of(st.just(article[start:end]), TEXT))

    names = draw(st.lists(TEXT, min_size=1, max_size=3))
    actor = st.sampled_from(names)
    data = {
        "headline": draw(TEXT),
        "summary": draw(TEXT),
        "actors": [{"id": n, "name": n, "kind": "person", "role": draw(TEXT)} for n in names],
        "positions": [
            {"actor": draw(actor), "stance": draw(TEXT), "evidence": [quote()]}
            for _ in range(draw(st.integers(0, 3)))
        ],
        "permissions": [
            {
                "grantor": draw(actor),
                "grantee": draw(TEXT),
                "action": draw(TEXT),
                "status": "restricted",
                "limits": draw(TEXT),
                "evidence": [quote()],
            }
        ],
        "warnings": [
            {
                "issuer": draw(actor),
                "addressee": draw(st.one_of(st.none(), actor)),
                "warning": draw(TEXT),
                "kind": "threat",
                "conditional": draw(TEXT),
                "evidence": [quote()],
            }
        ],
        "disputed_claims": [
            {
                "claim": draw(TEXT),
                "asserted_by": [draw(actor)],
                "disputed_by": [draw(TEXT)],
                "evidence": [quote(), quote()],
            }
        ],
        "open_questions": [{"question": draw(TEXT), "evidence": [quote()]}],
        "source_notes": [{"note": draw(TEXT), "kind": "loaded_wording", "evidence": [quote()]}],
    }
    url = draw(st.one_of(st.none(), st.just("https://example.org/a?b=<c>&d"), TEXT))
    source = {"title": draw(TEXT), "site": draw(TEXT), "url": url}
    return build_briefing(data, article, lenient=True, source=source)


def visible(text: str) -> str:
    """The characters a reader sees: no spaces, line breaks or control characters."""
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "", text)


@settings(max_examples=50, deadline=None)
@given(briefings())
def test_any_briefing_renders_inert_in_every_format(briefing: Briefing) -> None:
    markdown = render(briefing, "md")
    assert not re.search(r"(?<!\\)\]\(", markdown)
    assert not re.search(r"(?<!\\)<", markdown)

    html = render(briefing, "html")
    page = assert_inert(html)
    text = briefing.source.text
    for number, evidence in located(briefing).items():
        if evidence.match != "unverified":
            highlighted = page.covered_by(number)  # paragraph breaks are not highlighted
            assert visible(highlighted) == visible(text[evidence.start : evidence.end])

    assert Briefing.model_validate_json(render(briefing, "json")) == briefing
