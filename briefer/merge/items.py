"""Which items of different sources are one, and the merged item that carries them all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefer.merge.models import (
    ACTOR_FIELDS,
    MergedActor,
    MergedDisputedClaim,
    MergedItem,
    MergedOpenQuestion,
    MergedPermission,
    MergedPosition,
    MergedSourceNote,
    MergedWarning,
    SourceEvidence,
)
from briefer.names import (
    content_words,
)
from briefer.schema import (
    Briefing,
)


@dataclass(frozen=True)
class _Rule:
    """How one section's items are merged: the model they become, the field worded by the
    LLM, the fields that must agree, and whether an only item per key needs less wording."""

    model: type[MergedItem]
    text: str
    keys: tuple[str, ...] = ()
    single: bool = False


RULES = {
    "positions": _Rule(MergedPosition, "stance", ("actor",), single=True),
    "permissions": _Rule(MergedPermission, "action", ("grantor", "grantee"), single=True),
    "warnings": _Rule(MergedWarning, "warning", ("issuer",), single=True),
    "disputed_claims": _Rule(MergedDisputedClaim, "claim"),
    "open_questions": _Rule(MergedOpenQuestion, "question"),
    "source_notes": _Rule(MergedSourceNote, "note", ("kind",)),
}
#: The fields of items that name actors, and whether each holds a list of them.

Ref = Callable[[str, str], str]  # (source id, its actor id) -> the merged actor's id
Member = tuple[str, Any]  # (source id, the item as that source's briefing has it)


def group(
    section: str, by_source: dict[str, Briefing], ref: Ref, actors: dict[str, MergedActor]
) -> list[list[Member]]:
    """The section's items, grouped into merged items: at most one item of each source in a
    group, each source's items joining the first open group they match, in order."""
    rule = RULES[section]

    def key(member: Member) -> tuple[Any, ...]:
        source, item = member
        return tuple(_with_actors({k: getattr(item, k) for k in rule.keys}, source, ref).values())

    per_key = Counter(
        (source, key((source, item)))
        for source, b in by_source.items()
        for item in getattr(b, section)
    )

    def matches(a: Member, b: Member) -> bool:
        if key(a) != key(b):
            return False
        ignore = {w for ref_id in key(a) if ref_id in actors for w in _name_words(actors[ref_id])}
        single = rule.single and per_key[a[0], key(a)] == 1 and per_key[b[0], key(b)] == 1
        return _agree(_wording(a[1], rule), _wording(b[1], rule), ignore, single)

    groups: list[list[Member]] = []
    for source, briefing in by_source.items():
        open_groups = list(groups)
        for item in getattr(briefing, section):
            member = (source, item)
            found = next((g for g in open_groups if any(matches(m, member) for m in g)), None)
            if found is None:
                groups.append([member])
            else:
                found.append(member)
                open_groups.remove(found)
    return groups


def _wording(item: Any, rule: _Rule) -> tuple[set[str], set[str]]:
    """The content words of an item's text, and of its quotes."""
    quotes = " ".join(e.quote for e in item.evidence)
    return content_words(getattr(item, rule.text)), content_words(quotes)


def _agree(
    a: tuple[set[str], set[str]], b: tuple[set[str], set[str]], ignore: set[str], single: bool
) -> bool:
    (text_a, quotes_a), (text_b, quotes_b) = a, b
    text_a, text_b, quotes_a, quotes_b = (w - ignore for w in (text_a, text_b, quotes_a, quotes_b))
    if _alike(text_a, text_b) or _alike(quotes_a, quotes_b):
        return True
    return single and bool((text_a | quotes_a) & (text_b | quotes_b))


def _alike(a: set[str], b: set[str]) -> bool:
    """At least two shared content words, and at least half of the shorter wording's."""
    shared = len(a & b)
    return shared >= 2 and 2 * shared >= min(len(a), len(b))


def _name_words(actor: MergedActor) -> set[str]:
    return {w for name in actor.names for w in content_words(name.name)} | content_words(actor.name)


def _with_actors(data: dict[str, Any], source: str, ref: Ref) -> dict[str, Any]:
    """Item fields with every actor reference re-pointed to the merged actor."""
    result = dict(data)
    for name, is_list in ACTOR_FIELDS.items():
        value = data.get(name)
        if value is not None:
            result[name] = [ref(source, v) for v in value] if is_list else ref(source, value)
    return result


def merged_item(section: str, members: list[Member], ref: Ref) -> MergedItem:
    first_source, first = members[0]
    data = _with_actors(first.model_dump(exclude={"evidence", "grounded"}), first_source, ref)
    evidence = [
        SourceEvidence(source=source, **e.model_dump())
        for source, item in members
        for e in item.evidence
    ]
    sources = [source for source, _ in members]
    return RULES[section].model(**data, evidence=evidence, sources=sources)
