"""The merged briefing's models: sources, merged actors and items, differences."""

from __future__ import annotations

from pydantic import Field, model_validator

from briefer.schema import (
    ActorKind,
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
)

#: Bumped whenever the merged JSON changes shape or the merge rules change.
MERGE_VERSION = "1"


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
            named_actors += references(item)
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


#: The fields of an item that name actors, and whether each holds a list.
ACTOR_FIELDS = {
    "actor": False,
    "grantor": False,
    "grantee": False,
    "issuer": False,
    "addressee": False,
    "asserted_by": True,
    "disputed_by": True,
    "actors": True,
}


def references(item: MergedItem) -> list[str]:
    """The actor ids an item names, in field order."""
    refs: list[str] = []
    for name, is_list in ACTOR_FIELDS.items():
        value = getattr(item, name, None)
        if value:
            refs += value if is_list else [value]
    return refs
