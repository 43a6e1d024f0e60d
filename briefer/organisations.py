"""Organisations the article names that the model left out of the actors.

A reader of a briefing wants every court, ministry, agency, union or company the story
involves in its list of actors; the small model lists the ones that speak and drops the
rest ("the Regional Labour Court", "the Sanctions Licensing Office"). An organisation's name
is a run of capitalised words ending in a word such bodies are called by ("Court",
"Ministry", "Association", "Group"...). Each one no actor already names (by whole-word
containment of normalised names, either way) is added, with no role: the article names it,
nothing more is claimed.
"""

from __future__ import annotations

import re

from briefer.attribution import body_sentence_spans
from briefer.names import contains_as_words, normalise_name
from briefer.schema import Actor, ActorKind, BriefingContent, slugify

_BODIES = (
    r"Court|Council|Office|Association|Committee|Ministry|Agency|Commission|Authority|Bank|"
    r"Union|Federation|Party|Service|Department|Group|Institute|Board|Parliament|Government|"
    r"Cooperative|Consortium|Company|Corporation|Directorate|Inspectorate|Tribunal|Senate|"
    r"Assembly|Police|Fund|Foundation|Organi[sz]ation|Workers|Therapeutics|Logistics|Works"
)
_MEDIA = r"Times|Guardian|Post|News|Press|Herald|Tribune|Journal|Telegraph"
_NAME = re.compile(
    rf"(?:[A-Z][\w'\u2019&-]*\s+(?:(?:of|for|on)\s+(?:the\s+)?|and\s+(?!the\b))?)+"
    rf"(?P<head>{_BODIES}|{_MEDIA})\b"
)
#: Capitalised words that open a sentence or a phrase rather than a name.
_OPENERS = frozenset("the a an if when but and in on at for after before as while".split())  # noqa: SIM905


def add_named_organisations(content: BriefingContent, text: str) -> BriefingContent:
    """`content` with an actor for each organisation the article names and no actor names."""
    actors = list(content.actors)
    known = [normalise_name(f"{actor.name}") for actor in actors]
    for start, end in body_sentence_spans(text):
        for match in _NAME.finditer(text, start, end):
            name = _trimmed(match.group(0))
            normalised = normalise_name(name)
            if len(name.split()) < 2 or any(contains_as_words(normalised, k) for k in known):
                continue
            kind: ActorKind = (
                "media" if re.fullmatch(_MEDIA, match.group("head")) else "organisation"
            )
            actors.append(Actor(id=slugify(name), name=name, kind=kind))
            known.append(normalised)
    return content.model_copy(update={"actors": actors})


def _trimmed(name: str) -> str:
    """The name less the words before it that are not part of it: a sentence's opening word
    ("If Union ..."), and a common noun before "for" or "of" ("Lawyers for X")."""
    words = name.split()
    while words and words[0].lower() in _OPENERS:
        words = words[1:]
    for index, word in enumerate(words[:-1]):
        if word in ("for", "of") and not re.fullmatch(_BODIES, words[index - 1]):
            return _trimmed(" ".join(words[index + 1 :]))
    return " ".join(words)
