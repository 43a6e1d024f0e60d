"""Voices by rule: each attributed statement of the analysis as a position, or a warning.

A statement's position says who said what in the article's own words: the speaker's name, a
neutral verb, then the quotation in its marks ('Sergey Nikoforov said: "It will ..."') or the
reported words ("Zelensky complained that ..." becomes "Vladimir Zelensky said the UK ...").
Verbs that judge the speaker ("claimed", "slammed", "admitted") become neutral ones ("said",
"criticised"); the others keep the article's form. Nothing is paraphrased, so nothing is
invented, and the evidence is the statement's content at its offsets.

A statement is a warning when its cue warns, cautions, threatens, predicts or fears, or it
voices a concern ("expressed deep concern about"); a statement that threatens a sanction
("will be treated as contempt"), says what will happen if ("if ... would"), or, said
rather than held as a stance, speaks of harm ("a recipe for even greater failure") or of
what will or could happen ("will seek new sanctions", not "an angle that would show") is a
position and a warning. The
embedded model used to judge those last two kinds; on real news its choices were no better
than chance (18 of the 69 it kept were warnings, 4 of the 20 it turned down), so the words
decide.
"""

from __future__ import annotations

import re

from briefer.analysis import Analysis, CandidateActor, Statement
from briefer.rules.vocabulary import (
    DOUBLED_FINAL,
    IRREGULAR_PAST,
    POSSESSED_CUE_PREFIX,
    WARNING_CUES,
)
from briefer.schema import Evidence, IssuedWarning, Position, WarningKind

#: Cues shown as the article writes them; before a clause, every other cue is shown as
#: "said".
_SHOWN_AS_WRITTEN = frozenset(
    """add announce ask confirm deny estimate explain note reply respond warn write
    caution threaten predict forecast advise urge recommend propose promise pledge vow
    believe think feel fear hope expect want doubt know oppose support endorse reject
    dispute dismiss criticize criticise praise welcome describe call question agree disagree
    accuse blame report testify recall compare cite find show rate exhort publish
    outline back favor favour advocate champion promote""".split()  # noqa: SIM905
)
#: Cues that judge the speaker, and the neutral verb shown instead.
_NEUTRAL_FORM = {
    "slam": "criticised",
    "blast": "criticised",
    "attack": "criticised",
    "decry": "criticised",
    "denounce": "criticised",
    "condemn": "criticised",
    "mock": "criticised",
    "hit": "criticised",
    "hail": "praised",
    "applaud": "praised",
    "tout": "praised",
    "laud": "praised",
}
#: Cues that read well before a quotation ("Putin asked: ..."); others become "said".
_BEFORE_QUOTATION = frozenset(
    ["add", "ask", "write", "warn", "caution", "threaten", "predict", "tweet"]
)
#: A sentence's first word that is capitalised only because it opens the sentence.
_OPENING_WORD = re.compile(
    r"^(?:A|An|The|This|That|These|Those|It|Its|There|Some|Many|Most|Such|Their|His|Her|"
    r"Our|We|They|He|She)\b"
)
_SANCTION = re.compile(
    r"\b(?:will|would)\s+(?:be\s+)?(?:treated as|met with|prosecuted|punished|fined|"
    r"sanctioned|held (?:accountable|responsible)|face (?:consequences|charges|sanctions))\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(?:risk\w*|danger\w*|threat\w*|consequences?|disaster|catastroph\w*|crisis|"
    r"collapse|war|damage|harm|failures?|lose|loss|suffer|worse|violence|unrest|fraud|"
    r"retaliat\w*|punish\w*|jeopardi[sz]e|concern\w*|fear\w*|warn\w*|unfair|"
    r"rigged|abuse|escalat\w*|attack\w*|expos\w*|chao\w*|paralyz\w*|paralys\w*|"
    r"acrimon\w*|destabili\w*|undermin\w*|devastat\w*|disrupt\w*|turmoil|instability|"
    r"recession|bankrupt\w*|layoffs?|casualt\w*|deadly|kill\w*|hurt\w*|costly|exclud\w*)\b",
    re.IGNORECASE,
)
#: Content that is itself a concern voiced: "expressed [deep concern about ...]".
_CONCERN = re.compile(
    r"(?:(?:deep|serious|grave|growing|strong|particular)\s+)?"
    r"(?:concerns?|fears?|alarm|worries|misgivings|reservations)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|could|may|might|going to|if|won't|can't|cannot)\b", re.IGNORECASE
)
#: A future in a relative clause describes a thing ("evidence that would confirm"); it
#: foretells nothing.
_RELATIVE_FUTURE = re.compile(
    r"\b(?:that|which|who)\s+(?:will|would|could|may|might)\b", re.IGNORECASE
)
_CONDITIONAL = re.compile(
    r"\bif\b.*\b(?:will|would|could|might)\b|\b(?:will|would|could|might)\b.*\bif\b",
    re.IGNORECASE,
)


def voice_items(analysis: Analysis) -> tuple[list[Position], list[IssuedWarning]]:
    """A position for every statement, and a warning instead, or as well, where it warns."""
    positions: list[Position] = []
    warnings: list[IssuedWarning] = []
    for statement in analysis.statements:
        speaker = analysis.actor(statement.speaker)
        if speaker is None:
            continue
        evidence = [exact_evidence(analysis.text, statement.content.start, statement.content.end)]
        words = statement_words(analysis, statement, speaker)
        kind = warning_kind(analysis, statement)
        if kind is None or statement.cue_kind != "warning":
            positions.append(Position(evidence=evidence, actor=speaker.id, stance=words))
        if kind is not None:
            warnings.append(
                IssuedWarning(evidence=evidence, issuer=speaker.id, warning=words, kind=kind)
            )
    return positions, warnings


def warning_kind(analysis: Analysis, statement: Statement) -> WarningKind | None:
    """What kind of warning a statement is, if its words say so: a warning cue, a
    threatened sanction, a concern voiced, a conditional prediction or harm foretold (words
    of harm with "will", "could", "cannot" ...), words of harm, or a future."""
    if statement.cue_kind == "warning":
        return WARNING_CUES.get(statement.cue_lemma, "caution")  # type: ignore[return-value]
    if _in_headline(analysis, statement):
        return None  # "US backs cross-border missile attacks on Russia – Kiev": a headline
    content = analysis.text[statement.content.start : statement.content.end]
    if _SANCTION.search(content):
        return "threat"
    if _CONCERN.match(content):  # "expressed deep concern about the policy"
        return "caution"
    if _CONDITIONAL.search(content) or (_HARM.search(content) and _FUTURE.search(content)):
        return "prediction"  # "if ... would", "is going to be a very unfair debate"
    if statement.cue_kind == "stance":
        return None  # "backs cross-border attacks", "opposed the sanctions": a stance
    if _HARM.search(content):
        return "caution"  # "we must break this spiral of escalation", "a recipe for failure"
    if _FUTURE.search(_RELATIVE_FUTURE.sub("", content)):
        return "prediction"  # "will seek new sanctions", not "an angle that would show"
    return None


def _in_headline(analysis: Analysis, statement: Statement) -> bool:
    """Whether the statement is the headline's: the first sentence, a short line of its own.
    A headline names its story's events in few words ("attacks", "fraud"); the body says
    whether anyone warned."""
    first = analysis.sentences[0]
    line = analysis.text[first.start : first.end]
    return (
        statement.sentence == first.id
        and analysis.text[first.end : first.end + 1] == "\n"
        and len(line.split()) <= _HEADLINE_WORDS
    )


_HEADLINE_WORDS = 16


def statement_words(analysis: Analysis, statement: Statement, speaker: CandidateActor) -> str:
    """The statement as briefer shows it: speaker, neutral verb, the article's words."""
    text = analysis.text
    cue = text[statement.cue.start : statement.cue.end]
    content = " ".join(text[statement.content.start : statement.content.end].split())
    verb = _verb(statement, cue)
    name = _as_subject(speaker)
    if statement.form == "quotation":
        content = re.sub(r"[,;:]\s*([\"\u201d])$", r"\1", content)  # '"...,"' ends there
        quoted = verb if statement.cue_lemma in _BEFORE_QUOTATION else "said"
        return f"{name} {quoted}: {content}"
    if statement.cue_lemma == "according to":
        return f"According to {_named(speaker)}, {_ended(_lower_opening(content))}"
    if statement.cue_lemma.startswith(POSSESSED_CUE_PREFIX):  # "Trump's claim that ..."
        if content.split()[0].lower() in {"about", "on"}:
            return f"{name}'s {cue.lower()} {_ended(content)}"
        return f"{name} said {_ended(content)}"  # "Trump's claim that he ..."
    if statement.content.start < statement.cue.start < statement.content.end:
        # "The test, North Korea said, was its biggest": the words name their speaker
        return _ended(f"{content[:1].upper()}{content[1:]}")
    return f"{name} {verb} {_ended(_lower_opening(content))}"


def _ended(words: str) -> str:
    """The words as a sentence: one full stop at the end, inside a closing quotation mark
    when the article puts it there ('"may lead to serious consequences."')."""
    if re.search(r"[.!?][\"\u201d\u2019]?$", words):
        return words
    return f"{words.rstrip('.')}."


def _as_subject(actor: CandidateActor) -> str:
    """The actor's name opening a sentence."""
    named = _named(actor)
    return named[:1].upper() + named[1:]


def _named(actor: CandidateActor) -> str:
    """The actor's name in a sentence: a description of one ("appeals court", "Clinton
    campaign", "US official") takes "the", as the article's own "the" or "a" was dropped
    from the name; a proper name, a plural and a possessive stand alone."""
    name = actor.name
    last = name.split()[-1] if name.split() else name
    description = (
        actor.kind == "other"
        and last[:1].islower()
        and not last.endswith("s")
        and "'s " not in name.replace("\u2019", "'")
    )
    return f"the {name}" if description else name


def _lower_opening(content: str) -> str:
    """The content less the capital of a sentence's first word, where it follows the
    speaker: "the plan", not "The plan"."""
    return _OPENING_WORD.sub(lambda m: m.group(0).lower(), content)


def _verb(statement: Statement, cue: str) -> str:
    """The verb shown before the words: the article's own, unless it judges the speaker
    (then a neutral one); several words as the article writes them ("went on to discuss",
    "laid out"). Before a clause, a cue of saying that shows no stance is "said"; before a
    phrase its own verb governs ("called the plan a failure") the article's verb stays."""
    lemma = statement.cue_lemma
    if lemma in _NEUTRAL_FORM:
        return _NEUTRAL_FORM[lemma]
    if " " in cue.strip():  # "went on to discuss", "laid out"
        return " ".join(cue.split())
    if " " in lemma:  # "issued" of "issued a statement ..."
        return cue.lower()
    if (lemma in _SHOWN_AS_WRITTEN or not statement.clause) and cue.isalpha():
        return past_tense(lemma) if cue.lower().endswith("ing") else cue.lower()
    present = cue.lower() == "says" or (
        cue.endswith("s") and not cue.endswith("ss") and lemma != "say"
    )
    return "says" if present else "said"


def past_tense(verb: str) -> str:
    """The past tense of a cue's verb ("calling" is shown "called"): a statement reads as
    a finished sentence, and a participle cue has no tense of its own."""
    if verb in IRREGULAR_PAST:
        return IRREGULAR_PAST[verb]
    if verb in DOUBLED_FINAL:
        return f"{verb}{verb[-1]}ed"
    if verb.endswith("e"):
        return f"{verb}d"
    if verb.endswith("y") and verb[-2:-1] not in set("aeiou"):
        return f"{verb[:-1]}ied"
    return f"{verb}ed"


def exact_evidence(text: str, start: int, end: int) -> Evidence:
    """Evidence for `text[start:end]`, less edge whitespace: exact by construction."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return Evidence(quote=text[start:end], start=start, end=end, match="exact")
