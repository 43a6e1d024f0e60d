"""Which actors of different sources are one (rules: `briefer.merge`'s docstring, Actors)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from briefer.merge.models import (
    ActorName,
    MergedActor,
)
from briefer.names import (
    contains_as_words,
    fold_name,
    normalise_name,
    same_person,
)
from briefer.schema import (
    Actor,
    ActorKind,
    Briefing,
    slugify,
)

_S = TypeVar("_S", bound=str)


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


def merge_actors(
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
