"""Several briefings of one story become one cross-source briefing, by fixed rules.

Each article is briefed on its own first (`make_briefing`, cached like any briefing), so adding
a source to a merge costs one extraction. This module then merges the briefings without any
LLM call. Deterministic matching is reliable where a model is not: the same names, aliases
and transliterations always give the same answer, and every merged item keeps the quotes of
every source that carries it, with offsets into that source's own text, so each one stays as
checkable as in a single briefing. A model asked to merge would paraphrase, and could drop a
source's wording or blend two accounts into one that neither gives.

Sources are numbered s1, s2, ... in the order given; ties below go to the earlier source.

Actors. Two actors of different sources are one when (first rule that applies, looser rules
only where they point one way): their names or ids are equal once normalised, or once folded
for transliteration (`briefer.names`: Kiev/Kyiv, Zelensky/Zelenskyy, Odessa/Odesa...); or
both are people with one surname and given names that do not clash (Vladimir/Volodymyr
Zelensky, but not Taras and Volodymyr Kostelnyy); or one name contains the other as whole
words ("State Water Agency" in "Dravonian State Water Agency"). A person never merges with a
government, group or organisation ("Zelensky" is not "Zelensky's office"). A looser rule
(surname, containment) that would pair an actor with two actors of another source, or two
with one, pairs none. Each merged actor keeps the name every source gives it; it is shown
under the name most sources use.

Items. Two items of different sources are one when they are of one section and:
- positions: the same actor;
- permissions: the same grantor and grantee;
- warnings: the same issuer;
- source notes: the same kind;
and their wording agrees: their texts, or their quotes, share at least two content words and
half of the shorter one's (`names.content_words`; the actors' own names do not count). An
actor's only position (permission between a pair, warning of an issuer) in each of two
sources needs just one shared content word. Disputed claims and open questions match on
wording alone. Every other item stays on its own, carried by its one source. A merged item
is worded as the first source carrying it words it, and holds every source's quotes.

Where the accounts differ (with more than one source):
1. reported by some sources only: permissions, warnings and disputed claims that not every
   source carries (positions are compared by voice, under 4);
2. conflicting accounts: a merged permission whose status differs between sources, and a
   merged item whose quotes give figures that differ (the digits one source quotes are
   neither all among another's nor include all of them: 1,200 against 800);
3. terminology: one word spelt differently by different sources (capitalised words of four
   letters or more, equal once folded: Tyrniv/Tirnov), one actor named differently (beyond
   a shorter form: Volodymyr Kostelnyy/Vladimir Kostelny), and wording a source note points
   out (loaded wording, terminology) in some sources only;
4. voices: an actor quoted (with a position) by some sources, and by others mentioned but
   not quoted, or not mentioned at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import Field, model_validator

import briefer
from briefer.names import (
    contains_as_words,
    content_words,
    fold_name,
    fold_word,
    normalise_name,
    same_person,
)
from briefer.schema import (
    Actor,
    ActorKind,
    Briefing,
    DisputedClaim,
    Evidence,
    IssuedWarning,
    Meta,
    OpenQuestion,
    Permission,
    Position,
    Source,
    SourceNote,
    _Model,
    slugify,
)

#: Bumped whenever the merged JSON changes shape or the merge rules change.
MERGE_VERSION = "1"

_S = TypeVar("_S", bound=str)


class SourceEvidence(Evidence):
    """A quote from one source: `start` and `end` count in that source's `text`."""

    source: str


class MergedSource(_Model):
    """One article of the merge: its source, and how briefer briefed it on its own."""

    id: str = Field(description="s1, s2, ...: how the merged briefing refers to it")
    headline: str
    summary: str
    meta: Meta
    source: Source


class ActorName(_Model):
    """How one source's briefing names an actor."""

    source: str
    actor: str = Field(description="the actor's id in that source's briefing")
    name: str


class MergedActor(_Model):
    """One actor across the sources, with every source's own name for it."""

    id: str
    name: str = Field(description="the name most sources use")
    kind: ActorKind
    role: str = ""
    names: list[ActorName]
    sources: list[str] = Field(description="the sources that mention it")
    quoted_by: list[str] = Field(description="the sources that report a position of it")


# Each section's items as in a single briefing, with every source's quotes and the sources
# that carry the item; actor references name merged actors.


class _Carried(_Model):
    """What a merged item adds: every carrying source's quotes, and those sources' ids."""

    evidence: list[SourceEvidence] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class MergedPosition(_Carried, Position):
    """What one actor says or wants, as the sources that carry it report it."""


class MergedPermission(_Carried, Permission):
    """Who allowed or forbade whom to do what, as the sources that carry it report it."""


class MergedWarning(_Carried, IssuedWarning):
    """A warning, threat or prediction, as the sources that carry it report it."""


class MergedDisputedClaim(_Carried, DisputedClaim):
    """A claim one side makes and another contradicts, in the sources that carry it."""


class MergedOpenQuestion(_Carried, OpenQuestion):
    """A question the sources that carry it leave open."""


class MergedSourceNote(_Carried, SourceNote):
    """How the sources that carry it tell the story: word choices, claims, absent voices."""


MergedItem = (
    MergedPosition
    | MergedPermission
    | MergedWarning
    | MergedDisputedClaim
    | MergedOpenQuestion
    | MergedSourceNote
)


class Account(_Model):
    """What one source says on a point where the accounts differ, and its words for it."""

    source: str
    says: str = ""
    evidence: list[SourceEvidence] = Field(default_factory=list)


class Difference(_Model):
    """One point on which the sources differ: each source's account, and who is silent."""

    topic: str
    accounts: list[Account]
    silent: list[str] = Field(default_factory=list, description="sources without an account")


class Differences(_Model):
    """Where the accounts differ (rules: `briefer.merge`)."""

    reported_by_some: list[Difference] = Field(default_factory=list)
    conflicting: list[Difference] = Field(default_factory=list)
    terminology: list[Difference] = Field(default_factory=list)
    voices: list[Difference] = Field(default_factory=list)


class MergeMeta(_Model):
    """How the merge was made; each source's own metadata is under `sources`."""

    briefer_version: str
    merge_version: str = MERGE_VERSION


class MergedBriefing(_Model):
    """One briefing across several sources: the public contract of `make --merge -f json`."""

    sources: list[MergedSource] = Field(min_length=2)
    actors: list[MergedActor] = Field(default_factory=list)
    positions: list[MergedPosition] = Field(default_factory=list)
    permissions: list[MergedPermission] = Field(default_factory=list)
    warnings: list[MergedWarning] = Field(default_factory=list)
    disputed_claims: list[MergedDisputedClaim] = Field(default_factory=list)
    open_questions: list[MergedOpenQuestion] = Field(default_factory=list)
    source_notes: list[MergedSourceNote] = Field(default_factory=list)
    differences: Differences = Field(default_factory=Differences)
    meta: MergeMeta

    @model_validator(mode="after")
    def _references_resolve(self) -> MergedBriefing:
        """Every source id names a source and every actor reference a merged actor, so a
        saved merged briefing read back is as consistent as a freshly merged one."""
        sources = {source.id for source in self.sources}
        actors = {actor.id for actor in self.actors}
        named_sources = [s for actor in self.actors for s in actor.sources]
        named_actors: list[str] = []
        for item in self.items():
            named_sources += [*item.sources, *(e.source for e in item.evidence)]
            named_actors += _references(item)
        for _, differences in self.differences:
            for difference in differences:
                named_sources += [a.source for a in difference.accounts] + difference.silent
        unknown_source = next((s for s in named_sources if s not in sources), None)
        if unknown_source is not None:
            raise ValueError(f"unknown source {unknown_source!r}")
        unknown_actor = next((a for a in named_actors if a not in actors), None)
        if unknown_actor is not None:
            raise ValueError(f"unknown actor {unknown_actor!r}")
        return self

    def items(self) -> list[MergedItem]:
        """Every merged item, in the order of the sections."""
        return [
            *self.positions,
            *self.permissions,
            *self.warnings,
            *self.disputed_claims,
            *self.open_questions,
            *self.source_notes,
        ]

    def evidence(self) -> list[SourceEvidence]:
        """Every quote of the merged items, each tagged with its source."""
        return [e for item in self.items() for e in item.evidence]

    def source_text(self, source_id: str) -> str:
        """The text a quote of `source_id` counts its offsets in."""
        return next(s.source.text for s in self.sources if s.id == source_id)


# Merging --------------------------------------------------------------------------------------


def merge_briefings(briefings: Sequence[Briefing]) -> MergedBriefing:
    """Merge the briefings of two or more articles on one story (rules: the module docstring)."""
    if len(briefings) < 2:
        raise ValueError("a merge needs two or more briefings")
    ids = [f"s{number}" for number in range(1, len(briefings) + 1)]
    by_source = dict(zip(ids, briefings, strict=True))
    actors, actor_of = _merge_actors(by_source)
    names = {actor.id: actor for actor in actors}

    def ref(source: str, actor_id: str) -> str:
        return actor_of[source, actor_id]

    groups = {section: _group(section, by_source, ref, names) for section in _RULES}
    merged = {
        section: [_merged_item(section, members, ref) for members in section_groups]
        for section, section_groups in groups.items()
    }
    quoted = {(s, ref(s, p.actor)) for s, b in by_source.items() for p in b.positions}
    for actor in actors:
        actor.quoted_by = [s for s in actor.sources if (s, actor.id) in quoted]
    briefing = MergedBriefing(
        sources=[
            MergedSource(
                id=source, headline=b.headline, summary=b.summary, meta=b.meta, source=b.source
            )
            for source, b in by_source.items()
        ],
        actors=actors,
        **merged,
        meta=MergeMeta(briefer_version=briefer.__version__),
    )
    briefing.differences = _differences(briefing, groups["permissions"])
    return briefing


# Actors ---------------------------------------------------------------------------------------

#: Match tiers, strictest first: the looser two pair only where they point one way.
_EQUAL, _FOLDED, _SAME_PERSON, _CONTAINED = range(4)


@dataclass
class _Cluster:
    members: list[tuple[str, Actor]] = field(default_factory=list)

    def tier(self, actor: Actor) -> int | None:
        """The best tier over the members, or None if the actor's kind clashes with any
        member's: a cluster never mixes people and organisations, even through an `other`."""
        if any(_kinds_clash(m, actor) for _, m in self.members):
            return None
        tiers = [t for _, m in self.members if (t := _tier(m, actor)) is not None]
        return min(tiers, default=None)


def _merge_actors(
    by_source: dict[str, Briefing],
) -> tuple[list[MergedActor], dict[tuple[str, str], str]]:
    clusters: list[_Cluster] = []
    for source, briefing in by_source.items():
        free = list(range(len(briefing.actors)))  # this source's actors not yet placed
        open_ = list(range(len(clusters)))  # earlier sources' actors this one may join
        for tier in range(_CONTAINED + 1):
            pairs = [
                (i, c) for i in free for c in open_ if clusters[c].tier(briefing.actors[i]) == tier
            ]
            per_actor, per_cluster = Counter(i for i, _ in pairs), Counter(c for _, c in pairs)
            for i, c in pairs:
                two_ways = per_actor[i] > 1 or per_cluster[c] > 1
                if i in free and c in open_ and not (two_ways and tier > _FOLDED):
                    clusters[c].members.append((source, briefing.actors[i]))
                    free.remove(i)
                    open_.remove(c)
        clusters += [_Cluster([(source, briefing.actors[i])]) for i in free]

    actors: list[MergedActor] = []
    actor_of: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for cluster in clusters:
        merged = _merged_actor(cluster, taken)
        taken.add(merged.id)
        actors.append(merged)
        for source, actor in cluster.members:
            actor_of[source, actor.id] = merged.id
    return actors, actor_of


def _tier(a: Actor, b: Actor) -> int | None:
    """How strictly two actors of different sources match, or None when they do not."""
    if _kinds_clash(a, b):
        return None
    names_a, names_b = _names(a), _names(b)
    if names_a & names_b:
        return _EQUAL
    folded_a, folded_b = {fold_name(n) for n in names_a}, {fold_name(n) for n in names_b}
    if folded_a & folded_b:
        return _FOLDED
    if _is_person(a) and _is_person(b) and same_person(a.name, b.name):
        return _SAME_PERSON
    if any(contains_as_words(x, y) for x in folded_a for y in folded_b):
        return _CONTAINED
    return None


def _is_person(actor: Actor) -> bool:
    return actor.kind == "person"


def _kinds_clash(a: Actor, b: Actor) -> bool:
    """A person and a government, organisation, group or media are never one actor; an actor
    of kind `other` (declared by briefer, kind unknown) clashes with nobody."""
    return _is_person(a) != _is_person(b) and "other" not in (a.kind, b.kind)


def _names(actor: Actor) -> set[str]:
    return {normalise_name(actor.name), normalise_name(actor.id.replace("-", " "))} - {""}


def _merged_actor(cluster: _Cluster, taken: set[str]) -> MergedActor:
    """Shown under the name most sources use; its kind is the most common one it was given
    (`other`, briefer's kind for an actor the LLM did not declare, only if none else)."""
    members = [actor for _, actor in cluster.members]
    name = _most_common([actor.name for actor in members], key=normalise_name)
    kinds: list[ActorKind] = [actor.kind for actor in members if actor.kind != "other"] or ["other"]
    kind = _most_common(kinds)
    base = slugify(name) or "actor"
    actor_id, number = base, 2
    while actor_id in taken:
        actor_id, number = f"{base}-{number}", number + 1
    return MergedActor(
        id=actor_id,
        name=name,
        kind=kind,
        role=next((actor.role for actor in members if actor.role), ""),
        names=[ActorName(source=s, actor=a.id, name=a.name) for s, a in cluster.members],
        sources=[source for source, _ in cluster.members],
        quoted_by=[],
    )


def _most_common(values: list[_S], key: Callable[[_S], str] = str) -> _S:
    """The value whose key is most common; on a tie, the one that comes first."""
    counts = Counter(key(value) for value in values)
    return next(value for value in values if counts[key(value)] == max(counts.values()))


# Items ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """How one section's items are merged: the model they become, the field worded by the
    LLM, the fields that must agree, and whether an only item per key needs less wording."""

    model: type[MergedItem]
    text: str
    keys: tuple[str, ...] = ()
    single: bool = False


_RULES = {
    "positions": _Rule(MergedPosition, "stance", ("actor",), single=True),
    "permissions": _Rule(MergedPermission, "action", ("grantor", "grantee"), single=True),
    "warnings": _Rule(MergedWarning, "warning", ("issuer",), single=True),
    "disputed_claims": _Rule(MergedDisputedClaim, "claim"),
    "open_questions": _Rule(MergedOpenQuestion, "question"),
    "source_notes": _Rule(MergedSourceNote, "note", ("kind",)),
}
#: The fields of items that name actors, and whether each holds a list of them.
_ACTOR_FIELDS = {
    "actor": False,
    "grantor": False,
    "grantee": False,
    "issuer": False,
    "addressee": False,
    "asserted_by": True,
    "disputed_by": True,
    "actors": True,
}

_Ref = Callable[[str, str], str]  # (source id, its actor id) -> the merged actor's id
_Member = tuple[str, Any]  # (source id, the item as that source's briefing has it)


def _group(
    section: str, by_source: dict[str, Briefing], ref: _Ref, actors: dict[str, MergedActor]
) -> list[list[_Member]]:
    """The section's items, grouped into merged items: at most one item of each source in a
    group, each source's items joining the first open group they match, in order."""
    rule = _RULES[section]

    def key(member: _Member) -> tuple[Any, ...]:
        source, item = member
        return tuple(_with_actors({k: getattr(item, k) for k in rule.keys}, source, ref).values())

    per_key = Counter(
        (source, key((source, item)))
        for source, b in by_source.items()
        for item in getattr(b, section)
    )

    def matches(a: _Member, b: _Member) -> bool:
        if key(a) != key(b):
            return False
        ignore = {w for ref_id in key(a) if ref_id in actors for w in _name_words(actors[ref_id])}
        single = rule.single and per_key[a[0], key(a)] == 1 and per_key[b[0], key(b)] == 1
        return _agree(_wording(a[1], rule), _wording(b[1], rule), ignore, single)

    groups: list[list[_Member]] = []
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


def _with_actors(data: dict[str, Any], source: str, ref: _Ref) -> dict[str, Any]:
    """Item fields with every actor reference re-pointed to the merged actor."""
    result = dict(data)
    for name, is_list in _ACTOR_FIELDS.items():
        value = data.get(name)
        if value is not None:
            result[name] = [ref(source, v) for v in value] if is_list else ref(source, value)
    return result


def _merged_item(section: str, members: list[_Member], ref: _Ref) -> MergedItem:
    first_source, first = members[0]
    data = _with_actors(first.model_dump(exclude={"evidence", "grounded"}), first_source, ref)
    evidence = [
        SourceEvidence(source=source, **e.model_dump())
        for source, item in members
        for e in item.evidence
    ]
    sources = [source for source, _ in members]
    return _RULES[section].model(**data, evidence=evidence, sources=sources)


def _references(item: MergedItem) -> list[str]:
    refs: list[str] = []
    for name, is_list in _ACTOR_FIELDS.items():
        value = getattr(item, name, None)
        if value:
            refs += value if is_list else [value]
    return refs


# Where the accounts differ ---------------------------------------------------------------------


def _differences(merged: MergedBriefing, permissions: list[list[_Member]]) -> Differences:
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
    for section in _RULES:
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
    ) + f": {getattr(item, _RULES[section].text)}"


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
    item: MergedPermission, members: list[_Member], name: dict[str, str]
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
