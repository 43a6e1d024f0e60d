"""What the analysis finds in one article: plain data that every later stage reads.

Offsets are characters of the article's text, which the parser keeps unchanged, so
`text[start:end]` is always the article's own words. Nothing here needs spaCy: the parsed
`Doc` stays inside `briefer.analysis`, and the prompt, the validators, the rules' output and
the assembly of the briefing work from these records alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from briefer.schema import ActorKind

#: How a statement reports its content: a direct quotation, or the outlet's paraphrase.
StatementForm = Literal["quotation", "reported"]
#: What a statement's cue does: speech ("said"), a warning ("warned", "threatened") or a
#: stance that is not speech ("rejected", "believes").
CueKind = Literal["speech", "warning", "stance"]


@dataclass(frozen=True)
class Span:
    """`text[start:end]` of the article."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Sentence(Span):
    """One sentence, numbered from 1 in article order; a quotation that runs over several
    grammatical sentences stays in one, and a line break always ends one."""

    id: int = 0
    paragraph: int = 0


@dataclass
class CandidateActor:
    """Someone the article names: one person, organisation, government or group.

    `mentions` are every place the article names it (names, surnames, pronouns and
    descriptions the analysis resolved to it), in article order.
    """

    id: str
    name: str
    kind: ActorKind
    role: str = ""
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """Words the article attributes to an actor: who, through which cue, saying what."""

    sentence: int
    speaker: str
    cue: Span
    content: Span
    form: StatementForm
    cue_kind: CueKind
    cue_lemma: str
    #: True when the speaker is not named beside the cue but resolved: a pronoun, a
    #: description ("the company"), or a quotation that continues the speaker before it.
    resolved: bool = False
    #: True when the content is a clause ("that the plan works"), which reads after any
    #: verb of saying; False for a phrase the cue's own verb governs ("called the plan a
    #: failure", "spoke of the plan", "urged Congress to act").
    clause: bool = True


#: What a decision does: allows, forbids or refuses, ends, obliges, or asks.
DecisionEffect = Literal["grant", "deny", "revoke", "require", "request"]
#: Whether a decision is reported as made, announced for later, or only supposed.
DecisionMood = Literal["reported", "future", "hypothetical"]


@dataclass(frozen=True)
class Decision:
    """An actor allowing, forbidding, requiring or asking something of another."""

    sentence: int
    cue: Span
    cue_lemma: str
    effect: DecisionEffect
    grantor: str | None
    grantee: str | None
    action: Span | None
    limits: Span | None
    negated: bool
    mood: DecisionMood
    #: An earlier sentence that names a role this one leaves implicit: where an instrument
    #: was granted ("the council granted a permit" for "the permit allows ...") or a
    #: petition made ("the Times argued" for "the judge rejected that argument"), else None.
    named_in: int | None = None


@dataclass(frozen=True)
class Analysis:
    """One article, parsed once: its sentences, candidate actors, attributed statements and
    decisions."""

    text: str
    sentences: tuple[Sentence, ...]
    actors: tuple[CandidateActor, ...]
    statements: tuple[Statement, ...]
    decisions: tuple[Decision, ...] = ()

    def sentence(self, number: int) -> Sentence:
        return self.sentences[number - 1]

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence that holds `offset` (or the last before it)."""
        found = self.sentences[0]
        for sentence in self.sentences:
            if sentence.start > offset:
                break
            found = sentence
        return found

    def actor(self, actor_id: str) -> CandidateActor | None:
        return next((actor for actor in self.actors if actor.id == actor_id), None)

    def actors_in(self, sentence: Sentence | Span) -> set[str]:
        """The ids of the actors the analysis finds named (or resolved) inside `sentence`."""
        return {
            actor.id
            for actor in self.actors
            if any(sentence.contains(mention) for mention in actor.mentions)
        }

    def statements_in(self, number: int) -> list[Statement]:
        return [statement for statement in self.statements if statement.sentence == number]
