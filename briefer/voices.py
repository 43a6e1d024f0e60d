"""Reported voices: the positions and warnings the model left out, found by rule.

A small model lists two or three voices and stops; the article often reports ten. Every
sentence that attributes words to someone ("X said ...", '"...," said X', "according to X")
is therefore read by rule after the model has answered. When its speaker is one of the
briefing's actors, or a person named beside the reporting verb, and no item of that same
speaker already cites the sentence, it becomes a position whose evidence is the whole
sentence, at its offsets. It is a warning instead with "warned", "cautioned", "threatened"
or "advised", and a warning as well as a position when it threatens a sanction ("will be
treated as contempt") or says what will happen if ("if ... would"). A later verb of the
same sentence can add a voice: a warning with no subject of its own ("said ... but
cautioned that"), or another speaker inside a relative clause ("whose minister X stated").

The item's own words are the article's, so nothing is paraphrased and nothing is invented:
a direct quotation is shown in quotation marks after its speaker ('Brandt said: "..."'), and
reported speech keeps the outlet's words after its speaker and verb ("The union said the
change was rushed."). Verbs that judge the speaker ("claimed", "insisted") become "said".

The speaker is the actor named next to the verb outside the quotation (`briefer.mentions`):
before it ("X said"), or after it ('said X', "according to X"). A sentence that is all
quotation continues the speaker of the sentence just before it; a verb after "to" or "not"
("declined to say") and an unnamed "it" or "they" give no voice at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefer.attribution import QUOTATION, body_sentence_spans, sentence_spans, without_quotations
from briefer.mentions import named_actor, subject_actor, subject_clause
from briefer.names import contains_as_words, normalise_name, same_person
from briefer.schema import Actor, BriefingContent, Evidence, IssuedWarning, Position, WarningKind

#: Verbs that report speech. Group 1 is the verb; verbs whose object is the content keep
#: their own form in the stance, the others become "said" / "says".
#: Forms that are more often nouns ("claims", "the dispute", "member states") are left out.
_SPEECH = re.compile(
    r"(?<![\w-])(say|says|said|tell|tells|told|add|adds|added|argue|argues|argued|insist|insists|"
    r"insisted|claimed|write|writes|wrote|stated|noted|maintain|maintains|maintained|contend|"
    r"contends|contended|[Aa]ccording to|warn|warns|warned|cautions|cautioned|threaten|"
    r"threatens|threatened|predicts|predicted|deny|denies|denied|disputes|disputed|reject|rejects|"
    r"rejected|urged|describe|describes|described|countered|replied|respond|responds|"
    r"responded|acknowledge|acknowledges|acknowledged|ask|asks|asked|welcome|welcomes|welcomed|"
    r"criticised|criticized|demanded|pledged|promised|vowed|announced|advised|advises|"
    r"complain|complains|complained|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|explained|"
    r"explains|believe|believes|believed)\b"
)
#: What may follow "..., X said" when the words before it are what X said: nothing, or when
#: and where ("on Friday", "in a statement"), up to a comma or the sentence's end.
_ONLY_CIRCUMSTANCE = re.compile(
    r"^(?:(?:on|in|at|late|early|earlier|later|this|last|during|after|before|outside|to)\b"
    r"(?:\s+[^\s,.;]+){0,3})?\s*(?:[,.;]|$)"
)
#: "declined to say", "did not say": no one said anything.
_NEGATED = re.compile(r"(?:\bto|\bnot|n't)\s*$")
_SAID = re.compile(
    r"say|said|add|argue|insist|claim|state|note|maintain|contend|according to|counter|"
    r"repl|respond|acknowledge|complain|stress|emphasi|explain"
)
_WARNING_KINDS: dict[str, WarningKind] = {
    "warn": "caution",
    "advis": "caution",
    "caution": "caution",
    "threat": "threat",
    "predict": "prediction",
}
_SANCTION = re.compile(
    r"\b(?:will|would)\s+(?:be\s+)?(?:treated as|met with|receive an?\s+(?:firm|strong|robust)|"
    r"prosecuted|punished|fined|sanctioned)\b",
    re.IGNORECASE,
)
_CONDITIONAL_PREDICTION = re.compile(
    r"\bif\b.*\b(?:will|would|could)\b|\b(?:will|would|could)\b.*\bif\b", re.IGNORECASE
)
_RELATIVE = re.compile(r"\b(?:whose|who|which)\b", re.IGNORECASE)


@dataclass
class _Voice:
    """One attributed sentence: where it is, who speaks, with which verb, saying what."""

    start: int
    end: int
    actor: Actor
    verb: str
    words: str  # the stance: briefer's attribution, then the article's words
    name: str  # the speaker as the stance names it (`_name`)


def add_reported_voices(content: BriefingContent, text: str) -> BriefingContent:
    """`content` with a position (or warning) for each attributed sentence that no position
    (or warning) of the same speaker cites. The model often files a warning under positions,
    or gives a sentence to the wrong actor ("the court" for the judge it quotes); the
    speaker named beside the verb then gets the sentence too."""
    actors = list(content.actors)
    positions, warnings = list(content.positions), list(content.warnings)
    for voice in _voices(text, actors):
        evidence = [
            Evidence(
                quote=text[voice.start : voice.end],
                start=voice.start,
                end=voice.end,
                match="exact",
            )
        ]
        for kind in _kinds(voice):
            said_by = (
                [(p.actor, p.evidence) for p in positions]
                if kind is None
                else [(w.issuer, w.evidence) for w in warnings]
            )
            if _cites(said_by, _same_actor(voice.actor, actors), voice.start, voice.end):
                continue
            if kind is None:
                positions.append(
                    Position(evidence=evidence, actor=voice.actor.id, stance=voice.words)
                )
            else:
                warnings.append(
                    IssuedWarning(
                        evidence=evidence, issuer=voice.actor.id, warning=voice.words, kind=kind
                    )
                )
    return content.model_copy(
        update={"actors": actors, "positions": positions, "warnings": warnings}
    )


def _cites(
    items: Sequence[tuple[str, list[Evidence]]], speakers: set[str], start: int, end: int
) -> bool:
    """Whether an item of one of `speakers` has evidence overlapping `start:end`."""
    return any(
        e.overlaps(start, end)
        for speaker, evidence in items
        if speaker in speakers
        for e in evidence
    )


def _same_actor(actor: Actor, actors: list[Actor]) -> set[str]:
    """The ids of `actor` and of the actors that name it too (the model's 'obuya' beside
    'saskia-obuya'): whole-word containment of normalised names, or one person."""
    mine = normalise_name(actor.name)
    return {
        other.id
        for other in actors
        if other.id == actor.id
        or contains_as_words(mine, normalise_name(other.name))
        or (actor.kind == other.kind == "person" and same_person(actor.name, other.name))
    }


def _kinds(voice: _Voice) -> list[WarningKind | None]:
    """What the voice is: a warning of its verb's kind ("warned", "threatened"); else a
    position, and also a warning when it threatens a sanction ("any breach will be treated
    as contempt", "will receive a firm response") or says what will happen if."""
    for stem, kind in _WARNING_KINDS.items():
        if voice.verb.startswith(stem):
            return [kind]
    if _SANCTION.search(voice.words):
        return [None, "threat"]
    return [None, "prediction"] if _CONDITIONAL_PREDICTION.search(voice.words) else [None]


def _voices(text: str, actors: list[Actor]) -> list[_Voice]:
    """The attributed sentences whose speaker is found, in article order; a new person found
    as a speaker is appended to `actors`."""
    voices: list[_Voice] = []
    sentences = sentence_spans(text)
    for start, end in body_sentence_spans(text):
        sentence = text[start:end]
        masked = without_quotations(sentence)
        voice, verb = None, None
        for verb in _SPEECH.finditer(masked):
            voice = _voice(text, start, end, masked, verb, actors)
            if voice is not None:
                break
        previous = voices[-1] if voices else None
        if voice is None and previous and _continues(previous, start, sentence, sentences):
            words = f"{_capital(previous.name)} {_quote_verb(previous.verb)}: {sentence}"
            voice = _Voice(start, end, previous.actor, previous.verb, words, previous.name)
        if voice is not None:
            voices.append(voice)
        if voice is not None and verb is not None:
            voices.extend(_elided_warning(voice, sentence, masked, verb.end()))
            voices.extend(_relative_voices(voice, text, start, end, masked, verb.end(), actors))
    return voices


def _relative_voices(
    voice: _Voice, text: str, start: int, end: int, masked: str, at: int, actors: list[Actor]
) -> list[_Voice]:
    """Voices of other speakers inside a relative clause later in the sentence: "Zelensky
    complained that the UK, whose Foreign Secretary David Cameron stated ..., had not"."""
    found = []
    for verb in _SPEECH.finditer(masked, at):
        if not _RELATIVE.search(masked[at : verb.start()].split(",")[-1]):
            continue
        other = _voice(text, start, end, masked, verb, actors)
        if other is not None and other.actor.id != voice.actor.id:
            found.append(other)
    return found


def _elided_warning(voice: _Voice, sentence: str, masked: str, at: int) -> list[_Voice]:
    """The warning of the same speaker later in the sentence: "She said banks would comply
    but cautioned that ...", where "cautioned" has no subject of its own."""
    for verb in _SPEECH.finditer(masked, at):
        said = verb.group(1).lower()
        joined = masked[at : verb.start()].split(",")[-1].split()
        warns = any(said.startswith(stem) for stem in _WARNING_KINDS)
        if warns and joined and joined[-1].lower() in ("but", "and", "also"):
            words = f"{_capital(voice.name)} {said} {sentence[verb.end() :].strip()}"
            return [_Voice(voice.start, voice.end, voice.actor, said, words, voice.name)]
    return []


def _voice(
    text: str, start: int, end: int, masked: str, verb: re.Match[str], actors: list[Actor]
) -> _Voice | None:
    """The voice of the sentence `text[start:end]` around one reporting verb, if its speaker
    is found. The stance takes the sentence's own shape:

    - '"...," X said' and 'said X': the quotation after its speaker;
    - "X said (that) ...": the speaker, then the words after the verb;
    - "..., X said on Friday.": the words before the speaker, then the speaker;
    - "according to X, ...": the same, with the actor's name.
    """
    sentence = text[start:end]
    said = verb.group(1).lower()
    if _NEGATED.search(masked[: verb.start()]):
        return None
    left_start = max(masked.rfind("\0", 0, verb.start()), masked.rfind(";", 0, verb.start())) + 1
    left = masked[left_start : verb.start()]
    right = re.split(r"[,.;:\0]", masked[verb.end() :], maxsplit=1)[0]
    before, after = sentence[left_start : verb.start()], sentence[verb.end() :].strip()
    if said == "according to" or not _has_letters(left):
        actor = named_actor(right, actors, after=True)
        if actor is None:
            return None
        if said == "according to":
            content = _without_lead(before) or after.partition(",")[2].strip()
            if not _has_words(content):
                return None
            name = _name(actor, text)
            return _Voice(start, end, actor, said, f"According to {name}, {content}", name)
        return _quotation_voice(start, end, sentence, actor, said, _name(actor, text))
    clause = subject_clause(left)
    actor = subject_actor(clause, actors, text[:start])
    if actor is None:
        return None
    name = _name(actor, text)
    if "\0" in masked[: verb.start()]:
        return _quotation_voice(start, end, sentence, actor, said, name)
    after_comma = left.endswith(clause) and "," in left  # "..., the judges said"
    lead = _without_lead(before[: left.rfind(",")]) if after_comma else ""
    trailing = after_comma and not _RELATIVE.search(clause)
    if trailing and _has_words(lead, 4) and _ONLY_CIRCUMSTANCE.match(after):
        return _Voice(start, end, actor, said, f"{lead}, {name} {_stance_verb(said)}.", name)
    if not _has_words(after):
        return _quotation_voice(start, end, sentence, actor, said, name)
    if _RELATIVE.search(clause):  # "the UK, whose minister X stated ..., had not": to the comma
        after = after.split(",")[0]
    words = f"{_capital(name)} {_stance_verb(said)} {after}"
    return _Voice(start, end, actor, said, words, name)


def _quotation_voice(
    start: int, end: int, sentence: str, actor: Actor, verb: str, name: str
) -> _Voice | None:
    """The sentence's quotations after their speaker; None when it quotes no one."""
    quoted = [m.group(0)[1:-1].strip().rstrip(",") for m in QUOTATION.finditer(sentence)]
    if not quoted:
        return None
    words = f'{_capital(name)} {_quote_verb(verb)}: "{" ... ".join(quoted)}"'
    return _Voice(start, end, actor, verb, words, name)


def _stance_verb(verb: str) -> str:
    """'said' or 'says' for verbs that only report speech, else the article's own verb."""
    if not _SAID.match(verb):
        return verb
    return "says" if verb.endswith("s") and verb != "according to" else "said"


def _capital(name: str) -> str:
    """A name opening a sentence."""
    return name[:1].upper() + name[1:]


def _name(actor: Actor, text: str) -> str:
    """The actor's name inside a sentence, cased as the article writes it: 'the port board'
    for a common noun (the article writes it in lower case somewhere), 'Quillon' for a name
    the model wrote as 'quillon'."""
    spellings = [
        m.group(0)
        for m in re.finditer(rf"(?<!\w){re.escape(actor.name)}(?!\w)", text, re.IGNORECASE)
    ]
    if not spellings:
        return f"the {actor.name}" if actor.name[:1].islower() else actor.name
    if any(spelling[:1].islower() for spelling in spellings):
        return f"the {actor.name.lower()}" if actor.name[:1].islower() else actor.name
    return spellings[0]


def _quote_verb(verb: str) -> str:
    """The verb before a direct quotation: the article's for writing and warning, else said."""
    if re.match(r"writ|wrote|warn|caution|threat|predict|ask|advis", verb):
        return verb
    return "says" if verb.endswith("s") and verb != "according to" else "said"


def _continues(
    previous: _Voice, start: int, sentence: str, sentences: list[tuple[int, int]]
) -> bool:
    """Whether `sentence` is all quotation and follows `previous` with no sentence between:
    the same speaker goes on."""
    if QUOTATION.fullmatch(sentence.strip()) is None:
        return False
    return not any(previous.end <= s and e <= start for s, e in sentences)


def _has_letters(text: str) -> bool:
    return re.search(r"[^\W\d_]", text) is not None


def _has_words(text: str, least: int = 3) -> bool:
    return len(re.findall(r"\w+", text)) >= least


def _without_lead(text: str) -> str:
    return text.strip().rstrip(",").strip()
