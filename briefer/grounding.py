"""Grounding: tie every evidence quote to the article's real words.

A briefing is only worth trusting if each of its items points at text the article actually
contains. The LLM copies evidence quotes out of the article, but its copies are not always
faithful: it wraps them in quotation marks, swaps curly for straight quotes or dashes for
hyphens, re-flows whitespace, changes case, misquotes a word, or elides a passage with "...".
`locate` decides whether a quote is nevertheless grounded and, if so, where in the ORIGINAL
article it lies, so callers can show and check the article's own words rather than the model's.

Matching goes from strict to loose, and the first success wins:

1. exact: the quote, stripped of whitespace and surrounding quotation marks, occurs verbatim;
2. normalised: equal after NFKC, unifying quotes and dashes, collapsing whitespace, case folding;
3. ellipsis: every fragment between ``...``/``…`` is found (normalised), in order;
4. approximate: a close alignment of a quote of at least 20 characters, snapped to whole words.

Only the first is reported as ``"exact"``; the others are ``"fuzzy"``. The module is pure and
caches the normalised form of the last few articles, since one article is searched for many quotes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

MatchKind = Literal["exact", "fuzzy"]

MIN_NON_SPACE_CHARS = 3
"""Shorter quotes (ignoring whitespace) would match almost anywhere, so they never match."""

MIN_APPROXIMATE_LENGTH = 20
"""Approximate matching is only tried for normalised quotes at least this long."""

MIN_APPROXIMATE_SCORE = 90.0
"""Least rapidfuzz ``ratio`` (0-100) between the normalised quote and the matched text."""

MAX_LENGTH_DRIFT = 0.2
"""An approximate match may be at most this fraction longer or shorter than the quote."""

# The search scores fixed-length windows, which underrates a quote that dropped a word; the
# refined, word-snapped span is what must reach MIN_APPROXIMATE_SCORE.
_SEARCH_SCORE_CUTOFF = 75.0

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a"  # curly, low, single guillemets
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"  # curly, low, guillemets
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, en/em dashes, minus
_INVISIBLES = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-widths, BOM
_QUOTATION_MARKS = "\"'" + _SINGLE_QUOTES + _DOUBLE_QUOTES
_UNIFY = str.maketrans(
    {
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_INVISIBLES),  # they carry no words
    }
)
_TOKEN = re.compile(r"\w+|[^\w\s]+")  # a word, or a run of punctuation
_ELLIPSIS = re.compile(r"\s*\[?\.{3,}\]?\s*")  # after NFKC, "…" has become "..."


@dataclass(frozen=True)
class Span:
    start: int  # offset into the ORIGINAL article string
    end: int  # article[start:end] is the matched text
    match: MatchKind


def locate(quote: str, article: str) -> Span | None:
    """Find `quote` in `article`; None if it is not there."""
    wanted = _strip_quotation(quote)
    if _too_short(wanted):
        return None
    start = article.find(wanted)
    if start != -1:
        return Span(start, start + len(wanted), "exact")

    needle = _normalise(wanted).text.strip()
    if _too_short(needle):
        return None
    haystack = _normalise_article(article)
    found = (
        _find_normalised(needle, haystack.text)
        or _find_fragments(needle, haystack.text)
        or _find_approximate(needle, haystack.text)
    )
    return None if found is None else Span(*haystack.original_span(*found), "fuzzy")


@dataclass(frozen=True)
class _Normalised:
    """Normalised text plus, for each of its characters, the original characters it came from."""

    text: str
    starts: tuple[int, ...]  # text[k] comes from original[starts[k]:ends[k]]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the non-empty normalised range [start, end) back to the original text."""
        return self.starts[start], self.ends[end - 1]


def _strip_quotation(quote: str) -> str:
    """Remove surrounding whitespace and any pairs of quotation marks the LLM wrapped it in."""
    text = quote.strip()
    while len(text) >= 2 and text[0] in _QUOTATION_MARKS and text[-1] in _QUOTATION_MARKS:
        text = text[1:-1].strip()
    return text


def _too_short(text: str) -> bool:
    return sum(not char.isspace() for char in text) < MIN_NON_SPACE_CHARS


def _normalise(text: str) -> _Normalised:
    """NFKC, case-fold, unify quotes and dashes, drop invisibles, collapse whitespace runs."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _units(text):
        for char in _fold(text[start:end]):
            if char.isspace():
                if chars and chars[-1] == " ":
                    ends[-1] = end  # the collapsed space stands for the whole whitespace run
                    continue
                char = " "
            chars.append(char)
            starts.append(start)
            ends.append(end)
    return _Normalised("".join(chars), tuple(starts), tuple(ends))


_normalise_article = lru_cache(maxsize=8)(_normalise)


def _units(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each base character with its combining marks, so NFKC can compose."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, index
            start = index


def _fold(unit: str) -> str:
    if unit.isascii():
        return unit.lower()
    return unicodedata.normalize("NFKC", unit).casefold().translate(_UNIFY)


def _find_normalised(needle: str, text: str) -> tuple[int, int] | None:
    start = text.find(needle)
    return None if start == -1 else (start, start + len(needle))


def _find_fragments(needle: str, text: str) -> tuple[int, int] | None:
    """Find the ellipsis-separated fragments of `needle` in order, in the shortest window.

    Each fragment must itself be long enough to mean something (MIN_NON_SPACE_CHARS). A forward
    greedy pass finds the earliest window end; a backward pass from there finds that window's
    latest start; the search then resumes just after that start, so every minimal window is
    considered once.
    """
    if not _ELLIPSIS.search(needle):
        return None
    fragments = [fragment for fragment in _ELLIPSIS.split(needle) if fragment]
    if not fragments or any(_too_short(fragment) for fragment in fragments):
        return None
    best: tuple[int, int] | None = None
    search_from = 0
    while (end := _forward_end(fragments, text, search_from)) is not None:
        start = end
        for fragment in reversed(fragments):
            start = text.rfind(fragment, 0, start)
        if best is None or end - start < best[1] - best[0]:
            best = (start, end)
        search_from = start + 1
    return best


def _forward_end(fragments: list[str], text: str, position: int) -> int | None:
    for fragment in fragments:
        found = text.find(fragment, position)
        if found == -1:
            return None
        position = found + len(fragment)
    return position


def _find_approximate(needle: str, text: str) -> tuple[int, int] | None:
    """Best whole-word span of `text` close enough to `needle`, or None.

    rapidfuzz finds roughly where the quote lies; the span's ends are then chosen among nearby
    word boundaries, preferring the fewest word edits (so a changed or dropped word does not cut
    off the words after it), then the highest character similarity, which decides acceptance.
    """
    if len(needle) < MIN_APPROXIMATE_LENGTH:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, text, score_cutoff=_SEARCH_SCORE_CUTOFF)
    if alignment is None:
        return None
    slack = int(len(needle) * MAX_LENGTH_DRIFT)
    tokens = _tokens_between(text, alignment.dest_start - slack, alignment.dest_end + slack)
    # A span starts with punctuation only if the quote does ("Putin added..." must not match
    # as ". Putin added...").
    starts_with_word = needle[:1].isalnum()
    firsts = [
        i
        for i, tok in enumerate(tokens)
        if abs(tok.start() - alignment.dest_start) <= slack
        and (tok.group()[:1].isalnum() or not starts_with_word)
    ]
    lasts = [i for i, tok in enumerate(tokens) if abs(tok.end() - alignment.dest_end) <= slack]
    ranges = [
        (first, last)
        for first in firsts
        for last in lasts
        if first <= last and _length_close(tokens[last].end() - tokens[first].start(), len(needle))
    ]
    if not ranges:
        return None

    needle_words = _TOKEN.findall(needle)
    words = [token.group() for token in tokens]
    edits = [Levenshtein.distance(needle_words, words[first : last + 1]) for first, last in ranges]
    fewest = min(edits)
    spans = [
        (tokens[first].start(), tokens[last].end())
        for (first, last), count in zip(ranges, edits, strict=True)
        if count == fewest
    ]
    start, end = max(spans, key=lambda span: fuzz.ratio(needle, text[span[0] : span[1]]))
    return (start, end) if fuzz.ratio(needle, text[start:end]) >= MIN_APPROXIMATE_SCORE else None


def _tokens_between(text: str, low: int, high: int) -> list[re.Match[str]]:
    """Words and punctuation runs of `text` around [low, high), widened so no word is cut."""
    low = text.rfind(" ", 0, max(0, low)) + 1
    high = text.find(" ", min(len(text), high))
    return list(_TOKEN.finditer(text, low, len(text) if high == -1 else high))


def _length_close(length: int, wanted: int) -> bool:
    return abs(length - wanted) <= wanted * MAX_LENGTH_DRIFT
