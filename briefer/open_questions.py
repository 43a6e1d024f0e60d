"""Open questions the article itself names: what it says is not known, decided or said.

News states what is still open in a few fixed ways: "it is unclear whether ...", "X declined
to say whether ...", "the ruling does not say who ...", "it has not been decided whether ...".
Each such clause is a question the article leaves open, in its own words, so after the model
has answered, every one of them that the model's questions do not already cover is added,
tied to its sentence. Several clauses joined by "or whether", "nor who" are several
questions.

The clause becomes a direct question by moving its first auxiliary verb forward ("whether
the ministry must pay" -> "Must the ministry pay ...?", "how long it will take" -> "How long
will it take?"); a clause with no auxiliary keeps its words ("Whether to extend ...?").
"""

from __future__ import annotations

import re

from briefer.attribution import sentence_spans
from briefer.names import content_words
from briefer.schema import BriefingContent, Evidence, OpenQuestion

_WH = r"whether|who|how|what|when|which|where|why"
#: "unclear", "not yet known", "declined to say", "did not decide", "without specifying"...,
#: then (within a few words) the question word that opens the open clause.
_UNRESOLVED = re.compile(
    r"\b(?:unclear|uncertain|remains to be seen|not (?:yet )?(?:clear|known|certain)|"
    r"(?:not|n't|never|neither|yet to|declined to|refused to|without)\s+(?:\w+\s+)?"
    r"(?:say|said|saying|told|decide|decided|deciding|disclose|disclosed|disclosing|specify|"
    r"specified|specifying|explain|explained|confirm|confirmed|reveal|revealed|publish|"
    r"published|announce|announced|indicate|indicated))\b[^.;:]{0,40}?\b(" + _WH + r")\b",
    re.IGNORECASE,
)
#: Where one open clause ends and the next begins: ", or whether", "nor who", ", how". A
#: bare ", who" or ", which" opens a relative clause instead.
_NEXT_CLAUSE = re.compile(
    r",?\s+(?:or|nor|and)\s+(?=(?:" + _WH + r")\b)|,\s+(?=(?:whether|how|when|where|why)\b)",
    re.IGNORECASE,
)
#: Where the open clauses end: a semicolon, a dash, or a new clause after a comma.
_CLAUSE_END = re.compile(
    r"\s*(?:[;:]|\s[-\u2013\u2014]\s|,\s+(?:but|although|though|while|(?:and|or)\s+(?!(?:"
    + _WH
    + r")\b))|$)",
    re.IGNORECASE,
)
_AUXILIARY = re.compile(
    r"\b(will|would|can|could|must|should|may|might|shall|is|are|was|were|has|have|had|does|"
    r"do|did)\b"
)
#: Words that open a clause's subject after "who", "what" or "which" ("what it will do"); any
#: other word makes the question word the subject's own ("what steps were taken").
_SUBJECT_STARTS = frozenset(
    "the a an this that these those it its they their he his she her we our you i".split()  # noqa: SIM905
)
#: Words that make one phrase with "how": "how long", "how much", "how quickly".
_HOW_WITH = frozenset("much many long soon quickly far often fast large high big".split())  # noqa: SIM905


def add_open_questions(content: BriefingContent, text: str) -> BriefingContent:
    """`content` with a question for each open clause of the article its questions miss."""
    questions = list(content.open_questions)
    for start, end in sentence_spans(text):
        for question in _open_questions(text[start:end]):
            words = content_words(question)
            if any(_covers(content_words(q.question), words) for q in questions):
                continue
            evidence = Evidence(quote=text[start:end], start=start, end=end, match="exact")
            questions.append(OpenQuestion(evidence=[evidence], question=question, actors=[]))
    return content.model_copy(update={"open_questions": questions})


def _open_questions(sentence: str) -> list[str]:
    """The direct questions of every open clause in `sentence`, in order."""
    found = _UNRESOLVED.search(sentence)
    if found is None:
        return []
    rest = sentence[found.start(1) :].rstrip(".")
    rest = rest[: _CLAUSE_END.search(rest).start()]  # type: ignore[union-attr]
    clauses = [clause.strip(" ,") for clause in _NEXT_CLAUSE.split(rest)]
    return [_direct(clause) for clause in clauses if len(clause.split()) >= 3]


def _direct(clause: str) -> str:
    """'whether the ministry must pay' -> 'Must the ministry pay?', 'how long it will take'
    -> 'How long will it take?'. A question word that is the subject ('who will decide',
    'what steps were taken') and a clause with no auxiliary keep their order."""
    words = clause.split()
    wh = words[0].lower()
    if wh == "whether":
        words, phrase = words[1:], 0
    else:
        phrase = 2 if wh == "how" and len(words) > 2 and words[1].lower() in _HOW_WITH else 1
    aside = _asides(words)
    auxiliary = next(
        (
            i
            for i, word in enumerate(words)
            if i >= phrase and not aside[i] and _AUXILIARY.fullmatch(word)
        ),
        None,
    )
    subject_follows = wh in ("whether", "how", "when", "where", "why") or (
        phrase < len(words) and words[phrase].lower() in _SUBJECT_STARTS
    )
    if auxiliary is not None and auxiliary > phrase and subject_follows:
        words = [
            *words[:phrase],
            words[auxiliary],
            *words[phrase:auxiliary],
            *words[auxiliary + 1 :],
        ]
    elif wh == "whether":
        words = ["whether", *words]
    question = " ".join(words)
    return question[:1].upper() + question[1:] + "?"


def _asides(words: list[str]) -> list[bool]:
    """Which words stand between a pair of commas ("the office, which has forty staff, can"):
    the verb of the clause is not among them."""
    commas = [i for i, word in enumerate(words) if word.endswith(",")]
    aside = [False] * len(words)
    for opening, closing in zip(commas[::2], commas[1::2], strict=False):
        for i in range(opening + 1, closing + 1):
            aside[i] = True
    return aside


def _covers(existing: set[str], wanted: set[str]) -> bool:
    """Whether a question with `existing` content words already asks one with `wanted`."""
    return bool(wanted) and len(existing & wanted) * 2 >= len(wanted)
