"""The Python API: one article in, one validated `Briefing` out; several articles on one
story in, one `MergedBriefing` out. The CLI calls exactly this."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypedDict, overload

from typing_extensions import Unpack

import briefer
from briefer.article import Article, article_from_text
from briefer.backends import Backend, resolve_backend
from briefer.cache import BriefingCache, briefing_key
from briefer.errors import BrieferError, ExtractionError, UsageError, validation_line
from briefer.extract import prompt_version
from briefer.neutrality import neutrality_findings
from briefer.schema import Briefing, BriefingContent, Meta, Source, Usage
from briefer.settings import DEFAULT_TIMEOUT, ExtractionSettings

if TYPE_CHECKING:
    from briefer.merge import MergedBriefing

#: Several articles on one story: a list of texts, of `Article`s, or of both.
ArticleList = list[str] | list[Article] | list[str | Article]


class BriefingOptions(TypedDict, total=False):
    """How `make_briefing` makes a briefing, every key optional: the `backend`, or the
    `model`, `base_url`, `model_path` and `timeout` (seconds per request, default
    `DEFAULT_TIMEOUT`) that `resolve_backend` picks one from; the extraction `settings`; and
    a `cache` of briefings (none by default)."""

    model: str | None
    base_url: str | None
    model_path: str | None
    timeout: float
    settings: ExtractionSettings | None
    backend: Backend | None
    cache: BriefingCache | None


@overload
def make_briefing(
    article: str | Article,
    **options: Unpack[BriefingOptions],
) -> Briefing: ...


@overload
def make_briefing(
    article: ArticleList,
    **options: Unpack[BriefingOptions],
) -> MergedBriefing: ...


def make_briefing(
    article: str | Article | ArticleList,
    **options: Unpack[BriefingOptions],
) -> Briefing | MergedBriefing:
    """Brief one article (its text, or an `Article` from `read_article`); or, given a list of
    two or more articles on one story, brief each and merge them (`briefer.merge`).

    The backend is `backend` if given, else resolved from the arguments, then the
    environment (see `resolve_backend`).
    With a `cache` (None, the default, caches nothing), a briefing of the same text by the same
    backend, model, prompts and settings (`briefing_key`) is returned from it with no LLM call:
    its `meta.cached` is True and `meta.usage` stays what it cost when made (this run cost
    nothing). Only successful briefings are stored. A merge briefs its articles one after
    another, each through the cache, so adding an article to it costs one extraction.
    Raises `InputError`, `BackendError` or `ExtractionError`, all `BrieferError`s; in a merge,
    the first article's to fail, naming it, and `UsageError` for fewer than two articles.
    """
    unknown = sorted(set(options) - set(BriefingOptions.__annotations__))
    if unknown:  # what a keyword-only signature would refuse: "cach=" is no cache
        raise TypeError(f"make_briefing() got an unexpected keyword argument {unknown[0]!r}")
    backend = options.get("backend") or resolve_backend(
        model=options.get("model"),
        base_url=options.get("base_url"),
        model_path=options.get("model_path"),
        timeout=options.get("timeout", DEFAULT_TIMEOUT),
    )
    settings = options.get("settings") or ExtractionSettings()
    cache = options.get("cache")
    if isinstance(article, list):
        return _merge(article, backend=backend, settings=settings, cache=cache)
    if isinstance(article, str):
        article = article_from_text(article)
    key = ""
    if cache is not None:
        key = briefing_key(article.sha256, backend, settings)
        stored = cache.get(key)
        if stored is not None:
            # The text is the same; its name or URL may not be, so the source is this run's.
            meta = stored.meta.model_copy(update={"cached": True})
            return stored.model_copy(update={"meta": meta, "source": _source(article)})
    content, usage = _content(article, backend, settings)
    briefing = _validated_briefing(content, usage, backend, article)
    if cache is not None and not usage.interrupted:  # another run may do better
        cache.put(key, briefing)
    return briefing


def _validated_briefing(
    content: BriefingContent, usage: Usage, backend: Backend, article: Article
) -> Briefing:
    """The content with its metadata and source, as a validated `Briefing`; a failure is one
    `ExtractionError` line, never a traceback."""
    from pydantic import ValidationError

    meta = Meta(
        briefer_version=briefer.__version__,
        prompt_version=prompt_version(),
        backend=backend.description,
        model=backend.model,
        usage=usage,
        grounding=content.grounding_counts(),
        neutrality=neutrality_findings(content),
    )
    try:
        return Briefing.model_validate(
            {
                **content.model_dump(),
                "meta": meta.model_dump(),
                "source": _source(article).model_dump(),
            }
        )
    except ValidationError as error:
        line = validation_line(error, "briefing")
        raise ExtractionError(f"the briefing did not validate: {line}") from None


def _content(
    article: Article, backend: Backend, settings: ExtractionSettings
) -> tuple[BriefingContent, Usage]:
    """Parse the article once, ask the model to point at it by id, add the rules' items."""
    from briefer.analysis import analyse
    from briefer.assemble import assemble
    from briefer.rules import Proposals, propose
    from briefer.windows import answer_article

    analysis = analyse(article.text)
    proposals = propose(analysis) if settings.use_rules else Proposals()
    answer, usage = None, Usage()
    if settings.use_model:
        answer, usage = answer_article(analysis, backend, settings)
    return assemble(analysis, answer, proposals), usage


def _merge(
    articles: ArticleList,
    *,
    backend: Backend,
    settings: ExtractionSettings,
    cache: BriefingCache | None,
) -> MergedBriefing:
    """Brief each article on its own, then merge the briefings without an LLM call."""
    from briefer.merge import merge_briefings

    if len(articles) < 2:
        raise UsageError("a merged briefing needs two or more articles")
    named = [
        (item.source_name or f"article {number}", item)
        if isinstance(item, Article)
        else (f"article {number}", article_from_text(item, source_name=f"article {number}"))
        for number, item in enumerate(articles, 1)
    ]  # a text that is no article fails here, before any LLM call
    briefings = []
    for name, article in named:
        try:
            briefings.append(
                make_briefing(article, backend=backend, settings=settings, cache=cache)
            )
        except BrieferError as error:
            message = str(error)
            if not message.startswith(f"{name}: "):
                message = f"{name}: {message}"
            raise type(error)(message) from error
    return merge_briefings(briefings)


def _source(article: Article) -> Source:
    return Source(
        name=article.source_name,
        title=article.title,
        author=article.author,
        date=article.date,
        site=article.site,
        url=article.url,
        sha256=article.sha256,
        text=article.text,
    )


async def make_briefing_async(
    article: str | Article,
    **options: Unpack[BriefingOptions],
) -> Briefing:
    """The async twin of `make_briefing`: runs it in a worker thread, off the event loop.

    One code path for both keeps retries, grounding and usage counting identical; the LLM call
    is I/O-bound (or, for the embedded model, releases the GIL), so threads lose nothing.
    """

    def brief() -> Briefing:
        return make_briefing(article, **options)

    return await asyncio.to_thread(brief)
