"""Candidate actors: the article's named entities, clustered into people, bodies and groups.

Rules, in order (each decides only what the ones before left open):
- A mention is a named entity of the parse (person, organisation, place, or a group such as
  "Republicans"), less a leading "the", a trailing possessive and any title before a person's
  name ("Justice Frank Nervo" -> "Frank Nervo", role "Justice"). Mentions with digits, and
  groups used as adjectives ("Russian troops"), are not actors.
- People: full names (two words or more) are one person when first and last names agree
  (a middle initial aside). A single word that is a full name's surname or first name is that
  person, whatever label the recogniser gave it ("Nervo" read as a place); when several
  people share it ("Trump": Donald and Ivanka), it is the one the article names first: news
  names the second one in full ("Ivanka Trump") precisely because the surname alone is
  taken. Two full names with different first names are never one person.
- Countries: any of a country's names or its capital is that country's government
  (`countries.txt`: "Kiev" is Ukraine, "Washington" the United States). Other places are
  actors only where the article makes them act: the subject of a verb, or a possessor.
- Organisations: one when their names agree once "the" and possessives are dropped, or when
  one is the other's initials ("FBI" for "Federal Bureau of Investigation").
- Each actor's id is its name as a slug ("frank-nervo"); the kind is the recogniser's label
  read through `briefer.rules.vocabulary` (a "court" or "ministry" is government, "Times" a
  medium); the role is the title or apposition next to a person's first full mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from briefer.analysis.document import CandidateActor
from briefer.analysis.document import Span as TextSpan
from briefer.analysis.parse import BRACKETED_CODES, DASHES, clause_verb, country_names
from briefer.names import normalise_name
from briefer.rules.vocabulary import (
    DECISION_CUES,
    GOVERNMENT_WORDS,
    MEDIA_WORDS,
    SPEECH_CUES,
    STANCE_CUES,
    TITLE_WORDS,
    WARNING_CUES,
)
from briefer.schema import ActorKind, slugify

_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


def _third_person(lemma: str) -> str:
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        return lemma[:-1] + "ies"
    return lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")


#: A title-case headline's verb the recogniser takes into a name: "Obama Says ...".
_HEADLINE_VERBS = frozenset(
    _third_person(lemma) for lemma in {*SPEECH_CUES, *STANCE_CUES, *WARNING_CUES, *DECISION_CUES}
)
#: Dependency labels of a place that acts ("Ohio appealed", "Ohio's law").
_AGENTIVE = {"nsubj", "nsubjpass", "poss", "agent", "dobj"}
_MAX_ROLE_WORDS = 8
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    text: str
    label: str
    title: str = ""  # a title in front of a person's name, outside the name
    sex: str | None = None  # what a "Mr." or "Mrs." in or just before it says


class ActorTable:
    """The candidate actors of one article and the tokens that name each of them.

    Attribution and the rules ask it who a token names (`actor_at`) and add the mentions
    they resolve (pronouns, descriptions) with `add_mention`.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: list[CandidateActor] = []
        self._by_token: dict[int, str] = {}
        self._by_id: dict[str, CandidateActor] = {}
        self._sex: dict[str, str] = {}

    def actor(self, actor_id: str) -> CandidateActor:
        return self._by_id[actor_id]

    def actor_at(self, token: Token | int) -> str | None:
        """The id of the actor a token names, if any."""
        index = token if isinstance(token, int) else token.i
        return self._by_token.get(index)

    def sex(self, actor_id: str) -> str | None:
        """'f' or 'm' where the article says so: by a title or family role ("Mrs.", "his
        wife"), else by its own possessives (`_sex_by_possessives`); else None. briefer
        does not guess it from first names."""
        return self._sex.get(actor_id)

    def note_sex(self, actor_id: str, sex: str | None) -> None:
        if sex is not None:
            self._sex.setdefault(actor_id, sex)

    def actors_in(self, tokens: Iterable[Token]) -> list[str]:
        """The actors named by `tokens`, in order, each once."""
        found: list[str] = []
        for token in tokens:
            actor_id = self.actor_at(token)
            if actor_id and actor_id not in found:
                found.append(actor_id)
        return found

    def people_named(self, surname: str) -> list[CandidateActor]:
        """The people whose name ends in `surname` (any case), in the order they were added."""
        wanted = surname.lower()
        return [
            actor
            for actor in self.actors
            if actor.kind == "person" and actor.name.split()[-1].lower() == wanted
        ]

    def add(
        self, name: str, kind: ActorKind, role: str = "", aliases: Iterable[str] = ()
    ) -> CandidateActor:
        """A new actor, its id made unique."""
        base = slugify(name) or "actor"
        actor_id, number = base, 2
        while actor_id in self._by_id:
            actor_id, number = f"{base}-{number}", number + 1
        actor = CandidateActor(
            id=actor_id, name=name, kind=kind, role=role, aliases=[a for a in aliases if a != name]
        )
        self.actors.append(actor)
        self._by_id[actor_id] = actor
        return actor

    def add_mention(self, actor_id: str, start: int, end: int) -> None:
        """Record that tokens `start:end` name the actor (names, pronouns, descriptions)."""
        actor = self._by_id[actor_id]
        span = self.doc[start:end]
        actor.mentions.append(TextSpan(span.start_char, span.end_char))
        for index in range(start, end):
            self._by_token.setdefault(index, actor_id)
        text = span.text
        if text != actor.name and text not in actor.aliases and span[0].pos_ == "PROPN":
            actor.aliases.append(text)

    def finish(self) -> list[CandidateActor]:
        """The actors in order of first mention, each one's mentions in article order."""
        for actor in self.actors:
            actor.mentions.sort(key=lambda span: span.start)
        self.actors.sort(key=lambda actor: actor.mentions[0].start if actor.mentions else 1 << 60)
        return self.actors


def find_actors(doc: Doc) -> ActorTable:
    """The candidate actors of a parsed article (rules: the module docstring)."""
    table = ActorTable(doc)
    mentions = _as_people(
        [m for m in (_mention(doc, entity) for entity in doc.ents) if m is not None]
    )
    people = _people(table, mentions)
    contested = _contested_surnames(people, mentions, table)
    countries = country_names()
    organisations: dict[str, str] = {}
    places: dict[str, list[_Mention]] = {}
    for mention in mentions:
        if mention.start in table._by_token:
            continue
        person = _person_named(people, mention, contested, table)
        if person is not None:
            table.add_mention(person, mention.start, mention.end)
            if mention.sex is not None and _one_sex_titled(mention, mentions):
                table.note_sex(person, mention.sex)
            _titled(table.actor(person), mention, doc)
        elif mention.label == "GPE" and mention.text in countries:
            country = countries[mention.text]
            if mention.text != country and _venue(doc, mention):
                continue  # "talks will take place in Rome": a place, not Italy's government
            key = "country:" + country
            if key not in organisations:
                organisations[key] = table.add(country, "government").id
            table.add_mention(organisations[key], mention.start, mention.end)
        elif mention.label == "GPE":
            places.setdefault(normalise_name(mention.text), []).append(mention)
        elif mention.label == "PERSON":
            key = "person:" + normalise_name(mention.text)
            if key not in organisations:
                organisations[key] = table.add(mention.text, "person", mention.title).id
            table.add_mention(organisations[key], mention.start, mention.end)
            table.note_sex(organisations[key], mention.sex)
            _titled(table.actor(organisations[key]), mention, doc)
        else:
            key = _organisation_key(mention, organisations)
            if key not in organisations:
                kind = "group" if mention.label == "NORP" else _organisation_kind(mention.text)
                organisations[key] = table.add(mention.text, kind).id
            else:
                _spelt_out(table.actor(organisations[key]), mention)
            table.add_mention(organisations[key], mention.start, mention.end)
            code = _code_after(doc, mention)
            if code is not None:  # "The Wikimedia Foundation (WMF)": "WMF" names it too
                organisations.setdefault("org:" + normalise_name(code), organisations[key])
    for named in places.values():
        if any(_acts(doc, mention) for mention in named):
            actor = table.add(named[0].text, "government")
            for mention in named:
                table.add_mention(actor.id, mention.start, mention.end)
    for person, sex in _sex_by_possessives(doc, table).items():
        table.note_sex(person, sex)
    return table


#: Possessive and reflexive pronouns, and the sex each says.
_OWN_PRONOUNS = {"his": "m", "himself": "m", "her": "f", "herself": "f"}


def _sex_by_possessives(doc: Doc, table: ActorTable) -> dict[str, str]:
    """People whose sex the article's own pronouns say, where no title did: "Clinton
    released her returns", "Fowler ... has backed Hillary Clinton since her 2008 bid". A
    possessive or reflexive pronoun whose clause names one person before it, and no one
    else, counts for that person. "Trump mocked her weight" may mean someone else, so one
    such pronoun is not enough: a sex needs two, and three times as many as the other."""
    votes: dict[str, Counter[str]] = {}
    for pronoun in doc:
        sex = _OWN_PRONOUNS.get(pronoun.lower_)
        if sex is None or pronoun.tag_ != ("PRP" if pronoun.lower_.endswith("self") else "PRP$"):
            continue
        clause = clause_verb(pronoun)
        if clause.dep_ == "xcomp":  # "Clinton to fully recover from her bout": one clause
            clause = clause.head
        named = {table.actor_at(t) for t in clause.subtree if t.i < pronoun.i} - {None}
        if len(named) == 1:
            person = named.pop()
            if person is not None and table.actor(person).kind == "person":
                votes.setdefault(person, Counter())[sex] += 1
    said = {}
    for person, counts in votes.items():
        [(sex, most)] = counts.most_common(1)
        if most >= 2 and most >= 3 * (sum(counts.values()) - most):
            said[person] = sex
    return said


def _mention(doc: Doc, entity: Span) -> _Mention | None:
    """The entity as a mention, trimmed, or None when it names no actor."""
    if entity.label_ not in _LABELS:
        return None
    start, end = entity.start, entity.end
    while start < end and (doc[start].dep_ == "det" or doc[start].lower_ == "the"):
        start += 1
    verb = next(
        (t.i for t in doc[start + 1 : end] if t.pos_ == "VERB" or _headline_main_verb(t)), None
    )
    if verb is not None:  # "Trump accused Holt": the recogniser ran over the verb
        end = verb
    while end > start and (
        doc[end - 1].dep_ == "case"
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].lower_ in _POSSESSIVE
        or (end - start > 1 and _headline_verb(doc, start, end))
    ):
        end -= 1
    title_end = start
    if entity.label_ == "PERSON":
        while title_end < end - 1 and doc[title_end].lower_.rstrip(".") in TITLE_WORDS:
            title_end += 1
    if title_end >= end:
        return None
    text = doc[title_end:end].text
    if any(char.isdigit() for char in text) or not text[:1].isupper():
        return None
    if entity.label_ == "NORP" and not _names_a_group(doc[start:end]):
        return None
    if common_noun_first(doc, title_end, end):
        return None
    title = doc[start:title_end].text
    label = entity.label_
    if label == "PERSON" and _DOTTED_INITIALS.match(text):
        label = "ORG"  # "U.N." read as a person; "U.S." stays a place
    honorific = doc[start - 1].lower_ if start and label == "PERSON" else ""
    sex = _sex(title) or (_sex(honorific) if honorific.rstrip(".") in _HONORIFICS else None)
    return _Mention(title_end, end, text, label, title, sex)


def common_noun_first(doc: Doc, start: int, end: int) -> bool:
    """Whether a one-word name only starts its sentence, and the article writes it in lower
    case elsewhere ("Curfew lifted, but ..." and "the city lifted a curfew")."""
    word = doc[start]
    if end - start != 1 or not word.is_sent_start:
        return False
    return any(other.text == word.lower_ for other in doc)


def _headline_verb(doc: Doc, start: int, end: int) -> bool:
    """Whether the name's last word is the verb of a title-case headline ("Obama Says"), not
    part of the name ("the United States", in a headline or not)."""
    last = doc[end - 1]
    if last.sent.start != 0 or doc[start:end].text in country_names():
        return False
    return last.lower_ in _HEADLINE_VERBS


def _headline_main_verb(word: Token) -> bool:
    """Whether a title-case word is the headline's verb the tagger took for a name
    ("Clinton Breaks With Obama", "Trump Questions the Fairness of ..."): the headline's
    root, in the third person, and never written again in the article (a surname is)."""
    return (
        word.sent.start == 0
        and word.dep_ == "ROOT"
        and word.lower_.endswith("s")
        and sum(1 for token in word.doc if token.text == word.text) == 1
    )


def _names_a_group(span: Span) -> bool:
    """'Republicans said' names a group; 'Russian troops' uses the word as an adjective."""
    root = span.root
    return root.tag_ in {"NNPS", "NNS"} or (
        root.pos_ in {"NOUN", "PROPN"} and root.dep_ in _AGENTIVE
    )


@dataclass
class _Person:
    actor_id: str
    first: str
    last: str
    first_seen: int


def _people(table: ActorTable, mentions: list[_Mention]) -> list[_Person]:
    """One actor per full name (two words or more) of a person."""
    people: dict[tuple[str, str], _Person] = {}
    for mention in mentions:
        words = _name_words(mention.text)
        if mention.label != "PERSON" or len(words) < 2:
            continue
        key = (words[0], words[-1])
        if key not in people:
            role = mention.title or _role(table.doc, mention)
            actor = table.add(mention.text, "person", role)
            people[key] = _Person(actor.id, words[0], words[-1], mention.start)
            table.note_sex(actor.id, _sex(role))
        table.add_mention(people[key].actor_id, mention.start, mention.end)
        table.note_sex(people[key].actor_id, mention.sex)
        _titled(table.actor(people[key].actor_id), mention, table.doc)
    return list(people.values())


def _titled(person: CandidateActor, mention: _Mention, doc: Doc) -> None:
    """A person first named without a title ("Clinton Breaks With Obama") takes the title
    of a later mention ("President Obama") as their role: "the president" is then them."""
    if not person.role:
        person.role = mention.title or _role(doc, mention)


def _person_named(
    people: list[_Person], mention: _Mention, contested: set[str], table: ActorTable
) -> str | None:
    """The person a mention names by a full name, a surname or a first name, if any. A
    `contested` surname alone names only those its title says: where the article writes
    "Mr. Obama", "Obama" is not the first lady, Michelle Obama, named in full."""
    words = _name_words(mention.text)
    if not words or _DOTTED_INITIALS.match(mention.text):
        return None  # "U.N." is no surname, even beside Kim Jong Un
    if len(words) >= 2:
        matches = [p for p in people if (p.first, p.last) == (words[0], words[-1])]
    elif mention.label == "GPE":  # "Charlotte" the city is not Charlotte Smith
        matches = [p for p in people if p.last == words[0]]
    else:
        same_surname = [p for p in people if p.last == words[0]]
        matches = [p for p in same_surname if _may_be(p, mention, contested, table)]
        if not same_surname:
            matches = [p for p in people if p.first == words[0]]
        sex = {p.actor_id: table.sex(p.actor_id) for p in matches}
        matches = [
            p for p in matches if mention.sex is None or sex[p.actor_id] in {None, mention.sex}
        ]
        matches = [p for p in matches if sex[p.actor_id] == mention.sex] or matches  # "her husband"
    if not matches:
        return None
    return min(matches, key=lambda p: p.first_seen).actor_id


def _as_people(mentions: list[_Mention]) -> list[_Mention]:
    """The mentions, a one-word name the recogniser took for an organisation relabelled a
    person where it reads that word as a person more often ("Obama Sees ..." in a headline,
    "Mr. Obama" everywhere else)."""
    readings = Counter(
        (normalise_name(m.text), m.label) for m in mentions if len(m.text.split()) == 1
    )
    return [
        replace(m, label="PERSON")
        if m.label == "ORG"
        and readings[normalise_name(m.text), "PERSON"] > readings[normalise_name(m.text), "ORG"]
        and len(m.text.split()) == 1
        else m
        for m in mentions
    ]


def _contested_surnames(
    people: list[_Person], mentions: list[_Mention], table: ActorTable
) -> set[str]:
    """Surnames that, written alone, name someone of the other sex than every person named
    in full with them ("Mr. Obama" beside only "the first lady, Michelle Obama")."""
    contested = set()
    for mention in mentions:
        words = _name_words(mention.text)
        if len(words) != 1 or mention.sex is None:
            continue
        named = [p for p in people if p.last == words[0]]
        sexes = {table.sex(p.actor_id) for p in named}
        if named and None not in sexes and mention.sex not in sexes:
            contested.add(words[0])
    return contested


def _one_sex_titled(mention: _Mention, mentions: list[_Mention]) -> bool:
    """Whether every title the article gives this name says one sex: not where a surname is
    written with both "Mr." and "Mrs." (a couple), when a title does not say who is meant."""
    words = _name_words(mention.text)
    sexes = {m.sex for m in mentions if m.sex is not None and _name_words(m.text) == words}
    return len(sexes) == 1


def _may_be(person: _Person, mention: _Mention, contested: set[str], table: ActorTable) -> bool:
    """Whether a surname alone may name the person: not where the surname is contested,
    unless the mention's title says they are of the person's sex ("Mrs. Obama")."""
    return person.last not in contested or mention.sex == table.sex(person.actor_id)


#: Words that say a person's sex: titles ("Mrs."), family roles ("the first lady", "his
#: wife"); and "-woman" ("spokeswoman").
_FEMALE_WORDS = frozenset("mrs ms miss lady wife mother daughter sister widow".split())  # noqa: SIM905
_MALE_WORDS = frozenset("mr husband father son brother widower".split())  # noqa: SIM905
_HONORIFICS = {"mr", "mrs", "ms", "miss"}


def _sex(words: str) -> str | None:
    """'f' or 'm' when `words` (a title or role) say so, else None. Only the role's own
    head counts: "a lawyer for the victim's mother" says nothing of the lawyer."""
    head = re.split(r"\b(?:of|for|at|to|with|in|on|from|by)\b|'s\b|\u2019s\b", words.lower())[0]
    found = re.findall(r"[a-z]+", head)
    if any(word in _FEMALE_WORDS or word.endswith("woman") for word in found):
        return "f"
    if any(word in _MALE_WORDS for word in found):
        return "m"
    return None


#: An abbreviation spelt with full stops: "U.N.", "U.S.".
_DOTTED_INITIALS = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def _name_words(text: str) -> list[str]:
    """A name's words for comparing people: normalised, without titles or initials."""
    words = normalise_name(text).split()
    return [w for w in words if w not in TITLE_WORDS and len(w) > 1 and w not in {"jr", "sr"}]


def _code_after(doc: Doc, mention: _Mention) -> str | None:
    """The code in brackets just after the mention, if any ("(WMF)", "(MRK)")."""
    codes: dict[int, str] = doc.user_data.get(BRACKETED_CODES, {})
    end = doc[mention.end - 1].idx + len(doc[mention.end - 1].text)
    return next((codes[at] for at in range(end, end + 3) if at in codes), None)


def _spelt_out(organisation: CandidateActor, mention: _Mention) -> None:
    """An organisation first named by its initials ("FTC", in a headline) takes its full
    name when the article spells it out ("the U.S. Federal Trade Commission"); the initials
    become an alias."""
    initials = organisation.name
    if initials.upper() != initials or not any(c.islower() for c in mention.text):
        return
    organisation.aliases = [initials, *(a for a in organisation.aliases if a != mention.text)]
    organisation.name = mention.text
    organisation.kind = _organisation_kind(mention.text)


def _organisation_key(mention: _Mention, known: dict[str, str]) -> str:
    """The key of the organisation a mention names: its normalised name less a legal form
    ("Telkom SA" and "Telkom"), or that of the organisation it abbreviates or that
    abbreviates it ("FBI" and "Federal Bureau of Investigation"; "U.N. Security Council" and
    "United Nations Security Council")."""
    words = normalise_name(mention.text).split()
    if len(words) > 1 and words[-1] in _LEGAL_FORMS:  # "Telkom SA" is "Telkom"
        words = words[:-1]
    name = " ".join(words)
    abbreviated = bool(words) and mention.text.split()[0].replace(".", "").isupper()
    for key in known:
        if not key.startswith("org:"):
            continue
        other = key[4:].split()
        if (abbreviated and _abbreviates(words, other)) or _abbreviates(other, words):
            return key
    if len(words) == 1 and not abbreviated:
        # "the Foundation" after "the Wikimedia Foundation": the one organisation so named
        headed = [k for k in known if k.startswith("org:") and k.split()[-1] == words[0]]
        if len(headed) == 1 and len(headed[0].split()) > 1:
            return headed[0]
    return "org:" + name


#: A company's legal form after its name, which the article may leave out.
_LEGAL_FORMS = frozenset(
    "inc incorporated corp co ltd limited llc plc sa ag nv se gmbh spa bv ab asa lp llp".split()  # noqa: SIM905
)


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """Whether `short` is `long` with its first words as initials: "un security council"
    for "united nations security council", "fbi" for "federal bureau of investigation",
    "ftc" for "us federal trade commission"."""
    if not short or not 2 <= len(short[0]) <= 6 or len(long) <= len(short):
        return False
    rest = short[1:]
    if rest and long[-len(rest) :] != rest:
        return False
    prefix = long[: len(long) - len(rest)]
    if len(prefix) > 2 and prefix[0] in _COUNTRY_INITIALS:
        prefix = prefix[1:]  # "FTC" for "U.S. Federal Trade Commission"
    return len(prefix) >= 2 and _initials(" ".join(prefix)) == short[0]


_COUNTRY_INITIALS = {"us", "uk", "eu", "un"}


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w not in {"of", "the", "and", "for", "on"})


def _organisation_kind(name: str) -> ActorKind:
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & MEDIA_WORDS:
        return "media"
    if words & GOVERNMENT_WORDS:
        return "government"
    return "organisation"


def _venue(doc: Doc, mention: _Mention) -> bool:
    """Whether the mention is where something happens: "in Rome", "at Washington"."""
    root = doc[mention.start : mention.end].root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "across", "throughout"}


def _acts(doc: Doc, mention: _Mention) -> bool:
    """Whether a place acts in the sentence: 'Ohio appealed', 'Ohio's law', not 'in Ohio'."""
    root = doc[mention.start : mention.end].root
    return root.dep_ in _AGENTIVE


def _role(doc: Doc, mention: _Mention) -> str:
    """What the article says a person is, next to the name: the words before it in its
    noun phrase ("Trump lawyer Marc Kasowitz"), or an apposition ("David Schulz, a lawyer
    for the news outlets")."""
    root = doc[mention.start : mention.end].root
    before = [t for t in root.subtree if t.i < mention.start and t.dep_ not in {"det", "punct"}]
    while before and before[0].tag_ in {"WP$", "PRP$"}:  # "whose Foreign Secretary X"
        before = before[1:]
    if before and before[-1].i == mention.start - 1:
        words = doc[_after_joins(doc, before[0].i, mention.start) : mention.start]
        if len(words) <= _MAX_ROLE_WORDS:
            return words.text.strip()
    appositions = [child for child in root.children if child.dep_ == "appos"]
    if root.dep_ == "appos" and root.left_edge.i > 0 and not doc[root.left_edge.i - 1].is_punct:
        # no comma: "both President Obama and Republican nominee Donald Trump", which the
        # parser reads as Obama's apposition; the role is the words just before the name
        start = mention.start
        while start > 0 and doc[start - 1].pos_ in {"NOUN", "PROPN", "ADJ"}:
            start -= 1
        return doc[start : mention.start].text if start < mention.start else ""
    if root.dep_ == "appos":
        head = root.head
        tokens = [t for t in head.subtree if not (t.i >= root.left_edge.i and t.i <= root.i)]
        return _phrase(tokens)
    if appositions:
        return _phrase(list(appositions[0].subtree))
    return ""


def _after_joins(doc: Doc, start: int, end: int) -> int:
    """Where the words before a name start: after a "both", a spaced dash, or an "and" after
    another name ("both President", "27 leaders - British Prime Minister", "Trump and
    Democratic rival", "Rose and Schering Plough spokesman"), but not inside "police officer
    and Navy veteran"."""
    joins = [
        t.i
        for t in doc[start:end]
        if t.dep_ == "preconj"
        or (t.text in DASHES and bool(doc[t.i - 1].whitespace_))
        or (
            t.dep_ == "cc"
            and any(w.ent_type_ == "PERSON" or w.pos_ == "PROPN" for w in doc[start : t.i])
        )
    ]
    return joins[-1] + 1 if joins else start


def _phrase(tokens: list[Token]) -> str:
    """The tokens as text, without a leading article or edge punctuation, if short."""
    words = [t for t in tokens if not t.is_punct]
    while words and words[0].dep_ == "det":
        words = words[1:]
    if not words or len(words) > _MAX_ROLE_WORDS:
        return ""
    return words[0].doc[words[0].i : words[-1].i + 1].text


def mention_counts(actors: Iterable[CandidateActor]) -> Counter[str]:
    """How often the article names each actor."""
    return Counter({actor.id: len(actor.mentions) for actor in actors})
