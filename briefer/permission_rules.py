"""Permissions the article states in set phrases, found by rule after the model has answered.

A small model lists one permission and stops; an article about a ruling or a licence often
states four. English news states them in a few set shapes, read here outside quotations:

- "X allowed (permitted, authorised, let) Y to do Z", "X granted Y permission to do Z",
  "X granted Y a permit", "X granted approval to a product, a drug developed by Y";
- "X barred (banned, forbade, prohibited, blocked) Y from doing Z";
- "Y is allowed to / is barred from / is exempt from ...", "Y may (only / not) do Z".

In the last two the grantor is not in the phrase: it is the actor who rules, orders or decides
earlier in the same sentence ("the judge ruled that the union may not ..."), else the grantor
of the permission stated last before it in the article (the model's or a rule's). Grantor and
grantee are actors of the briefing (`briefer.mentions`), or, for a grantee, a short plural
group the phrase names ("Doctors", "First-time buyers"); an "it" or "they", a grantor no rule
finds, or a grantee that is its own grantor gives nothing. Words from "only", "provided",
"unless", "until" or "as long as" to the clause's end are the limits. A clause an item of the
model already cites is left to the model; the evidence of each added item is its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefer.attribution import body_sentence_spans, without_quotations
from briefer.mentions import named_actor, subject_actor
from briefer.schema import (
    Actor,
    BriefingContent,
    Evidence,
    Permission,
    PermissionStatus,
    slugify,
)

_GRANTING = r"allow(?:s|ed)?|permit(?:s|ted)?|authori[sz](?:e|es|ed)|lets?"
_DENYING = r"bar(?:s|red)?|ban(?:s|ned)?|forb(?:id|ids|ade)|prohibit(?:s|ed)?|block(?:s|ed)?"
#: "X allowed Y to ...", "X barred Y from ...", "X granted Y permission to ...".
_ACTIVE = re.compile(
    rf"\b(?:(?P<verb>{_GRANTING}|{_DENYING})\s+"
    r"(?P<grantee>[^,;\0]{2,60}?(?:,\s[^,;\0]{2,60}?,)?)\s+(?P<link>to|from)"  # "X, the Y,"
    r"|(?P<granted>grant(?:s|ed)?|gave|gives?)\s+(?P<holder>[^,;\0]{2,60}?)\s+"
    r"(?:permission|approval|the right|a licen[cs]e|clearance)\s+to)\s+"
)
#: "X voted to grant Y a one-year trial permit", "X issued Y a licence".
#: "X approved/granted approval to a drug, a tablet developed by Y": Y holds the approval.
_ISSUED = re.compile(
    r"\b(?P<verb>grant(?:s|ed)?|gave|gives?|issued|issues?)\s+(?:"
    r"(?P<licensee>[^,;\0]{2,60}?)\s+(?P<document>(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:permit|licen[cs]e|approval|exemption|waiver|concession))\b"
    r"|(?P<approval>(?:[\w-]+\s+){0,2}?(?:approval|permission|licen[cs]e|clearance|"
    r"authori[sz]ation))\s+(?:to|for)\s+(?P<thing>[^,;\0]{2,60}?),\s+(?:a|an|the)\s+"
    r"[^,;\0]{0,40}?\b(?:developed|made|produced|built|owned|operated|sold)\s+by\s+"
    r"(?P<maker>[A-Z][\w'\u2019&-]*(?:\s+[A-Z][\w'\u2019&-]*)*))"
)
#: "X has granted conditional approval to ...": X is the authority whose rules follow.
_AUTHORITY = re.compile(
    r"\b(?:grant(?:s|ed)?|gave|issued|approved|approves|authori[sz]ed|licensed)\b[^.;\0]{0,40}?"
    r"\b(?:approval|permission|licen[cs]e|permit|authori[sz]ation|clearance)\b"
)
#: "Y is allowed to ...", "Y will be barred from ...", "Y are exempt ...", "Y may not ...".
_STATED = re.compile(
    r"\s(?P<aux>(?:is|are|was|were|will be|would be|has been|have been|had been)"
    r"(?:\s+(?:previously|now|also|still|not|no longer))*)\s+"
    r"(?P<verb>allowed|permitted|authori[sz]ed|barred|banned|forbidden|prohibited|exempt)\b"
    r"(?:\s+(?:to|from))?\s+"
    r"|\s(?P<modal>may)\s+(?P<modifier>(?:(?:not|only|also|no longer)\s+)*)"
    r"|\s(?P<bare>forbidden|barred|banned|prohibited)\s+(?:to|from)\s+"  # "Y forbidden to"
)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?$")
#: "may" that predicts rather than permits: "may face", "may lead", "may rise".
_PREDICTING = re.compile(
    r"(?:be|have|face|need|lead|become|prove|follow|take|come|see|find|lose|fall|rise|suffer|"
    r"struggle|want|try|seek|appear|seem|remain|change|cause|mean|result|well)\b"
)
#: A verb by which an actor lays down what others may do, earlier in the sentence.
_RULING = re.compile(
    r"\b(?:ruled|rules|decided|decides|ordered|orders|said|says|announced|announces|decreed|"
    r"approved|approves)\b"
)
_LIMITS = re.compile(r"\b(?:only|provided|unless|until|as long as|on condition|except)\b")
_CLAUSE_END = re.compile(
    r"[;\0]|\s[-\u2013\u2014]\s|$"
    r"|,\s+(?:but|while|whereas|although|must|and\s+(?:may|must|will|is|are|it|they|\w+ed)\b)"
    r"|,\s+(?:[\w'\u2019-]+\s+){1,4}(?:said|says|added|announced|ruled|wrote)\b"  # ", X said"
)
#: Plural nouns for people or bodies: agent nouns ("buyers", "operators", "residents") and a
#: few others; other plurals are more often things ("strikes", "deliveries").
_PEOPLE = re.compile(
    r"(?:ers|ors|ists|ants|ents|ians|banks|companies|firms|vessels|ships|airlines|members|"
    r"people|citizens|officials|families|states|countries|governments|authorities)$",
    re.IGNORECASE,
)
#: Singular nouns for a body that can be granted or refused something ("the merged group
#: may not"); other singulars are more often things ("work on the dam may continue").
_BODY = re.compile(
    r"(?:group|company|firm|operator|insurer|buyer|carrier|airline|union|consortium|"
    r"cooperative|association|lender|bank|developer|builder|manufacturer|supplier)$",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset("against at by for from in into of on over to under with".split())  # noqa: SIM905
_PRONOUNS = frozenset("it its they them he him she her we us this that which who".split())  # noqa: SIM905
_CONJUNCTIONS = re.compile(r"^\s*(?:and|but|or|also|however)?\s*$", re.IGNORECASE)


@dataclass
class _Found:
    start: int  # of the clause in the article, for the model's items to cover it
    end: int
    grantor: Actor | None
    grantee: Actor
    action: str
    status: PermissionStatus
    limits: str | None
    future: bool


def add_stated_permissions(content: BriefingContent, text: str) -> BriefingContent:
    """`content` with a permission for each set phrase of the article the model left out."""
    actors = list(content.actors)
    permissions = list(content.permissions)
    stated = [
        (evidence.start, evidence.end, permission.grantor, permission.grantee)
        for permission in permissions
        for evidence in permission.evidence
        if evidence.start is not None and evidence.end is not None
    ]
    authority: Actor | None = None  # who grants the licence the article is about, once named
    for start, end in body_sentence_spans(text):
        grantor_here: Actor | None = None
        for found in _permissions_in(text, start, end, actors):
            grantor = (
                found.grantor or grantor_here or authority or _stated_last(stated, start, actors)
            )
            grantor_here = grantor
            covered = any(
                s < found.end and found.start < e and grantee == found.grantee.id
                for s, e, _, grantee in stated
            )
            if grantor is None or grantor.id == found.grantee.id or covered:
                continue
            for actor in (grantor, found.grantee):
                if actor not in actors:
                    actors.append(actor)
            evidence = Evidence(quote=text[start:end], start=start, end=end, match="exact")
            permissions.append(
                Permission(
                    evidence=[evidence],
                    grantor=grantor.id,
                    grantee=found.grantee.id,
                    action=found.action,
                    status=found.status,
                    limits=found.limits,
                    context="future" if found.future else "reported",
                )
            )
            stated.append((found.start, found.end, grantor.id, found.grantee.id))
        authority = _authority(text, start, end, actors) or authority
    return content.model_copy(update={"actors": actors, "permissions": permissions})


def _authority(text: str, start: int, end: int, actors: list[Actor]) -> Actor | None:
    """The actor of the sentence who grants an approval, licence or permission, if any."""
    masked = without_quotations(text[start:end])
    granted = _AUTHORITY.search(masked)
    if granted is None:
        return None
    actor = _subject(masked[: granted.start()], actors, text[:start], [])
    return actor if actor is not None and actor in actors else None


def _permissions_in(text: str, start: int, end: int, actors: list[Actor]) -> list[_Found]:
    """The set phrases of the sentence `text[start:end]`, in order; a grantee named by none
    of the phrase's words is the grantee of the phrase before it ("and may not ...")."""
    sentence = text[start:end]
    masked = without_quotations(sentence)
    found: list[_Found] = []
    matches = sorted(
        [*_ACTIVE.finditer(masked), *_STATED.finditer(masked), *_ISSUED.finditer(masked)],
        key=lambda m: m.start(),
    )
    for match in matches:
        if match.re is _ISSUED and match.group("maker"):
            action, limits = f"{match.group('approval')} for {match.group('thing')}", None
        elif match.re is _ISSUED:
            action, limits = sentence[match.start("document") : match.end("document")], None
        else:
            action, limits = _action(masked, sentence, match.end())
        if not action:
            continue
        if match.re is _STATED and match.group("verb") == "exempt":
            action = f"be exempt {action}"
        if match.re is _ACTIVE and _PASSIVE_BEFORE.search(masked[: match.start()]):
            continue  # "strikes are allowed against ...": the passive shape, read below
        if match.re is _ISSUED:
            holder = match.group("licensee") or match.group("maker")
            grantee = _group_or_actor(holder, actors, any_noun=False)
            grantor = _subject(masked[: match.start()], actors, text[:start], found)
            denied, future = False, False
        elif match.re is _ACTIVE:
            verb = (match.group("verb") or match.group("granted")).lower()
            if match.group("link") == "from" and not re.fullmatch(_DENYING, verb):
                continue
            object_ = match.group("grantee") or ""
            if object_.strip().lower() in ("them", "it", "him", "her") and found:
                grantee = found[-1].grantee  # "allowed X to ... and barred them from ..."
            elif object_:
                grantee = _object_actor(object_, actors)
            else:  # "granted Kiev permission": a name, not "granted conditional approval"
                grantee = _group_or_actor(match.group("holder"), actors, any_noun=False)
            grantor = _subject(masked[: match.start()], actors, text[:start], found)
            denied = bool(re.fullmatch(_DENYING, verb))
            future = bool(re.search(r"\bwill\s+$", masked[: match.start()]))
        else:
            if match.group("modal") and _PREDICTING.match(sentence[match.end() :]):
                continue
            subject = _clause_before(masked[: match.start()])
            continuing = re.fullmatch(r"\s*(?:and|but)?\s*(?:it|they)\s*", subject, re.IGNORECASE)
            if found and (_CONJUNCTIONS.match(subject) or continuing):
                grantee = found[-1].grantee  # "Y may not ..., and it is barred from ..."
            else:
                grantee = _group_or_actor(subject, actors, any_noun=False)
            grantor = _ruler(masked[: match.start()], actors, text[:start])
            words = f"{match.group('aux') or ''} {match.group('verb') or ''} "
            words += f"{match.group('modifier') or ''} {match.group('bare') or ''}"
            denied = bool(re.search(r"\bnot\b|no longer|barred|banned|forbidden|prohibited", words))
            future = "will" in words
        if grantee is None:
            continue
        status: PermissionStatus = "denied" if denied else "restricted" if limits else "granted"
        clause_end = match.end() + len(action) + len(limits or "")
        found.append(
            _Found(
                start + match.start(),
                start + clause_end,
                grantor,
                grantee,
                action,
                status,
                limits,
                future,
            )
        )
    return found


def _action(masked: str, sentence: str, at: int) -> tuple[str, str | None]:
    """The action from `at` to the clause's end, and its limits (None when it states none)."""
    end = _CLAUSE_END.search(masked, at)
    clause = sentence[at : end.start() if end else len(sentence)].rstrip(" .,")
    limit = _LIMITS.search(clause)
    if limit is None:
        return clause, None
    action = clause[: limit.start()].rstrip(" ,")
    return (action, clause[limit.start() :]) if action else (clause, None)


def _clause_before(masked_before: str) -> str:
    """The words just before a verb phrase, after the last comma that has words after it
    ("the builder, the Meridane Hydro Consortium," -> "the Meridane Hydro Consortium")."""
    tail = re.split(r"[;\0]|\bthat\b", masked_before)[-1]
    parts = [part for part in tail.split(",") if part.strip()]
    return parts[-1] if parts else ""


def _subject(
    masked_before: str, actors: list[Actor], before: str, found: list[_Found]
) -> Actor | None:
    """Who grants or bars in "X allowed Y ...": the clause before the verb, or the grantor of
    the phrase before it in the sentence ("..., but barred Y")."""
    clause = _clause_before(masked_before)
    if _CONJUNCTIONS.match(clause) or not clause.strip():
        return found[-1].grantor if found else None
    if clause.split()[0].lower() in _PRONOUNS - {"he", "she"}:
        return None
    named = subject_actor(clause, actors, before)
    if named is None:  # "the US has granted": a proper name before the verb
        name = re.sub(r"(?:\s+(?:has|have|had|will|would|also|on\s+\w+day))+$", "", clause.strip())
        named = _new_named(name)
    return named


def _ruler(masked_before: str, actors: list[Actor], before: str) -> Actor | None:
    """The actor who rules, orders or decides before the phrase in its sentence, if any."""
    verbs = list(_RULING.finditer(masked_before))
    if not verbs:
        return None
    clause = _clause_before(masked_before[: verbs[-1].start()])
    return subject_actor(clause, actors, before) if clause.strip() else None


def _stated_last(
    stated: list[tuple[int, int, str, str]], start: int, actors: list[Actor]
) -> Actor | None:
    """The grantor of the permission stated last before `start`, else of the first one."""
    earlier = [item for item in stated if item[0] < start]
    chosen = max(earlier, key=lambda item: item[0]) if earlier else min(stated, default=None)
    if chosen is None:
        return None
    return next((actor for actor in actors if actor.id == chosen[2]), None)


def _object_actor(phrase: str, actors: list[Actor]) -> Actor | None:
    """The actor the object of "allowed ... to" names; with an appositive ("the organisers,
    the group Green Tide,"), the part that names an actor of the briefing wins."""
    parts = [part for part in phrase.split(",") if part.strip()]
    found = [_group_or_actor(part, actors, any_noun=True) for part in parts]
    known = [actor for actor in found if actor is not None and actor in actors]
    return known[0] if known else next((actor for actor in found if actor), None)


def _group_or_actor(phrase: str, actors: list[Actor], *, any_noun: bool) -> Actor | None:
    """The actor `phrase` names; else a short phrase as a new actor: a name ("Kiev"), a group
    of people ("First-time buyers", "Union insurers", "banks"), or, with `any_noun` (the
    object of "allowed ... to", "barred ... from"), any short noun phrase ("the operator").
    None for pronouns, long phrases, and things ("limited strikes are allowed")."""
    words = phrase.split()
    while words and words[0].lower() in ("and", "but", "or", "also"):
        words = words[1:]
    if not words or words[0].lower() in _PRONOUNS or len(words) > 6:
        return None
    actor = named_actor(" ".join(words), actors, after=True)
    people = _PEOPLE.search(words[-1]) is not None
    # "Union insurers" are insurers, not the Union: a group unless the actor is called so
    if actor is not None and not (people and words[-1].lower() not in actor.name.lower()):
        return actor
    if words[0].lower() in ("the", "all", "each", "every"):
        words = words[1:]
    head = _head(words)
    if _PEOPLE.search(head[-1]) and len(head) <= 3:  # "airlines registered in ..."
        words, people = head, True
    if not 1 <= len(words) <= 3:
        return None
    name = " ".join(words)
    if people:
        return Actor(id=slugify(name), name=name, kind="group")
    if _BODY.search(words[-1]):
        return Actor(id=slugify(name), name=name, kind="organisation")
    if any_noun and words[0].lower() not in _PREPOSITIONS:
        return Actor(id=slugify(name), name=name, kind="other")
    return _new_named(name)


def _head(words: list[str]) -> list[str]:
    """A noun phrase less what follows its noun: "airlines registered in either country" ->
    "airlines" (a participle or a preposition opens the modifier)."""
    for index, word in enumerate(words[1:], 1):
        lowered = word.lower()
        if lowered in _PREPOSITIONS or (lowered.endswith(("ed", "ing")) and word.islower()):
            return words[:index]
    return words


def _new_named(phrase: str) -> Actor | None:
    """A new actor for a short proper name ("the US", "Kiev"), or None for anything else."""
    words = re.sub(r"^the\s+", "", phrase.strip(), flags=re.IGNORECASE).split()
    proper = all(w[:1].isupper() or w in ("of", "and", "for", "de") for w in words)
    pronoun = words[:1] and words[0].lower() in _PRONOUNS and not words[0].isupper()  # "US"
    if not 1 <= len(words) <= 3 or not proper or pronoun:
        return None
    name = " ".join(words)
    return Actor(id=slugify(name), name=name, kind="other")
