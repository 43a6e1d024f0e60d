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

from collections.abc import Sequence

import briefer
from briefer.merge.actors import merge_actors
from briefer.merge.differences import differences
from briefer.merge.items import RULES, group, merged_item
from briefer.merge.models import (
    MERGE_VERSION,
    Account,
    ActorName,
    Difference,
    Differences,
    MergedActor,
    MergedBriefing,
    MergedDisputedClaim,
    MergedItem,
    MergedOpenQuestion,
    MergedPermission,
    MergedPosition,
    MergedSource,
    MergedSourceNote,
    MergedWarning,
    MergeMeta,
    SourceEvidence,
)
from briefer.schema import Briefing

__all__ = [
    "MERGE_VERSION",
    "Account",
    "ActorName",
    "Difference",
    "Differences",
    "MergeMeta",
    "MergedActor",
    "MergedBriefing",
    "MergedDisputedClaim",
    "MergedItem",
    "MergedOpenQuestion",
    "MergedPermission",
    "MergedPosition",
    "MergedSource",
    "MergedSourceNote",
    "MergedWarning",
    "SourceEvidence",
    "merge_briefings",
]


def merge_briefings(briefings: Sequence[Briefing]) -> MergedBriefing:
    """Merge the briefings of two or more articles on one story (rules: the module docstring)."""
    if len(briefings) < 2:
        raise ValueError("a merge needs two or more briefings")
    ids = [f"s{number}" for number in range(1, len(briefings) + 1)]
    by_source = dict(zip(ids, briefings, strict=True))
    actors, actor_of = merge_actors(by_source)
    names = {actor.id: actor for actor in actors}

    def ref(source: str, actor_id: str) -> str:
        return actor_of[source, actor_id]

    groups = {section: group(section, by_source, ref, names) for section in RULES}
    merged = {
        section: [merged_item(section, members, ref) for members in section_groups]
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
    briefing.differences = differences(briefing, groups["permissions"])
    return briefing
