"""Rendering: a validated `Briefing` becomes Markdown (a Jinja template) or JSON.

Every value a template prints passes through the environment's `finalize`, which escapes
Markdown and drops control characters, so text from the article (or from the LLM) cannot
inject links, images, HTML or headings into the briefing. Only briefer's own helpers, which
return `Markup`, print unescaped.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from briefer.schema import Actor, Briefing, Evidence, Position

FORMATS = ("md", "json")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!$])")
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])(?=\s)|^([-+=])")
#: Bare URLs would become links in GitHub-flavoured renderers; escaping breaks the pattern.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(://)|\b(www)\.", re.IGNORECASE)


def render(briefing: Briefing, format: str = "md") -> str:
    """The briefing as text: `md` (Markdown) or `json` (the validated public contract)."""
    if format == "json":
        return briefing.model_dump_json(indent=2) + "\n"
    if format == "md":
        template = _environment().get_template("brief.md.j2")
        citations = _Citations()
        return template.render(
            b=briefing,
            cite=citations.cite,
            flag=_unverified_flag,
            citations=citations,
            actor_name=_actor_names(briefing),
            voices=_voices(briefing),
        )
    raise ValueError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")


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


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("briefer", "templates"),
        autoescape=False,
        finalize=escape_markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class _Citations:
    """Numbers evidence quotes as Markdown footnotes, in the order the briefing cites them.

    The same words of the article cited by several items share one footnote.
    """

    numbers: dict[tuple[str, int | None, int | None], int] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def cite(self, item: Any) -> Markup:
        marks = []
        for evidence in item.evidence:
            key = (evidence.quote, evidence.start, evidence.end)
            if key not in self.numbers:
                self.evidence.append(evidence)
                self.numbers[key] = len(self.evidence)
            marks.append(f"[^{self.numbers[key]}]")
        return Markup("".join(marks))

    def numbered(self) -> list[tuple[int, Evidence]]:
        return list(enumerate(self.evidence, start=1))


def _unverified_flag(item: Any) -> Markup:
    """Nothing unverified passes for fact: such items carry a visible mark."""
    if item.grounded:
        return Markup("")
    return Markup("⚠ *unverified, no quote found in the article:* ")


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
