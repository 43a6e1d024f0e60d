"""Scoring voices against human attribution annotations (PolNeAR's brat files).

An annotation file (`NAME_XXXX.ann`, brat standoff) ties a Source, a Cue and a Content span
of the article into one attribution. What briefer should find is every attribution whose
Source *names* someone, as a position or warning of that actor citing words that overlap the
Content. The rules are fixed, so figures compare across models, prompts and rules:

- A Source names someone when its head is a name: a parenthesis dropped ("(D-Va.)"); the
  words before the first preposition or relative pronoun kept ("lawyers for both Donald and
  Ivana Trump" names no one; "Secretary of State John Kerry" goes on past a title); each
  conjunct ("X and Y") read on its own, which must end in a run of capitalised words; else a
  later comma-separated piece of two capitalised words or more ("A lawyer for the news
  outlets, David Schulz") is the name. "Trump's campaign manager", "The Clinton campaign"
  and "he" name no one.
  A single capitalised word that the article also writes in lower case ("Officials") is no
  name.
- A predicted actor stands for a named Source when one of its names (name or aliases, once
  normalised, titles dropped) holds the Source name's last word and one of the two names
  contains the other as whole words ("Nervo", "Frank Nervo" for "Justice Frank Nervo"; not
  "Hillary Clinton" for "Bill Clinton").
- Recall: named attributions for which some predicted voice stands for the Source and has
  evidence overlapping the Content. Speaker precision: of the predicted voices whose evidence
  overlaps the Content of a named attribution, those standing for one of the Sources they
  overlap; a voice that stands for none but also overlaps an attribution whose Source names
  no one (a pronoun the annotation leaves unresolved) is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefer.errors import InputError, unreadable
from briefer.names import contains_as_words, normalise_name
from briefer.rules.vocabulary import TITLE_WORDS

#: A span of the article: (start, end), end exclusive.
Offsets = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One annotated attribution: who (source, if any), through which cue, said what."""

    source: tuple[Offsets, ...]
    cue: tuple[Offsets, ...]
    content: tuple[Offsets, ...]
    #: The names the Source gives (empty when it names no one: "he", "the campaign").
    names: tuple[str, ...]


@dataclass(frozen=True)
class Voice:
    """A predicted voice: the speaker's names and the evidence it cites."""

    names: tuple[str, ...]
    evidence: tuple[Offsets, ...]


@dataclass(frozen=True)
class VoiceScore:
    """Named attributions found, and predicted voices judged and right."""

    found: int
    named: int
    right: int
    judged: int


def read_attributions(path: str | Path, text: str) -> list[Attribution]:
    """The attributions of a brat standoff file over `text` (its Source names read off)."""
    path = Path(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise InputError(unreadable(path, error, what="annotation file")) from None
    spans: dict[str, tuple[Offsets, ...]] = {}
    relations: list[dict[str, str]] = []
    for line in lines:
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = tuple(
                (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
            )
        elif line.startswith("E") and len(fields) >= 2:
            relations.append(dict(part.split(":", 1) for part in fields[1].split()))
    attributions = []
    for relation in relations:
        source = spans.get(relation.get("Source", ""), ())
        content = spans.get(relation.get("Content", ""), ())
        if not content:
            continue
        source_text = " ".join(text[a:b] for a, b in source)
        attributions.append(
            Attribution(
                source=source,
                cue=spans.get(relation.get("Cue", ""), ()),
                content=content,
                names=source_names(source_text, text) if source else (),
            )
        )
    return attributions


_PARENTHESIS = re.compile(r"\([^)]*\)")
_CUT = re.compile(r"\b(?:of|for|from|with|at|in|on|by|about|who|which|that|whose|to)\b")
_WORD = re.compile(r"[^\W\d_][\w.'\u2019-]*")


def source_names(source: str, article: str) -> tuple[str, ...]:
    """The names a Source span gives its speaker (rules: the module docstring)."""
    source = _PARENTHESIS.sub(" ", source)
    head = _CUT.split(source, maxsplit=1)[0]
    if not _CUT.search(source) or _starts_with_titles(source):
        head = source  # "Secretary of State John Kerry" goes on past its title
    names = []
    for conjunct in re.split(r"\s+(?:and|&)\s+", head):
        name = _head_name(conjunct, article)
        if name:
            names.append(name)
    if not names and head != source:
        tail = source[len(head) :]
        pieces = [p.strip() for p in tail.split(",")[1:] if p.strip()]
        for piece in pieces:  # "A lawyer for the news outlets, David Schulz"
            words = piece.split()
            if len(words) >= 2 and all(_capitalised(word) for word in words):
                names.append(_name_of(words, article) or "")
                break
    return tuple(name for name in names if name)


def _starts_with_titles(source: str) -> bool:
    cut = _CUT.search(source)
    before = source[: cut.start()].split() if cut else []
    return bool(before) and all(w.lower().strip(".") in TITLE_WORDS for w in before)


def _head_name(conjunct: str, article: str) -> str | None:
    """The run of capitalised words that ends a conjunct's first comma-separated piece."""
    words = conjunct.split(",")[0].split()
    if not words or not _capitalised(words[-1]):
        return None
    run: list[str] = []
    for word in reversed(words):
        if not _capitalised(word) or word.endswith(("'s", "\u2019s")):
            break
        run.insert(0, word)
    return _name_of(run, article)


def _capitalised(word: str) -> bool:
    return bool(_WORD.fullmatch(word)) and word[0].isupper() and word not in {"I"}


def _name_of(words: Sequence[str], article: str) -> str | None:
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1:
        word = words[0].strip(".,")
        if word.lower() in TITLE_WORDS or re.search(rf"\b{re.escape(word.lower())}\b", article):
            return None  # "Officials", "Senator": a common word, capitalised
    return " ".join(words).strip(" ,.")


def stands_for(names: Iterable[str], source_name: str) -> bool:
    """Whether an actor known by `names` is the speaker a Source names."""
    wanted = _untitled(source_name)
    if not wanted:
        return False
    last = wanted.split()[-1]
    for name in names:
        candidate = _untitled(name)
        if candidate and f" {last} " in f" {candidate} " and contains_as_words(candidate, wanted):
            return True
    return False


def _untitled(name: str) -> str:
    """The name without titles; its last word stays ("Mr. King")."""
    words = normalise_name(name).split()
    return " ".join([w for w in words[:-1] if w not in TITLE_WORDS] + words[-1:])


def score_voices(attributions: Sequence[Attribution], voices: Sequence[Voice]) -> VoiceScore:
    """Recall of named attributions and precision of predicted speakers (module docstring)."""
    named = [a for a in attributions if a.names]

    def overlaps(voice: Voice, attribution: Attribution) -> bool:
        return any(a < d and c < b for a, b in voice.evidence for c, d in attribution.content)

    found = sum(
        any(
            overlaps(voice, attribution)
            and any(stands_for(voice.names, name) for name in attribution.names)
            for voice in voices
        )
        for attribution in named
    )
    right = judged = 0
    for voice in voices:
        touched = [a for a in attributions if overlaps(voice, a)]
        touched_named = [a for a in touched if a.names]
        if not touched_named:
            continue
        if any(stands_for(voice.names, name) for a in touched_named for name in a.names):
            right += 1
            judged += 1
        elif not any(not a.names for a in touched):
            judged += 1
    return VoiceScore(found=found, named=len(named), right=right, judged=judged)
