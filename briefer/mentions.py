"""Which actor a phrase of the article names, by rule: shared by the rules that complete a
briefing from the article's own sentences (`briefer.voices`, `briefer.permission_rules`).

A phrase names, in this order of trust: an actor's full name (or, for a person, the name
without titles, or the surname); a new person's name (two to four capitalised words after any
title, as in "Energy Minister Teodor Vasquel", the title becoming the role); a word of one
actor's name and of no other's ("Kelvane", "the ministry"). "He" and "she" stand for the
person named last before them. New people are added to the actor list they are found for.
"""

from __future__ import annotations

import re

from briefer.names import normalise_name, same_person
from briefer.schema import Actor, slugify

#: A run of capitalised words: a name, perhaps after a title ("Justice Halvard Ostrin").
_NAME_RUN = re.compile(
    r"[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|(?:de|van|von|da|al|bin)\b))*"
)
#: Capitalised words that end a title before a name, or that make a run no person's name.
_TITLE_WORDS = frozenset(
    """minister president prime governor judge justice mayor senator secretary chief director
    spokesman spokeswoman spokesperson chairman chairwoman chair general colonel captain
    commissioner ambassador chancellor premier leader officer dr mr mrs ms prof""".split()  # noqa: SIM905
)
_NOT_A_PERSON = frozenset(
    """the a an in on at of for and but after before under while when as this that these those
    court council ministry bank union federation group agency commission committee party
    service office department government association authority company corporation consortium
    board institute university police army forces news times post reuters inc ltd plc
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split()  # noqa: SIM905
)


#: "he", "she", perhaps with an adverb: "she also", "he later".
_HE_OR_SHE = re.compile(r"^(?:[Hh]e|[Ss]he)(?:\s+[a-z]+)?$")
#: A clause that ends in a pronoun no rule resolves: "what it describes as".
_UNNAMED = re.compile(r"\b(?:it|they|we|I|you)\s*$", re.IGNORECASE)


def subject_clause(before_verb: str) -> str:
    """The words before a verb that name its subject, in the sentence with its quotations
    blanked out (`without_quotations`): after the last quotation or semicolon, the clause
    just before the verb ("..., the judges said"), or, after an appositive ("X, who ...,
    said", "X's director, Y, said"), the clauses before it."""
    tail = re.split(r"[;\0]", before_verb)[-1]
    clauses = tail.split(",")
    if re.search(r"[^\W\d_]", clauses[-1]):
        return clauses[-1]
    return ",".join(clauses[:-1])


def subject_actor(clause: str, actors: list[Actor], before: str) -> Actor | None:
    """The actor a `subject_clause` names: "he" or "she" is the person named last in the
    article text `before` it; an unnamed "it" or "they" is no one."""
    if _HE_OR_SHE.match(clause.strip()):
        return last_person_named(before, actors)
    if _UNNAMED.search(clause):
        return None
    return named_actor(clause, actors, after=False)


def named_actor(segment: str, actors: list[Actor], *, after: bool) -> Actor | None:
    """The actor `segment` names (rules: the module docstring), or None; `after` says the
    phrase follows a verb, where only its first capitalised run may be a new person's name.
    Before a verb, a person named right before it is the speaker, whatever the clause names
    first ("Dravonian foreign ministry spokeswoman Yelena Grushetskaya said")."""
    if not after:
        person = _person_ending(segment, actors)
        if person is not None:
            return person
    found = [(m, a) for a in actors for m in _mentions(segment, _full_names(a))]
    if found:
        return min(found, key=lambda pair: pair[0])[1]
    runs = list(_NAME_RUN.finditer(segment))
    for run in runs[:1] if after else runs:
        person = _new_person(run.group(0))
        if person is not None:
            return _known_or_added(person, actors)
    words = {w for w in normalise_name(segment).split() if len(w) >= 4}
    owners = [a for a in actors if words & _name_words(a)]
    return owners[0] if len(owners) == 1 else None


def _person_ending(segment: str, actors: list[Actor]) -> Actor | None:
    """The person whose name ends `segment`: a person actor of that name, else a new one."""
    runs = list(_NAME_RUN.finditer(segment))
    if not runs or runs[-1].end() != len(segment.rstrip(" ,")):
        return None
    person = _new_person(runs[-1].group(0))
    return _known_or_added(person, actors) if person is not None else None


def _known_or_added(person: Actor, actors: list[Actor]) -> Actor:
    """The actor that is `person` already (same id, or the same person by name), else
    `person`, added to `actors`."""
    existing = next(
        (
            a
            for a in actors
            if a.id == person.id or (a.kind == "person" and same_person(a.name, person.name))
        ),
        None,
    )
    if existing is None:
        actors.append(person)
    return existing or person


def _new_person(run: str) -> Actor | None:
    """A person named by a run of capitalised words, its leading title as the role."""
    words = run.split()
    cut = max(
        (i + 1 for i, w in enumerate(words) if w.casefold().rstrip(".") in _TITLE_WORDS), default=0
    )
    role, name = words[:cut], words[cut:]
    if not 2 <= len(name) <= 4 or any(w.casefold().strip(".") in _NOT_A_PERSON for w in name):
        return None
    full = " ".join(name)
    return Actor(id=slugify(full), name=full, kind="person", role=" ".join(role))


def last_person_named(before: str, actors: list[Actor]) -> Actor | None:
    """The person whose name (or surname) appears last in `before`."""
    found = [
        (match.end(), len(match.group(0)), actor)
        for actor in actors
        if actor.kind == "person"
        for match in _occurrences(before, [*_full_names(actor), actor.name.split()[-1]])
    ]
    # at one place, the longest name wins: "Taras Kostelnyy" over another Kostelnyy's surname
    return max(found, key=lambda found: found[:2])[2] if found else None


def _full_names(actor: Actor) -> list[str]:
    untitled = [w for w in actor.name.split() if w.casefold() not in _TITLE_WORDS]
    names = {actor.name, " ".join(untitled)}
    if actor.kind == "person" and len(untitled) > 1:
        names.add(untitled[-1])  # the surname: news refers to people by it
    return [name for name in names if len(name) >= 3 and name.casefold() not in _NOT_A_PERSON]


def _name_words(actor: Actor) -> set[str]:
    """The words of an actor's name and id that may stand for it alone ("Kelvane")."""
    return {w for w in normalise_name(f"{actor.name} {actor.id}").split() if len(w) >= 4}


def _mentions(segment: str, names: list[str]) -> list[int]:
    return [match.start() for match in _occurrences(segment, names)]


def _occurrences(text: str, names: list[str]) -> list[re.Match[str]]:
    return [
        match
        for name in names
        # not "Zelensky's press secretary": a possessive names someone else's speaker
        for match in re.finditer(
            rf"(?<!\w){re.escape(name)}(?!\w)(?!['\u2019]s\b)", text, re.IGNORECASE
        )
    ]
