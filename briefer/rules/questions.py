"""Open questions by rule: sentences that say something is unknown or undecided.

"It is unclear whether ...", "declined to say who ...", "has not decided", "no decision had
been made about whether to appeal", "remains to be seen", "it is difficult to assess",
"people disagree about whether": the question is what follows the question word ("whether
to appeal"), as the article words it.
"""

from __future__ import annotations

import re

from briefer.analysis import Analysis, Sentence
from briefer.rules.voices import exact_evidence
from briefer.schema import OpenQuestion

_OPEN = re.compile(
    r"\b(?:unclear|not clear|uncertain|unknown|not known|remains? to be seen|yet to (?:decide|"
    r"say|be decided|be determined)|(?:has|have|had)(?: not|n't) (?:yet )?(?:decided|said|"
    r"been told|determined|announced)|no (?:immediate )?decision|declined to (?:say|comment|"
    r"specify)|would not say|wouldn't say|did not say|didn't say|refused to say|without "
    r"specifying|an open question|the question is|undecided|pending|unless|to see (?:if|"
    r"whether)|will take (?:longer|time) to|(?:is|are) expected to (?:decide|rule|vote)|nor is it "
    r"clear|(?:difficult|hard|impossible|too (?:early|soon)) to (?:say|know|tell|assess|"
    r"determine|predict|judge)|to determine|unknowns|wide open|(?:disagree|spar|debate|argue)\w* "
    r"(?:about|over|on) (?=whether)|(?:does|do|did) not answer|no (?:immediate )?plans? to|"
    r"(?:could|would) not explain)\b",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(r"\b(?:whether|who|how|when|what|why|where|which|if)\b", re.I)


def question_sentences(analysis: Analysis) -> list[Sentence]:
    """The sentences that say something is unknown or undecided, in order."""
    text = analysis.text
    return [s for s in analysis.sentences if _OPEN.search(text[s.start : s.end])]


def question_items(analysis: Analysis) -> list[OpenQuestion]:
    """An open question for each such sentence that says what is open."""
    items = []
    for sentence in question_sentences(analysis):
        words = analysis.text[sentence.start : sentence.end]
        marker = _OPEN.search(words)
        asked = _QUESTION_WORD.search(words, marker.end()) if marker else None
        if asked is None:
            continue
        clause = re.split(r"[,;.]\s|[.;]$", words[asked.start() :])[0].strip()
        if len(clause.split()) < 3 or any(mark in clause for mark in '"\u201c\u201d?'):
            continue  # too short, or the middle of a quotation
        question = clause[:1].upper() + clause[1:].rstrip(".") + "?"
        items.append(
            OpenQuestion(
                evidence=[exact_evidence(analysis.text, sentence.start, sentence.end)],
                question=question,
            )
        )
    return items
