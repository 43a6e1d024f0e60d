"""Neutrality check: briefer's own prose must not use loaded or evaluative words.

The words come from `loaded_terms.txt`. A word counts against briefer only when briefer says
it: text inside quotation marks is someone else's, and an attributed item (a stance, a
warning, a permission, a disputed claim) may repeat a word its own evidence quotes. The
outlet's loaded words belong in the source notes, which are not checked.

Strict validation re-asks on a finding, like an unfound quote; lenient validation keeps the
briefing and records the findings in its metadata, where the output shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.schema import BriefingContent, _Grounded

#: Text in double quotes (straight or curly), curly single quotes or guillemets: someone's words.
_QUOTED = re.compile('"[^"]*"|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019|\u00ab[^\u00bb]*\u00bb')


def loaded_terms(text: str, *, allowed_source: str = "") -> list[str]:
    """The loaded words in `text` outside quotation marks and not found in `allowed_source`."""
    unquoted = _QUOTED.sub(" ", text)
    allowed = allowed_source.casefold()
    found = []
    for match in _pattern().finditer(unquoted):
        word = match.group(0)
        if word.casefold() not in allowed and word.casefold() not in found:
            found.append(word.casefold())
    return found


def neutrality_findings(content: BriefingContent) -> list[str]:
    """One line per loaded word in briefer's own prose, naming the field that uses it."""
    return [
        f"{field} uses the loaded word {word!r}"
        for field, text, evidence in _own_prose(content)
        for word in loaded_terms(text, allowed_source=evidence)
    ]


def _own_prose(content: BriefingContent) -> Iterator[tuple[str, str, str]]:
    """(field, briefer's text, the item's own evidence) for every sentence briefer writes."""
    yield "headline", content.headline, ""
    yield "summary", content.summary, ""
    for n, actor in enumerate(content.actors):
        yield f"actors[{n}].role", actor.role, ""
    groups: list[tuple[str, Sequence[_Grounded], tuple[str, ...]]] = [
        ("positions", content.positions, ("stance",)),
        ("permissions", content.permissions, ("action", "limits")),
        ("warnings", content.warnings, ("warning", "conditional")),
        ("disputed_claims", content.disputed_claims, ("claim",)),
        ("open_questions", content.open_questions, ("question",)),
    ]
    for group, items, fields in groups:
        for n, item in enumerate(items):
            evidence = " ".join(e.quote for e in item.evidence)
            for name in fields:
                text = getattr(item, name)
                if text:
                    yield f"{group}[{n}].{name}", text, evidence


@cache
def _pattern() -> re.Pattern[str]:
    lines = (files("briefer") / "loaded_terms.txt").read_text(encoding="utf-8").splitlines()
    terms = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    alternatives = [
        re.escape(term[:-1]) + r"\w*" if term.endswith("*") else re.escape(term)
        for term in sorted(terms, key=len, reverse=True)
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
