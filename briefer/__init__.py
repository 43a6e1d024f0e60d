"""briefer: one news article in, a neutral, multi-perspective briefing out.

    import briefer
    briefing = briefer.make_briefing(text)          # or await briefer.make_briefing_async(text)
    print(briefer.render(briefing, format="md"))    # "md", "json" or "html"
    merged = briefer.make_briefing([a, b, c])       # several articles on one story: one briefing

Names are imported on first use, so `import briefer` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefer.api import BriefingOptions, make_briefing, make_briefing_async
    from briefer.article import Article, article_from_text, read_article
    from briefer.cache import BriefingCache
    from briefer.errors import BackendError, BrieferError, ExtractionError, InputError
    from briefer.merge import MergedBriefing, merge_briefings
    from briefer.render import render
    from briefer.schema import Briefing
    from briefer.settings import ExtractionSettings

_EXPORTS = {
    "make_briefing": "briefer.api",
    "make_briefing_async": "briefer.api",
    "BriefingOptions": "briefer.api",
    "render": "briefer.render",
    "Briefing": "briefer.schema",
    "MergedBriefing": "briefer.merge",
    "merge_briefings": "briefer.merge",
    "BriefingCache": "briefer.cache",
    "Article": "briefer.article",
    "article_from_text": "briefer.article",
    "read_article": "briefer.article",
    "ExtractionSettings": "briefer.settings",
    "BrieferError": "briefer.errors",
    "InputError": "briefer.errors",
    "BackendError": "briefer.errors",
    "ExtractionError": "briefer.errors",
}
__all__ = [
    "Article",
    "BackendError",
    "BrieferError",
    "Briefing",
    "BriefingCache",
    "BriefingOptions",
    "ExtractionError",
    "ExtractionSettings",
    "InputError",
    "MergedBriefing",
    "article_from_text",
    "make_briefing",
    "make_briefing_async",
    "merge_briefings",
    "read_article",
    "render",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("briefer")
        except PackageNotFoundError:
            return "0+unknown"
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefer' has no attribute {name!r}")
