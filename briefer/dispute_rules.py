"""Disputed claims the article states in set phrases, found by rule after the model answered.

News marks a contradiction with a few verbs: "the ministry disputes that figure", "Quillon
rejects that analysis", "Halvorsen disputed the central bank's diagnosis", "a view
contradicted by X". When the object of such a verb is a claim ("figure", "account",
"analysis", "estimate", "report", "findings" ...), the sentence is a dispute:

- the disputer is the actor named before the verb (or after "by");
- when the object names an actor ("the central bank's diagnosis"), that actor asserts the
  claim the object names;
- else ("that figure", "those figures") the claim is the sentence before: its asserter is
  the actor whose position cites it, else the actor its opening clause names, and both
  sentences are the evidence, one for each side.

Only actors of the briefing take part (no new ones), never one against itself; a sentence a
disputed claim of the model already cites is left to the model.
"""

from __future__ import annotations

import re

from briefer.attribution import body_sentence_spans, without_quotations
from briefer.mentions import named_actor, subject_actor, subject_clause
from briefer.schema import BriefingContent, DisputedClaim, Evidence

_CLAIM = (
    r"figures?|account|claims?|analysis|estimates?|diagnosis|assessment|report|findings|"
    r"allegations?|characteri[sz]ation|version|description|assertion|suggestion|view(?:point)?|"
    r"interpretation|conclusions?|data|numbers|statement|accusations?|charges?|survey|argument|"
    r"reading|date|timeline|premise|forecast|projections?"
)
_DISPUTING = (
    r"disputes|disputed|rejects|rejected|denies|denied|contests|contested|challenges|"
    r"challenged|contradicts|contradicted"
)
#: "X disputes that figure", "X disputed the central bank's diagnosis".
_ACTIVE = re.compile(
    rf"\b(?:{_DISPUTING})\s+(?P<object>(?:that|those|this|these|the|its|their|his|her|our)\b"
    rf"[^,;.\0]{{0,60}}?\b(?:{_CLAIM}))\b"
)
#: "a viewpoint contradicted by X".
_PASSIVE = re.compile(rf"\b(?:{_DISPUTING})\s+by\s+(?P<disputer>[^,;.\0]{{2,80}})")


def add_stated_disputes(content: BriefingContent, text: str) -> BriefingContent:
    """`content` with a disputed claim for each set phrase of the article the model left out."""
    claims = list(content.disputed_claims)
    sentences = body_sentence_spans(text)
    for number, (start, end) in enumerate(sentences):
        if any(e.overlaps(start, end) for claim in claims for e in claim.evidence):
            continue
        previous = sentences[number - 1] if number else None
        claim = _dispute(content, text, (start, end), previous)
        if claim is not None:
            claims.append(claim)
    return content.model_copy(update={"disputed_claims": claims})


def _dispute(
    content: BriefingContent,
    text: str,
    sentence_span: tuple[int, int],
    previous: tuple[int, int] | None,
) -> DisputedClaim | None:
    """The disputed claim the sentence states, if any: its disputer, its asserter and claim
    (named by the object, or stated in the sentence before), and both sides' evidence."""
    start, end = sentence_span
    sentence = text[start:end]
    actors = content.actors
    masked = without_quotations(sentence)
    active, passive = _ACTIVE.search(masked), _PASSIVE.search(masked)
    if passive is not None:
        disputer = named_actor(passive.group("disputer"), actors, after=True)
        object_ = ""
    elif active is not None:
        disputer = subject_actor(subject_clause(masked[: active.start()]), actors, text[:start])
        object_ = sentence[active.start("object") : active.end("object")]
    else:
        return None
    if disputer is None or disputer not in actors:
        return None
    disputing = Evidence(quote=sentence, start=start, end=end, match="exact")
    named = named_actor(object_, actors, after=True) if object_ else None
    if named is not None and named in actors and named.id != disputer.id:
        claim = object_[:1].upper() + object_[1:]  # "The central bank's diagnosis"
        return DisputedClaim(
            evidence=[disputing], claim=claim, asserted_by=[named.id], disputed_by=[disputer.id]
        )
    if previous is None:
        return None
    before = text[previous[0] : previous[1]]
    stated = next(
        (
            p
            for p in content.positions
            if p.actor != disputer.id and any(e.overlaps(*previous) for e in p.evidence)
        ),
        None,
    )
    asserter = (
        next((a for a in actors if a.id == stated.actor), None)
        if stated
        else named_actor(before.split(",")[0], actors, after=False)
    )
    if asserter is None or asserter not in actors or asserter.id == disputer.id:
        return None
    said = Evidence(quote=before, start=previous[0], end=previous[1], match="exact")
    return DisputedClaim(
        evidence=[said, disputing],
        claim=stated.stance if stated else before,
        asserted_by=[asserter.id],
        disputed_by=[disputer.id],
    )
