"""Web pages: fetching an article's URL, and reducing a page's HTML to its article and metadata.

A news page is mostly not the story: navigation, ads, scripts, related links and reader
comments would all reach the LLM as "article" text and end up briefed. trafilatura finds the
story's body and the page's metadata (headline, byline, date, outlet, canonical URL). It is
imported only when a page is read, so `briefer --help` stays fast.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from briefer.errors import InputError

#: Seconds for the whole download; a page that takes longer is not worth waiting for.
FETCH_TIMEOUT = 30.0
_CHUNK = 64 * 1024
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}


@dataclass(frozen=True)
class Fetched:
    """A downloaded page: its bytes, whether it is HTML (None: unknown) and its charset."""

    data: bytes
    is_html: bool | None
    charset: str | None


@dataclass(frozen=True)
class Extracted:
    """A page's article text and metadata, as trafilatura found them."""

    text: str
    title: str | None
    author: str | None
    date: str | None
    site: str | None
    url: str | None


def fetch(url: str, *, max_bytes: int, timeout: float = FETCH_TIMEOUT) -> Fetched:
    """Download a page (following redirects), refusing it past `max_bytes` or `timeout`.

    Every failure is an `InputError` naming the URL: for briefer, a page that cannot be
    fetched is an article that cannot be read.
    """
    from briefer import __version__

    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"briefer/{__version__} (news briefing tool)",
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers: Message = response.headers
            data = _read_capped(response, url, max_bytes, deadline)
    except urllib.error.HTTPError as error:
        raise InputError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(url, timeout) from None
        detail = getattr(error.reason, "strerror", None) or str(error.reason)
        raise InputError(f"{url}: cannot connect ({detail})") from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise InputError(
            f"{url}: cannot be fetched ({str(error) or type(error).__name__})"
        ) from None

    content_type = headers.get_content_type() if headers.get("Content-Type") else None
    if content_type in _HTML_TYPES:
        is_html: bool | None = True
    elif content_type in _TEXT_TYPES:
        is_html = False
    elif content_type in (None, "application/octet-stream"):
        is_html = None  # the bytes decide
    else:
        raise InputError(f"{url}: not a web page or text ({content_type})")
    return Fetched(data=data, is_html=is_html, charset=headers.get_content_charset())


def _read_capped(
    response: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float
) -> bytes:
    """The body, read in chunks so that neither its size nor a slow server can run away."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise _too_large(url, max_bytes)
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def extract(html: str) -> Extracted | None:
    """The article in a page, without boilerplate or reader comments; None if there is none."""
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if not isinstance(document, Document):  # None: no article (a dict only with as_dict=True)
        return None
    text = document.text or ""
    if not text.strip():
        return None
    return Extracted(
        text=text,
        title=document.title or None,
        author=document.author or None,
        date=document.date or None,
        site=document.sitename or None,
        url=document.url or None,
    )


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(
        f"{url}: larger than the {max_bytes:,}-byte limit (raise it with --max-bytes)"
    )


def _timed_out(url: str, timeout: float) -> InputError:
    return InputError(f"{url}: no complete answer within {timeout:g} s")
