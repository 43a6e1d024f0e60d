"""Where the accounts differ: reported by some only, conflicting, terminology, voices."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from briefer.merge.items import RULES, Member
from briefer.merge.models import (
    Account,
    Difference,
    Differences,
    MergedBriefing,
    MergedItem,
    MergedPermission,
    MergedPosition,
    SourceEvidence,
)
from briefer.names import (
    contains_as_words,
    fold_word,
    normalise_name,
)
from briefer.schema import (
    Evidence,
)


def differences(merged: MergedBriefing, permissions: list[list[Member]]) -> Differences:
    """Every point on which the sources differ (rules 1 to 4: the module docstring)."""
    ids = [source.id for source in merged.sources]
    name = {actor.id: actor.name for actor in merged.actors}
    differences = Differences()
    for section in ("permissions", "warnings", "disputed_claims"):
        for item in getattr(merged, section):
            if len(item.sources) < len(ids):
                differences.reported_by_some.append(
                    Difference(
                        topic=_topic(section, item, name),
                        accounts=_accounts(item),
                        silent=[s for s in ids if s not in item.sources],
                    )
                )
    for permission, members in zip(merged.permissions, permissions, strict=True):
        if len({m.status for _, m in members}) > 1:
            differences.conflicting.append(_status_difference(permission, members, name))
    for section in RULES:
        for item in getattr(merged, section):
            figures = _figures_difference(section, item, name)
            if figures is not None:
                differences.conflicting.append(figures)
    naming = _naming_differences(merged)
    differences.terminology = [
        *naming,
        *_spelling_differences(merged, naming),
        *(
            Difference(
                topic=f"Wording pointed out: {note.note}",
                accounts=_accounts(note),
                silent=[s for s in ids if s not in note.sources],
            )
            for note in merged.source_notes
            if note.kind in ("loaded_wording", "terminology") and len(note.sources) < len(ids)
        ),
    ]
    differences.voices = _voice_differences(merged)
    return differences


def _topic(section: str, item: Any, name: dict[str, str]) -> str:
    if section == "permissions":
        return f"Permission: {name[item.grantor]} → {name[item.grantee]}: {item.action}"
    if section == "warnings":
        return f"Warning by {name[item.issuer]}: {item.warning}"
    return {"disputed_claims": "Disputed claim", "open_questions": "Open question"}.get(
        section, "Source note"
    ) + f": {getattr(item, RULES[section].text)}"


def _accounts(item: MergedItem, says: Callable[[str], str] = lambda _: "") -> list[Account]:
    return [
        Account(
            source=source,
            says=says(source),
            evidence=[e for e in item.evidence if e.source == source],
        )
        for source in item.sources
    ]


def _status_difference(
    item: MergedPermission, members: list[Member], name: dict[str, str]
) -> Difference:
    by_source = dict(members)

    def says(source: str) -> str:
        permission = by_source[source]
        limits = f"; limits: {permission.limits}" if permission.limits else ""
        return f"{permission.status}{limits}"

    return Difference(topic=_topic("permissions", item, name), accounts=_accounts(item, says))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _figures(evidence: Iterable[Evidence]) -> dict[str, str]:
    """Each figure in the quotes, by its value ('1,200' -> '1200'), as the source writes it."""
    return {
        re.sub(r",(?=\d{3}\b)", "", match): match
        for e in evidence
        for match in _NUMBER.findall(e.quote)
    }


def _figures_difference(section: str, item: MergedItem, name: dict[str, str]) -> Difference | None:
    figures = {
        source: _figures(e for e in item.evidence if e.source == source) for source in item.sources
    }
    quoted = [set(f) for f in figures.values() if f]
    if not any(not (a <= b or b <= a) for a in quoted for b in quoted):
        return None
    topic = (
        f"the position of {name[item.actor]}"
        if isinstance(item, MergedPosition)
        else _topic(section, item, name)
    )
    return Difference(
        topic=f"Figures in {topic}",
        accounts=_accounts(item, lambda source: ", ".join(figures[source].values())),
    )


def _naming_differences(merged: MergedBriefing) -> list[Difference]:
    """Actors that sources name with different words, not merely a shorter form."""
    differences = []
    for actor in merged.actors:
        names = {(n.source, normalise_name(n.name)) for n in actor.names}
        if not any(a != b and not contains_as_words(x, y) for a, x in names for b, y in names):
            continue
        accounts = [
            Account(
                source=n.source,
                says=n.name,
                evidence=_mention(n.name, n.source, merged.source_text(n.source)),
            )
            for n in actor.names
        ]
        differences.append(Difference(topic=f"Names for {actor.name}", accounts=accounts))
    return differences


def _mention(name: str, source: str, text: str) -> list[SourceEvidence]:
    """The first place a source's text writes a name as whole words, if it does; a match that
    differs in case only is `fuzzy`, not `exact`."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
    if found is None:
        return []
    match = "exact" if found.group() == name else "fuzzy"
    return [
        SourceEvidence(
            source=source, quote=found.group(), start=found.start(), end=found.end(), match=match
        )
    ]


_WORD = re.compile(r"[^\W\d_]{4,}")


def _spelling_differences(merged: MergedBriefing, naming: list[Difference]) -> list[Difference]:
    """Capitalised words that sources spell differently, once folded the same; words of the
    actors' names listed in `naming` are left to those."""
    # folded word -> its spelling -> source -> the spelling's first use in that source
    uses: dict[str, dict[str, dict[str, re.Match[str]]]] = {}
    for source in merged.sources:
        for word in _WORD.finditer(source.source.text):
            if word.group()[0].isupper():
                spelling = normalise_name(word.group())
                by_source = uses.setdefault(fold_word(spelling), {}).setdefault(spelling, {})
                by_source.setdefault(source.id, word)
    named = {normalise_name(word) for d in naming for a in d.accounts for word in a.says.split()}
    differences = []
    for spellings in uses.values():
        users = {source for by_source in spellings.values() for source in by_source}
        if len(spellings) < 2 or len(users) < 2 or set(spellings) <= named:
            continue
        accounts = [
            Account(
                source=source,
                says=word.group(),
                evidence=[
                    SourceEvidence(
                        source=source,
                        quote=word.group(),
                        start=word.start(),
                        end=word.end(),
                        match="exact",
                    )
                ],
            )
            for by_source in spellings.values()
            for source, word in by_source.items()
        ]
        shown = " / ".join(_display(by_source.values()) for by_source in spellings.values())
        differences.append(
            Difference(
                topic=f"Spelling: {shown}",
                accounts=accounts,
                silent=[s.id for s in merged.sources if s.id not in users],
            )
        )
    return differences


def _display(uses: Iterable[re.Match[str]]) -> str:
    """How to show a spelling: as a source writes it, in other than capitals if one does."""
    words = [use.group() for use in uses]
    return next((word for word in words if not word.isupper()), words[0])


def _voice_differences(merged: MergedBriefing) -> list[Difference]:
    """Actors quoted by some sources and not by others."""
    ids = [source.id for source in merged.sources]
    differences = []
    for actor in merged.actors:
        if not actor.quoted_by or len(actor.quoted_by) == len(ids):
            continue
        accounts = [
            Account(
                source=source,
                says="quoted",
                evidence=[
                    e
                    for p in merged.positions
                    if p.actor == actor.id
                    for e in p.evidence
                    if e.source == source
                ],
            )
            for source in actor.quoted_by
        ]
        accounts += [
            Account(
                source=n.source,
                says="mentioned, not quoted",
                evidence=_mention(n.name, n.source, merged.source_text(n.source)),
            )
            for n in actor.names
            if n.source not in actor.quoted_by
        ]
        differences.append(
            Difference(
                topic=actor.name,
                accounts=accounts,
                silent=[s for s in ids if s not in actor.sources],
            )
        )
    return differences
