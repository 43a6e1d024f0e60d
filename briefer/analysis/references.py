"""Which actor a noun phrase names: shared by attribution (speakers) and decisions (who
allowed whom).

- A phrase whose head (or an apposition of it) is a mention of a candidate actor names it.
- "who", "which" or "that" opening a relative clause names what the clause describes
  ("Ham, who said": Ham).
- "He" and "she" are the person last named as the subject of a main clause, in this
  sentence or the two before, else the person last named there; "it" and "they" the body or
  group so named, "it" never a plural ("critics") and "they" a plural where there is one.
  "I", "we" and "you" name no one the article names.
- A surname the recogniser missed ("Schiff") is the one person the article names so.
- A description ("the company", "the judge") is the actor last named whose name or role
  fits, else the first named after it ("the senators" is none of them); a definite title
  ("the Ukrainian leader") is the person a pronoun would be; an indefinite one in the
  headline or lede ("Judge rejects", "a New York judge has") the one person named later
  with that role, if only one is.
- A document named again ("the statement noted") speaks for whoever the sentences before
  say issued it ("the Security Council issued a statement").
- Any other phrase headed by a noun for people, bodies or documents ("US officials",
  "Critics", "the report") becomes a candidate actor of its own, named as the article names
  it; a thing ("the video") names no one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from briefer.analysis.actors import ActorTable, common_noun_first
from briefer.names import normalise_name
from briefer.rules.vocabulary import DESCRIPTIONS, DOCUMENTS, OFFICES, SPEAKER_NOUNS, TITLE_WORDS
from briefer.schema import ActorKind

SUBJECTS = {"nsubj", "nsubjpass"}


def is_infinitive(verb: Token) -> bool:
    """Whether the verb is a "to" infinitive ("went on to say", "asked the court to block")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


_PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
_BODY_PRONOUNS = {"it", "they", "them", "its", "their"}
_SINGULAR_BODY = {"it", "its"}
_PLURAL = {"NNS", "NNPS"}
_NEVER_RESOLVED = {"i", "we", "you", "me", "us", "one", "who", "which", "that", "this", "these"}
#: Entity labels that are never actors: "Monday", "$500,000", "Ohio's 88 counties".
_NOT_ACTORS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
_NOT_NAMING = {"det", "predet", "nummod", "quantmod", "advmod"}
_QUANTITIES = {"more", "many", "some", "several", "most", "few", "other", "all", "both"}
#: Words that make a title another office: "Vice President" is not "the president".
_LESSER_TITLES = {"vice", "deputy", "assistant", "former", "lieutenant", "acting"}
#: Sentences back that a pronoun's antecedent may be in.
_PRONOUN_REACH = 2
#: The headline and lede: where news describes a person ("a New York judge") before naming.
_LEDE_SENTENCES = 3


def actor_named_by(subject: Token, table: ActorTable) -> tuple[str | None, bool]:
    """The actor the phrase headed by `subject` names (rules: the module docstring), and
    whether it was resolved (a pronoun or description) rather than named."""
    named = table.actor_at(subject)
    if named is not None:
        return named, False
    for child in subject.children:
        if child.dep_ == "appos" and table.actor_at(child):
            return table.actor_at(child), False
    named_last = _apposition_before_verb(subject, table)
    if named_last is not None:
        return named_last, False
    lower = subject.lower_
    if lower in {"who", "that", "which"} and subject.head.dep_ == "relcl":
        antecedent = subject.head.head
        if lower == "who":
            antecedent = _person_described(antecedent, table)
        return actor_named_by(antecedent, table)  # "Ham, who said": Ham
    if lower in _NEVER_RESOLVED:
        return None, False
    if lower in {"it", "they"} and _follows_a_thing(subject, table):
        return None, False  # "White's order dissolved ... It also denied": the order
    if lower in _PERSON_PRONOUNS or lower in _BODY_PRONOUNS:
        found = _antecedent(subject, table, "person" if lower in _PERSON_PRONOUNS else "body")
        if found is not None:
            table.add_mention(found, subject.i, subject.i + 1)
        return found, True
    if subject.pos_ == "PRON":
        return None, False
    described = (
        _described(subject, table) or _titled_person(subject, table) or _issuer(subject, table)
    )
    if described is not None:
        table.add_mention(described, subject.i, subject.i + 1)
        return described, True
    return _new_actor(subject, table), False


def _follows_a_thing(pronoun: Token, table: ActorTable) -> bool:
    """Whether "it" or "they" stands for a thing or body that is no actor: the nearest
    subject before it in its sentence ("A split bench ... issued the directive after making
    it apparent that they would only consider ...") or, when it opens a main clause, the
    subject of the sentence before ("White's order dissolved the injunction. It also denied
    ..."), a singular noun. It is that, not an organisation named as an object."""
    sentence = pronoun.sent
    if pronoun.dep_ in SUBJECTS and pronoun.head.dep_ == "ROOT":
        if sentence.start == 0:
            return False
        before = pronoun.doc[sentence.start - 1].sent
        subjects = [t for t in before.root.children if t.dep_ in SUBJECTS]
    else:  # the nearest subject before it
        subjects = [
            t for t in sentence if t.dep_ in SUBJECTS and t.i < pronoun.i and t.pos_ != "PRON"
        ][-1:]
    if not subjects:
        return False
    subject = subjects[0]
    return (
        subject.pos_ == "NOUN"
        and subject.tag_ not in _PLURAL  # "environmentalists worry ... they say": people
        and table.actor_at(subject) is None
        and subject.lemma_.lower() not in DESCRIPTIONS
        and subject.lemma_.lower() not in SPEAKER_NOUNS
    )


def _person_described(noun: Token, table: ActorTable) -> Token:
    """What "who" describes: the noun the clause hangs on, or, when that names no person,
    the person whose phrase holds it ("Morgan, a lawyer for the Sierra Club, who": Morgan)."""
    named = table.actor_at(noun)
    if named is not None and table.actor(named).kind == "person":
        return noun
    token = noun
    while token.dep_ in {"pobj", "prep", "appos", "compound"} and token.head.i != token.i:
        token = token.head
        named = table.actor_at(token)
        if named is not None and table.actor(named).kind == "person":
            return token
    return noun


def _apposition_before_verb(subject: Token, table: ActorTable) -> str | None:
    """In "His former partner at Lenox, Lawrence B. Cummings, called him ...", the parser
    hangs the name on "Lenox": a named apposition that closes the subject's phrase, just
    before its verb, names the subject."""
    if subject.pos_ != "NOUN" or subject.head.i <= subject.i:
        return None
    verb = subject.head
    for token in subject.subtree:
        named = table.actor_at(token) if token.dep_ == "appos" else None
        if named is None or table.actor(named).kind != "person":
            continue
        host = table.actor_at(token.head)  # "Lenox": a person is no apposition of a body
        if token.head.pos_ != "PROPN" or (host and table.actor(host).kind == "person"):
            continue  # "The mother of the slain teenager, Trayvon Martin, said": his mother
        between = subject.doc[token.right_edge.i + 1 : verb.i]
        if all(t.is_punct for t in between):
            return named
    return None


def _antecedent(
    pronoun: Token,
    table: ActorTable,
    wanted: str,
    excluded: Callable[[str], bool] | None = None,
) -> str | None:
    """The actor a pronoun stands for: the last fitting subject, else the last fitting actor
    named, within `_PRONOUN_REACH` sentences before it; never one `excluded` says no to."""
    doc = pronoun.doc
    window = range(pronoun.i - 1, _reach_start(pronoun) - 1, -1)
    fitting = []
    for index in window:
        actor_id = table.actor_at(index)
        if actor_id is None or (excluded is not None and excluded(actor_id)):
            continue
        kind = table.actor(actor_id).kind
        if (kind == "person") == (wanted == "person") and _agrees(pronoun, actor_id, table):
            fitting.append((doc[index], actor_id))
    if wanted == "body":
        fitting = _in_number(pronoun, fitting)
    subjects = [(t, a) for t, a in fitting if t.dep_ in SUBJECTS or t.head.dep_ in SUBJECTS]
    main = [a for t, a in subjects if _clause_verb(t).dep_ == "ROOT"]
    if main or subjects:
        return (main or [a for _, a in subjects])[0]
    return fitting[0][1] if fitting else None


def _agrees(pronoun: Token, actor_id: str, table: ActorTable) -> bool:
    """ "He" is no one the article calls "Mrs." or "his wife"; "she" no one it calls "Mr."."""
    sex = table.sex(actor_id)
    return sex is None or _PRONOUN_SEX.get(pronoun.lower_, sex) == sex


_PRONOUN_SEX = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def _reach_start(token: Token) -> int:
    """The first token of the sentence `_PRONOUN_REACH` sentences before the token's: how
    far back a pronoun's or a document's antecedent is looked for."""
    first_sentence = token.sent
    for _ in range(_PRONOUN_REACH):
        if first_sentence.start == 0:
            break
        first_sentence = token.doc[first_sentence.start - 1].sent
    return first_sentence.start


def _in_number(pronoun: Token, fitting: list[tuple[Token, str]]) -> list[tuple[Token, str]]:
    """ "It" is never a plural ("critics"); "they" is one when the article names one."""
    plural = [(t, a) for t, a in fitting if t.tag_ in _PLURAL]
    if pronoun.lower_ in _SINGULAR_BODY:
        return [(t, a) for t, a in fitting if t.tag_ not in _PLURAL]
    return plural or fitting


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a subject (or a word of it) belongs to."""
    while token.dep_ not in SUBJECTS and token.head.i != token.i:
        token = token.head
    return token.head


def _described(subject: Token, table: ActorTable) -> str | None:
    """The actor a description names ("the company", "the judge"): the last named before
    it whose name or role fits, else the first named after it; a body ("the union") is no
    person, even one whose role names it ("union leader Karen Gonzalez")."""
    words = DESCRIPTIONS.get(subject.lemma_.lower())
    if words is None or subject.tag_ in _PLURAL:
        return None  # "the senators" is no one senator
    determiner = next((c for c in subject.children if c.dep_ == "det"), None)
    indefinite = determiner is not None and determiner.lower_ in {"a", "an"}
    headline = determiner is None and subject.sent.start == 0 and subject.tag_ in {"NN", "NNP"}
    if indefinite or headline:  # "A New York judge has ...", "Judge rejects ..."
        return _introduced(subject, words, table)
    if any(c.dep_ in {"poss", "compound"} for c in subject.children):
        return None
    if determiner is None or determiner.lower_ not in {"the", "this"}:
        return None
    # "the regional court" is not the Supreme Court: every modifier must fit too
    modifiers = [c.lower_ for c in subject.children if c.dep_ in {"amod", "compound", "nmod"}]
    a_body = subject.lemma_.lower() not in TITLE_WORDS  # "the union" is not its leader
    before, after = [], []
    for actor in table.actors:
        if a_body and actor.kind == "person":
            continue
        described = f"{actor.name} {actor.role}".lower()
        if not any(re.search(rf"\b{word}\b", described) for word in words):
            continue
        if not all(re.search(rf"\b{re.escape(word)}\b", described) for word in modifiers):
            continue
        if any(_another_office(actor.role, word, subject) for word in words):
            continue
        starts = [m.start for m in actor.mentions]
        earlier = [s for s in starts if s < subject.idx]
        if earlier:
            before.append((max(earlier), actor.id))
        elif starts:
            after.append((min(starts), actor.id))
    if before:
        return max(before)[1]
    if after:
        return min(after)[1]
    if subject.lemma_.lower() in {"company", "firm"}:
        return _last_company(subject, table)
    return None


def _last_company(subject: Token, table: ActorTable) -> str | None:
    """'The company said' after 'Walmart Chile ...' and a workers' federation: the last
    organisation named before it that no word names another kind of body."""
    named = []
    for actor in table.actors:
        words = set(normalise_name(actor.name).split())
        if actor.kind != "organisation" or words & _OTHER_BODIES:
            continue
        earlier = [m.start for m in actor.mentions if m.start < subject.idx]
        if earlier:
            named.append((max(earlier), actor.id))
    return max(named)[1] if named else None


#: Words that name a body that is not a company: "National Federation of Walmart Workers".
_OTHER_BODIES = {
    "union", "federation", "association", "council", "committee", "commission", "agency",
    "ministry", "department", "court", "party", "campaign", "university", "foundation",
    "institute", "coalition", "alliance", "workers", "league", "society", "church",
}  # fmt: skip


def _introduced(subject: Token, words: tuple[str, ...], table: ActorTable) -> str | None:
    """'A New York judge has rejected ...' in a lede, then 'Justice Frank Nervo rejected
    ...': an indefinite title is the one person named later with that role, when the article
    names only one."""
    if _sentence_number(subject) > _LEDE_SENTENCES:
        return None
    later = [
        actor
        for actor in table.actors
        if actor.kind == "person"
        and any(re.search(rf"\b{word}\b", actor.role.lower()) for word in words)
        and any(m.start > subject.idx for m in actor.mentions)
    ]
    return later[0].id if len(later) == 1 else None


def _sentence_number(token: Token) -> int:
    """1 for the article's first sentence (its headline, usually)."""
    return sum(1 for sentence in token.doc.sents if sentence.start <= token.i)


def _titled_person(subject: Token, table: ActorTable) -> str | None:
    """'The Ukrainian leader', 'the senator': a definite title is the person last named as a
    subject, as a pronoun would be (news varies how it names the person it follows)."""
    determiner = next((c for c in subject.children if c.dep_ == "det"), None)
    if determiner is None or determiner.lower_ != "the" or subject.tag_ != "NN":
        return None
    title = subject.lemma_.lower()
    if title not in TITLE_WORDS:
        return None
    # "the president" is not the vice president, nor "the mayor" anyone not named mayor
    return _antecedent(
        subject,
        table,
        "person",
        lambda actor: (
            _another_office(table.actor(actor).role, title, subject)
            or _not_in_office(table.actor(actor).role, title)
        ),
    )


def _not_in_office(role: str, title: str) -> bool:
    """Whether `title` is an office of `OFFICES` that `role` does not name: "the mayor" is
    neither the person named governor nor one the article gives no office."""
    office = OFFICES.get(title)
    if office is None:
        return False
    held = {OFFICES[word] for word in re.findall(r"[a-z]+", role.lower()) if word in OFFICES}
    return office not in held


def _another_office(role: str, title: str, subject: Token) -> bool:
    """Whether `role` holds `title` only as a lesser office ("Vice President" for "the
    president") that the phrase does not name ("the vice president" would)."""
    said = {t.lower_ for t in subject.children}
    lesser = "|".join(sorted(_LESSER_TITLES - said))
    return bool(re.search(rf"\b(?:{lesser})\s+{re.escape(title)}\b", role.lower()))


def _titled_name(subject: Token, table: ActorTable) -> str | None:
    """A name after titles or a role the recogniser missed or misread ("Mayor Ines Dahl",
    "Council member Per Olsen"): the person so named, with the role."""
    words = [t for t in subject.subtree if not t.is_punct and t.dep_ != "det"]
    run: list[Token] = []
    for token in reversed(words):
        if not token.text[:1].isupper() or token.lower_.rstrip(".") in TITLE_WORDS:
            break
        run.insert(0, token)
    before = words[: len(words) - len(run)]
    if not run or not before or len(run) > 3:
        return None
    if not all(
        t.lower_.rstrip(".") in TITLE_WORDS or t.lemma_.lower() in SPEAKER_NOUNS for t in before
    ):
        return None
    name = " ".join(t.text for t in run)
    known = next(iter(table.people_named(run[-1].text)), None)
    actor = known or table.add(name, "person", " ".join(t.text for t in before))
    table.add_mention(actor.id, run[0].i, run[-1].i + 1)
    return actor.id


def _person_by_surname(words: list[Token], table: ActorTable) -> str | None:
    """'Schiff' the recogniser missed is Adam Schiff when the article names one person so."""
    if not all(t.pos_ == "PROPN" or t.text.istitle() for t in words) or len(words) > 2:
        return None
    people = table.people_named(words[-1].text)
    return people[0].id if len(people) == 1 else None


def _issuer(document: Token, table: ActorTable) -> str | None:
    """Who issued a document the phrase names again: after "the Security Council issued a
    statement", "the statement" is the Council's; the nearest issuer within
    `_PRONOUN_REACH` sentences before wins."""
    lemma = document.lemma_.lower()
    determiner = next((c for c in document.children if c.dep_ == "det"), None)
    if (
        lemma not in DOCUMENTS
        or determiner is None
        or determiner.lower_ not in {"the", "that", "this"}
    ):
        return None
    doc = document.doc
    for index in range(document.i - 1, _reach_start(document) - 1, -1):
        earlier = doc[index]
        if earlier.lemma_.lower() != lemma or earlier.dep_ != "dobj" or earlier.i == document.i:
            continue
        subject = next((c for c in earlier.head.children if c.dep_ in SUBJECTS), None)
        issuer = table.actor_at(subject) if subject is not None else None
        if issuer is not None:
            return issuer
    return None


def _new_actor(subject: Token, table: ActorTable) -> str | None:
    """A speaker the article describes without naming an actor of the table ("US
    officials", "Zelensky's office", "Critics"): a new actor named by its noun phrase."""
    if subject.pos_ not in {"NOUN", "PROPN"} or subject.ent_type_ in _NOT_ACTORS:
        return None
    person = _titled_name(subject, table)
    if person is None and subject.text.istitle():  # "Trump urges ...", tagged a noun
        person = _person_by_surname([subject], table)
        if person is not None:
            table.add_mention(person, subject.i, subject.i + 1)
    if person is not None:
        return person
    common = subject.pos_ == "NOUN" or common_noun_first(subject.doc, subject.i, subject.i + 1)
    if common and subject.lemma_.lower() not in SPEAKER_NOUNS:
        return None  # "the video shows", "Curfew lifted": a thing, not a speaker
    words = [t for t in subject.subtree if t.dep_ not in {"punct"}]
    if len(words) > 6 or any(t.dep_ in {"relcl", "acl", "appos"} for t in words):
        words = [t for t in subject.subtree if t.i <= subject.i and t.dep_ != "punct"]
    while words and (words[0].dep_ in _NOT_NAMING or words[0].lower_ in _QUANTITIES):
        words = words[1:]  # "the", "10,000", "more", "about 20": not the actor's name
    while words and words[-1].dep_ == "case":
        words = words[:-1]  # "the government's determination": the government
    if not words or len(words) > 6:
        return None
    if any(t.lower_ in {"his", "her", "its", "their", "my", "our", "your"} for t in words):
        return None
    doc = subject.doc
    name = doc[words[0].i : words[-1].i + 1].text
    person = _person_by_surname(words, table)
    if person is not None:
        table.add_mention(person, words[0].i, words[-1].i + 1)
        return person
    if words[0].pos_ != "PROPN":
        name = name[:1].lower() + name[1:]  # "officials", as inside a sentence
    kind: ActorKind = "group" if subject.tag_ in {"NNS", "NNPS"} else "other"
    existing = next((a for a in table.actors if a.name.lower() == name.lower()), None)
    actor = existing or table.add(name, kind)
    table.add_mention(actor.id, words[0].i, words[-1].i + 1)
    return actor.id
