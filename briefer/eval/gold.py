"""Gold annotations: what a careful reader lists for one article, read and checked.

A gold file `NAME.gold.json` lists actors, permissions, warnings, positions, disputed claims
and open questions, each tied to the article's words: a `quote` copied verbatim from it, or,
for articles whose text may not be copied (PolNeAR's, kept outside the repository), `at`,
the quote's character offsets `[start, end]`. A merged gold file `NAME.merge.json` names two
or more articles beside it and the actors across them (`briefer.eval.score`: the rules).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefer.article import read_article
from briefer.errors import InputError, unreadable, validation_line
from briefer.schema import ActorKind

_M = TypeVar("_M", bound=BaseModel)

GOLD_SUFFIX = ".gold.json"
MERGE_GOLD_SUFFIX = ".merge.json"


class _Gold(BaseModel):
    """Strict: an unknown or misspelt key in a gold file is an error, not a silent default.

    Each item is tied to the article by `quote` (verbatim; its first occurrence) or by `at`
    (offsets); with the article in the validation context, either is checked against it and
    the other is filled in.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    quote: str | None = Field(None, min_length=1, description="copied verbatim from the article")
    at: tuple[int, int] | None = Field(None, description="the quote's offsets in the article")

    @model_validator(mode="after")
    def _tied_to_the_article(self, info: ValidationInfo) -> _Gold:
        if self.quote is None and self.at is None:
            raise ValueError("needs a quote or its offsets (at)")
        article = (info.context or {}).get("article")
        if article is None:
            return self
        if self.at is not None:
            start, end = self.at
            if not 0 <= start < end <= len(article):
                raise ValueError(f"offsets {start}-{end} are outside the article")
            self.quote = article[start:end]
        elif self.quote is not None:  # always, with no offsets (checked above)
            if self.quote not in article:
                raise ValueError(f"not verbatim in the article: {self.quote[:80]!r}")
            start = article.find(self.quote)
            self.at = (start, start + len(self.quote))
        return self


class GoldActor(_Gold):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind


class GoldPermission(_Gold):
    grantor: str
    grantee: str
    action: str
    limits: list[str] = Field(default_factory=list)
    status: str | None = None


class GoldWarning(_Gold):
    issuer: str
    warning: str
    kind: str | None = None


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
        raise InputError(f"{path}: {validation_line(error, 'gold')}") from None
