"""Specification of web-page input: saved HTML files and URLs become the article they carry.

What must hold: boilerplate (navigation, ads, scripts, cookie banners, comments, related links)
never reaches the article text; the page's headline, byline, date, outlet and canonical URL land
in the briefing's `source`; a page is recognised by extension, content type or first bytes; and
a page that cannot be fetched, or has no article in it, is one clear input error naming it.
URLs are fetched from a page server on 127.0.0.1, the only host the test run may reach.
"""

from __future__ import annotations

import io
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import answer_for
from scripted_server import scripted_llm, tool_call

from briefer import backends
from briefer.api import make_briefing
from briefer.article import article_from_bytes, looks_like_html, read_article
from briefer.backends import ServerBackend
from briefer.cli import main
from briefer.errors import InputError
from briefer.schema import Briefing

PAGE_FILE = Path(__file__).parent / "pages" / "ferry-night-crossings.html"
PAGE = PAGE_FILE.read_bytes()
HEADLINE = "Regulator halts Saltholm ferry night crossings after near-collision"
CANONICAL = "https://www.lindmark-courier.example/region/2024/04/17/ferry-night-crossings-suspended"
#: Words that appear in the page only outside the story's body.
BOILERPLATE = [
    "Accept all",  # cookie banner
    "Subscribe for 1 krona",  # navigation
    "Search the Courier",
    "garden furniture",  # ads
    "Holiday cottages",
    "googletag",  # scripts
    "dataLayer",
    "__COURIER_STATE__",
    "harbourwatcher_77",  # reader comments
    "Better a closed ferry than a sunk one",
    "Join the discussion",
    "Edvik fish plant to hire 200 more workers",  # related and most-read links
    "Lindmark FC",
    "Morning briefing",  # newsletter box
    "All rights reserved",  # footer
    "Photo: Courier archive",
]
BODY = [
    "The Maritime Safety Board on Tuesday ordered Norrvik Ferries to suspend all crossings",
    '"A ferry that cannot see a 90-metre ship in fog has no business carrying passengers in '
    "the dark,\" the board's chief inspector, Halvard Brenne, said in a statement.",
    "Norrvik Ferries called the order disproportionate.",
    "The cargo ship's owner, Brask Shipping, has not commented.",
]
SIMPLE_PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour pier closes | Tessel Post</title></head><body>"
    "<nav>Home News Sport</nav><article><h1>Harbour pier closes</h1>"
    "<p>The harbour board of Tessel voted on Monday to close the old pier to the public after "
    "engineers found cracks in two of its supports. Repairs are expected to take a year.</p>"
    "<p>Fishing boats may still moor at the pier's outer end, the board said, but only in "
    "daylight and with a harbour officer present.</p></article></body></html>"
)


#: What a well-behaved model answers for the ferry page: every quote is in the article text.
def ferry_answer() -> str:
    """What a model answers for the page's story (the guided schema)."""
    return answer_for(
        read_article(PAGE_FILE).text,
        headline="Safety board stops Saltholm night ferries until radar is replaced",
        summary="The Maritime Safety Board suspended Norrvik Ferries' night crossings.",
    )


NO_BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")


@pytest.fixture(autouse=True)
def no_backend_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NO_BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)


# --- a page server on 127.0.0.1 -------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), _PageHandler)
        self.routes = routes
        self.user_agents: list[str] = []

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"


class _PageHandler(BaseHTTPRequestHandler):
    server: PageServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        route = self.server.routes.get(self.path, Route(404, b"<h1>Not Found</h1>"))
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer(
        {
            "/story": Route(body=PAGE),
            "/old-story": Route(301, headers={"Location": "/story"}),
            "/plain": Route(
                body=b"Pier closes\nThe old pier shuts on Monday.\n",
                headers={"Content-Type": "text/plain; charset=utf-8"},
            ),
            "/cyrillic": Route(
                body=SIMPLE_PAGE.replace("Tessel", "Тессел").encode("iso-8859-5"),
                headers={"Content-Type": "text/html; charset=iso-8859-5"},
            ),
            "/untyped": Route(body=SIMPLE_PAGE.encode(), headers={}),
            "/report.pdf": Route(
                body=b"%PDF-1.7\n...", headers={"Content-Type": "application/pdf"}
            ),
        }
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a saved page ---------------------------------------------------------------------------


def test_a_saved_page_keeps_the_story_and_drops_the_boilerplate() -> None:
    article = read_article(PAGE_FILE)
    for words in BODY:
        assert words in article.text
    for words in BOILERPLATE:
        assert words not in article.text, words
    assert "<p>" not in article.text and "&quot;" not in article.text


def test_the_headline_is_the_first_line_of_the_text_as_in_a_plain_text_article() -> None:
    article = read_article(PAGE_FILE)
    assert article.text.startswith(HEADLINE + "\nSALTHOLM — The Maritime Safety Board")
    assert article.text.endswith("at least three months.\n")


def test_a_saved_page_carries_its_metadata() -> None:
    article = read_article(PAGE_FILE)
    assert article.title == HEADLINE
    assert article.author == "Maren Aaltvik"
    assert article.date == "2024-04-17"
    assert article.site == "The Lindmark Courier"
    assert article.url == CANONICAL
    assert article.source_name == str(PAGE_FILE)


def test_the_page_metadata_lands_in_the_briefing_source() -> None:
    article = read_article(PAGE_FILE)
    with scripted_llm([tool_call(ferry_answer())]) as server:
        backend = ServerBackend(model="scripted", base_url=server.base_url)
        briefing = make_briefing(article, backend=backend)

    source = briefing.source
    assert (source.title, source.author, source.date) == (HEADLINE, "Maren Aaltvik", "2024-04-17")
    assert (source.site, source.url) == ("The Lindmark Courier", CANONICAL)
    assert source.text == article.text
    for evidence in briefing.evidence():
        assert evidence.match == "exact"
        assert source.text[evidence.start : evidence.end] == evidence.quote
    [system] = [m for m in server.requests[0].body["messages"] if m["role"] == "system"]
    assert f"[1] {HEADLINE}" in system["content"]
    assert "harbourwatcher_77" not in system["content"]


def test_cli_briefs_a_saved_page_into_json_with_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "briefing.json"
    with scripted_llm([tool_call(ferry_answer())]) as server:
        argv = ["make", str(PAGE_FILE), "--base-url", server.base_url, "-f", "json"]
        code = main([*argv, "-o", str(output)])
    assert (code, capsys.readouterr().out) == (0, "")
    source = Briefing.model_validate_json(output.read_text(encoding="utf-8")).source
    assert (source.name, source.title, source.url) == (str(PAGE_FILE), HEADLINE, CANONICAL)


# --- what is a web page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        b"<!DOCTYPE html>",
        b"<!doctype HTML>",
        b"\n  <html lang='en'>",
        b"<!-- saved from url=(0020)https://x.example/ -->\n<html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        b"\xef\xbb\xbf<!DOCTYPE html>",
        "<html>".encode("utf-16"),
    ],
)
def test_html_is_recognised_by_its_first_bytes(start: bytes) -> None:
    assert looks_like_html(start + b"<body><p>text</p></body></html>")


@pytest.mark.parametrize(
    "text",
    [
        "Headline\nBody text about <html> tags.\n",
        "# A Markdown article\n\n<p>inline html</p> is fine in Markdown.\n",
        "<htmlx> is not a tag\n",
    ],
)
def test_text_that_merely_mentions_tags_is_not_html(text: str) -> None:
    assert not looks_like_html(text.encode())


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.xhtml", "page.saved", "page"])
def test_html_files_and_unknown_names_holding_html_are_read_as_pages(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(SIMPLE_PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.text.startswith("Harbour pier closes\nThe harbour board of Tessel voted")
    assert "Home News Sport" not in article.text
    assert "cracks in two of its supports" in article.text


@pytest.mark.parametrize("name", ["article.txt", "article.md"])
def test_text_and_markdown_files_are_taken_as_they_are_even_if_they_hold_html(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(SIMPLE_PAGE, encoding="utf-8")
    assert read_article(path).text == SIMPLE_PAGE


def test_html_on_stdin_is_read_as_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE)))
    article = read_article("-")
    assert (article.source_name, article.title) == ("<stdin>", HEADLINE)
    assert "harbourwatcher_77" not in article.text


# --- decoding a page ------------------------------------------------------------------------


def test_a_page_is_decoded_by_its_meta_charset() -> None:
    page = SIMPLE_PAGE.replace("<head>", '<head><meta charset="windows-1252">')
    page = page.replace("engineers", "ingénieurs")
    article = article_from_bytes(page.encode("cp1252"), html=True)
    assert "ingénieurs found cracks" in article.text


def test_an_undeclared_page_that_is_not_utf8_is_read_as_windows_1252() -> None:
    page = SIMPLE_PAGE.replace("engineers", "“engineers”")
    article = article_from_bytes(page.encode("cp1252"), html=True)
    assert "“engineers” found cracks" in article.text


def test_the_encoding_option_overrides_the_page_declaration() -> None:
    page = SIMPLE_PAGE.replace("<head>", '<head><meta charset="utf-8">')
    data = page.replace("engineers", "ingénieurs").encode("latin-1")
    assert "ingénieurs" in article_from_bytes(data, html=True, encoding="latin-1").text


# --- pages without an article ---------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Log in</title></head><body></body></html>",
        "<!DOCTYPE html><html><body><script>app.start()</script></body></html>",
    ],
    ids=["empty-body", "script-only"],
)
def test_a_page_without_article_text_is_an_input_error(tmp_path: Path, page: str) -> None:
    path = tmp_path / "login.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError, match="no article text found in this web page") as caught:
        read_article(path)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 3


def test_cli_refuses_a_page_without_article_text_in_one_line_before_any_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(**kwargs: object) -> None:
        raise AssertionError("a backend was resolved for bad input")

    monkeypatch.setattr(backends, "resolve_backend", refuse)
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing</title></head><body></body></html>", "utf-8")
    assert main(["make", str(path)]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"briefer: error: {path}: no article text found in this web page\n"


# --- URLs -----------------------------------------------------------------------------------


def test_a_url_is_fetched_and_read_as_a_page(pages: PageServer) -> None:
    url = pages.url("/story")
    article = read_article(url)
    assert (article.title, article.author, article.site) == (
        HEADLINE,
        "Maren Aaltvik",
        "The Lindmark Courier",
    )
    assert (article.source_name, article.url) == (url, url)
    assert "harbourwatcher_77" not in article.text
    [agent] = pages.user_agents
    assert agent.startswith("briefer/")


def test_redirects_are_followed_and_the_url_given_is_the_source(pages: PageServer) -> None:
    url = pages.url("/old-story")
    article = read_article(url)
    assert article.title == HEADLINE
    assert article.url == url
    assert len(pages.user_agents) == 2


def test_a_text_page_is_taken_as_it_is(pages: PageServer) -> None:
    article = read_article(pages.url("/plain"))
    assert article.text == "Pier closes\nThe old pier shuts on Monday.\n"
    assert article.title == "Pier closes"
    assert article.url == pages.url("/plain")


def test_the_servers_charset_decodes_the_page(pages: PageServer) -> None:
    assert "harbour board of Тессел voted" in read_article(pages.url("/cyrillic")).text


def test_a_page_without_a_content_type_is_recognised_by_its_bytes(pages: PageServer) -> None:
    assert "Home News Sport" not in read_article(pages.url("/untyped")).text


def test_http_404_is_an_input_error_naming_the_url(pages: PageServer) -> None:
    url = pages.url("/no-such-story")
    with pytest.raises(InputError) as caught:
        read_article(url)
    assert str(caught.value) == f"{url}: HTTP 404 Not Found"
    assert caught.value.exit_code == 3


def test_a_page_over_the_size_limit_is_refused(pages: PageServer) -> None:
    url = pages.url("/story")
    with pytest.raises(InputError, match=r"larger than the 1,000-byte limit.*--max-bytes") as c:
        read_article(url, max_bytes=1000)
    assert str(c.value).startswith(f"{url}: ")


def test_a_document_that_is_no_page_or_text_is_refused(pages: PageServer) -> None:
    url = pages.url("/report.pdf")
    with pytest.raises(InputError, match=r"not a web page or text \(application/pdf\)"):
        read_article(url)


def test_a_refused_connection_is_an_input_error_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/story"
    with pytest.raises(InputError) as caught:
        read_article(url)
    message = str(caught.value)
    assert message.startswith(f"{url}: cannot connect (")
    assert "refused" in message.lower()
    assert "\n" not in message


def test_no_network_is_one_input_error_line_naming_the_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    url = "https://news.example/2024/04/ferry"
    assert main(["make", url]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"briefer: error: {url}: cannot connect (Temporary failure in name resolution)\n"
    )


def test_cli_briefs_a_url_and_records_it_as_the_source(
    pages: PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pages.url("/story")
    with scripted_llm([tool_call(ferry_answer())]) as server:
        code = main(["make", url, "--base-url", server.base_url, "-f", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    source = Briefing.model_validate_json(out).source
    assert (source.name, source.url, source.title) == (url, url, HEADLINE)
