"""Reading an article: bytes from a file or stdin become one checked, decoded `Article`.

Everything downstream (the prompt, the grounding of quotes, the offsets in the output) refers
to `Article.text`, so it is decoded once, here, and never altered afterwards: evidence offsets
point into exactly this string.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from briefer.errors import InputError

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
    data: bytes, *, source_name: str | None = None, encoding: str | None = None
) -> Article:
    """Decode bytes (UTF-8, or UTF-16/32 with a BOM, or the encoding given) into an `Article`."""
    name = source_name or "article"
    if not data.strip():
        raise InputError(f"{name}: the article is empty")
    text = _decode(data, name, encoding)
    return article_from_text(text, source_name=source_name)


def read_article(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read an article from a file, or from stdin when `path` is ``-``."""
    name = os.fspath(path)
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        file = Path(name)
        try:
            if file.is_dir():
                raise InputError(f"{name}: is a directory, not an article file")
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as error:
            raise InputError(f"{name}: cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: larger than the {max_bytes:,}-byte limit (raise it with --max-bytes)"
        )
    return article_from_bytes(data, source_name=name, encoding=encoding)


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


def _first_line_title(text: str) -> str | None:
    """A plain-text article's first line is its headline when it is short and not alone."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and len(lines[0]) <= 200:
        return lines[0]
    return None
