"""Rendering: a validated `Briefing` becomes Markdown, one HTML page (Jinja templates) or JSON.

Every value a template prints passes through the environment's escaping, so text from the
article (or from the LLM) cannot inject links, images, HTML, scripts or headings into the
briefing: Markdown templates escape it in `finalize`, HTML templates autoescape it. Both drop
control characters. Only briefer's own helpers, which return `Markup`, print unescaped.

A user's own template (`--template`) sees the same variables as the built-in ones, in a Jinja
sandbox: a template shared by someone else cannot reach Python internals or other files.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import (
    Environment,
    FunctionLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from pydantic import ValidationError

from briefer.errors import InputError, TemplateError, unreadable, validation_line
from briefer.merge import MergedActor, MergedBriefing, MergedPosition
from briefer.schema import Actor, Briefing, Evidence, Position

FORMATS = ("md", "json", "html")
_TEMPLATES = {"md": "brief.md.j2", "html": "brief.html.j2"}
_MERGED_TEMPLATES = {"md": "merged.md.j2", "html": "merged.html.j2"}
_HTML_NAME = re.compile(r"\.html?(\.j2|\.jinja2?)?$", re.IGNORECASE)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!$])")
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])(?=\s)|^([-+=])")
#: Bare URLs would become links in GitHub-flavoured renderers; escaping breaks the pattern.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(://)|\b(www)\.", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


def render(
    briefing: Briefing | MergedBriefing, format: str = "md", template: str | Path | None = None
) -> str:
    """The briefing as text: `md` (Markdown), `json` (the validated public contract) or `html`
    (one self-contained page). With `template` (a Jinja file, see `load_template`), that
    template decides the output instead of `format`. A `MergedBriefing` (several sources)
    has built-in templates of its own, and no user template.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    if isinstance(briefing, MergedBriefing):
        return _render_merged(briefing, format, template)
    if template is not None:
        return _fill_user_template(load_template(template), briefing)
    if format == "json":
        return briefing.model_dump_json(indent=2) + "\n"
    html = format == "html"
    built_in = _environment(html).get_template(_TEMPLATES[format])
    return built_in.render(_context(briefing, html=html))


def _render_merged(merged: MergedBriefing, format: str, template: str | Path | None) -> str:
    if template is not None:
        raise ValueError("a merged briefing renders only with its built-in templates")
    if format == "json":
        return merged.model_dump_json(indent=2) + "\n"
    html = format == "html"
    built_in = _environment(html).get_template(_MERGED_TEMPLATES[format])
    citations = _LinkedCitations() if html else _Citations()
    names = {actor.id: actor.name for actor in merged.actors}
    return built_in.render(
        m=merged,
        cite=citations.cite,
        flag=_html_flag if html else _unverified_flag,
        citations=citations,
        actor_name=lambda actor_id: names.get(actor_id, actor_id),
        voices=_merged_voices(merged),
    )


def load_template(path: str | os.PathLike[str]) -> Template:
    """Compile a user's template file in a sandbox, or fail with a one-line `TemplateError`.

    The CLI calls this before any LLM work, so a broken template costs nothing. A name ending
    in .html or .htm (optionally followed by .j2, .jinja or .jinja2) is escaped as HTML, any
    other as Markdown. The template can include or extend no other file.
    """
    file = Path(path)

    def own_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name != file.name:
            return None
        return file.read_text(encoding="utf-8"), str(file), lambda: True

    html = bool(_HTML_NAME.search(file.name))
    environment = SandboxedEnvironment(loader=FunctionLoader(own_source), **_options(html))
    try:
        return environment.get_template(file.name)
    except TemplateSyntaxError as error:
        raise TemplateError(f"{path}: line {error.lineno}: {_one_line(error)}") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not a UTF-8 text file") from None
    except OSError as error:
        raise TemplateError(unreadable(path, error, what="template file")) from None


def read_briefing(path: str | os.PathLike[str]) -> Briefing:
    """A briefing saved with `--format json` (a file, or stdin for ``-``), checked against the
    contract: a re-render shows only what a briefer briefing can hold."""
    stdin = os.fspath(path) == "-"
    name = "<stdin>" if stdin else os.fspath(path)
    try:
        data = sys.stdin.buffer.read() if stdin else Path(name).read_bytes()
    except OSError as error:
        raise InputError(unreadable(name, error, expected="a saved briefing")) from None
    try:
        return Briefing.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            raise InputError(f"{name}: not valid JSON ({first['msg']})") from None
        raise InputError(
            f"{name}: not a briefer briefing (made with --format json): "
            f"{validation_line(error, 'the top level')}"
        ) from None


def escape_markdown(value: Any) -> str:
    """Inline-safe Markdown for any value: one line, special characters backslash-escaped."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\://" if m[1] else f"{m[2]}\\.", text)
    return _LINE_START_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _without_controls(value: Any) -> Any:
    """HTML's finalize: autoescaping then handles markup; control characters are dropped."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub(" ", value)
    return value


def _options(html: bool) -> dict[str, Any]:
    return {
        "autoescape": html,
        "finalize": _without_controls if html else escape_markdown,
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }


@cache
def _environment(html: bool) -> Environment:
    return Environment(loader=PackageLoader("briefer", "templates"), **_options(html))


def _context(briefing: Briefing, *, html: bool) -> dict[str, Any]:
    """What every template sees, built-in or the user's (README: output formats and templates)."""
    citations = _HtmlCitations(text=briefing.source.text) if html else _Citations()
    return {
        "b": briefing,
        "cite": citations.cite,
        "flag": _html_flag if html else _unverified_flag,
        "citations": citations,
        "actor_name": _actor_names(briefing),
        "voices": _voices(briefing),
        "source_url": _web_url(briefing.source.url),
    }


def _fill_user_template(template: Template, briefing: Briefing) -> str:
    html = bool(template.environment.autoescape)
    try:
        return template.render(_context(briefing, html=html))
    except TemplateNotFound as error:
        raise TemplateError(
            f"{template.filename}: cannot include {error.name!r}: a template is one file"
        ) from None
    except Exception as error:  # the user's template code: whatever fails, it is theirs to fix
        lines = [
            frame.lineno
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename == template.filename
        ]
        where = f"line {lines[-1]}: " if lines else ""
        raise TemplateError(f"{template.filename}: {where}{_one_line(error)}") from None


def _one_line(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(message.split())


@dataclass
class _Citations:
    """Numbers evidence quotes as Markdown footnotes, in the order the briefing cites them.

    The same words of the article cited by several items share one footnote.
    """

    numbers: dict[tuple[str | None, str, int | None, int | None], int] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def number(self, evidence: Evidence) -> int:
        # Offsets count in one source's text; in a merged briefing quotes also name it.
        key = (getattr(evidence, "source", None), evidence.quote, evidence.start, evidence.end)
        if key not in self.numbers:
            self.evidence.append(evidence)
            self.numbers[key] = len(self.evidence)
        return self.numbers[key]

    def cite(self, item: Any) -> Markup:
        return Markup("".join(f"[^{self.number(evidence)}]" for evidence in item.evidence))

    def numbered(self) -> list[tuple[int, Evidence]]:
        return list(enumerate(self.evidence, start=1))


@dataclass
class _LinkedCitations(_Citations):
    """Numbers evidence quotes as links to the page's list of them (a merged briefing's page
    does not show its several articles in full)."""

    def cite(self, item: Any) -> Markup:
        links = "".join(
            f'<a class="cite" href="#e-{number}">[{number}]</a>'
            for number in map(self.number, item.evidence)
        )
        return Markup(f"<sup>{links}</sup>")


@dataclass
class _Piece:
    """A stretch of the article's text, and the quotes that cover, begin or end on it."""

    text: str
    quotes: tuple[int, ...] = ()
    begins: tuple[int, ...] = ()
    ends: list[int] = field(default_factory=list)


@dataclass
class _HtmlCitations(_Citations):
    """Numbers evidence quotes as links to the article, which the page shows with each quote
    highlighted in place: a reader checks the words in their context, not just a copy."""

    text: str = ""
    uses: Counter[int] = field(default_factory=Counter)

    def cite(self, item: Any) -> Markup:
        links = []
        for evidence in item.evidence:
            number = self.number(evidence)
            self.uses[number] += 1
            target = f"q-{number}" if self.located(evidence) else f"e-{number}"
            links.append(
                f'<a class="cite" id="cite-{number}-{self.uses[number]}" '
                f'href="#{target}">[{number}]</a>'
            )
        return Markup(f"<sup>{''.join(links)}</sup>")

    def located(self, evidence: Evidence) -> bool:
        """Whether the quote can be shown in the article: found there, at offsets inside it."""
        start, end = evidence.start, evidence.end
        if evidence.match == "unverified" or start is None or end is None:
            return False
        return 0 <= start < end <= len(self.text) and not self.text[start:end].isspace()

    def passages(self) -> list[list[_Piece]]:
        """The article as paragraphs of pieces, cut wherever a cited quote begins or ends.

        Overlapping and nested quotes thus become runs of non-overlapping pieces, each marked
        with every quote that covers it. Call it after the briefing's citations.
        """
        spans = [(n, e.start or 0, e.end or 0) for n, e in self.numbered() if self.located(e)]
        bounds = {offset for _, start, end in spans for offset in (start, end)}
        begun: set[int] = set()
        last: dict[int, _Piece] = {}
        paragraphs = []
        for first, stop in _paragraphs(self.text):
            cuts = sorted({first, stop} | {b for b in bounds if first < b < stop})
            pieces = []
            for start, end in pairwise(cuts):
                quotes = tuple(n for n, s, e in spans if s < end and e > start)
                begins = tuple(n for n in quotes if n not in begun)
                piece = _Piece(self.text[start:end], quotes, begins)
                begun.update(quotes)
                last.update(dict.fromkeys(quotes, piece))
                pieces.append(piece)
            paragraphs.append(pieces)
        for number, piece in sorted(last.items()):
            piece.ends.append(number)
        return paragraphs


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of the text's paragraphs, without surrounding spaces.

    Paragraphs end at blank lines; in a text without any, at each line end (one paragraph a
    line is how many sites and tools save an article as text).
    """
    breaks = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_BREAK
    start = 0
    for gap in [*breaks.finditer(text), None]:
        end = gap.start() if gap else len(text)
        chunk = text[start:end]
        if chunk.strip():
            yield start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())
        start = gap.end() if gap else end


def _unverified_flag(item: Any) -> Markup:
    """Nothing unverified passes for fact: such items carry a visible mark."""
    if item.grounded:
        return Markup("")
    return Markup("⚠ *unverified, no quote found in the article:* ")


def _html_flag(item: Any) -> Markup:
    if item.grounded:
        return Markup("")
    return Markup('<span class="flag">⚠ unverified, no quote found in the article:</span> ')


def _web_url(url: str | None) -> str | None:
    """The source's address, only if it is a plain web link: never javascript: or data:."""
    if not url or _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _actor_names(briefing: Briefing) -> Callable[[str], str]:
    names = {actor.id: actor.name for actor in briefing.actors}
    return lambda actor_id: names.get(actor_id, actor_id)


def _voices(briefing: Briefing) -> list[tuple[Actor, list[Position]]]:
    """Each actor with a stated position, in the order the article first quotes them.

    The article's order, not briefer's, decides who comes first, so no side is given the
    first or the last word by the tool.
    """
    by_actor: dict[str, list[Position]] = {}
    for position in briefing.positions:
        by_actor.setdefault(position.actor, []).append(position)
    actors = {actor.id: actor for actor in briefing.actors}

    def first_offset(actor_id: str) -> int:
        starts = [e.start for p in by_actor[actor_id] for e in p.evidence if e.start is not None]
        return min(starts, default=sys.maxsize)

    ordered = sorted(by_actor, key=first_offset)
    return [(actors[actor_id], by_actor[actor_id]) for actor_id in ordered if actor_id in actors]


def _merged_voices(merged: MergedBriefing) -> list[tuple[MergedActor, list[MergedPosition]]]:
    """Each actor with a stated position, in the order the sources, as given, first quote
    them: the order of the inputs and of their articles decides, not briefer."""
    by_actor: dict[str, list[MergedPosition]] = {}
    for position in merged.positions:
        by_actor.setdefault(position.actor, []).append(position)
    order = {source.id: number for number, source in enumerate(merged.sources)}

    def first_quote(actor_id: str) -> tuple[int, int]:
        quotes = [e for p in by_actor[actor_id] for e in p.evidence]
        return min(
            (order[e.source], e.start if e.start is not None else sys.maxsize) for e in quotes
        )

    actors = {actor.id: actor for actor in merged.actors}
    return [(actors[a], by_actor[a]) for a in sorted(by_actor, key=first_quote)]
