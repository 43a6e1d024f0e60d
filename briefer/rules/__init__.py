"""The rules: briefer's English rules read over the parsed article.

They do two jobs, both from the one `Analysis` (never the raw text again):
- `propose` gives items: a position or warning for each attributed statement, a permission
  for each decision whose roles the parse names, an open question for each sentence that
  says something is unknown. Their actors are the ones the analysis ties to the sentence
  they cite, and their evidence is that sentence's words, so they pass the same checks as
  the model's items; `briefer.assemble` adds those the model's answer lacks.
- `candidates` gives the model what to decide: the wording of open questions and disputes
  (`briefer.answer.guided_answer_model`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefer.analysis import Analysis, Statement
from briefer.schema import DisputedClaim, IssuedWarning, OpenQuestion, Permission, Position

#: At most this many candidates of each kind go to the model (the answer's length decides
#: its time: about 80 ms a token on two cores).
MAX_CANDIDATES = {"questions": 3, "disputes": 2}
_DISPUTE_CUES = frozenset(
    """deny dispute reject contradict counter dismiss refute disagree oppose rebut
    challenge""".split()  # noqa: SIM905
)


@dataclass
class Proposals:
    """The items the rules found in one article."""

    positions: list[Position] = field(default_factory=list)
    warnings: list[IssuedWarning] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    disputed_claims: list[DisputedClaim] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)


@dataclass
class Candidates:
    """What the model is asked to decide: speakers to word, sentences to read."""

    #: Sentences that may say something is unknown or undecided.
    questions: list[int] = field(default_factory=list)
    #: (sentence, disputer, earlier sentence, asserter) of a possible dispute.
    disputes: list[tuple[int, str, int, str]] = field(default_factory=list)


def propose(analysis: Analysis) -> Proposals:
    """Every rule's items for the article."""
    from briefer.rules.permissions import permission_items
    from briefer.rules.questions import question_items
    from briefer.rules.voices import voice_items

    positions, warnings = voice_items(analysis)
    return Proposals(
        positions=positions,
        warnings=warnings,
        permissions=permission_items(analysis),
        open_questions=question_items(analysis),
    )


def candidates(analysis: Analysis, sentences: range | None = None) -> Candidates:
    """What the model should decide for this article (rules: the module docstring); with
    `sentences`, only in those (a window of a long article: the caps are per window)."""
    from briefer.rules.questions import question_sentences

    def wanted(number: int) -> bool:
        return sentences is None or number in sentences

    questions = [s.id for s in question_sentences(analysis) if wanted(s.id)]
    return Candidates(
        questions=questions[: MAX_CANDIDATES["questions"]],
        disputes=[d for d in _disputes(analysis) if wanted(d[0])][: MAX_CANDIDATES["disputes"]],
    )


def _reported_within(statement: Statement, statements: Sequence[Statement]) -> bool:
    """Whether the statement is part of what another one reports ("Zelensky complained that
    the UK, whose Cameron stated that ..., had not given"): the outer speaker holds it."""
    return any(
        other is not statement
        and other.content.start <= statement.cue.start
        and statement.content.end <= other.content.end
        for other in statements
    )


def _disputes(analysis: Analysis) -> list[tuple[int, str, int, str]]:
    """A denial ("disputes", "rejected", "disagrees with") of what another actor says: the
    one its own words name ("opposed the NAACP resolution", "disagrees with Obama"), else
    the speaker of the three sentences before it, not one whose words another reports."""
    found = []
    for statement in analysis.statements:
        if statement.cue_lemma not in _DISPUTE_CUES:
            continue
        named = sorted(analysis.actors_in(statement.content) - {statement.speaker})
        if named:
            found.append((statement.sentence, statement.speaker, statement.sentence, named[0]))
            continue
        earlier = [
            other
            for other in analysis.statements
            if statement.sentence - 3 <= other.sentence < statement.sentence
            and other.speaker != statement.speaker
            and not _reported_within(other, analysis.statements)
        ]
        if earlier:
            other = earlier[-1]
            found.append((statement.sentence, statement.speaker, other.sentence, other.speaker))
    return found
