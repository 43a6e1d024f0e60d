"""Scoring a briefing against its gold, and a merge against its merged gold.

The rules are fixed and deterministic, so figures compare across models, prompts and rules:

- Names are normalised: diacritics dropped, case-folded, a possessive 's dropped, periods and
  apostrophes removed ("U.S." -> "us"), other punctuation made a space, runs of single letters
  joined ("u s" -> "us"), a leading "the" dropped.
- A predicted actor matches a gold actor when its name, id (hyphens as spaces) or an alias
  equals one of the gold actor's name and aliases, contains one as whole words, or is
  contained in one as whole words. No world knowledge: "Ukraine's government" matches a
  gold actor only through an alias such as "Ukraine".
- Actors, and the items of each section, are paired one to one (a maximum matching, in gold
  order): one predicted item never counts for two gold items. Precision is the pairs over
  the predicted items.
- Inside an item, a predicted actor reference stands for a gold actor when the referenced
  actor matches it by the rule above.
- An item's evidence is right when one of its quotes overlaps the gold quote's span (the
  gold's `at`, or the first occurrence of its `quote`).
- permission: grantor and grantee both stand for the gold ones, and the evidence is right.
  warning: the issuer stands for the gold one, and the evidence is right. disputed claim:
  some asserter stands for a gold asserter and some disputer for a gold disputer, and
  neither side names an actor of the other gold side. position: the actor stands for the
  gold one, and the evidence is right or the stance has half of the gold stance's content
  words. open question: the evidence is right, or the question has half of the gold
  question's content words. unattributed claim (optional in gold: what the outlet asserts in
  its own voice): a source note of kind `unattributed_claim` matches as an open question does.
- voices (from attribution annotations, `briefer.eval.voices`): positions and warnings are
  the predicted voices; recall of the annotations whose source names someone, and speaker
  precision, by that module's rules.
- Content words are words of four letters or more, less a few function words, compared on
  their first five letters.

A merge is scored by its cross-source actor links, a link being one actor in two sources:
- a merged actor's name from one source stands for a gold actor when it matches, by the rule
  above, one of the names that source uses for it;
- recall: of the gold links (a gold actor, two sources that mention it), those for which one
  merged actor holds a name from each source standing for it;
- precision: of the links within merged actors whose two names each stand for some gold
  actor, those that stand for the same one (links between actors the gold does not list are
  not judged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from typing import Any, TypeVar

from pydantic import BaseModel, Field, computed_field

from briefer.errors import BrieferError
from briefer.eval.gold import Gold, GoldActor, MergeGold
from briefer.eval.voices import Attribution, Voice, score_voices
from briefer.merge import ActorName, MergedBriefing
from briefer.names import contains_as_words, content_words, normalise_name
from briefer.neutrality import neutrality_findings
from briefer.schema import Actor, Briefing, Evidence, Spent


class Count(BaseModel):
    """Found out of total; totals over articles add the counts (a micro average)."""

    found: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ratio(self) -> float | None:
        """None when there was nothing to find: no gold items, or no predictions."""
        return round(self.found / self.total, 4) if self.total else None

    def __add__(self, other: Count) -> Count:
        return Count(found=self.found + other.found, total=self.total + other.total)


class QuoteCounts(BaseModel):
    """The briefing's quotes by match status, and exact ones not verbatim at their offsets."""

    exact: int = 0
    fuzzy: int = 0
    unverified: int = 0
    #: Quotes marked exact whose offsets do not point at the quote: a grounding bug; must be 0.
    exact_off_offset: int = 0


class ArticleScore(BaseModel):
    """One article's figures (or the total's, under the name `total`)."""

    name: str
    error: str | None = None
    exit_code: int = 0
    actor_recall: Count = Field(default_factory=Count)
    actor_precision: Count = Field(default_factory=Count)
    permission_recall: Count = Field(default_factory=Count)
    permission_precision: Count = Field(default_factory=Count)
    warning_recall: Count = Field(default_factory=Count)
    warning_precision: Count = Field(default_factory=Count)
    voice_recall: Count = Field(default_factory=Count)
    speaker_precision: Count = Field(default_factory=Count)
    position_recall: Count = Field(default_factory=Count)
    disputed_claim_recall: Count = Field(default_factory=Count)
    open_question_recall: Count = Field(default_factory=Count)
    unattributed_claim_recall: Count = Field(default_factory=Count)
    quotes: QuoteCounts = Field(default_factory=QuoteCounts)
    #: Loaded words in briefer's own prose (`briefer.neutrality`), checked again here.
    loaded_words: int = 0
    usage: Spent = Field(default_factory=Spent)


#: The `Count` fields of `ArticleScore`, in table order, with their column headings.
MEASURES = {
    "actor_recall": "actor R",
    "actor_precision": "actor P",
    "voice_recall": "voices",
    "speaker_precision": "speaker P",
    "permission_recall": "permits",
    "permission_precision": "permits P",
    "warning_recall": "warnings",
    "warning_precision": "warn P",
    "position_recall": "positions",
    "disputed_claim_recall": "disputes",
    "open_question_recall": "questions",
    "unattributed_claim_recall": "unattrib",
}


class MergeScore(BaseModel):
    """One merge's figures: how its actors were matched across its sources."""

    name: str
    error: str | None = None
    exit_code: int = 0
    actor_link_recall: Count = Field(default_factory=Count)
    actor_link_precision: Count = Field(default_factory=Count)


class EvalReport(BaseModel):
    """Every article's score, their total, the articles left out for want of gold, and the
    score of every merge."""

    articles: list[ArticleScore]
    total: ArticleScore
    skipped: list[str] = Field(default_factory=list)
    merges: list[MergeScore] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> int:
        scores: list[ArticleScore | MergeScore] = [*self.articles, *self.merges]
        return sum(score.error is not None for score in scores)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 when every article was briefed, else the first failure's exit code."""
        scores: list[ArticleScore | MergeScore] = [*self.articles, *self.merges]
        return next((s.exit_code for s in scores if s.error is not None), 0)


def score_briefing(
    gold: Gold | None,
    briefing: Briefing,
    name: str = "",
    attributions: Sequence[Attribution] | None = None,
) -> ArticleScore:
    """Score one briefing against its gold and its attribution annotations, whichever it
    has (rules: the module docstring)."""
    gold = gold or _no_gold()
    text = briefing.source.text
    predicted = {actor.id: actor for actor in briefing.actors}
    gold_actors = {actor.name: actor for actor in gold.actors}

    def stands_for(reference: str, gold_name: str) -> bool:
        actor = predicted.get(reference) or Actor(id=reference, name=reference, kind="other")
        return actor_matches(actor, gold_actors[gold_name])

    def any_stands_for(references: Iterable[str], gold_refs: Iterable[str]) -> bool:
        return any(stands_for(r, g) for r in references for g in gold_refs)

    actors = _pair(gold.actors, briefing.actors, lambda g, p: actor_matches(p, g))
    permissions = _pair(
        gold.permissions,
        briefing.permissions,
        lambda g, p: (
            stands_for(p.grantor, g.grantor)
            and stands_for(p.grantee, g.grantee)
            and _overlaps(p.evidence, g, text)
        ),
    )
    warnings = _pair(
        gold.warnings,
        briefing.warnings,
        lambda g, p: stands_for(p.issuer, g.issuer) and _overlaps(p.evidence, g, text),
    )
    positions = _pair(
        gold.positions,
        briefing.positions,
        lambda g, p: (
            stands_for(p.actor, g.actor)
            and (_overlaps(p.evidence, g, text) or _shares_content(p.stance, g.stance))
        ),
    )
    claims = _pair(
        gold.disputed_claims,
        briefing.disputed_claims,
        lambda g, p: (
            any_stands_for(p.asserted_by, g.asserted_by)
            and any_stands_for(p.disputed_by, g.disputed_by)
            and not any_stands_for(p.asserted_by, g.disputed_by)
            and not any_stands_for(p.disputed_by, g.asserted_by)
        ),
    )
    questions = _pair(
        gold.open_questions,
        briefing.open_questions,
        lambda g, p: _overlaps(p.evidence, g, text) or _shares_content(p.question, g.question),
    )
    unattributed = _pair(
        gold.unattributed_claims,
        [note for note in briefing.source_notes if note.kind == "unattributed_claim"],
        lambda g, p: _overlaps(p.evidence, g, text) or _shares_content(p.note, g.claim),
    )
    voices = score_voices(attributions or [], briefing_voices(briefing))
    judged_permissions = len(briefing.permissions) if gold.permissions else 0
    judged_warnings = len(briefing.warnings) if gold.warnings else 0
    return ArticleScore(
        name=name,
        actor_recall=Count(found=actors, total=len(gold.actors)),
        actor_precision=Count(found=actors, total=len(briefing.actors) if gold.actors else 0),
        voice_recall=Count(found=voices.found, total=voices.named),
        speaker_precision=Count(found=voices.right, total=voices.judged),
        permission_recall=Count(found=permissions, total=len(gold.permissions)),
        permission_precision=Count(found=permissions, total=judged_permissions),
        warning_recall=Count(found=warnings, total=len(gold.warnings)),
        warning_precision=Count(found=warnings, total=judged_warnings),
        position_recall=Count(found=positions, total=len(gold.positions)),
        disputed_claim_recall=Count(found=claims, total=len(gold.disputed_claims)),
        open_question_recall=Count(found=questions, total=len(gold.open_questions)),
        unattributed_claim_recall=Count(found=unattributed, total=len(gold.unattributed_claims)),
        quotes=quote_counts(briefing),
        loaded_words=len(neutrality_findings(briefing)),
        usage=Spent.model_validate(briefing.meta.usage.model_dump(include=set(Spent.model_fields))),
    )


_SECTIONS = (
    "permissions",
    "warnings",
    "positions",
    "disputed_claims",
    "open_questions",
    "unattributed_claims",
)


def _no_gold() -> Gold:
    """An empty gold, for an article that has none: nothing to find."""
    sections: dict[str, Any] = {k: [] for k in _SECTIONS}
    return Gold.model_construct(actors=[], **sections)


def briefing_voices(briefing: Briefing) -> list[Voice]:
    """The briefing's positions and warnings as voices: the speaker's names, the quotes."""
    actors = {actor.id: actor for actor in briefing.actors}

    def names(actor_id: str) -> tuple[str, ...]:
        actor = actors.get(actor_id)
        if actor is None:
            return (actor_id.replace("-", " "),)
        return (actor.name, actor.id.replace("-", " "), *actor.aliases)

    items = [(p.actor, p.evidence) for p in briefing.positions]
    items += [(w.issuer, w.evidence) for w in briefing.warnings]
    return [
        Voice(
            names=names(actor_id),
            evidence=tuple(
                (e.start, e.end) for e in evidence if e.start is not None and e.end is not None
            ),
        )
        for actor_id, evidence in items
    ]


def failed_score(
    gold: Gold | None, name: str, error: BrieferError, attributions: Sequence[Attribution] = ()
) -> ArticleScore:
    """An article that could not be briefed: nothing of its gold was found."""
    gold = gold or _no_gold()
    return ArticleScore(
        name=name,
        error=str(error),
        exit_code=error.exit_code,
        actor_recall=Count(total=len(gold.actors)),
        voice_recall=Count(total=sum(bool(a.names) for a in attributions)),
        permission_recall=Count(total=len(gold.permissions)),
        warning_recall=Count(total=len(gold.warnings)),
        position_recall=Count(total=len(gold.positions)),
        disputed_claim_recall=Count(total=len(gold.disputed_claims)),
        open_question_recall=Count(total=len(gold.open_questions)),
        unattributed_claim_recall=Count(total=len(gold.unattributed_claims)),
    )


def score_merge(gold: MergeGold, merged: MergedBriefing, name: str = "") -> MergeScore:
    """Score a merge's actor matching against its gold, by links (the module docstring)."""
    if len(merged.sources) != len(gold.sources):
        raise ValueError(
            f"the gold has {len(gold.sources)} sources, the merge {len(merged.sources)}"
        )
    file_of = {source.id: file for source, file in zip(merged.sources, gold.sources, strict=True)}

    def stands_for(name: ActorName) -> set[str]:
        file = file_of[name.source]
        return {
            g.name for g in gold.actors if _stands_for(name.name, name.actor, g.names.get(file, []))
        }

    links = [
        (file_of[a.source], file_of[b.source], stands_for(a), stands_for(b))
        for actor in merged.actors
        for a, b in combinations(actor.names, 2)
    ]
    judged = [(x, y) for _, _, x, y in links if x and y]
    found = {(g, a, b) for a, b, x, y in links for g in x & y}
    wanted = _gold_links(gold)
    return MergeScore(
        name=name,
        actor_link_recall=Count(found=len(wanted & found), total=len(wanted)),
        actor_link_precision=Count(found=sum(bool(x & y) for x, y in judged), total=len(judged)),
    )


def _gold_links(gold: MergeGold) -> set[tuple[str, str, str]]:
    """(gold actor, source, later source) for each two sources that mention the actor."""
    return {
        (actor.name, a, b)
        for actor in gold.actors
        for a, b in combinations([s for s in gold.sources if s in actor.names], 2)
    }


def quote_counts(briefing: Briefing) -> QuoteCounts:
    """The briefing's quote counts, and its exact quotes checked again against the source."""
    text = briefing.source.text
    exact = [e for e in briefing.evidence() if e.match == "exact"]
    return QuoteCounts(
        **briefing.grounding_counts().model_dump(),
        exact_off_offset=sum(
            e.start is None or e.end is None or text[e.start : e.end] != e.quote for e in exact
        ),
    )


def total_score(scores: Sequence[ArticleScore]) -> ArticleScore:
    """Sum every count over the articles; ratios of the total are micro averages."""

    def summed(model: type[_M], part: Callable[[ArticleScore], _M]) -> _M:
        fields = model.model_fields
        return model(**{f: sum(getattr(part(s), f) for s in scores) for f in fields})

    usage = summed(Spent, lambda score: score.usage)
    usage.seconds = round(usage.seconds, 2)
    return ArticleScore(
        name="total",
        **{field: sum((getattr(s, field) for s in scores), Count()) for field in MEASURES},
        quotes=summed(QuoteCounts, lambda score: score.quotes),
        loaded_words=sum(score.loaded_words for score in scores),
        usage=usage,
    )


_M = TypeVar("_M", bound=BaseModel)
_G = TypeVar("_G")
_P = TypeVar("_P")


def _pair(gold: Sequence[_G], predicted: Sequence[_P], matches: Callable[[_G, _P], bool]) -> int:
    """Size of a maximum one-to-one matching (augmenting paths, in gold then predicted order)."""
    candidates = [[j for j, p in enumerate(predicted) if matches(g, p)] for g in gold]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def assign(i: int, tried: set[int]) -> bool:
        for j in candidates[i]:
            if j not in tried:
                tried.add(j)
                if j not in owner or assign(owner[j], tried):
                    owner[j] = i
                    return True
        return False

    return sum(assign(i, set()) for i in range(len(gold)))


def actor_matches(actor: Actor, gold: GoldActor) -> bool:
    """Whether a predicted actor is the gold one: a name, id or alias of it equals, contains
    or is contained in (as whole words) the gold name or an alias, once normalised."""
    wanted = _normalised(gold.name, *gold.aliases)
    names = _normalised(actor.name, actor.id.replace("-", " "), *actor.aliases)
    return any(contains_as_words(p, g) for p in names for g in wanted)


def _stands_for(name: str, actor_id: str, gold_names: Iterable[str]) -> bool:
    predicted = _normalised(name, actor_id.replace("-", " "))
    wanted = _normalised(*gold_names)
    return any(contains_as_words(p, g) for p in predicted for g in wanted)


def _normalised(*names: str) -> set[str]:
    return {normalise_name(name) for name in names} - {""}


def _overlaps(evidence: Iterable[Evidence], gold: Any, text: str) -> bool:
    """Whether some located evidence span overlaps the gold item's span."""
    if gold.at is not None:
        start, end = gold.at
    else:
        start = text.find(gold.quote)
        if start == -1:
            return False
        end = start + len(gold.quote)
    return any(
        e.start is not None and e.end is not None and e.start < end and start < e.end
        for e in evidence
    )


def _shares_content(predicted: str, gold: str) -> bool:
    """Whether `predicted` has at least half of the content words of `gold`."""
    wanted = content_words(gold)
    return bool(wanted) and 2 * len(wanted & content_words(predicted)) >= len(wanted)
