"""Measuring briefing quality: gold annotations, scoring against them, and `briefer eval`.

A gold file `NAME.gold.json` beside the article `NAME.txt` lists what a careful reader finds
in it: actors, permissions, warnings, positions, disputed claims and open questions, each with
a `quote` copied verbatim from the article. `score_briefing` compares one `Briefing` with its
gold and is pure, so the rules below are unit-tested without an LLM; `evaluate_dir` briefs
every article of a gold directory and scores it.

The rules are fixed and deterministic, so figures compare across models and prompts:

- Names are normalised: diacritics dropped, case-folded, a possessive 's dropped, periods and
  apostrophes removed ("U.S." -> "us"), other punctuation made a space, runs of single letters
  joined ("u s" -> "us"), a leading "the" dropped.
- A predicted actor matches a gold actor when its name or id (hyphens as spaces) equals one of
  the gold actor's name and aliases, contains one as whole words, or is contained in one as
  whole words. No world knowledge: "Ukraine's government" matches a gold actor only through
  an alias such as "Ukraine"; the alias "Kiev" alone does not make it match.
- Actors, and the items of each section, are paired one to one (a maximum matching, in gold
  order): one predicted item never counts for two gold items.
- Inside an item, a predicted actor reference stands for a gold actor when the referenced
  actor matches it by the rule above (a reference may stand for several gold actors: item
  recall asks whether the item was found and attributed, actor recall whether actors were).
- permission: grantor and grantee both stand for the gold ones. warning: the issuer does.
  disputed claim: some asserter stands for a gold asserter and some disputer for a gold
  disputer, and neither side names an actor of the other gold side. position: the actor
  stands for the gold one, and an evidence span overlaps the gold quote's span or the stance
  has half of the gold stance's content words. open question: an evidence span overlaps the
  gold quote's span, or the question has half of the gold question's content words.
  unattributed claim (optional in gold: what the outlet asserts in its own voice): a source
  note of kind `unattributed_claim` matches as an open question does.
- A gold quote's span is its first occurrence in the article. Content words are words of
  four letters or more, less a few function words, compared on their first five letters.

A merged gold file `NAME.merge.json` names two or more articles beside it (`sources`, in the
order they are merged) and the actors across them: for each, the names that each source
mentioning it uses, verbatim. `score_merge` scores a `MergedBriefing`'s cross-source actor
matching by links, a link being one actor in two sources:
- a merged actor's name from one source stands for a gold actor when it matches, by the rule
  above, one of the names that source uses for it;
- recall: of the gold links (a gold actor, two sources that mention it), those for which one
  merged actor holds a name from each source standing for it;
- precision: of the links within merged actors whose two names each stand for some gold
  actor, those that stand for the same one (links between actors the gold does not list are
  not judged).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from briefer.api import make_briefing
from briefer.article import read_article
from briefer.backends import Backend
from briefer.errors import BrieferError, InputError, unreadable
from briefer.merge import ActorName, MergedBriefing
from briefer.names import contains_as_words, content_words, normalise_name
from briefer.neutrality import neutrality_findings
from briefer.schema import Actor, ActorKind, Briefing, Evidence
from briefer.settings import ExtractionSettings

GOLD_SUFFIX = ".gold.json"
MERGE_GOLD_SUFFIX = ".merge.json"


class _Gold(BaseModel):
    """Strict: an unknown or misspelt key in a gold file is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    quote: str = Field(min_length=1, description="copied verbatim from the article")

    @field_validator("quote")
    @classmethod
    def _verbatim(cls, quote: str, info: ValidationInfo) -> str:
        """With the article in the context, a quote that is not verbatim in it is rejected."""
        article = (info.context or {}).get("article")
        if article is not None and quote not in article:
            raise ValueError(f"not verbatim in the article: {quote[:80]!r}")
        return quote


class GoldActor(_Gold):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind


class GoldPermission(_Gold):
    grantor: str
    grantee: str
    action: str
    limits: list[str] = Field(default_factory=list)


class GoldWarning(_Gold):
    issuer: str
    warning: str


class GoldPosition(_Gold):
    actor: str
    stance: str


class GoldDisputedClaim(_Gold):
    claim: str
    asserted_by: list[str] = Field(min_length=1)
    disputed_by: list[str] = Field(min_length=1)


class GoldOpenQuestion(_Gold):
    question: str


class GoldUnattributedClaim(_Gold):
    """A claim the outlet states in its own voice, attributed to nobody."""

    claim: str


class Gold(BaseModel):
    """What a careful reader lists for one article; items name actors by their gold `name`."""

    model_config = ConfigDict(extra="forbid")

    actors: list[GoldActor] = Field(min_length=1)
    permissions: list[GoldPermission] = Field(default_factory=list)
    warnings: list[GoldWarning] = Field(default_factory=list)
    positions: list[GoldPosition] = Field(default_factory=list)
    disputed_claims: list[GoldDisputedClaim] = Field(default_factory=list)
    open_questions: list[GoldOpenQuestion] = Field(default_factory=list)
    unattributed_claims: list[GoldUnattributedClaim] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_name_gold_actors(self) -> Gold:
        names = [actor.name for actor in self.actors]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"actor named twice: {duplicates[0]!r}")
        references = [
            *(("positions", p.actor) for p in self.positions),
            *(("permissions", ref) for p in self.permissions for ref in (p.grantor, p.grantee)),
            *(("warnings", w.issuer) for w in self.warnings),
            *(
                ("disputed_claims", ref)
                for c in self.disputed_claims
                for ref in (*c.asserted_by, *c.disputed_by)
            ),
        ]
        for section, reference in references:
            if reference not in names:
                raise ValueError(f"{section}: {reference!r} is not the name of a gold actor")
        return self


def load_gold(path: str | Path, article: str | None = None) -> Gold:
    """Read and validate a gold file; with `article`, every quote must be verbatim in it.

    Raises `InputError` with one line naming the file and the first problem.
    """
    path = Path(path)
    return _validated(Gold, path, _read_json(path), {"article": article})


class GoldMergedActor(BaseModel):
    """One actor across the sources of a merge, with the names each source gives it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    kind: ActorKind
    names: dict[str, list[str]] = Field(
        min_length=1,
        description="each source (file name) that mentions the actor: its names for it, each "
        "verbatim in it",
    )

    @field_validator("names")
    @classmethod
    def _verbatim(cls, names: dict[str, list[str]], info: ValidationInfo) -> dict[str, list[str]]:
        """With the sources' texts in the context, every name must be verbatim in its source."""
        texts = (info.context or {}).get("texts")
        for source, spelled in names.items():
            if not spelled:
                raise ValueError(f"no name for {source!r}")
            if texts is None or source not in texts:
                continue
            missing = next((name for name in spelled if name not in texts[source]), None)
            if missing is not None:
                raise ValueError(f"not verbatim in {source}: {missing!r}")
        return names


class MergeGold(BaseModel):
    """The actors a careful reader matches across the articles of one story."""

    model_config = ConfigDict(extra="forbid")

    sources: list[str] = Field(min_length=2, description="article files, in merge order")
    actors: list[GoldMergedActor] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_come_from_the_sources(self) -> MergeGold:
        for actor in self.actors:
            unknown = next((s for s in actor.names if s not in self.sources), None)
            if unknown is not None:
                raise ValueError(f"{actor.name}: {unknown!r} is not one of the sources")
        return self


def load_merge_gold(path: str | Path) -> MergeGold:
    """Read and validate a merged gold file against the articles it names, beside it.

    Raises `InputError` with one line naming the file (or a missing article) and the problem.
    """
    path = Path(path)
    data = _read_json(path)
    sources = data.get("sources") if isinstance(data, dict) else None
    texts = None
    if isinstance(sources, list) and all(isinstance(source, str) for source in sources):
        texts = {source: read_article(path.parent / source).text for source in sources}
    return _validated(MergeGold, path, data, {"texts": texts})


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text("utf-8"))
    except OSError as error:
        raise InputError(unreadable(path, error, what="gold file")) from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None


def _validated(model: type[_M], path: Path, data: object, context: dict[str, object]) -> _M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        problems = error.errors()
        where = ".".join(str(part) for part in problems[0]["loc"]) or "gold"
        message = problems[0]["msg"].removeprefix("Value error, ")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{path}: {where}: {message}{more}") from None


# Scores ---------------------------------------------------------------------------------------


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


class Cost(BaseModel):
    """The briefing's `meta.usage` without its derived figures, which do not add up."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


class ArticleScore(BaseModel):
    """One article's figures (or the total's, under the name `total`)."""

    name: str
    error: str | None = None
    exit_code: int = 0
    actor_recall: Count = Field(default_factory=Count)
    actor_precision: Count = Field(default_factory=Count)
    permission_recall: Count = Field(default_factory=Count)
    warning_recall: Count = Field(default_factory=Count)
    position_recall: Count = Field(default_factory=Count)
    disputed_claim_recall: Count = Field(default_factory=Count)
    open_question_recall: Count = Field(default_factory=Count)
    unattributed_claim_recall: Count = Field(default_factory=Count)
    quotes: QuoteCounts = Field(default_factory=QuoteCounts)
    #: Loaded words in briefer's own prose (`briefer.neutrality`), checked again here.
    loaded_words: int = 0
    usage: Cost = Field(default_factory=Cost)


#: The `Count` fields of `ArticleScore`, in table order, with their column headings.
MEASURES = {
    "actor_recall": "actor R",
    "actor_precision": "actor P",
    "permission_recall": "permits",
    "warning_recall": "warnings",
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
        return sum(score.error is not None for score in [*self.articles, *self.merges])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 when every article was briefed, else the first failure's exit code."""
        scores = [*self.articles, *self.merges]
        return next((s.exit_code for s in scores if s.error is not None), 0)


def score_briefing(gold: Gold, briefing: Briefing, name: str = "") -> ArticleScore:
    """Score one briefing against its gold (rules: the module docstring)."""
    text = briefing.source.text
    predicted = {actor.id: actor for actor in briefing.actors}
    gold_actors = {actor.name: actor for actor in gold.actors}

    def stands_for(reference: str, gold_name: str) -> bool:
        actor = predicted.get(reference) or Actor(id=reference, name=reference, kind="other")
        return actor_matches(actor, gold_actors[gold_name])

    def any_stands_for(references: Iterable[str], gold_refs: Iterable[str]) -> bool:
        return any(stands_for(r, g) for r in references for g in gold_refs)

    actors = _pair(
        gold.actors,
        briefing.actors,
        lambda g, p: actor_matches(p, g),
    )
    permissions = _pair(
        gold.permissions,
        briefing.permissions,
        lambda g, p: stands_for(p.grantor, g.grantor) and stands_for(p.grantee, g.grantee),
    )
    warnings = _pair(gold.warnings, briefing.warnings, lambda g, p: stands_for(p.issuer, g.issuer))
    positions = _pair(
        gold.positions,
        briefing.positions,
        lambda g, p: (
            stands_for(p.actor, g.actor)
            and (_overlaps(p.evidence, g.quote, text) or _shares_content(p.stance, g.stance))
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
        lambda g, p: (
            _overlaps(p.evidence, g.quote, text) or _shares_content(p.question, g.question)
        ),
    )
    unattributed = _pair(
        gold.unattributed_claims,
        [note for note in briefing.source_notes if note.kind == "unattributed_claim"],
        lambda g, p: _overlaps(p.evidence, g.quote, text) or _shares_content(p.note, g.claim),
    )
    return ArticleScore(
        name=name,
        actor_recall=Count(found=actors, total=len(gold.actors)),
        actor_precision=Count(found=actors, total=len(briefing.actors)),
        permission_recall=Count(found=permissions, total=len(gold.permissions)),
        warning_recall=Count(found=warnings, total=len(gold.warnings)),
        position_recall=Count(found=positions, total=len(gold.positions)),
        disputed_claim_recall=Count(found=claims, total=len(gold.disputed_claims)),
        open_question_recall=Count(found=questions, total=len(gold.open_questions)),
        unattributed_claim_recall=Count(found=unattributed, total=len(gold.unattributed_claims)),
        quotes=quote_counts(briefing),
        loaded_words=len(neutrality_findings(briefing)),
        usage=Cost.model_validate(briefing.meta.usage.model_dump()),
    )


def failed_score(gold: Gold, name: str, error: BrieferError) -> ArticleScore:
    """An article that could not be briefed: nothing of its gold was found."""
    return ArticleScore(
        name=name,
        error=str(error),
        exit_code=error.exit_code,
        actor_recall=Count(total=len(gold.actors)),
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

    usage = summed(Cost, lambda score: score.usage)
    usage.seconds = round(usage.seconds, 2)
    return ArticleScore(
        name="total",
        **{field: sum((getattr(s, field) for s in scores), Count()) for field in MEASURES},
        quotes=summed(QuoteCounts, lambda score: score.quotes),
        loaded_words=sum(score.loaded_words for score in scores),
        usage=usage,
    )


# Matching -------------------------------------------------------------------------------------

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
    """Whether a predicted actor is the gold one: a name or id of it equals, contains or is
    contained in (as whole words) the gold name or an alias, once normalised."""
    return _stands_for(actor.name, actor.id, [gold.name, *gold.aliases])


def _stands_for(name: str, actor_id: str, gold_names: Iterable[str]) -> bool:
    predicted = _normalised(name, actor_id.replace("-", " "))
    wanted = _normalised(*gold_names)
    return any(contains_as_words(p, g) for p in predicted for g in wanted)


def _normalised(*names: str) -> set[str]:
    return {normalise_name(name) for name in names} - {""}


def _overlaps(evidence: Iterable[Evidence], quote: str, text: str) -> bool:
    """Whether some located evidence span overlaps the first occurrence of the gold quote."""
    start = text.find(quote)
    if start == -1:
        return False
    end = start + len(quote)
    return any(
        e.start is not None and e.end is not None and e.start < end and start < e.end
        for e in evidence
    )


def _shares_content(predicted: str, gold: str) -> bool:
    """Whether `predicted` has at least half of the content words of `gold`."""
    wanted = content_words(gold)
    return bool(wanted) and 2 * len(wanted & content_words(predicted)) >= len(wanted)


# The evaluation loop --------------------------------------------------------------------------


def gold_path(article: Path) -> Path:
    """Where the gold of `NAME.txt` lives: `NAME.gold.json` beside it."""
    return article.with_name(article.stem + GOLD_SUFFIX)


def evaluate_dir(
    gold_dir: str | Path,
    *,
    backend: Backend,
    settings: ExtractionSettings | None = None,
    names: Collection[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Brief each `NAME.txt` in `gold_dir` that has a `NAME.gold.json`, and score it; brief
    and merge the articles each `NAME.merge.json` names, and score the merge.

    Every gold file is read and checked against its articles first, so a bad one stops the run
    before any LLM time is spent. An article or merge whose briefing fails is scored as finding
    nothing and the run goes on. `names` (article file names without `.txt`, merged gold names
    without `.merge.json`) restricts the run.
    """
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a directory")
    articles = sorted(folder.glob("*.txt"))
    chosen = [path for path in articles if gold_path(path).is_file()]
    merges = [
        (path.name.removesuffix(MERGE_GOLD_SUFFIX), load_merge_gold(path))
        for path in sorted(folder.glob("*" + MERGE_GOLD_SUFFIX))
    ]
    merged_sources = {source for _, gold in merges for source in gold.sources}
    skipped = [p.name for p in articles if p not in chosen and p.name not in merged_sources]
    if names is not None:
        unknown = sorted(set(names) - {path.stem for path in chosen} - {n for n, _ in merges})
        if unknown:
            raise InputError(f"{folder}: no article with gold named {unknown[0]!r}")
        chosen = [path for path in chosen if path.stem in names]
        merges = [(name, gold) for name, gold in merges if name in names]
    if not chosen and not merges:
        raise InputError(
            f"{folder}: no NAME.txt with a NAME{GOLD_SUFFIX} beside it, "
            f"and no NAME{MERGE_GOLD_SUFFIX}"
        )

    work = []
    for path in chosen:
        article = read_article(path)
        work.append((path.stem, article, load_gold(gold_path(path), article.text)))
    scores = []
    for number, (name, article, gold) in enumerate(work, 1):
        if progress:
            progress(f"[{number}/{len(work)}] briefing {name}")
        try:
            briefing = make_briefing(article, backend=backend, settings=settings)
        except BrieferError as error:
            scores.append(failed_score(gold, name, error))
        else:
            scores.append(score_briefing(gold, briefing, name))
    merge_scores = []
    for number, (name, merge_gold) in enumerate(merges, 1):
        if progress:
            progress(f"[merge {number}/{len(merges)}] briefing and merging {name}")
        try:
            sources = [read_article(folder / source) for source in merge_gold.sources]
            merged = make_briefing(sources, backend=backend, settings=settings)
        except BrieferError as error:
            wanted = Count(total=len(_gold_links(merge_gold)))
            merge_scores.append(
                MergeScore(
                    name=name, error=str(error), exit_code=error.exit_code, actor_link_recall=wanted
                )
            )
        else:
            merge_scores.append(score_merge(merge_gold, merged, name))
    return EvalReport(
        articles=scores, total=total_score(scores), skipped=skipped, merges=merge_scores
    )


def report_table(report: EvalReport) -> str:
    """The report as plain aligned text: a row per article, the total, then its ratios."""
    headings = [
        "article",
        *MEASURES.values(),
        "exact",
        "fuzzy",
        "unverified",
        "exact_off",
        "loaded",
        "calls",
        "prompt_tok",
        "compl_tok",
        "seconds",
        "status",
    ]
    rows = [
        _row(score, "ok" if score.error is None else f"failed (exit {score.exit_code})")
        for score in report.articles
    ]
    total = _row(report.total, f"{report.failed} failed" if report.failed else "")
    ratios = ["ratio", *(_ratio(getattr(report.total, field)) for field in MEASURES)]
    table = [headings, *rows, total, ratios + [""] * (len(headings) - len(ratios))]
    widths = [max(len(row[i]) for row in table) for i in range(len(headings))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "-" * len(line(headings))
    out = [line(headings), rule, *map(line, rows), rule, line(total), line(table[-1])]
    if not report.articles:  # a folder of merges only
        out = []
    if report.skipped:
        out.append(f"skipped (no gold): {', '.join(report.skipped)}")
    if report.merges:
        out += ["", *_merge_table(report.merges)] if out else _merge_table(report.merges)
    return "\n".join(out) + "\n"


def _merge_table(merges: list[MergeScore]) -> list[str]:
    """A row per merge: the cross-source actor links found, with their ratios."""
    rows = [["merge", "actor links R", "actor links P", "status"]]
    for score in merges:
        status = "ok" if score.error is None else f"failed (exit {score.exit_code})"
        counts = (score.actor_link_recall, score.actor_link_precision)
        rows.append([score.name, *(f"{c.found}/{c.total} ({_ratio(c)})" for c in counts), status])
    name, recall, precision = (max(len(row[i]) for row in rows) for i in range(3))
    return [
        f"{row[0].ljust(name)}  {row[1].rjust(recall)}  {row[2].rjust(precision)}  {row[3]}"
        for row in rows
    ]


def _row(score: ArticleScore, status: str) -> list[str]:
    q, u = score.quotes, score.usage
    return [
        score.name,
        *(f"{getattr(score, field).found}/{getattr(score, field).total}" for field in MEASURES),
        *(str(n) for n in (q.exact, q.fuzzy, q.unverified, q.exact_off_offset)),
        str(score.loaded_words),
        *(str(n) for n in (u.calls, u.prompt_tokens, u.completion_tokens)),
        f"{u.seconds:.2f}",
        status,
    ]


def _ratio(count: Count) -> str:
    return "-" if count.ratio is None else f"{count.ratio:.2f}"
