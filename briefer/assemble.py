"""Assembly: the model's answer by id and the rules' proposals become one `BriefingContent`.

Ids become the article's words: a cited sentence becomes evidence at its offsets, narrowed to
what the cited actor says there when the analysis found a statement of it, so every quote is
exact by construction. The rules' items (`briefer.rules`) join the model's where the model did
not already cite the same actor in the same sentence; both passed the same checks (the rules
name only actors the analysis ties to the sentence). Actors are the analysis' candidates that
some item names, and any the article names more than once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from briefer.analysis import Analysis, CandidateActor
from briefer.answer import PHRASE_LENGTH, party_sentences, sentence_ends, tied
from briefer.rules import Proposals
from briefer.rules.voices import exact_evidence
from briefer.schema import (
    SECTIONS,
    Actor,
    BriefingContent,
    DisputedClaim,
    Evidence,
    IssuedWarning,
    OpenQuestion,
    Permission,
    Position,
    SourceNote,
)

#: An actor named this often joins the actor list even if no item names it.
_NAMED_OFTEN = 2


def assemble(analysis: Analysis, answer: Any | None, proposals: Proposals) -> BriefingContent:
    """The briefing's content: the model's items by id, then the rules' items it lacks."""
    positions = [_position(analysis, item) for item in _items(answer, "positions")]
    permissions = [_permission(analysis, item) for item in _items(answer, "permissions")]
    warnings = [_warning(analysis, item) for item in _items(answer, "warnings")]
    disputes = [_dispute(analysis, item) for item in _items(answer, "disputed_claims")]
    questions = [_question(analysis, item) for item in _items(answer, "open_questions")]
    notes = [_note(analysis, item) for item in _items(answer, "source_notes")]

    proposals = _supported(analysis, proposals)
    positions += _missing(proposals.positions, positions, lambda p: (p.actor,))
    warnings += _missing(proposals.warnings, warnings, lambda w: (w.issuer,))
    permissions += _missing(proposals.permissions, permissions, lambda p: (p.grantee,))
    disputes += _missing(proposals.disputed_claims, disputes, lambda d: ())
    questions += _missing(proposals.open_questions, questions, lambda q: ())

    sections: dict[str, list[Any]] = {
        "positions": positions,
        "permissions": permissions,
        "warnings": warnings,
        "disputed_claims": disputes,
        "open_questions": questions,
        "source_notes": notes,
    }
    content = BriefingContent(
        headline=_whole_words(getattr(answer, "headline", "")) or _title(analysis),
        summary=_whole_sentences(getattr(answer, "summary", "")),
        actors=_actors(analysis, _references(sections)),
        **sections,
    )
    return tidied(content)


def tidied(content: BriefingContent) -> BriefingContent:
    """The content with a small model's slips repaired: brackets leaked into its prose, and
    items it wrote twice. A repair of an answer, not a rule of the schema: a briefing read
    back from JSON stays as written."""
    return _without_repeats(_without_json_debris(content))


def _without_json_debris(content: BriefingContent) -> BriefingContent:
    """Drop closing brackets a small model leaks into the end of a text ('...risk."}],').

    Only briefer's prose is trimmed; evidence quotes are the article's words, untouched.
    """
    content.headline = _without_debris(content.headline)
    content.summary = _without_debris(content.summary)
    for name, fields in _PROSE_FIELDS.items():
        for item in getattr(content, name):
            for field in fields:
                value = getattr(item, field)
                if value:
                    setattr(item, field, _without_debris(value))
    return content


def _without_repeats(content: BriefingContent) -> BriefingContent:
    """Keep one copy of an item written twice: small models loop on the lede."""
    for name in SECTIONS:
        unique: dict[str, Any] = {}
        for item in getattr(content, name):
            unique.setdefault(item.model_dump_json(), item)
        setattr(content, name, list(unique.values()))
    return content


#: The fields of each section's items that briefer (not the article) writes.
_PROSE_FIELDS = {
    "actors": ("name", "role"),
    "positions": ("stance",),
    "permissions": ("action", "limits"),
    "warnings": ("warning", "conditional"),
    "disputed_claims": ("claim",),
    "open_questions": ("question",),
    "source_notes": ("note",),
}
_DEBRIS = re.compile(r"[\s\"]*[\]}][\s\"\]},]*$")


def _without_debris(text: str) -> str:
    """The text less trailing closing brackets that nothing in it opens.

    A double quote among them stays when it closes a quotation the text opened.
    """
    if "[" in text or "{" in text:
        return text
    trimmed = _DEBRIS.sub("", text)
    if not trimmed:
        return text
    if trimmed.count('"') % 2 == 1 and '"' in text[len(trimmed) :]:
        trimmed += '"'
    return trimmed


def _supported(analysis: Analysis, proposals: Proposals) -> Proposals:
    """The rules' items whose every actor the analysis ties to a sentence of their evidence:
    the check the model's items pass (`briefer.answer.tied`)."""

    def supported(item: Any) -> bool:
        numbers = {analysis.sentence_at(e.start).id for e in item.evidence if e.start is not None}
        return all(
            any(tied(actor, number, analysis) for number in numbers)
            for actor in _references({"item": [item]})
        )

    return Proposals(
        **{name: [i for i in items if supported(i)] for name, items in vars(proposals).items()}
    )


def _items(answer: Any | None, section: str) -> list[Any]:
    return list(getattr(answer, section, None) or [])


def _sentence_evidence(
    analysis: Analysis, number: int, speaker: str | None = None
) -> list[Evidence]:
    """A cited sentence as evidence: what `speaker` says in it if the analysis found that,
    else the whole sentence."""
    said = [s for s in analysis.statements_in(number) if speaker and s.speaker == speaker]
    spans = [(s.content.start, s.content.end) for s in said]
    if not spans:
        sentence = analysis.sentence(number)
        spans = [(sentence.start, sentence.end)]
    return [exact_evidence(analysis.text, start, end) for start, end in dict.fromkeys(spans)]


def _position(analysis: Analysis, item: Any) -> Position:
    evidence = [e for n in item.sentences for e in _sentence_evidence(analysis, n, item.actor)]
    return Position(evidence=evidence, actor=item.actor, stance=item.stance)


def _permission(analysis: Analysis, item: Any) -> Permission:
    """A permission of the model's answer (when it reads the article without the rules)."""
    return Permission(
        evidence=_party_evidence(analysis, item) + _sentence_evidence(analysis, item.sentence),
        grantor=item.grantor,
        grantee=item.grantee,
        action=item.action,
        status=item.status,
        limits=item.limits,
        context=item.context,
    )


def _party_evidence(analysis: Analysis, item: Any) -> list[Evidence]:
    """The sentences before a decision that name a party its own sentence does not, nearest
    first, in article order: the evidence that ties that party to it."""
    numbers = set()
    for actor in (item.grantor, item.grantee):
        if tied(actor, item.sentence, analysis):
            continue
        earlier = [n for n in party_sentences(item.sentence) if tied(actor, n, analysis)]
        if earlier:
            numbers.add(earlier[-1])
    return [e for n in sorted(numbers) for e in _sentence_evidence(analysis, n)]


def _warning(analysis: Analysis, item: Any) -> IssuedWarning:
    return IssuedWarning(
        evidence=_sentence_evidence(analysis, item.sentence, item.issuer),
        issuer=item.issuer,
        warning=item.warning,
        kind=item.kind,
    )


def _dispute(analysis: Analysis, item: Any) -> DisputedClaim:
    evidence = [e for n in dict.fromkeys(item.sentences) for e in _sentence_evidence(analysis, n)]
    return DisputedClaim(
        evidence=evidence,
        claim=item.claim,
        asserted_by=[item.asserted_by],
        disputed_by=[item.disputed_by],
    )


def _question(analysis: Analysis, item: Any) -> OpenQuestion:
    return OpenQuestion(
        evidence=_sentence_evidence(analysis, item.sentence), question=item.question
    )


def _note(analysis: Analysis, item: Any) -> SourceNote:
    return SourceNote(
        evidence=_sentence_evidence(analysis, item.sentence), note=item.note, kind=item.kind
    )


def _missing(proposed: Iterable[Any], present: list[Any], actors: Any) -> list[Any]:
    """The proposed items whose actors and sentence no present item already covers."""
    covered = {
        (key, evidence.start)
        for item in present
        for key in [actors(item)]
        for evidence in item.evidence
    }
    added = []
    for item in proposed:
        starts = {evidence.start for evidence in item.evidence}
        if any((actors(item), start) in covered for start in starts):
            continue
        if any(_same_sentence(item, other) and actors(item) == actors(other) for other in present):
            continue
        added.append(item)
    return added


def _same_sentence(item: Any, other: Any) -> bool:
    """Whether two items cite overlapping words."""
    return any(
        a.start is not None
        and b.start is not None
        and a.end is not None
        and b.end is not None
        and a.start < b.end
        and b.start < a.end
        for a in item.evidence
        for b in other.evidence
    )


def _references(sections: dict[str, list[Any]]) -> set[str]:
    """Every actor id the items name."""
    named: set[str] = set()
    for items in sections.values():
        for item in items:
            for role in ("actor", "grantor", "grantee", "issuer", "addressee"):
                if getattr(item, role, None):
                    named.add(getattr(item, role))
            for role in ("asserted_by", "disputed_by", "actors"):
                named.update(getattr(item, role, None) or [])
    return named


def _actors(analysis: Analysis, named: set[str]) -> list[Actor]:
    """The candidates that items name, and those the article names often, in article order."""
    chosen: list[CandidateActor] = [
        actor
        for actor in analysis.actors
        if actor.id in named or len(actor.mentions) >= _NAMED_OFTEN
    ]
    return [
        Actor(id=actor.id, name=actor.name, kind=actor.kind, role=actor.role, aliases=actor.aliases)
        for actor in chosen
    ]


def _whole_sentences(text: str) -> str:
    """The text less a sentence the grammar's length limit cut off in the middle."""
    text = text.strip()
    if not text or text[-1] in ".!?\"\u201d'\u2019)":
        return text
    ends = sentence_ends(text)
    return text[: ends[-1]] if ends else text


def _whole_words(headline: str) -> str:
    """The headline less a word the grammar's length limit cut off, marked as shortened. A
    headline ends without a full stop, so only its length says it was cut (an API model's
    may be longer, and is whole)."""
    headline = headline.strip()
    if len(headline) != PHRASE_LENGTH or " " not in headline:
        return headline
    return headline.rsplit(" ", 1)[0].rstrip(" ,;:-\u2013") + "\u2026"


def _title(analysis: Analysis) -> str:
    """The article's first sentence, when there is no model to write a headline."""
    first = analysis.sentences[0]
    return " ".join(analysis.text[first.start : first.end].split())
