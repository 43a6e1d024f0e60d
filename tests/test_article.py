"""Specification of article reading: bytes become one checked, decoded, unaltered `Article`."""

from __future__ import annotations

import codecs
import hashlib
import io
import sys
from pathlib import Path

import pytest

from briefer.article import (
    DEFAULT_MAX_BYTES,
    Article,
    article_from_bytes,
    article_from_text,
    read_article,
)
from briefer.errors import InputError

# Typographic characters are spelled as escapes: curly quotes, apostrophe and en dash.
LDQUO, RDQUO, RSQUO, NDASH = "\u201c", "\u201d", "\u2019", "\u2013"
TEXT = (
    f"Caf\u00e9 owners protest {LDQUO}unfair{RDQUO} rules\n"
    f"The city{RSQUO}s new terrace rules {NDASH} agreed on Monday {NDASH} take effect in May.\n"
)
CP1252_BYTES = TEXT.encode("cp1252")  # é, curly quotes, apostrophe and dash are single bytes
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"


def write(tmp_path: Path, data: bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- decoding -------------------------------------------------------------------------------


def test_utf8_file_is_decoded_as_is(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, TEXT.encode("utf-8")))
    assert isinstance(article, Article)
    assert article.text == TEXT


def test_utf8_byte_order_mark_is_dropped_from_the_text(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, codecs.BOM_UTF8 + TEXT.encode("utf-8")))
    assert article.text == TEXT
    assert not article.text.startswith("\ufeff")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-16"),  # the platform's byte order, with a BOM
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf-16", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_utf16_and_utf32_with_byte_order_mark_are_decoded(tmp_path: Path, data: bytes) -> None:
    assert read_article(write(tmp_path, data)).text == TEXT


def test_windows_1252_file_is_refused_with_a_hint_to_name_the_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, CP1252_BYTES, name="terrace-rules.txt")
    with pytest.raises(InputError) as caught:
        read_article(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not UTF-8" in message
    assert "--encoding" in message
    assert caught.value.exit_code == 3


def test_named_encoding_decodes_a_windows_1252_file(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, CP1252_BYTES), encoding="cp1252")
    assert article.text == TEXT


def test_bytes_that_are_invalid_in_the_named_encoding_are_refused() -> None:
    with pytest.raises(InputError, match=r"article: not valid ascii \(byte 0xc3 at offset 3\)"):
        article_from_bytes("Café".encode(), encoding="ascii")


def test_unknown_encoding_name_is_refused() -> None:
    with pytest.raises(InputError, match="unknown encoding 'no-such-codec'"):
        article_from_bytes(b"Some text\nMore text", encoding="no-such-codec")


# --- what is not an article -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b" \n\t\r\n ",
        codecs.BOM_UTF8 + b"  \n",
        codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    ],
    ids=["empty", "spaces", "whitespace", "utf8-bom-and-spaces", "utf16-bom-and-space"],
)
def test_empty_or_whitespace_only_file_is_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError, match="the article is empty") as caught:
        read_article(path)
    assert str(path) in str(caught.value)


def test_empty_text_is_refused_from_python_too() -> None:
    with pytest.raises(InputError, match="article: the article is empty"):
        article_from_text(" \n ")


@pytest.mark.parametrize(
    "data",
    [b"Headline\nbody\x00with a NUL byte", PNG_HEADER, TEXT.encode("utf-16-le")],
    ids=["nul-byte", "png-header", "utf-16-without-bom"],
)
def test_binary_file_is_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data, name="picture.png")
    with pytest.raises(InputError, match="looks like a binary file") as caught:
        read_article(path)
    assert str(path) in str(caught.value)


def test_text_full_of_control_characters_is_refused_as_binary() -> None:
    with pytest.raises(InputError, match="looks like a binary file"):
        article_from_text("".join(chr(c) for c in range(1, 8)) * 20 + "\nsome words")


def test_a_few_form_feeds_and_tabs_are_ordinary_text() -> None:
    text = "Headline\n\tIndented paragraph.\f\nNext page.\r\n"
    assert article_from_text(text).text == text


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match="no such file") as caught:
        read_article(path)
    assert str(path) in str(caught.value)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory") as caught:
        read_article(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_file_over_the_size_limit_is_refused_with_the_limit_in_the_message(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, b"Headline\n" + b"x" * 200)
    with pytest.raises(InputError) as caught:
        read_article(path, max_bytes=100)
    message = str(caught.value)
    assert str(path) in message
    assert "100-byte limit" in message
    assert "--max-bytes" in message


def test_file_exactly_at_the_size_limit_is_accepted(tmp_path: Path) -> None:
    data = b"Headline\n" + b"x" * 91
    assert len(data) == 100
    assert read_article(write(tmp_path, data), max_bytes=100).text == data.decode()


def test_default_size_limit_is_one_megabyte_and_printed_with_separators(tmp_path: Path) -> None:
    assert DEFAULT_MAX_BYTES == 1_000_000
    path = write(tmp_path, b"a" * (DEFAULT_MAX_BYTES + 1))
    with pytest.raises(InputError, match="1,000,000-byte limit"):
        read_article(path)


# --- identity and title ---------------------------------------------------------------------


def test_sha256_is_of_the_utf8_text_whatever_the_file_encoding(tmp_path: Path) -> None:
    expected = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    utf8 = read_article(write(tmp_path, TEXT.encode("utf-8"), "a.txt"))
    utf16 = read_article(write(tmp_path, TEXT.encode("utf-16"), "b.txt"))
    cp1252 = read_article(write(tmp_path, CP1252_BYTES, "c.txt"), encoding="cp1252")
    assert utf8.sha256 == utf16.sha256 == cp1252.sha256 == expected
    assert article_from_text(TEXT).sha256 == expected


def test_different_text_has_a_different_sha256() -> None:
    assert article_from_text(TEXT).sha256 != article_from_text(TEXT + " ").sha256


def test_title_is_the_first_non_blank_line(dam_article: str) -> None:
    assert article_from_text(dam_article).title == (
        "Constitutional court lets Oyuma dam go ahead but caps reservoir until Wayaku are "
        "consulted again"
    )
    assert article_from_text("\n\n  Headline here  \r\nBody text.\r\n").title == "Headline here"


def test_single_line_or_overlong_first_line_gives_no_title() -> None:
    assert article_from_text("Only one line of text.").title is None
    assert article_from_text("x" * 201 + "\nBody.").title is None
    assert article_from_text("x" * 200 + "\nBody.").title == "x" * 200


def test_source_name_is_the_path_as_given(tmp_path: Path) -> None:
    path = write(tmp_path, TEXT.encode())
    assert read_article(path).source_name == str(path)
    assert article_from_text(TEXT).source_name is None


def test_dash_reads_the_article_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    article = read_article("-")
    assert article.text == TEXT
    assert article.source_name == "<stdin>"


def test_stdin_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"y" * 50)))
    with pytest.raises(InputError, match=r"<stdin>: larger than the 10-byte limit"):
        read_article("-", max_bytes=10)


def test_text_is_kept_unaltered_so_offsets_point_into_the_original(tmp_path: Path) -> None:
    original = (
        f"  Headline\r\n\r\nFirst  paragraph,\twith  {LDQUO}odd{RDQUO}   spacing.\r\n\u00a0\n"
    )
    article = read_article(write(tmp_path, original.encode("utf-8")))
    assert article.text == original
    quote = f"{LDQUO}odd{RDQUO}   spacing"
    start = article.text.index(quote)
    assert original[start : start + len(quote)] == quote


def test_article_is_immutable() -> None:
    article = article_from_text(TEXT)
    with pytest.raises(AttributeError):
        article.text = "changed"  # type: ignore[misc]
