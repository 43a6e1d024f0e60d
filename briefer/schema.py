"""The briefing's pydantic models: the public JSON contract (`briefer schema`).

Evidence is `{quote, start, end, match}` with offsets into the article's text, which the
briefing keeps (`Source.text`), so a saved briefing can be checked and re-rendered on its
own; `Briefing` re-checks every located quote against that text when it is read back. A
quote given as a plain string is located in the article passed as validation context
(`{"article": text}`): found, it gets its offsets and match status; not found, strict
validation fails, and with `"lenient": True` it is kept as `unverified`. Actor references
always resolve, to a declared actor or to one declared for them.

The model never fills these models: it answers `briefer.answer`'s compact schema by id, and
`briefer.assemble` builds a `BriefingContent` from that answer and the rules' items.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from briefer.grounding import locate

#: Bumped whenever the JSON contract changes shape; recorded in every briefing's metadata.
SCHEMA_VERSION = "4"

MatchStatus = Literal["exact", "fuzzy", "unverified"]


_NOTHING = {"", "none", "null", "n/a", "na", "nil", "-", "no", "not specified", "unknown"}


def _absent_as_none(value: Any) -> Any:
    """Small models write "None" or "n/a" for a missing optional value; that is null."""
    if isinstance(value, str) and value.strip().strip(".").lower() in _NOTHING:
        return None
    return value


class _Model(BaseModel):
    # Every key is always written, so the public schema says each one is present.
    model_config = ConfigDict(
        str_strip_whitespace=True, json_schema_serialization_defaults_required=True
    )


class Evidence(_Model):
    """A quote from the article and where it stands there; offsets are briefer's, not the LLM's."""

    quote: str
    start: int | None = Field(None, description="offset of the quote in the article text")
    end: int | None = Field(None, description="article[start:end] is the matched text")
    match: MatchStatus = "unverified"

    @model_validator(mode="before")
    @classmethod
    def _ground_in_article(cls, value: Any, info: ValidationInfo) -> Any:
        """Turn the LLM's quote string into located evidence, or reject a made-up quote."""
        if isinstance(value, str):
            value = {"quote": value}
        context = info.context or {}
        article = context.get("article")
        if article is None or not isinstance(value, dict):
            return value
        quote = str(value.get("quote", ""))
        span = locate(quote, article)
        if span is not None:
            return {
                "quote": article[span.start : span.end],
                "start": span.start,
                "end": span.end,
                "match": span.match,
            }
        if not context.get("lenient"):
            raise ValueError(
                f"quote not found in the article: {quote[:200]!r}. "
                "Evidence must copy the article's words exactly."
            )
        return {"quote": quote, "start": None, "end": None, "match": "unverified"}

    def overlaps(self, start: int, end: int) -> bool:
        """Whether the quote, located in the article, overlaps `article[start:end]`."""
        return (
            self.start is not None
            and self.end is not None
            and self.start < end
            and start < self.end
        )


def _evidence() -> Any:
    """One quote or more per item: an item without evidence is not grounded."""
    return Field(default_factory=list, min_length=1)


class _Grounded(_Model):
    """An item backed by evidence quotes.

    Each subclass declares `evidence` as its first field: the model first copies the words
    that support the item, then states the item from them. Small models ground far better
    in that order than when asked for a quote after the fact.
    """

    if TYPE_CHECKING:
        evidence: list[Evidence]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounded(self) -> bool:
        """True when at least one quote was found in the article."""
        return any(e.match != "unverified" for e in self.evidence)


ActorKind = Literal["person", "government", "organisation", "group", "media", "other"]


class Actor(_Model):
    """Someone the article reports on; other items refer to it by `id`."""

    id: str
    name: str
    kind: ActorKind
    role: str = Field("", description="a few words")
    aliases: list[str] = Field(
        default_factory=list, description="other names the article gives this actor"
    )

    @field_validator("id")
    @classmethod
    def _slugify_id(cls, value: str) -> str:
        return slugify(value)


class Position(_Grounded):
    """What one actor says or wants, in neutral words, attributed to that actor."""

    evidence: list[Evidence] = _evidence()
    actor: str
    stance: str


PermissionStatus = Literal[
    "granted", "denied", "restricted", "required", "requested", "disputed", "revoked"
]
PermissionContext = Literal["reported", "future", "hypothetical", "negated"]


class Permission(_Grounded):
    """Who allowed or forbade whom to do what, within which limits."""

    evidence: list[Evidence] = _evidence()
    grantor: str
    grantee: str
    action: str
    status: PermissionStatus
    limits: str | None = None
    context: PermissionContext = "reported"

    _no_limits = field_validator("limits", mode="before")(_absent_as_none)


WarningKind = Literal["threat", "caution", "prediction"]


class IssuedWarning(_Grounded):
    """A warning, threat or prediction, with who issued it."""

    evidence: list[Evidence] = _evidence()
    issuer: str
    addressee: str | None = None
    warning: str
    kind: WarningKind
    conditional: str | None = None

    _no_condition = field_validator("addressee", "conditional", mode="before")(_absent_as_none)


class DisputedClaim(_Grounded):
    """A claim one side makes and another contradicts; both sides are named."""

    evidence: list[Evidence] = _evidence()
    claim: str
    # Both sides, always: a claim nobody disputes is a position, not a dispute.
    asserted_by: list[str] = Field(default_factory=list, min_length=1, max_length=4)
    disputed_by: list[str] = Field(default_factory=list, min_length=1, max_length=4)


class OpenQuestion(_Grounded):
    """A question the article leaves open, tied to the words that raise it."""

    evidence: list[Evidence] = _evidence()
    question: str
    actors: list[str] = Field(default_factory=list, max_length=4)


SourceNoteKind = Literal["terminology", "unattributed_claim", "loaded_wording", "missing_voice"]


class SourceNote(_Grounded):
    """How the outlet tells the story: word choices, unattributed claims, absent voices."""

    evidence: list[Evidence] = _evidence()
    note: str
    kind: SourceNoteKind


#: The sections of grounded items, in the briefing's order.
SECTIONS = (
    "positions",
    "permissions",
    "warnings",
    "disputed_claims",
    "open_questions",
    "source_notes",
)


class BriefingContent(_Model):
    """A neutral briefing of the article."""

    # Actor references are checked and normalised to actor ids by the validator below.

    headline: str
    summary: str
    actors: list[Actor] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    permissions: list[Permission] = Field(default_factory=list)
    warnings: list[IssuedWarning] = Field(default_factory=list)
    disputed_claims: list[DisputedClaim] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    source_notes: list[SourceNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _resolve_actor_references(self) -> BriefingContent:
        """Point every reference at a declared actor id.

        A reference may be the id, a spelling of the id, or the actor's name. A name the model
        used without declaring it becomes an actor of kind `other`: a re-ask to declare it
        costs a small model a whole new answer (minutes on two cores), often a worse one,
        while the reference itself is the model's own reading of the article.
        """
        _deduplicate_ids(self.actors)
        index = _actor_index(self.actors)

        def resolve(reference: str) -> str:
            key = slugify(reference) or "unnamed"
            if key not in index:
                self.actors.append(Actor(id=key, name=_display_name(reference), kind="other"))
                index[key] = key
            return index[key]

        for position in self.positions:
            position.actor = resolve(position.actor)
        for permission in self.permissions:
            permission.grantor = resolve(permission.grantor)
            permission.grantee = resolve(permission.grantee)
        for warning in self.warnings:
            warning.issuer = resolve(warning.issuer)
            if warning.addressee:
                warning.addressee = resolve(warning.addressee)
        for claim in self.disputed_claims:
            claim.asserted_by = [resolve(ref) for ref in claim.asserted_by]
            claim.disputed_by = [resolve(ref) for ref in claim.disputed_by]
        for question in self.open_questions:
            question.actors = [resolve(ref) for ref in question.actors]
        return self

    def evidence(self) -> list[Evidence]:
        """Every evidence quote of the briefing, in document order of the sections."""
        items: list[_Grounded] = [
            *self.positions,
            *self.permissions,
            *self.warnings,
            *self.disputed_claims,
            *self.open_questions,
            *self.source_notes,
        ]
        return [evidence for item in items for evidence in item.evidence]

    def grounding_counts(self) -> GroundingCounts:
        """How many of the briefing's quotes were found exactly, approximately, or not at all."""
        matches: list[str] = [evidence.match for evidence in self.evidence()]
        return GroundingCounts(
            **{kind: matches.count(kind) for kind in GroundingCounts.model_fields}
        )


class Spent(_Model):
    """What LLM calls cost: calls (re-asks included), tokens and seconds; figures that add up
    over windows, articles and runs."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


class WindowUsage(Spent):
    """What reading one window of a long article cost (`briefer.windows`)."""

    first_sentence: int
    last_sentence: int


class Usage(Spent):
    """What the LLM work cost, summed over every attempt."""

    interrupted: bool = Field(
        False,
        description="re-asking was cut short by the time limit or a server fault; the best "
        "answer so far was kept",
    )
    windows: list[WindowUsage] = Field(
        default_factory=list,
        description="a long article read in parts: each window's cost (the totals above "
        "include them and the call that wrote the headline and summary of the whole)",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reasks(self) -> int:
        """Calls beyond one per question: each one re-asked after an invalid answer. A long
        article asks one question per window and one for its headline and summary."""
        questions = len(self.windows) + 1 if self.windows else 1
        return max(self.calls - questions, 0)


class GroundingCounts(_Model):
    """How many evidence quotes were found verbatim, found approximately, or not found."""

    exact: int = 0
    fuzzy: int = 0
    unverified: int = 0


class Meta(_Model):
    """How, from what and with what the briefing was made."""

    briefer_version: str
    schema_version: str = SCHEMA_VERSION
    prompt_version: str
    backend: str
    model: str
    usage: Usage = Field(default_factory=Usage)
    grounding: GroundingCounts = Field(default_factory=GroundingCounts)
    neutrality: list[str] = Field(
        default_factory=list,
        description="loaded words found in briefer's own prose (kept only when re-asking "
        "did not remove them)",
    )
    cached: bool = Field(
        False,
        description="taken from briefer's cache: this run made no LLM call, and `usage` is "
        "what the briefing cost when it was made",
    )


class Source(_Model):
    """The article a briefing was made from. Evidence offsets point into `text`.

    Keeping the text makes a saved briefing self-contained: its quotes can be checked and it
    can be re-rendered (HTML shows each quote in context) without the original file.
    """

    name: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    sha256: str
    # Never stripped: evidence offsets count from the article's first character.
    text: Annotated[str, StringConstraints(strip_whitespace=False)]


class Briefing(BriefingContent):
    """A validated briefing: the LLM's content, its source and briefer's metadata.

    The public contract (`briefer schema`).
    """

    meta: Meta
    source: Source

    @model_validator(mode="after")
    def _check_offsets(self) -> Briefing:
        """A briefing read back (saved JSON, the cache) must still point at its own words.

        Every located quote is the source text at its offsets (less edge whitespace, which
        validation strips), and the text is the one hashed, so an edited file cannot pass a
        quote off as found.
        """
        text = self.source.text
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != self.source.sha256:
            raise ValueError("source.text does not match source.sha256")
        for evidence in self.evidence():
            if evidence.start is None or evidence.end is None:
                continue
            if text[evidence.start : evidence.end].strip() != evidence.quote:
                raise ValueError(
                    f"evidence {evidence.quote[:60]!r} is not the source text at "
                    f"{evidence.start}-{evidence.end}"
                )
        return self


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: 'U.S. Government' -> 'u-s-government'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _display_name(reference: str) -> str:
    """A name for an actor known only by a reference: 'vladimir-putin' -> 'Vladimir Putin'."""
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", reference):
        return reference.replace("-", " ").title()
    return reference


def _deduplicate_ids(actors: list[Actor]) -> None:
    seen: set[str] = set()
    for actor in actors:
        base = actor.id or slugify(actor.name) or "actor"
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        actor.id = candidate
        seen.add(candidate)


def _actor_index(actors: list[Actor]) -> dict[str, str]:
    """Map each actor's id and slugified name to its id (ids win over names)."""
    index: dict[str, str] = {}
    for actor in actors:
        index.setdefault(slugify(actor.name), actor.id)
    for actor in actors:
        index[actor.id] = actor.id
    return index
