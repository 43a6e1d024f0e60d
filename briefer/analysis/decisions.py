"""Decisions: who the article says allowed, forbade, required or asked whom to do what.

A decision is a verb of `DECISION_CUES` with its roles read off the parse:
- active voice: the grantor is the subject; the grantee is the indirect object ("granted
  Kiev permission"), or the object of verbs that take the one decided about ("allowed the
  company to", "barred protesters from"); for verbs that take a thing ("rejected a request
  from Democrats", "upheld Husted's actions", "lifted the curfew") the grantee is the
  thing's owner, named by a possessive or by "from", "by" or "of"; a petition named again
  ("rejected that argument", "the motion was denied") is that of whoever the three
  sentences before say made it ("the Times filed a motion", "the Times argued");
  "ruled against X" denies X, "ruled in favour of X" grants X;
- passive voice: the grantee is the subject ("Kiev was not allowed to"), the grantor the
  agent ("by the court"), if any;
- a decision whose grantor is not named takes the grantor of an earlier decision about the
  same grantee when its sentence names that grantor too;
- an instrument is its issuer: after "the council granted a permit", "the permit allows the
  cooperative to" is the council's decision; an instrument of someone's ("the EPA's rule
  requires states to") is that one's;
- the action is what follows "to" or "from" ("to deploy American arms"), else the thing
  decided about; limits start at "only", "provided", "unless", "until", "except" or
  "within" inside the decision's clause;
- a negation ("not allowed") and the mood ("will allow": future; "would", "could", or an
  "if" clause: hypothetical) are kept.
Roles name actors as `briefer.analysis.references` does (names, pronouns, descriptions, and
new actors for people and bodies such as "9/11 families"); a role that names no one is None.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from briefer.analysis.actors import ActorTable
from briefer.analysis.document import Decision, DecisionEffect, DecisionMood, Sentence
from briefer.analysis.document import Span as TextSpan
from briefer.analysis.parse import clause_verb
from briefer.analysis.references import SUBJECTS, actor_named_by, is_infinitive
from briefer.rules.vocabulary import (
    APPEAL_CUES,
    APPEAL_VERBS,
    AUTHORITY_NOUNS,
    DECISION_CUES,
    DECISION_OBJECTS,
    DISMISSABLE,
    ELIGIBILITY_WORDS,
    GOVERNMENT_WORDS,
    LIMIT_WORDS,
    PETITION_VERBS,
    PHRASAL_DECISION_CUES,
    TO_RECIPIENT_CUES,
    UNLAWFUL_WORDS,
)

#: Verbs whose object is the one decided about, not a thing.
_PERSON_OBJECT = frozenset(
    """allow permit let authorize authorise forbid ban bar block prohibit prevent stop order
    require force compel exempt subpoena enable direct instruct restrict limit clear oblige
    enjoin restrain empower entitle""".split()  # noqa: SIM905
)
#: Verbs that in the passive without an agent are more often circumstance than decision.
_CIRCUMSTANTIAL = {"force", "compel"}
_FIRST_PERSON = {"i", "me", "we", "us", "'s"}
_FUTURE = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL = {"would", "could", "might", "may", "should"}
_OWNER_PREPOSITIONS = {"from", "by", "of", "for"}
#: Nouns whose owner means to do what follows ("its goal of accepting refugees").
_INTENT_NOUNS = {"goal", "plan", "aim", "promise", "pledge", "intention", "effort", "bid"}
#: Measures imposed "on" someone: "sanctions on Russian banks".
_MEASURES = {"sanction", "ban", "restriction", "limit", "curb", "tariff", "embargo", "curfew"}
#: Determiners that name a petition already reported ("that argument", "the motion").
_DEFINITE = {"the", "that", "this", "these", "those", "such"}
#: How many sentences back a petition named again is looked for.
_PETITION_REACH = 3


def find_decisions(sentences: list[tuple[Sentence, Span]], table: ActorTable) -> list[Decision]:
    """Every decision of the article, in order (rules: the module docstring)."""
    decisions: list[Decision] = []
    issuers: dict[str, tuple[str, int]] = {}  # "permit" -> who granted it, in which sentence
    petitions: list[dict[str, tuple[str, int]]] = []  # per sentence: "motion" -> maker, where
    for sentence, span in sentences:
        petitions.append(_petitions_made(sentence, span, table))
        reported: dict[str, tuple[str, int]] = {}
        for made in petitions[-_PETITION_REACH - 1 :]:
            reported |= made  # the nearest maker wins
        found = [(token, _decision(token, sentence, table, issuers, reported)) for token in span]
        stated = [(token, decision) for token, decision in found if decision is not None]
        for token, decision in stated:
            decision = _grantee_of_decided(token, decision, stated)
            if not any(_governs(other, token) for other, _ in stated):
                # "veto a bill that would allow farmers to": the bill allows, not the vetoer
                decision = _grantor_from_before(decision, decisions, span, table)
            decisions.append(decision)
    return decisions


def _grantee_of_decided(
    verb: Token, decision: Decision, stated: list[tuple[Token, Decision]]
) -> Decision:
    """A decision about another decision names no grantee of its own: "vetoed legislation
    that would allow 9/11 families to sue" denies the families; "approved a rule that bars
    X" bars X. It takes the grantee of the decision it governs."""
    if decision.grantee is not None or decision.effect not in {"grant", "deny", "revoke"}:
        return decision
    head = verb
    while head.dep_ == "conj":
        head = head.head
    if head.dep_ == "acl":  # "a litany of rules to end ..., stop ...": a proposal's content
        return decision
    for inner_verb, inner in stated:
        if inner.grantee in {None, decision.grantor} or not _governs(verb, inner_verb):
            continue
        if decision.effect == "grant" and inner.effect != "request":
            return replace(decision, grantee=inner.grantee, effect=inner.effect)
        if inner.effect == "grant":  # blocking a permission denies it
            return replace(decision, grantee=inner.grantee)
    return decision


def _governs(verb: Token, inner: Token) -> bool:
    """Whether `inner` is in what `verb` decides about ("veto legislation that would allow"),
    not a decision joined to it ("rejected the appeal and allowed", "..., allowing")."""
    if not verb.is_ancestor(inner):
        return False
    token = inner
    while token.i != verb.i:
        if token.dep_ in {"conj", "advcl", "parataxis"}:
            return False
        token = token.head
    return True


def _petitions_made(
    sentence: Sentence, span: Span, table: ActorTable
) -> dict[str, tuple[str, int]]:
    """The petitions a sentence reports and who made them: "the Times filed a motion to
    unseal the records, arguing ..." makes a motion and an argument, both the Times's."""
    made: dict[str, tuple[str, int]] = {}
    for verb in span:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        nouns = [noun for noun, verbs in PETITION_VERBS.items() if verb.lemma_.lower() in verbs]
        if verb.lemma_.lower() not in DECISION_CUES:  # "rejected the motion" makes none
            nouns += [
                c.lemma_.lower()
                for c in verb.children
                if c.dep_ == "dobj" and c.lemma_.lower() in PETITION_VERBS
            ]
        maker = _actor(_subject(verb), table) if nouns else None
        if maker is not None:
            made |= dict.fromkeys(nouns, (maker, sentence.id))
    return made


def _petitioner(thing: Token, petitions: dict[str, tuple[str, int]]) -> tuple[str, int] | None:
    """Who made a petition the sentence names again ("rejected that argument"), and in
    which sentence."""
    definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in thing.children)
    return petitions.get(thing.lemma_.lower()) if definite else None


def _grantor_from_before(
    decision: Decision, earlier: list[Decision], span: Span, table: ActorTable
) -> Decision:
    """A decision with no grantor ("Kiev was not allowed to ...") takes the grantor of an
    earlier decision about the same grantee, when this sentence names that grantor too
    ("... outside of what Washington recognizes")."""
    if decision.grantor is not None or decision.grantee is None:
        return decision
    named = set(table.actors_in(span))
    for before in reversed(earlier):
        if before.grantee == decision.grantee and before.grantor in named:
            return replace(decision, grantor=before.grantor)
    return decision


def _decision(
    verb: Token,
    sentence: Sentence,
    table: ActorTable,
    issuers: dict[str, tuple[str, int]],
    petitions: dict[str, tuple[str, int]],
) -> Decision | None:
    """The decision a verb states, if any. `issuers` maps the instruments decided earlier
    ("permit", "law") to their grantors, for a later "the permit allows ..."; it is
    updated here. `petitions` maps the petitions reported just before ("motion") to who
    made them, for a later "denied the motion"."""
    lemma = verb.lemma_.lower()
    named_in: int | None = None
    obligation = _obligation(verb, sentence, table)
    if obligation is not None:
        return obligation
    if lemma == "rule":
        return _ruling(verb, sentence, table)
    if lemma == "find":
        return _finding(verb, sentence, table)
    if lemma in APPEAL_CUES:
        return _appeal(verb, sentence, table)
    if verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_.lower() in APPEAL_VERBS:
        return None  # "asked the court to block the law": only wanted
    if lemma == "give":
        return _authority_given(verb, sentence, table)
    if lemma in ELIGIBILITY_WORDS and verb.dep_ == "acomp":
        return _eligibility(verb, sentence, table)
    if lemma == "qualify" and verb.pos_ == "VERB" and _preposition(verb, "for") is not None:
        return _eligibility(verb, sentence, table)  # "families would qualify for the breaks"
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    if particle and f"{lemma} {particle}" in PHRASAL_DECISION_CUES:
        lemma = f"{lemma} {particle}"
    effect = PHRASAL_DECISION_CUES.get(lemma) or DECISION_CUES.get(lemma)
    if effect is None or verb.pos_ not in {"VERB", "AUX"}:
        return None
    if verb.dep_ in {"amod", "compound"}:
        return None
    children = list(verb.children)
    if effect == "grant" and any(_that_clause(c) for c in children):
        return None  # "admitted that", "accepted that", "granted that": conceded, not allowed
    if lemma == "let" and _first_person(verb):
        return None  # "Let Hillary and I debate", "let's": a proposal, not a permission
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in children)
    objects = [c for c in children if c.dep_ == "dobj"]
    if lemma == "dismiss" and not _dismisses_a_filing(verb, objects):
        return None  # "dismissed the reports as", "dismissed the aide"
    datives = [_recipient(c) for c in children if c.dep_ in {"dative", "iobj"}]
    datives += [_recipient(c) for c in children if c.dep_ == "prep" and c.lower_ == "to"]
    datives = [d for d in datives if _actor(d, table)]
    if lemma in TO_RECIPIENT_CUES and not datives:
        return None  # "extended the curfew"
    grantor = grantee = None
    if passive:
        subject = next((c for c in children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        if agent is None and lemma in _CIRCUMSTANTIAL:
            return None  # "was forced to step down": by events, as often as by anyone
        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        grantor = _actor(by, table)
        if subject is not None:
            if lemma in _PERSON_OBJECT:
                grantee = _actor(subject, table)
            else:
                grantee = _owner(subject, table)
                if grantee is None:  # "the motion was denied"
                    grantee, named_in = _petitioner(subject, petitions) or (None, None)
    else:
        subject = _subject(verb)
        grantor = _actor(subject, table)
        if grantor is None and subject is not None and subject.lemma_.lower() in issuers:
            grantor, named_in = issuers[subject.lemma_.lower()]  # "the permit allows"
        elif subject is not None and (grantor is None or _instrument(subject)):
            grantor = _owner(subject, table) or grantor  # "the EPA's rule requires states to"
        if (
            grantor is not None
            and effect == "grant"
            and objects
            and objects[0].lemma_.lower() in DECISION_OBJECTS
        ):  # "granted a permit" (but whoever vetoes a bill did not issue it)
            issuers[objects[0].lemma_.lower()] = (grantor, sentence.id)
        if datives:
            grantee = _actor(datives[0], table)
        elif lemma in _PERSON_OBJECT and not objects:
            # "allows foreign investors to gain": the parser often makes the one allowed the
            # subject of the clause after the verb
            clause = next((c for c in children if c.dep_ in {"ccomp", "xcomp"}), None)
            inner = _subject(clause) if clause is not None else None
            grantee = _actor(inner, table)
        elif objects and lemma in _PERSON_OBJECT:
            grantee = _actor(objects[0], table) or _owner(objects[0], table)
        elif objects:
            thing = objects[0]
            grantee = _owner(thing, table)
            if grantee is None and lemma != "dismiss":  # dismissing charges against X: no denial
                grantee = _against(thing, verb, table)
            if grantee is None:  # "rejected that argument"
                grantee, named_in = _petitioner(thing, petitions) or (None, None)
            if grantee is None and (effect != "request" or lemma == "petition"):
                grantee = _actor(thing, table)  # "accept more refugees", "petitioned the court"
            if grantee is None and thing.lemma_.lower() not in DECISION_OBJECTS:
                return None  # "stopped the car", "seeking office": no one's permission
    if grantee is None and grantor is None:
        return None
    if effect == "request":  # "Pfizer sought approval from the FDA": Pfizer would be allowed
        grantor, grantee = grantee, grantor
    decision = _stated(verb, sentence, lemma, effect, grantor, grantee, _action(verb, objects))
    return replace(decision, named_in=named_in)


def _stated(
    verb: Token,
    sentence: Sentence,
    cue_lemma: str,
    effect: DecisionEffect,
    grantor: str | None,
    grantee: str | None,
    action: TextSpan | None,
) -> Decision:
    """The decision a verb states between two parties: its limits, negation and mood are
    the verb's."""
    return Decision(
        sentence=sentence.id,
        cue=TextSpan(verb.idx, verb.idx + len(verb.text)),
        cue_lemma=cue_lemma,
        effect=effect,
        grantor=grantor,
        grantee=grantee if grantee != grantor else None,
        action=action,
        limits=_limits(verb),
        negated=_negated(verb),
        mood=_mood(verb),
    )


def _appeal(verb: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'X asked Y to do Z': X asks Y for Z, so Y is the grantor and X the one who would be
    allowed; 'X told Y to' requires Z of Y. Without an actor asked and a clause of what to
    do, it is speech ("asked whether", "told reporters that"), not a decision."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    clause = next(
        (
            c
            for c in children
            if c.dep_ in {"xcomp", "ccomp"} and c.i > verb.i and c.pos_ in {"VERB", "AUX"}
        ),
        None,
    )
    if clause is None:
        return None
    asked = next((c for c in children if c.dep_ in {"dobj", "dative"}), None)
    if asked is None or not is_infinitive(clause):
        return None  # "told reporters that he ...": speech
    grantor, grantee = _actor(asked, table), _actor(_subject(verb), table)
    if grantor is None:
        return None
    if APPEAL_CUES[lemma] == "require":  # "police told Stein to leave": the police decide
        grantor, grantee = grantee, grantor
    return _stated(verb, sentence, lemma, APPEAL_CUES[lemma], grantor, grantee, _action(verb, []))


def _obligation(verb: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'The FTC said Schering-Plough must sell its assets', 'the court ruled that the city
    may not close the shelter': an authority reporting what someone must (or may not) do
    requires (or forbids) it. The authority is a government body or organisation that says
    so, or the owner of the instrument the clause holds under ("under Trump's plan").
    Anyone else's "must" is an opinion, not a decision."""
    modals = {c.lower_ for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"}
    negated = any(c.dep_ == "neg" for c in verb.children)
    if "must" in modals:
        effect: DecisionEffect = "deny" if negated else "require"
    elif negated and modals & {"may", "can", "ca"}:
        effect = "deny"
    else:
        return None
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    grantee = _actor(subject, table)
    grantor = _under_instrument(verb, table)
    if grantor is None and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _REPORTING:
        grantor = _actor(_subject(verb.head), table)
    if grantor is None:
        grantor = _party_to_instrument(verb, table)  # "under an agreement with the FTC"
    if grantor is not None and not _authority(table, grantor):
        grantor = None
    if grantor is None or grantee is None or grantee == grantor:
        return None
    kept = [c for c in verb.children if c.i > verb.i and c.dep_ not in _OTHER_CLAUSE]
    action = _phrase([verb, *(t for c in kept for t in c.subtree)])
    decision = _stated(verb, sentence, "must", effect, grantor, grantee, action)
    return replace(decision, negated=False)  # "must not" is the denial itself


def _party_to_instrument(clause: Token, table: ActorTable) -> str | None:
    """The party named after "with" in the instrument a clause holds under: "under the
    terms of an agreement with the FTC"."""
    for under in clause.children:
        if under.dep_ != "prep" or under.lower_ != "under":
            continue
        for word in under.subtree:
            if word.dep_ == "prep" and word.lower_ == "with" and _instrument(word.head):
                return _actor(next((c for c in word.children if c.dep_ == "pobj"), None), table)
    return None


def _authority(table: ActorTable, actor_id: str) -> bool:
    """Whether the actor decides for others: a government, an organisation, or a court,
    judge, commission, agency or regulator the article describes."""
    actor = table.actor(actor_id)
    if actor.kind in {"government", "organisation"}:
        return True
    words = set(re.findall(r"[a-z]+", f"{actor.name} {actor.role}".lower()))
    return bool(words & _AUTHORITY_WORDS)


#: A verb's dependents that start another clause ("..., while Schering-Plough must sell").
_OTHER_CLAUSE = {"advcl", "conj", "cc", "punct", "parataxis"}
#: Verbs by which an authority reports what it decided: "said", "ruled", "ordered".
_REPORTING = {"say", "rule", "order", "state", "announce", "decide", "determine", "find"}
#: Words that describe a body or office that decides for others: a government's, a
#: judge's or a board's.
_AUTHORITY_WORDS = GOVERNMENT_WORDS | {"judge", "justice", "board"}


def _recipient(dative: Token) -> Token:
    """The one a thing is given to: "granted asylum to Snowden" names Snowden after "to"."""
    if dative.pos_ == "ADP":
        return next((c for c in dative.children if c.dep_ == "pobj"), dative)
    return dative


def _eligibility(word: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'Stein, who is ineligible to take part', 'fathers would not be eligible for the
    leave', 'families would qualify for the tax breaks': whoever the word is said of may (or
    may not); who decides is unsaid, unless the sentence says under whose plan, policy or
    law ("under Trump's child-care plan")."""
    clause = word.head if word.dep_ == "acomp" else word
    subject = _subject(clause)
    # "single people and families would qualify": the first of them that names someone
    named = [_actor(s, table) for s in subject.conjuncts] if subject is not None else []
    grantee = next((g for g in [_actor(subject, table), *named] if g), None)
    if grantee is None:
        return None
    # what may (not) be done: "to take part", or the object of "for the leave"
    done = next((c for c in word.children if c.dep_ == "xcomp"), None)
    benefit = _preposition(word, "for")
    if done is None and benefit is not None:
        done = next((c for c in benefit.children if c.dep_ == "pobj"), None)
    lemma = word.lemma_.lower()
    return Decision(
        sentence=sentence.id,
        cue=TextSpan(word.idx, word.idx + len(word.text)),
        cue_lemma=lemma,
        effect="grant" if ELIGIBILITY_WORDS.get(lemma, True) else "deny",
        grantor=_under_instrument(clause, table),
        grantee=grantee,
        action=_phrase(list(done.subtree), drop_to=True) if done is not None else None,
        limits=_limits(word),
        negated=_negated(clause),
        mood=_mood(clause),
    )


def _preposition(head: Token, word: str) -> Token | None:
    return next((c for c in head.children if c.dep_ == "prep" and c.lower_ == word), None)


def _under_instrument(clause: Token, table: ActorTable) -> str | None:
    """Whose plan, policy or law a clause says it holds under: "under Trump's plan"."""
    for under in clause.subtree:
        if under.dep_ != "prep" or under.lower_ != "under" or clause_verb(under) != clause:
            continue
        instrument = next((c for c in under.children if c.dep_ == "pobj"), None)
        if instrument is not None and _instrument(instrument):
            return _owner(instrument, table)
    return None


def _authority_given(verb: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'The rules give the chair authority to call a meeting' grants the chair that."""
    given = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in AUTHORITY_NOUNS),
        None,
    )
    if given is None:
        return None
    dative = next((c for c in verb.children if c.dep_ in {"dative", "iobj"}), None)
    grantee = _actor(dative, table) or _owner(given, table)
    subject = _subject(verb)
    grantor = _actor(subject, table) or (_owner(subject, table) if subject is not None else None)
    if grantee is None or grantee == grantor:
        return None
    return _stated(verb, sentence, "give", "grant", grantor, grantee, _action(verb, [given]))


def _that_clause(token: Token) -> bool:
    return token.dep_ == "ccomp" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in token.children
    )


def _dismisses_a_filing(verb: Token, objects: list[Token]) -> bool:
    """'dismissed the lawsuit', 'the charges were dismissed'."""
    things = objects or [c for c in verb.children if c.dep_ == "nsubjpass"]
    return any(thing.lemma_.lower() in DISMISSABLE for thing in things)


def _ruling(verb: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'ruled against X' denies X; 'ruled in favour of X' grants X."""
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        target = next((c for c in prep.subtree if c.dep_ == "pobj" and c.head.i == prep.i), None)
        effect: DecisionEffect
        if prep.lower_ == "in":
            favour = target if target is not None and target.lower_ in {"favor", "favour"} else None
            of = next((c for c in favour.children if c.lower_ == "of"), None) if favour else None
            target = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            effect = "grant"
        elif prep.lower_ == "against":
            effect = "deny"
        else:
            continue
        grantee = _actor(target, table) or (_owner(target, table) if target is not None else None)
        if grantee is None:
            continue
        return Decision(
            sentence=sentence.id,
            cue=TextSpan(verb.idx, verb.idx + len(verb.text)),
            cue_lemma="rule",
            effect=effect,
            grantor=_actor(_subject(verb), table),
            grantee=grantee,
            action=_phrase(list(target.subtree)) if target is not None else None,
            limits=None,
            negated=False,
            mood=_mood(verb),
        )
    return None


def _finding(verb: Token, sentence: Sentence, table: ActorTable) -> Decision | None:
    """'found the law unconstitutional' (or 'found that the law was illegal') forbids what
    the law's owner did or wants. The small parser reads the verdict as an object, an
    adjective of the thing, or the clause's complement: the thing is what the verdict is
    said of."""
    verdict = next(
        (
            t
            for t in verb.subtree
            if t.lower_ in UNLAWFUL_WORDS
            and (t.head == verb or t.head.head == verb)
            and t.head.dep_ not in SUBJECTS
        ),
        None,
    )
    if verdict is None:
        return None
    if verdict.dep_ == "amod":  # "found that action unconstitutional"
        thing: Token | None = verdict.head
    else:  # "found [that the policy was] illegal", "found [the law] unconstitutional"
        said_of = verdict.head if verdict.dep_ in {"acomp", "attr"} else verdict
        thing = next((c for c in said_of.children if c.dep_ in {*SUBJECTS, "compound"}), None)
        thing = thing or next((c for c in verb.children if c.dep_ == "dobj" and c != verdict), None)
    if thing is None:
        return None
    grantee = _owner(thing, table) or _owner(verdict, table) or _actor(thing, table)
    grantor = _actor(_subject(verb), table)
    if grantee is None and grantor is None:
        return None
    return Decision(
        sentence=sentence.id,
        cue=TextSpan(verb.idx, verdict.idx + len(verdict.text)),
        cue_lemma="find",
        effect="deny",
        grantor=grantor,
        grantee=grantee if grantee != grantor else None,
        action=_phrase(list(thing.subtree)),
        limits=None,
        negated=_negated(verb),
        mood=_mood(verb),
    )


def _first_person(verb: Token) -> bool:
    """Whether the speaker is among those "let" lets: "let us", "let's", "let X and me"."""
    let: list[Token] = []
    for child in verb.children:
        if child.dep_ == "dobj":
            let.append(child)
        elif child.dep_ in {"ccomp", "xcomp"}:
            let += [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return any(t.lower_ in _FIRST_PERSON for person in let for t in person.subtree)


def _subject(verb: Token) -> Token | None:
    """The verb's subject; a verb joined to or governed by another shares that one's, but
    an infinitive after an object is that object's ("urged the EU to ban"), a clause whose
    subject the parser hung on the verb before as its object is that object's ("has said
    families would qualify"), and a gerund after a possessed noun its owner's ("its goal of
    accepting")."""
    current = verb
    for _ in range(3):
        subject = next((c for c in current.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject
        if current.dep_ in {"xcomp", "ccomp"}:
            # "urged the EU to ban": the EU would ban; and a clause whose subject the parser
            # took for the object of "said" ("has said families would qualify")
            controller = next(
                (c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i), None
            )
            if controller is not None and (current.dep_ == "xcomp" or not is_infinitive(current)):
                return controller
        if current.dep_ in {"conj", "xcomp", "advcl", "relcl"} and current.head.i != current.i:
            if current.dep_ == "relcl":
                return current.head  # "the court, which barred ...": the court
            current = current.head
            continue
        intent = current.head.head
        if current.dep_ == "pcomp" and intent.lemma_.lower() in _INTENT_NOUNS:
            # "its goal of accepting refugees": the goal's owner accepts
            owner = next((c for c in intent.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner
        return None
    return None


def _instrument(token: Token) -> bool:
    """A law, rule, plan or order: the recogniser may name one ("Clean Power Plan"), but it
    decides for whoever made it."""
    return token.lemma_.lower() in DECISION_OBJECTS


def _actor(token: Token | None, table: ActorTable) -> str | None:
    if token is None:
        return None
    return actor_named_by(token, table)[0]


def _against(thing: Token, verb: Token, table: ActorTable) -> str | None:
    """Whom a measure is imposed on: "sanctions against Russian institutions"."""
    measure = thing.lemma_.lower() in _MEASURES
    for head in (thing, verb):
        for child in head.children:
            if child.dep_ == "prep" and (
                child.lower_ == "against" or (measure and child.lower_ in {"on", "upon"})
            ):
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
                found = _actor(target, table)
                if found:
                    return found
    return None


def _owner(thing: Token, table: ActorTable) -> str | None:
    """Who a thing decided about belongs to: "Husted's actions", "a request from
    Democrats", "Ohio's procedure for ...". Counted things come from somewhere rather than
    belong to it: "admitted 5,000 students from Chile" decides nothing about Chile."""
    counted = thing.lemma_.lower() not in DECISION_OBJECTS and any(
        child.dep_ == "nummod" for child in thing.children
    )
    for child in thing.children:
        if child.dep_ == "poss" and _actor(child, table):
            return _actor(child, table)
        if child.dep_ == "prep" and child.lower_ in _OWNER_PREPOSITIONS and not counted:
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None:
                found = _actor(target, table)
                if found:
                    return found
        if child.dep_ == "compound" and table.actor_at(child):
            return table.actor_at(child)
        if child.dep_ == "acl":  # "the lawsuit filed by students"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if _actor(by, table):
                return _actor(by, table)
    return None


def _action(verb: Token, objects: list[Token]) -> TextSpan | None:
    """What is allowed or forbidden: "to ..." or "from ..." after the verb, or after
    "permission"; else the thing decided about."""
    places = [verb, *objects]
    for place in places:
        for child in place.children:
            infinitive = child.dep_ != "acl" or any(c.lower_ == "to" for c in child.children)
            if child.dep_ in {"xcomp", "acl", "ccomp"} and child.i > verb.i and infinitive:
                subject = next((c for c in child.children if c.dep_ in SUBJECTS), None)
                doer = (
                    set(range(subject.left_edge.i, subject.right_edge.i + 1)) if subject else set()
                )
                return _phrase([t for t in child.subtree if t.i not in doer], drop_to=True)
            if child.dep_ == "prep" and child.lower_ == "from" and place is verb:
                return _phrase([t for t in child.subtree if t.i != child.i])
    if objects:
        return _phrase(list(objects[0].subtree))
    return None


def _limits(verb: Token) -> TextSpan | None:
    """The words of the decision's clause from a limiting word on ("only vessels under 200
    metres", "until the Wayaku are consulted")."""
    for token in verb.subtree:
        if token.lower_ in LIMIT_WORDS and token.i > verb.i:
            head = token.head
            words = [t for t in head.subtree if t.i >= token.i]
            return _phrase(words)
    return None


def _negated(verb: Token) -> bool:
    chain = [verb, *([verb.head] if verb.dep_ in {"xcomp", "auxpass"} else [])]
    return any(c.dep_ == "neg" for token in chain for c in token.children)


def _mood(verb: Token) -> DecisionMood:
    """'future' (will allow), 'hypothetical' (would allow; if ...) or 'reported'."""
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.dep_ == "xcomp":
        auxiliaries |= {c.lower_ for c in verb.head.children if c.dep_ == "aux"}
    clause = verb
    while clause.dep_ not in {"ROOT", "advcl"} and clause.head.i != clause.i:
        clause = clause.head
    if any(c.lower_ == "if" for c in clause.children) or auxiliaries & _HYPOTHETICAL:
        return "hypothetical"
    if auxiliaries & _FUTURE or any(c.lower_ == "going" for c in verb.children):
        return "future"
    return "reported"


def _phrase(words: list[Token], drop_to: bool = False) -> TextSpan | None:
    """The span from the first to the last word, without edge punctuation (or "to")."""
    words = sorted((t for t in words if not t.is_space), key=lambda t: t.i)
    while words and (words[0].is_punct or (drop_to and words[0].lower_ == "to")):
        words = words[1:]
    while words and words[-1].is_punct and words[-1].text not in {'"', "\u201d"}:
        if words[-1].text == ")" and sum(t.text == "(" for t in words) > sum(
            t.text == ")" for t in words[:-1]
        ):
            break  # "(SNY, SAN.FR)" closes what it opened
        words = words[:-1]
    if not words:
        return None
    return TextSpan(words[0].idx, words[-1].idx + len(words[-1].text))
