"""Attributed statements: who the article says said, warned or holds what, read off the parse.

A statement is a cue (a verb from `briefer.rules.vocabulary`; a stance adjective after "be",
"is critical of"; a verb whose object is an act of speech, "issued a statement calling"; a
speech noun with a named possessor, "Trump's claim that"; or "according to"), its speaker
and its content:
- the speaker is the cue's subject ("Nervo wrote", "said X", with the subject after the verb),
  each of them where names are joined ("Grassley and Leahy said"); for "according to X",
  X; a verb joined to another ("said ... and added") or governed by one ("went on to say")
  shares that verb's subject; a sentence's opening participle ("Claiming that ..., Trump
  said") is the main clause's subject's; a participle with an agent ("charter schools,
  promoted by Trump") is the agent's, about the noun it describes;
- the actor the subject names is the speaker (`briefer.analysis.references`: names,
  appositions, pronouns, descriptions, or a new actor for "US officials"); in '"...,"
  Flynn, a top Trump surrogate, said', the first actor named after the quotation; a subject
  inside a quotation, "I", "we", "you" and unresolved pronouns give no statement;
- the content is the cue's reported clause ("said that ..."), its object for verbs such as
  "rejected" and "denied", what follows "to" for "urged ... to", or else the quotation in the
  sentence; a sentence that is mostly a quotation and has no cue of its own continues the
  speaker of the sentence before it, when that one attributed words to someone;
- negated cues ("did not say") and cues after "declined to" or "refused to" say nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from briefer.analysis.actors import ActorTable
from briefer.analysis.document import CueKind, Sentence, Statement, StatementForm
from briefer.analysis.document import Span as TextSpan
from briefer.analysis.parse import DASHES, country_names
from briefer.analysis.references import SUBJECTS, actor_named_by, is_infinitive
from briefer.names import normalise_name
from briefer.rules.vocabulary import (
    CUE_ADJECTIVES,
    DECISION_CUES,
    EDITORIAL_LABELS,
    LIGHT_SPEECH_VERBS,
    MANDATIVE_WORDS,
    NOT_YET_SAID,
    POSSESSED_CUE_PREFIX,
    POSSESSED_SPEECH_NOUNS,
    SPEECH_ACT_NOUNS,
    SPEECH_CUES,
    STANCE_ADJECTIVES,
    STANCE_CUES,
    WARNING_CUES,
)

_CUES = SPEECH_CUES | STANCE_CUES | frozenset(WARNING_CUES) | CUE_ADJECTIVES
#: Words that open a clause and that the parser may read as a preposition ("since Clinton").
_SUBORDINATORS = {"since", "after", "before", "until", "because", "as", "while", "when"}
#: Prepositions a gerund clause with its own subject follows ("despite critics saying").
_GERUND_PREPOSITIONS = {"despite", "with", "without"}
#: A quotation: opened and closed by straight or curly double quotes, mixed as some
#: articles mix them.
_QUOTATION = re.compile(r'["\u201c][^"\u201c\u201d\n]*["\u201d]?')
#: The share of a sentence a quotation must cover to continue the speaker before it.
_MOSTLY_QUOTED = 0.6


def find_statements(sentences: list[tuple[Sentence, Span]], table: ActorTable) -> list[Statement]:
    """Every attributed statement of the article, in order (rules: the module docstring);
    `sentences` pairs each sentence with its span of the parse."""
    statements: list[Statement] = []
    announced: Statement | None = None  # "Limbaugh added:", its words in the next sentence
    for sentence, span in sentences:
        quoted = _quotations(span)
        found = []
        transcript = _transcript_turn(sentence, span, table)
        if transcript is not None:
            found.append(transcript)
        credited = _credited_headline(sentence, span, table)
        if credited is not None:  # "US backs attacks on Russia – Kiev": all of it is Kiev's
            found.append(credited)
            quoted.append((credited.content.start, credited.content.end))
        for token in span:
            if any(start <= token.idx < end for start, end in quoted):
                continue  # the speaker's own words: "I think", "people say"
            statement = _statement(token, sentence, span, table) or _possessed_speech(
                token, sentence, span, table
            )
            if statement is not None:
                found.append(statement)
                found.extend(_joint_statements(token, statement, table))
        if not found and announced is not None:
            found.append(replace(announced, sentence=sentence.id, content=_whole(sentence)))
        if not found:
            continuation = _continued_quotation(sentence, span, statements)
            if continuation is not None:
                found.append(continuation)
        announced = None
        if not found and span.text.rstrip().endswith(":"):
            announced = next(
                (
                    statement
                    for token in span
                    if (statement := _statement(token, sentence, span, table, announcing=True))
                ),
                None,
            )
        statements.extend(found)
    return statements


def _joint_statements(cue: Token, statement: Statement, table: ActorTable) -> list[Statement]:
    """The same statement for each further speaker of a joined subject: "Mr. Grassley and
    Mr. Leahy said ..." is said by both."""
    subject = _agent(cue) if cue.dep_ == "acl" else None
    subject = subject or (_subject(cue) if cue.pos_ in {"VERB", "AUX"} else None)
    if subject is None or table.actor_at(subject) != statement.speaker:
        return []  # only a subject that names its speaker outright
    joint = []
    for other in subject.conjuncts:
        speaker = table.actor_at(other)
        if other.i > subject.i and speaker not in (None, statement.speaker):
            joint.append(replace(statement, speaker=speaker, resolved=False))
    return joint


def _whole(sentence: Sentence) -> TextSpan:
    return TextSpan(sentence.start, sentence.end)


def _statement(
    token: Token, sentence: Sentence, span: Span, table: ActorTable, announcing: bool = False
) -> Statement | None:
    """The statement a token cues, if it is a cue with a speaker and content. `announcing`:
    the sentence ends in a colon, and its content is the next sentence ("X added:")."""
    according = _according_to(token)
    if according is not None:
        return _according_statement(token, according, sentence, span, table)
    light = _light_verb_cue(token)
    lemma = light or _cue_lemma(token)
    announces = announcing and lemma == "continue"  # "Caddell continued:" and a quotation
    if not _is_verb(token) or not (lemma in _CUES or light or announces or _makes_clear(token)):
        return None
    if token.tag_ == "VBN" and token.dep_ in {"amod", "acl"}:  # "the said", "quoted by"
        return _by_agent(token, lemma, sentence, span, table)
    if _asked(token):
        return None  # "Asked about the deal, Lopez said": Lopez was asked
    if _negated(token):
        return None
    if _subjunctive(token):
        return None  # "their demands that Iran disclose its activities": demanded, not said
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in NOT_YET_SAID:
        return None
    if _purpose(token):
        return None  # "called an emergency meeting to discuss the test": not yet said
    if _permitted(token):
        return None  # "rules that allow companies to tell one country that ...": not said
    if lemma == "add" and any(c.dep_ == "dobj" for c in token.children):
        return None  # "by adding a few communities to the area": adds a thing, says nothing
    opening = _opening_participle(token)
    subject: Token | None
    content: TextSpan | None
    if opening is not None:
        subject, content = opening
    else:
        subject = _speaker_after_quotation(token, span, table) or _subject(token)
        subject = _name_before_verb(subject, token, table)
        content = _whole(sentence) if announcing else _content(token, span)
    if subject is None or content is None or _inside(subject, _quotations(span)):
        return None
    speaker, resolved = actor_named_by(subject, table)
    if speaker is None:
        return None
    cue = TextSpan(_cue_start(token), _cue_end(token) if light else token.idx + len(token.text))
    return _said(sentence, span, speaker, cue, content, lemma, resolved)


def _said(
    sentence: Sentence,
    span: Span,
    speaker: str,
    cue: TextSpan,
    content: TextSpan,
    lemma: str,
    resolved: bool,
) -> Statement:
    """The statement of a cue found in the sentence: its kind from the cue's word, its form
    from whether the content is a quotation."""
    kind: CueKind = "speech"
    if lemma in WARNING_CUES or lemma.endswith(" warning"):
        kind = "warning"
    elif lemma in STANCE_CUES or lemma in STANCE_ADJECTIVES:
        kind = "stance"
    return Statement(
        sentence=sentence.id,
        speaker=speaker,
        cue=cue,
        content=content,
        form=_form(content, span),
        cue_kind=kind,
        cue_lemma=lemma,
        resolved=resolved,
        clause=_is_clause(content, span),
    )


def _by_agent(
    cue: Token, lemma: str, sentence: Sentence, span: Span, table: ActorTable
) -> Statement | None:
    """A participle that describes what someone else holds or said of it: in "charter
    schools, promoted by Trump and the Obama administration, have grown", each of the
    agents promotes charter schools (the noun phrase, without the participle)."""
    source = _agent(cue)
    if cue.dep_ != "acl" or source is None or _negated(cue):
        return None
    thing = cue.head
    words = [t for t in thing.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
    content = _trimmed(words) if thing.pos_ in {"NOUN", "PROPN"} else None
    speaker = table.actor_at(source)
    if content is None or speaker is None:
        return None  # only agents the article names
    cue_words = TextSpan(cue.idx, cue.idx + len(cue.text))
    return _said(sentence, span, speaker, cue_words, content, lemma, resolved=False)


def _agent(verb: Token) -> Token | None:
    """Who a passive verb says did it: the object of its "by"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None


def _opening_participle(cue: Token) -> tuple[Token, TextSpan] | None:
    """A sentence that opens with a participle of speech ("Claiming the criticism is
    designed to pressure moderators, Trump said ..."), which the parser may read as the
    subject of the verb after it: its speaker is the main clause's subject, and what it
    says runs to the comma before that subject."""
    if cue.tag_ != "VBG" or not cue.is_sent_start or cue.dep_ not in {"csubj", "csubjpass"}:
        return None
    root = cue.sent.root
    subject = next((c for c in root.children if c.dep_ == "nsubj" and c.i > cue.i), None)
    if subject is None:
        return None
    comma = next(
        (t for t in reversed(cue.doc[cue.i + 1 : subject.left_edge.i]) if t.text == ","), None
    )
    if comma is None:
        return None
    content = _trimmed(list(cue.doc[cue.i + 1 : comma.i]))
    return (subject, content) if content else None


def _cue_lemma(token: Token) -> str:
    """The word a cue is known by: its lemma, or an adjective of concern as written
    ("were concerned that": "concerned", which the tagger may read as the verb's participle),
    or the verb less its "s", "d" or "ed" where the lemmatiser errs."""
    if token.dep_ == "acomp" and token.lower_ in CUE_ADJECTIVES:
        return token.lower_
    lemma = token.lemma_.lower()
    if lemma not in _CUES and token.tag_ in {"VBZ", "VBD", "VBN"}:
        # "hopes" and "hoped", which the lemmatiser reads as "hop"
        lemma = next((s for s in (token.lower_[:-1], token.lower_[:-2]) if s in _CUES), lemma)
    return lemma


def _purpose(verb: Token) -> bool:
    """Whether the cue is what someone means to do ("called a meeting to discuss"): an
    infinitive that modifies a noun, or that follows a verb and its object."""
    done_first = any(c.dep_ == "dobj" and c.i < verb.i for c in verb.head.children)
    purposive = verb.dep_ == "acl" or (verb.dep_ == "advcl" and done_first)
    return purposive and is_infinitive(verb)


def _asked(verb: Token) -> bool:
    """A participle of asking or telling with no subject of its own ("Asked about the deal,",
    "Pressed on the point,"): the main clause's subject was asked, and said nothing yet."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ == "advcl"
        and verb.lemma_.lower() in _ADDRESSEE_OBJECT | {"press", "question"}
        and not any(c.dep_ in {"aux", "nsubj", "nsubjpass"} for c in verb.children)
    )


def _permitted(verb: Token) -> bool:
    """Whether the cue is what a decision allows or forbids ("allowed him to say", "let
    them tell", "barred him from saying"): speech permitted or barred is not reported."""
    head = verb.head
    if verb.dep_ == "pcomp" and head.lower_ == "from":
        return DECISION_CUES.get(head.head.lemma_.lower()) == "deny"
    someone = any(c.dep_ in {"dobj", "nsubjpass"} for c in head.children) or any(
        c.dep_ == "nsubj" for c in verb.children
    )  # not "The president stopped to tell reporters"
    return (
        verb.dep_ in {"xcomp", "ccomp"}
        and someone
        and DECISION_CUES.get(head.lemma_.lower()) in {"grant", "deny", "revoke"}
        and (is_infinitive(verb) or head.lemma_.lower() == "let")
    )


def _subjunctive(cue: Token) -> bool:
    """Whether the cue is a bare verb with a subject of its own and no auxiliary, in the
    clause of a word of demand: a subjunctive ("demands that Iran disclose", "proposed that
    the board announce"), what someone else wants said."""
    return (
        cue.tag_ in {"VB", "VBP"}  # the tagger reads "Iran disclose" as a present
        and cue.dep_ in {"ccomp", "acl"}
        and cue.head.lemma_.lower() in MANDATIVE_WORDS
        and any(child.dep_ == "nsubj" for child in cue.children)
        and not any(child.dep_ in {"aux", "auxpass"} for child in cue.children)
    )


def _negated(cue: Token) -> bool:
    """Whether the cue, or the verb or "be" it depends on, is negated: "did not say", "were
    not skeptical that", "did not want to say"."""
    current = cue
    for _ in range(3):
        if any(child.dep_ == "neg" for child in current.children):
            return True
        if current.dep_ not in {"acomp", "xcomp"}:
            return False
        current = current.head
    return False


def _cue_start(cue: Token) -> int:
    """Where the cue's words start, shown whole: at the verb; at the "be" of an adjective
    ("has long been critical of"); at the verb that governs an infinitive just before it
    ("went on to warn", not a sentence's opening "Asked to ..."); at a modal just before it
    ("could deny")."""
    head = cue.head
    if cue.dep_ == "acomp":
        subject = next((c.i for c in head.children if c.dep_ in SUBJECTS), -1)
        before = [
            c for c in head.children if c.dep_ in {"aux", "advmod"} and subject < c.i < head.i
        ]
        return min([head.idx, *(c.idx for c in before)])
    infinitive = is_infinitive(cue)
    opening = head.is_sent_start or head.tag_ == "VBN"
    if infinitive and head.pos_ in {"VERB", "AUX"} and not opening and 0 < cue.i - head.i <= 4:
        return head.idx
    modal = next((c for c in cue.children if c.tag_ == "MD" and c.i < cue.i), None)
    if modal is not None and modal.text.isalpha() and cue.i - modal.i <= 2:
        return modal.idx  # "would consider it an insult": what might be, not what was
    return cue.idx


def _cue_end(verb: Token) -> int:
    """Where a light verb's cue ends: after its particle when one follows it ("laid out")."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if after is not None and after.dep_ == "prt" and after.head == verb:
        return after.idx + len(after.text)
    return verb.idx + len(verb.text)


def _possessed_speech(
    noun: Token, sentence: Sentence, span: Span, table: ActorTable
) -> Statement | None:
    """'Trump's claim that he opposed the war', 'North Korea's claims about the test': the
    possessor's statement of the clause or topic that follows the noun."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in POSSESSED_SPEECH_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None or owner.pos_ == "PRON":
        return None  # "his claim": whose, the sentence before would have to say
    speaker, resolved = actor_named_by(owner, table)
    said = [
        c
        for c in noun.children
        if c.i > noun.i
        and (c.dep_ in {"acl", "ccomp"} or (c.dep_ == "prep" and c.lower_ in {"about", "on"}))
    ]
    content = _trimmed([t for c in said for t in c.subtree]) if said else None
    if speaker is None or content is None:
        return None
    cue = TextSpan(noun.idx, noun.idx + len(noun.text))
    lemma = POSSESSED_CUE_PREFIX + noun.lemma_.lower()
    return _said(sentence, span, speaker, cue, content, lemma, resolved)


def _light_verb_cue(verb: Token) -> str | None:
    """'issue statement' for "issued a statement calling ...": a verb whose object is an
    act of speech reports it ("sounded a call for", "made the case for"); else None."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in LIGHT_SPEECH_VERBS:
        return None
    noun = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if noun is None or noun.lemma_.lower() not in SPEECH_ACT_NOUNS:
        return None
    return f"{verb.lemma_.lower()} {noun.lemma_.lower()}"


def _is_verb(token: Token) -> bool:
    """A verb, or a word the tagger took for a plural noun but the parser gives a subject:
    in "But Trump claims that ...", "claims" is tagged NNS and heads the sentence; or an
    adjective of concern or stance after "be" ("were concerned that", "is critical of")."""
    if token.pos_ in {"VERB", "AUX"} or (token.dep_ == "acomp" and token.lower_ in CUE_ADJECTIVES):
        return True
    return token.tag_ == "NNS" and (
        any(c.dep_ == "nsubj" for c in token.children) or _misread_subject(token) is not None
    )


def _misread_subject(noun: Token) -> Token | None:
    """The name a cue misread as a plural noun heads as a compound: in "But Trump claims
    that ...", the parser may read "Trump claims" as one noun; with a clause of its own, the
    noun is the verb and the name its subject."""
    if noun.tag_ != "NNS" or noun.dep_ != "ROOT":
        return None
    if not any(c.dep_ == "ccomp" and c.i > noun.i for c in noun.children):
        return None
    return next(
        (c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < noun.i),
        None,
    )


def _makes_clear(verb: Token) -> bool:
    """'X made it clear that ...': a statement by X."""
    return verb.lemma_.lower() == "make" and any(c.lower_ == "clear" for c in verb.children)


def _quotations(span: Span) -> list[tuple[int, int]]:
    """Where the quotations of a sentence are, as article offsets, marks excluded."""
    return [
        (span.start_char + m.start() + 1, span.start_char + m.end() - 1)
        for m in _QUOTATION.finditer(span.text)
    ]


#: A transcript's turn: "WALLACE: Let's start ..." (a name in capitals, then a colon).
_TURN = re.compile(r"[\"\u201c]?([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):\s+\S")


def _credited_headline(sentence: Sentence, span: Span, table: ActorTable) -> Statement | None:
    """A headline that ends with a dash and a source ("US backs cross-border missile
    attacks on Russia – Kiev", "... - report") is that source's claim, every word of it."""
    if sentence.id != 1:
        return None
    words = [t for t in span if not t.is_space]
    dash = next((t for t in reversed(words[:-1]) if t.text in DASHES and bool(t.whitespace_)), None)
    if dash is None or dash.i - span.start < 3:
        return None
    source = [t for t in words if t.i > dash.i and not t.is_punct]
    named = {actor for actor in map(table.actor_at, source) if actor is not None}
    text = " ".join(t.text for t in source)
    country = country_names().get(text)
    if not named:  # "– Kiev" speaks for its country; "- Kremlin" the Kremlin named below
        names = {normalise_name(country or text)}
        named = {
            a.id for a in table.actors if names & {normalise_name(n) for n in (a.name, *a.aliases)}
        }
    elif any(table.actor_at(t) is None for t in source):
        return None
    if len(source) > 4 or len(named) != 1:
        return None
    content = _trimmed([t for t in words if t.i < dash.i])
    if content is None:
        return None
    cue = TextSpan(dash.idx, dash.idx + len(dash.text))
    return _said(sentence, span, named.pop(), cue, content, "say", resolved=False)


def _transcript_turn(sentence: Sentence, span: Span, table: ActorTable) -> Statement | None:
    """'NAME: words' is NAME's statement of the words: a transcript's turn ("WALLACE: ...")
    or a headline ("Sanders: Clinton needs to ...")."""
    turn = _TURN.match(span.text)
    if turn is not None and turn.group(1).lower().replace("\u2019", "'") in EDITORIAL_LABELS:
        return None  # "CLARIFICATION: The first sentence has been clarified ..."
    if turn is not None and turn.group(1) not in {"Q", "A"}:
        speaker: str | None = _person_by_surname(turn.group(1), table)
        label_end = span.start_char + turn.end(1) + 1
    else:
        colon = next((t for t in span[:6] if t.text == ":"), None)
        if colon is None or colon.i + 1 >= span.end:
            return None
        label = span.doc[span.start : colon.i]
        named = table.actors_in(label)
        if not named:
            named = _known_surname(label, table)
            if not named:
                return None
        elif (
            len(named) != 1
            or any(table.actor_at(t) != named[0] for t in label if t.pos_ == "PROPN")
            or len(table.actor(named[0]).mentions) < 2
        ):
            return None  # not one actor, or a heading ("Veto Power Impedes Peace Efforts:")
        speaker, label_end = named[0], colon.idx + 1
    content = _trimmed([t for t in span if t.idx >= label_end])
    if speaker is None or content is None:
        return None
    return Statement(
        sentence=sentence.id,
        speaker=speaker,
        cue=TextSpan(span.start_char, label_end),
        content=content,
        form="quotation" if turn is not None else _form(content, span),
        cue_kind="speech",
        cue_lemma="transcript" if turn is not None else "colon",
    )


def _known_surname(label: Span, table: ActorTable) -> list[str]:
    """A headline's label that is one capitalised word, the surname of a person the article
    names ("Sanders: Clinton needs to ..."): the recogniser misses names in headlines."""
    if len(label) != 1 or not label[0].text[:1].isupper():
        return []
    return [actor.id for actor in table.people_named(label[0].text)][:1]


def _person_by_surname(name: str, table: ActorTable) -> str | None:
    """The actor a transcript's speaker label names ('PENCE' for Mike Pence), added as a new
    person when the article names no one so."""
    label = name.title()
    people = table.people_named(name)
    if people:
        return people[0].id
    existing = next((a for a in table.actors if a.name == label), None)
    return (existing or table.add(label, "person")).id


def _according_to(token: Token) -> Token | None:
    """For 'according to X', the token X; else None."""
    if token.lower_ != "according":
        return None
    to = next((child for child in token.children if child.lower_ == "to"), None)
    if to is None:
        return None
    return next((child for child in to.children if child.dep_ == "pobj"), None)


def _according_statement(
    according: Token, source: Token, sentence: Sentence, span: Span, table: ActorTable
) -> Statement | None:
    speaker, resolved = actor_named_by(source, table)
    if speaker is None:
        return None
    phrase = set(range(according.left_edge.i, _source_end(according, source) + 1))
    words = [t for t in span if t.i not in phrase and not t.is_space]
    content = _trimmed(words)
    if content is None:
        return None
    cue = TextSpan(according.idx, source.idx - 1 if source.idx > according.idx else according.idx)
    return _said(sentence, span, speaker, cue, content, "according to", resolved)


def _source_end(according: Token, source: Token) -> int:
    """Where "according to X" ends: after X's phrase; but when the parser found no verb
    for the sentence and hung the clause on X ("According to host Rush Limbaugh, the move
    reeks of fear"), at the comma after X."""
    end = source.right_edge.i
    if according.dep_ != "ROOT":
        return end
    commas = [t.i for t in source.doc[source.i : end + 1] if t.text == ","]
    if len(commas) >= 2 and commas[1] - commas[0] <= 8:  # "John Smith, a spokesman, the"
        return commas[1]
    return commas[0] if commas else end


def _inside(token: Token, quotations: list[tuple[int, int]]) -> bool:
    return any(start <= token.idx < end for start, end in quotations)


def _speaker_after_quotation(verb: Token, span: Span, table: ActorTable) -> Token | None:
    """In '"...," Flynn, a top Trump surrogate, said', the first actor named between the
    closing quotation mark and the verb: the parser sometimes takes a later noun instead;
    in '"...," said Acton', the subject after the verb."""
    closing = [t for t in span if t.i < verb.i and t.text in {'"', "\u201d"}]
    if not closing or verb.i - closing[-1].i > 12:
        return None
    for token in span.doc[closing[-1].i + 1 : verb.i]:
        if table.actor_at(token) and token.dep_ not in {"poss", "compound"}:
            return token
    # '"...," said James Acton': the parser may also give "said" a subject inside the quotation
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.i > verb.i), None)


def _name_before_verb(subject: Token | None, verb: Token, table: ActorTable) -> Token | None:
    """In "to see the real Dred Scott, Chief Justice Roberts said", the parser takes the
    name just before the verb for an apposition of the one before it: the speaker is the
    name that ends where the verb starts."""
    if subject is None:
        return None
    for child in subject.children:
        if child.dep_ == "appos" and child.right_edge.i + 1 == verb.i and table.actor_at(child):
            return child
    return subject


def _subject(verb: Token) -> Token | None:
    """The cue's subject; a verb joined to or governed by another shares that one's."""
    misread = _misread_subject(verb)
    if misread is not None:
        return misread
    current = verb
    for _ in range(3):
        subjects = [child for child in current.children if child.dep_ in SUBJECTS]
        if subjects:
            # The subject nearest the verb: "the UK, whose secretary X stated" is X's.
            before = [s for s in subjects if s.i < current.i]
            subject = before[-1] if before else subjects[0]
            if subject.dep_ == "nsubjpass":
                return _agent(current)
            return subject
        if current.dep_ == "conj" and (clause_subject := _subordinate_subject(current)):
            return clause_subject
        if current.dep_ == "advcl" and (gerund_subject := _gerund_subject(current)):
            return gerund_subject
        if current.dep_ in {"conj", "xcomp", "advcl", "acomp"} and current.head.i != current.i:
            current = current.head
            continue
        if current.dep_ == "pcomp" and current.head.dep_ == "prep":  # "responded by saying"
            current = current.head.head
            continue
        return None
    return None


def _subordinate_subject(verb: Token) -> Token | None:
    """The subject of a clause the parser broke: in "has been targeting Machado since
    Clinton, at Monday's debate, cited ...", it reads "since Clinton" as a phrase and
    "cited" as joined to "targeting" with no "and"; the clause's subject is the name after
    "since"."""
    between = verb.doc[verb.head.i + 1 : verb.i]
    if any(t.dep_ == "cc" and t.head in (verb, verb.head) for t in between):
        return None
    opener = next(
        (t for t in reversed(between) if t.dep_ == "prep" and t.lower_ in _SUBORDINATORS), None
    )
    if opener is None:
        return None
    return next(
        (c for c in opener.children if c.dep_ == "pobj" and c.pos_ in {"PROPN", "PRON"}), None
    )


def _gerund_subject(verb: Token) -> Token | None:
    """The subject of a gerund after "despite", "with" or "without": in "remain confident
    despite a few supporters of the bill, such as Bob Corker, now saying ...", the parser
    hangs "saying" on "remain"; the supporters say it, not the main clause's subject."""
    if verb.tag_ != "VBG":
        return None
    for prep in verb.head.children:
        if prep.dep_ != "prep" or prep.lower_ not in _GERUND_PREPOSITIONS or prep.i > verb.i:
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is None:
            continue
        # "with the board, claiming that": "with" was the verb's, and the comma says so
        allowed = {"advmod", "punct"} if prep.lower_ == "despite" else {"advmod"}
        if all(t.dep_ in allowed for t in verb.doc[noun.right_edge.i + 1 : verb.i]):
            return noun
    return None


def _content(verb: Token, span: Span) -> TextSpan | None:
    """What the cue attributes: its clause, infinitive or object, with what follows it
    ("blasted him for not paying"); else the quotation in the sentence."""
    if _makes_clear(verb):  # "made it clear that ...": what follows "clear"
        clear = next(c for c in verb.children if c.lower_ == "clear")
        verb = next((c for c in clear.children if c.dep_ in {"ccomp", "advcl"}), clear)
        if verb is clear:
            return None
        return _trimmed(list(verb.subtree))
    children = [c for c in verb.children if c.i > verb.i and _is_content(c)]
    if verb.lemma_.lower() in _ADDRESSEE_OBJECT and any(c.dep_ in _CLAUSES for c in verb.children):
        # "told them that" and "..., Graham told The Huffington Post": whom, not what
        children = [c for c in children if c.dep_ not in {"dobj", "dative"}]
    quoted_before = _quotation_before(verb, span)
    if quoted_before and not any(c.dep_ in _CLAUSES for c in children):
        # '"...," Clarke told some of the miners': the quotation, not the object; and
        # '"...," Schiff told X, "but ..."': both pieces of the quotation.
        after = [q for q in _quotations(span) if q[0] > verb.idx]
        end = after[-1][1] + 1 if after else quoted_before.end
        return TextSpan(quoted_before.start, end)
    if not children:  # "..., Schiff said." and "The test, North Korea said, was ..."
        children = [c for c in verb.children if c.i < verb.i and c.dep_ in _CLAUSES]
        interrupts = verb.dep_ == "parataxis" or (verb.dep_ == "ccomp" and verb.head.i < verb.i)
        if not children and interrupts:
            return _clause_without(verb.head, verb, span)
    children = [c for c in children if not _is_cue(c)]  # "..., adding that": its own statement
    if children:
        children += _clause_subject(verb, children)
        outer = _outer_predicates(verb, children)
        words = sorted(
            (t for child in children for t in child.subtree if t not in outer), key=lambda t: t.i
        )
        content = _trimmed(words)
        quotation = _quotation_around(content, span) if content else None
        if quotation or content:
            return quotation or content
    return quoted_before or _largest_quotation(span, after=verb.idx if _dependent(verb) else 0)


def _quotation_before(verb: Token, span: Span) -> TextSpan | None:
    """In '"...," X said', the quotation that ends just before the speaker and the verb."""
    if _dependent(verb):
        return None
    before = [m for m in _QUOTATION.finditer(span.text) if span.start_char + m.end() <= verb.idx]
    if not before or len(before[-1].group(0).split()) < 2:
        return None
    last = before[-1]
    start, end = span.start_char + last.start(), span.start_char + last.end()
    quoted = [t for t in span if start <= t.idx < end]
    if any(t.head.idx < start for t in quoted):
        return None  # 'Bemoaning the "phony system," Trump accused': the object of "bemoaning"
    between = span.doc.text[end : verb.idx]
    # '"We won," she said' or '"We won", she said': the quotation is what is said
    closes_speech = last.group(0).rstrip('"\u201d')[-1:] in {",", "?", "!"}
    if len(between.split()) > 12 or not (closes_speech or between.lstrip().startswith(",")):
        return None
    return TextSpan(start, end)


def _dependent(verb: Token) -> bool:
    """Whether the cue opens a clause of time, place or reason, or a relative clause: it owns
    no quotation before it ('"That makes me smart," when Clinton blasted him'; '"...," said
    Morgan, a lawyer for X, who has been challenging'; '"...," Obama said in Washington,
    where Clinton also spoke'), only one after it ('As the mayor said: "..."')."""
    opened = any(c.dep_ == "mark" or c.tag_ == "WRB" for c in verb.children if c.i < verb.i)
    return opened or verb.dep_ == "relcl"


def _clause_subject(verb: Token, children: list[Token]) -> list[Token]:
    """In "The museum, Mayor Okafor said, will open", the parser gives "said" two subjects:
    the first is the subject of the clause it reports, when that clause has none."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    clause = next((c for c in children if c.dep_ == "ccomp"), None)
    if len(subjects) < 2 or clause is None or any(c.dep_ in SUBJECTS for c in clause.children):
        return []
    return subjects[:1]


def _outer_predicates(verb: Token, children: list[Token]) -> set[Token]:
    """In "the UK, whose Foreign Secretary stated that Ukraine has the right, had not given
    permission", the parser reads "stated" as the UK's verb and "had not given" as part of
    what was stated: when the cue's subject opens an unmarked relative clause after another
    subject, a subjectless conjunct of the reported clause belongs to the outer sentence."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    relative = len(subjects) >= 2 and any(t.tag_ == "WP$" for t in subjects[-1].subtree)
    if not relative:
        return set()
    return {
        t
        for clause in children
        if clause.dep_ == "ccomp"
        for conj in clause.conjuncts
        if conj.i > clause.i and not any(c.dep_ in SUBJECTS for c in conj.children)
        for t in conj.subtree
    }


def _is_cue(token: Token) -> bool:
    return token.dep_ in {"conj", "advcl"} and token.lemma_.lower() in _CUES


def _clause_without(head: Token, verb: Token, span: Span) -> TextSpan | None:
    """The clause a parenthetical cue interrupts, without the cue and its speaker."""
    inside = set(range(verb.left_edge.i, verb.right_edge.i + 1))
    words = [t for t in head.subtree if t.i not in inside]
    return _trimmed(words)


def _is_content(token: Token) -> bool:
    """A dependent of a cue that is what it attributes: a clause, an object, or a phrase
    about something ("warned of", "blasted him for"), not when or where ("on Friday"). A
    clause the parser took for an adverbial one counts when nothing subordinates it."""
    if token.dep_ == "prep":
        verb = token.head.lemma_.lower()
        if verb in _TOPIC_ONLY:  # "spoke of the suffering", not "spoke to reporters"
            return token.lower_ in _TOPIC_ONLY[verb]
        return token.lower_ in _ABOUT or (token.lower_ == "with" and verb in _WITH_WHOM)
    if token.dep_ == "advcl":  # not "when ...", nor "..., pointing out that"
        return token.tag_ != "VBG" and not any(child.dep_ == "mark" for child in token.children)
    return token.dep_ in _CONTENT


_CLAUSES = {"ccomp", "xcomp", "parataxis"}
_CONTENT = _CLAUSES | {"dobj", "attr", "oprd", "acomp", "dative"}
#: Cues whose object is who is addressed ("told reporters"), not what is said.
_ADDRESSEE_OBJECT = {"tell", "ask", "urge", "warn", "call", "advise", "caution", "alert", "remind"}
#: Prepositions whose object is what a cue is about ("warned of", "called for").
_ABOUT = {"of", "about", "for", "against", "over", "as", "to"}
#: Cues whose content is only their topic ("spoke of", "talked about").
_TOPIC_ONLY = {"speak": {"of", "about"}, "talk": {"of", "about"}}
#: Cues whose content may be whom they side with or against ("disagrees with Obama").
_WITH_WHOM = {"agree", "disagree"}


def _trimmed(words: list[Token]) -> TextSpan | None:
    """The span from the first to the last word, without edge punctuation or 'that'; None
    when it holds no noun, verb, adjective or number."""
    words = [t for t in words if not t.is_space]
    while words and (
        (words[0].is_punct and words[0].text not in {'"', "\u201c"})
        or (words[0].lower_ == "that" and words[0].dep_ == "mark")
    ):
        words = words[1:]
    while words and words[-1].is_punct and words[-1].text not in {'"', "\u201d"}:
        words = words[:-1]
    if len(words) == 1 and _named_object(words[0]):
        return TextSpan(words[0].idx, words[0].idx + len(words[0].text))  # "endorsed Trump"
    if len(words) < 2 or not any(t.pos_ in _SAYS_SOMETHING for t in words):
        return None  # "it will", "so": no content of its own
    return TextSpan(words[0].idx, words[-1].idx + len(words[-1].text))


_SAYS_SOMETHING = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


def _named_object(word: Token) -> bool:
    """Whether one word is all a cue says, and says something: the name it endorses or
    attacks ("Cruz has endorsed Trump"), not whom it addresses ("told CNN")."""
    return (
        word.dep_ == "dobj"
        and word.pos_ == "PROPN"
        and word.ent_type_ not in {"DATE", "TIME"}
        and word.head.lemma_.lower() not in _ADDRESSEE_OBJECT
    )


def _quotation_around(content: TextSpan, span: Span) -> TextSpan | None:
    """The quotation that holds the content, marks included, when the content is inside one."""
    for match in _QUOTATION.finditer(span.text):
        start, end = span.start_char + match.start(), span.start_char + match.end()
        if start <= content.start and content.end <= end + 1:
            return TextSpan(start, end)
    return None


def _largest_quotation(span: Span, after: int = 0) -> TextSpan | None:
    """The sentence's longest quotation of three words or more, of those that open at or after
    character `after` of the article."""
    matches = [
        m
        for m in _QUOTATION.finditer(span.text)
        if len(m.group(0).split()) >= 3 and span.start_char + m.start() >= after
    ]
    if not matches:
        return None
    longest = max(matches, key=lambda m: len(m.group(0)))
    return TextSpan(span.start_char + longest.start(), span.start_char + longest.end())


def _is_clause(content: TextSpan, span: Span) -> bool:
    """Whether the content is a clause of its own: opened by "that", "whether" or a question
    word, or a verb with its subject inside the content. A quotation counts as one."""
    words = span.doc.char_span(content.start, content.end, alignment_mode="expand")
    if words is None or len(words) == 0 or words[0].text in {'"', "\u201c"}:
        return True
    if words[0].lower_ in {"that", "whether", "if"} or words[0].tag_ in {"WDT", "WP", "WRB"}:
        return True
    inside = range(words.start, words.end)
    return any(
        word.dep_ in {"nsubj", "nsubjpass", "expl"} and word.head.i in inside
        for word in words
        if word.head.pos_ in {"VERB", "AUX"}
        and word.head.dep_ != "xcomp"
        and not any(child.tag_ == "TO" for child in word.head.children)  # "them to act"
    )


def _form(content: TextSpan, span: Span) -> StatementForm:
    text = span.doc.text[content.start : content.end]
    return "quotation" if text[:1] in {'"', "\u201c"} else "reported"


def _continued_quotation(
    sentence: Sentence, span: Span, earlier: list[Statement]
) -> Statement | None:
    """A sentence that is mostly a quotation, with no cue, continues the speaker of the
    statement in the sentence just before it."""
    if not earlier or earlier[-1].sentence != sentence.id - 1:
        return None
    quotation = _largest_quotation(span)
    if quotation is None:
        return None
    length = len(span.text.strip())
    if (quotation.end - quotation.start) < _MOSTLY_QUOTED * length:
        return None
    previous = earlier[-1]
    return Statement(
        sentence=sentence.id,
        speaker=previous.speaker,
        cue=previous.cue,
        content=quotation,
        form="quotation",
        cue_kind=previous.cue_kind,
        cue_lemma=previous.cue_lemma,
        resolved=True,
    )
