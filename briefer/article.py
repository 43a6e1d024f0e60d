"""Reading an article: bytes from a file, a URL or stdin become one checked, decoded `Article`.

Plain text and Markdown are taken as they are. HTML (by the file's extension, the server's
content type, or its first bytes) is reduced to the article it carries, with its metadata
(see `briefer.webpage`); its text starts with the headline, as a plain-text article does.

Everything downstream (the prompt, the grounding of quotes, the offsets in the output) refers
to `Article.text`, so it is decoded once, here, and never altered afterwards: evidence offsets
point into exactly this string.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from briefer.errors import InputError, unreadable

#: Articles larger than this are refused before decoding, to protect memory.
DEFAULT_MAX_BYTES = 1_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
#: A page starts, after any whitespace, comments or XML declaration, with one of these tags.
_HTML_START = re.compile(
    rb"(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article's text and what identifies it."""

    text: str
    sha256: str
    title: str | None = None
    source_name: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None


def article_from_text(text: str, *, source_name: str | None = None) -> Article:
    """Check decoded text and wrap it as an `Article` (the entry point for Python callers)."""
    name = source_name or "article"
    if not text.strip():
        raise InputError(f"{name}: the article is empty")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _TEXT_CONTROLS)
    if "\x00" in text or controls > max(3, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file, not article text")
    return Article(
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=_first_line_title(text),
        source_name=source_name,
    )


def article_from_bytes(
    data: bytes,
    *,
    source_name: str | None = None,
    encoding: str | None = None,
    html: bool | None = None,
) -> Article:
    """Decode bytes (UTF-8, or UTF-16/32 with a BOM, or the encoding given) into an `Article`.

    `html=None` tells a web page from text by its first bytes.
    """
    name = source_name or "article"
    if not data.strip():
        raise InputError(f"{name}: the article is empty")
    if html is None:
        html = looks_like_html(data)
    if html:
        return article_from_html(_decode_html(data, name, encoding), source_name=source_name)
    text = _decode(data, name, encoding)
    return article_from_text(text, source_name=source_name)


def article_from_html(html: str, *, source_name: str | None = None) -> Article:
    """Reduce a web page to its article: the story's text and the page's metadata.

    The text is the headline, a newline, then the body, so the LLM sees the headline as it
    does in a plain-text article; navigation, ads, scripts and comments are dropped.
    """
    from briefer.webpage import extract

    page = extract(html)
    if page is None:
        raise InputError(f"{source_name or 'article'}: no article text found in this web page")
    text = page.text.strip()
    if page.title and not text.startswith(page.title):
        text = f"{page.title}\n{text}"
    article = article_from_text(text + "\n", source_name=source_name)
    return dataclasses.replace(
        article,
        title=page.title,
        author=page.author,
        date=page.date,
        site=page.site,
        url=page.url,
    )


def looks_like_html(data: bytes) -> bool:
    """Whether bytes start like a web page (`<!doctype html`, `<html`, ...), whatever the name."""
    head = data[:4096]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head = head.decode(codec, "ignore").encode("utf-8")
            break
    return _HTML_START.match(head) is not None


def read_article(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read an article from a file, an http(s) URL, or stdin when `path` is ``-``.

    `.html`/`.htm` files are web pages and `.txt`/`.md` files text; for any other name,
    stdin and a URL without a telling content type, the first bytes decide.
    """
    name = os.fspath(path)
    html: bool | None = None
    if is_url(name):
        from briefer.webpage import fetch

        page = fetch(name, max_bytes=max_bytes)
        article = article_from_bytes(
            page.data, source_name=name, encoding=encoding or page.charset, html=page.is_html
        )
        return dataclasses.replace(article, url=name)
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        file = Path(name)
        if file.suffix.lower() in _HTML_SUFFIXES:
            html = True
        elif file.suffix.lower() in _TEXT_SUFFIXES:
            html = False
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(unreadable(name, error, expected="an article file")) from None
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: larger than the {max_bytes:,}-byte limit (raise it with --max-bytes)"
        )
    return article_from_bytes(data, source_name=name, encoding=encoding, html=html)


def is_url(source: str) -> bool:
    """Whether an input names a web page to fetch rather than a file."""
    return source.lower().startswith(("http://", "https://"))


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as error:
            raise InputError(
                f"{name}: not valid {encoding} (byte 0x{data[error.start]:02x} "
                f"at offset {error.start})"
            ) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: has a {codec} byte-order mark but is not {codec}"
                ) from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not article text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it, e.g. iconv -f cp1252 -t utf-8, or name its encoding with --encoding"
        ) from None


def _decode_html(data: bytes, name: str, encoding: str | None) -> str:
    """Decode a page as a browser does: by its byte-order mark, the encoding given (by the user
    or the server), its `<meta charset>`, else as UTF-8, else as Windows-1252.

    Pages often break their declared encoding in a few bytes: those become U+FFFD, as in a
    browser, rather than refusing the whole article.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, "replace")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not a web page")
    if encoding:
        try:
            return data.decode(encoding, "replace")
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared[1].decode("ascii"), "replace")
        except LookupError:
            pass  # a misspelt charset: guess as if there were none
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _first_line_title(text: str) -> str | None:
    """A plain-text article's first line is its headline when it is short and not alone."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and len(lines[0]) <= 200:
        return lines[0]
    return None
