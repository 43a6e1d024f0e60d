"""What the model writes: a compact answer that points at sentences and actors by id.

The model never copies the article. It cites sentence numbers and actor ids, both enums built
from the article's own analysis, so llama.cpp's grammar admits only ids that exist, and it
writes only short phrases of its own (a headline, a stance, an action, a question).
`briefer.assemble` turns the ids back into the article's words at their offsets.

`answer_model(analysis)` builds the pydantic model for one article. Its validators read the
analysis from instructor's `context` and check what went wrong on real news:
- an item's actor must be named in (or resolved to, by the analysis) a sentence it cites;
- a permission's grantor and grantee differ;
- no phrase of five words or more is copied from briefer's instructions unless the article
  itself has it (a small model repeats its prompt);
- words with letters of a script the article does not use (the model may slip into
  Chinese) are left out, not re-asked: re-asked, it repeated them;
- a summary that only repeats the headline is left out;
- briefer's own words (headline, summary, stances, questions...) use no loaded word
  (`briefer.neutrality`) that the sentences the item cites do not use themselves.
Strict validation (the default) fails with every problem listed, so instructor re-asks with
them; with `"lenient": True` in the context, items with a problem are dropped instead: an
item briefer cannot tie to the article is not invented.
"""

from __future__ import annotations

import enum
import itertools
import re
import types
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    model_validator,
)

from briefer.analysis import Analysis, CandidateActor
from briefer.names import content_words
from briefer.neutrality import loaded_terms
from briefer.rules import Candidates
from briefer.schema import PermissionContext, PermissionStatus, SourceNoteKind, WarningKind

#: Upper bounds on list lengths, for the grammar only: without them a small model loops.
MAX_ITEMS = {
    "positions": 6,
    "permissions": 4,
    "warnings": 4,
    "disputed_claims": 3,
    "open_questions": 3,
    "source_notes": 2,
}
#: A copied phrase: this many words in a row from the instructions, not in the article.
COPIED_WORDS = 5

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _text(limit: int) -> Any:
    """A string the grammar cuts off at `limit` characters: a small model can loop inside a
    string until the token cap (minutes on two cores). Validation does not check the length:
    an API model's longer phrase is kept."""
    return Annotated[str, WithJsonSchema({"type": "string", "maxLength": limit})]


def _literal(*values: Any) -> Any:
    """`Literal[values]`, built at run time from the article's sentence numbers and ids."""
    return Literal[values]


def _list_of(item: Any) -> Any:
    """`list[item]` of a type built at run time."""
    return types.GenericAlias(list, (item,))


def _tuple_of(*items: Any) -> Any:
    """`tuple[items]` of types built at run time: one element of each, in order."""
    return types.GenericAlias(tuple, items)


def _id_enum(name: str, members: dict[str, Any], *, integer: bool = False) -> Any:
    """An enum of the article's ids, built at run time (an `IntEnum` if `integer`)."""
    return enum.IntEnum(name, members) if integer else enum.Enum(name, members)


def _article_check() -> dict[str, Any]:
    """`create_model`'s `__validators__`: the answer is checked against the article."""
    return {"checked_against_the_article": model_validator(mode="after")(_checked)}


#: The longest phrase and summary the grammar lets the model write.
PHRASE_LENGTH = 120
Phrase = _text(PHRASE_LENGTH)
Summary = _text(400)
OptionalPhrase = Annotated[
    str | None,
    WithJsonSchema({"anyOf": [{"type": "string", "maxLength": PHRASE_LENGTH}, {"type": "null"}]}),
]


def compact_json_schema(result: dict[str, Any]) -> dict[str, Any]:
    """The schema as a model sees it: no titles, defaults or docstrings, which cost prompt
    tokens where the schema is shown (OpenAI's tools) and say nothing the field names and
    the prompt do not. The top-level title stays: instructor names the tool after it."""
    for definition in [result, *result.get("$defs", {}).values()]:
        definition.pop("description", None)
        if definition is not result:
            definition.pop("title", None)
        for prop in definition.get("properties", {}).values():
            prop.pop("title", None)
            prop.pop("default", None)
    return result


class _Answer(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, use_enum_values=True)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema the model sees: no titles or descriptions (they cost prompt tokens)."""
        return compact_json_schema(super().model_json_schema(*args, **kwargs))


def answer_model(analysis: Analysis, sentence_ids: range | None = None) -> type[_Answer]:
    """The open answer schema (the model reads the article with no help from the rules):
    its sentence numbers (those of `sentence_ids`, a window's, if given) and actor ids as
    enums."""
    return _answer_model(
        tuple(s.id for s in analysis.sentences if sentence_ids is None or s.id in sentence_ids),
        tuple(actor.id for actor in analysis.actors),
    )


@lru_cache(maxsize=1)
def overview_model() -> type[_Answer]:
    """A headline and summary alone: a long article's whole, written from its windows'."""
    return create_model(
        "Overview",
        __base__=_Answer,
        __validators__=_article_check(),
        headline=(Phrase, ...),
        summary=(Summary, ...),
    )


@lru_cache(maxsize=16)
def _answer_model(sentence_ids: tuple[int, ...], actor_ids: tuple[str, ...]) -> type[_Answer]:
    sentence: Any = _id_enum("SentenceId", {f"s{n}": n for n in sentence_ids}, integer=True)
    actor: Any = _id_enum("ActorId", {f"a{n}": value for n, value in enumerate(actor_ids)})
    if not actor_ids:
        actor = Literal["none"]
    sentences = Field(min_length=1, max_length=2)

    position = create_model(
        "Position",
        __base__=_Answer,
        actor=(actor, ...),
        sentences=(_list_of(sentence), sentences),
        stance=(Phrase, ...),
    )
    permission = create_model(
        "Permission",
        __base__=_Answer,
        sentence=(sentence, ...),
        grantor=(actor, ...),
        grantee=(actor, ...),
        action=(Phrase, ...),
        status=(PermissionStatus, ...),
        limits=(OptionalPhrase, ...),
        context=(PermissionContext, ...),
    )
    warning = create_model(
        "Warning",
        __base__=_Answer,
        sentence=(sentence, ...),
        issuer=(actor, ...),
        warning=(Phrase, ...),
        kind=(WarningKind, ...),
    )
    dispute = create_model(
        "DisputedClaim",
        __base__=_Answer,
        sentences=(_list_of(sentence), sentences),
        claim=(Phrase, ...),
        asserted_by=(actor, ...),
        disputed_by=(actor, ...),
    )
    question = create_model(
        "OpenQuestion", __base__=_Answer, sentence=(sentence, ...), question=(Phrase, ...)
    )
    note = create_model(
        "SourceNote",
        __base__=_Answer,
        sentence=(sentence, ...),
        kind=(SourceNoteKind, ...),
        note=(Phrase, ...),
    )
    items = {
        "positions": position,
        "permissions": permission,
        "warnings": warning,
        "disputed_claims": dispute,
        "open_questions": question,
        "source_notes": note,
    }
    fields: dict[str, Any] = {"headline": (Phrase, ...), "summary": (Summary, ...)}
    for name, model in items.items():
        fields[name] = (_list_of(model), Field(json_schema_extra={"maxItems": MAX_ITEMS[name]}))
    return create_model(
        "Briefing",
        __base__=_Answer,
        __doc__="A neutral briefing of the article, citing its sentences and actors by id.",
        __validators__=_article_check(),
        **fields,
    )


def guided_answer_model(candidates: Candidates) -> type[_Answer]:
    """The answer schema when the rules have read the article first: the model writes the
    headline and summary, and decides only what the parse leaves open.

    - open_questions: each candidate sentence's open question, in the model's words;
    - disputed_claims: each candidate dispute's claim, in the model's words.

    It is not asked which statements are warnings (on real news its choices were no better
    than chance; `briefer.rules.voices`), nor for a decision's missing party: on real news
    it chose the right one about 1 time in 5, and a wrong grantor is worse than none.
    """
    fields: dict[str, Any] = {"headline": (Phrase, ...), "summary": (Summary, ...)}
    questions = [
        create_model(
            f"OpenQuestion{n}",
            __base__=_Answer,
            sentence=(_literal(number), ...),
            question=(Phrase, ...),
        )
        for n, number in enumerate(candidates.questions)
    ]
    if questions:
        fields["open_questions"] = (_tuple_of(*questions), ...)
    disputes = [
        create_model(
            f"DisputedClaim{n}",
            __base__=_Answer,
            sentences=(_tuple_of(_literal(earlier), _literal(number)), ...),
            asserted_by=(_literal(asserter), ...),
            disputed_by=(_literal(disputer), ...),
            claim=(Phrase, ...),
        )
        for n, (number, disputer, earlier, asserter) in enumerate(candidates.disputes)
    ]
    if disputes:
        fields["disputed_claims"] = (_tuple_of(*disputes), ...)
    return create_model(
        "Briefing",
        __base__=_Answer,
        __doc__="A neutral briefing of the article: its headline, summary and the decisions asked.",
        __validators__=_article_check(),
        **fields,
    )


def _checked(answer: Any, info: ValidationInfo) -> Any:
    """Find every item the article does not support; re-ask (strict) or drop it (lenient)."""
    context = info.context or {}
    analysis: Analysis | None = context.get("analysis")
    if analysis is None:
        return answer
    instructions: str = context.get("instructions", "")
    problems: list[str] = []
    for section in MAX_ITEMS:
        if section not in type(answer).model_fields:
            continue
        kept = []
        for number, item in enumerate(getattr(answer, section, ())):
            if getattr(item, "status", None) == "none" or getattr(item, "kind", None) == "none":
                continue  # a candidate the model turned down
            if _foreign_words(item, analysis.text):
                continue  # re-asked, the model repeated its answer: dropped, no second call
            found = list(_problems(section, item, analysis, instructions))
            problems += [f"{section}[{number}]: {problem}" for problem in found]
            if not found:
                kept.append(item)
        setattr(answer, section, kept)
    # A summary sentence that gives a quotation to the wrong speaker is left out, not
    # re-asked: on the example article a re-ask cost 10 s and the model erred again.
    for sentence, _, _ in misattributed_quotations(answer.summary, analysis):
        answer.summary = " ".join(answer.summary.replace(sentence, "").split())
    for sentence, _ in misattributed_paraphrases(answer.summary, analysis):
        answer.summary = " ".join(answer.summary.replace(sentence, "").split())
    # A summary that only repeats the headline says nothing: left out, not re-asked (on
    # the example a re-ask cost a call and the model repeated it again).
    if content_words(answer.summary) <= content_words(answer.headline):
        answer.summary = ""
    for field in ("headline", "summary"):
        copied = copied_phrase(getattr(answer, field), instructions, analysis.text)
        if copied:
            problems.append(f"{field}: copies the instructions ({copied!r}); describe this article")
            setattr(answer, field, "")  # kept only if lenient: then left out
        if foreign_letters(getattr(answer, field), analysis.text):
            setattr(answer, field, "")  # left out, as an item is
        for word in loaded_terms(getattr(answer, field)):
            problems.append(f"{field} uses the loaded word {word!r}")
    if problems and not context.get("lenient"):
        raise ValueError(
            "; ".join(problems) + ". Cite only sentences that name the actor; use plain verbs "
            "such as 'said', or put the speaker's own words in quotation marks."
        )
    return answer


def _problems(section: str, item: Any, analysis: Analysis, instructions: str) -> list[str]:
    cited = list(getattr(item, "sentences", None) or [getattr(item, "sentence", None)])
    # a decision's parties may be named just before it; its evidence then cites that sentence
    naming = list(party_sentences(cited[0])) if section == "permissions" else cited
    problems = []
    for role in ("actor", "grantor", "grantee", "issuer", "asserted_by", "disputed_by"):
        actor_id = getattr(item, role, None)
        if actor_id is None:
            continue
        if not any(tied(actor_id, number, analysis) for number in naming):
            actor = analysis.actor(actor_id)
            name = actor.name if actor else actor_id
            where = ", ".join(str(n) for n in cited)
            problems.append(f"{role} {actor_id} ({name}) is not named in sentence {where}")
    if section == "permissions" and item.grantor == item.grantee:
        problems.append("grantor and grantee are the same actor")
    if section == "disputed_claims" and item.asserted_by == item.disputed_by:
        problems.append("asserted_by and disputed_by are the same actor")
    cited_words = " ".join(
        analysis.text[analysis.sentence(n).start : analysis.sentence(n).end]
        for n in cited
        if 1 <= n <= len(analysis.sentences)
    )
    for field in _PROSE_FIELDS:
        text = getattr(item, field, None) or ""
        copied = copied_phrase(text, instructions, analysis.text)
        if copied:
            problems.append(f"{field} copies the instructions ({copied!r})")
        if section != "source_notes":  # a note may report the outlet's loaded words
            for word in loaded_terms(text, allowed_source=cited_words):
                problems.append(f"{field} uses the loaded word {word!r}")
    return problems


#: The fields of an item that hold the model's own words.
_PROSE_FIELDS = ("stance", "action", "limits", "warning", "claim", "question", "note")


def _foreign_words(item: Any, article: str) -> bool:
    return any(foreign_letters(getattr(item, f, None) or "", article) for f in _PROSE_FIELDS)


def foreign_letters(written: str, article: str) -> str:
    """Letters of briefer's own words that are neither ASCII nor in the article: the
    embedded model sometimes slips into another script ("deeper inside俄罗斯")."""
    seen = set(article)
    return "".join(sorted({c for c in written if c.isalpha() and not c.isascii()} - seen))


#: How many sentences before a decision may name its other party ("The Times asked for the
#: file. The judge rejected that request.").
PARTY_REACH = 2


def party_sentences(number: int) -> range:
    """The sentences that may name a party of the decision in sentence `number`: it, and the
    `PARTY_REACH` before it."""
    return range(max(number - PARTY_REACH, 1), number + 1)


def tied(actor_id: str, number: int, analysis: Analysis) -> bool:
    """Whether the analysis finds the actor named in the sentence, or speaking in it."""
    if number < 1 or number > len(analysis.sentences):
        return False
    sentence = analysis.sentence(number)
    if actor_id in analysis.actors_in(sentence):
        return True
    return any(statement.speaker == actor_id for statement in analysis.statements_in(number))


#: A quotation in the model's prose: opened after a space or bracket, closed before one,
#: so that the apostrophe of "Kiev's" opens nothing.
_QUOTED = re.compile(
    r"(?:^|(?<=[\s(\[]))['\u2018\"\u201c]([^'\u2019\"\u201d]+?)['\u2019\"\u201d]"
    r"(?=[\s.,;:!?)\]]|$)"
)
#: A full stop that ends no sentence: after an initial or a dotted abbreviation ("U.S.",
#: "N. Korea") or a short title ("Rep. Schiff").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Capt|Lt|Sgt|Rev|St|Jr|Sr|No|vs)"
    r")\.$"
)
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)]?(?=\s)")
_NAME_WORD = re.compile(r"[a-z][a-z.\-]*")
_NOT_NAMING = {"the", "of", "and", "for", "in", "on", "at", "to", "a", "an", "s"}


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of briefer's prose ends, but the last: after a full stop,
    question or exclamation mark (and any closing quote) that a space follows, and not after
    an abbreviation."""
    return [
        m.end()
        for m in _SENTENCE_END.finditer(text)
        if not (m.group()[0] == "." and _ABBREVIATION.search(text[: m.start() + 1]))
    ]


def prose_sentences(text: str) -> list[str]:
    """The sentences of briefer's prose (a summary), each stripped."""
    bounds = [0, *sentence_ends(text), len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def misattributed_quotations(summary: str, analysis: Analysis) -> list[tuple[str, str, str]]:
    """Each (sentence, quotation, speaker) where the summary quotes words that the analysis
    attributes to someone the summary's sentence never names: "Kiev's press secretary said
    the move was creating 'a new reality'" when a US official said it. The summary is the
    model's prose; its quotations must keep the article's speakers."""
    found = []
    contents = [
        (
            statement.speaker,
            " ".join(
                analysis.text[statement.content.start : statement.content.end].lower().split()
            ),
        )
        for statement in analysis.statements
    ]
    for sentence in prose_sentences(summary):
        named = set(_NAME_WORD.findall(sentence.lower().replace("'s", " ")))
        for match in _QUOTED.finditer(sentence):
            quoted = " ".join(match.group(1).lower().split())
            if len(quoted.split()) < 2:
                continue
            speakers = {speaker for speaker, content in contents if quoted in content}
            actors = [a for a in (analysis.actor(s) for s in sorted(speakers)) if a is not None]
            if actors and not any(_name_words(actor) & named for actor in actors):
                found.append((sentence, match.group(1), actors[0].name))
    return found


#: Verbs by which a summary says who said what, in every form: "confirm", "confirmed" ...
_SAYING_VERBS = """say tell confirm announce claim state warn deny insist argue accuse urge
    predict acknowledge admit allege suggest note explain believe threaten promise pledge vow
    assert maintain contend report""".split()  # noqa: SIM905


@lru_cache(maxsize=1)
def _saying_forms() -> frozenset[str]:
    from briefer.rules.voices import past_tense

    return frozenset(
        form
        for verb in _SAYING_VERBS
        for form in (verb, f"{verb}s", f"{verb}es", f"{verb}ing", past_tense(verb))
    )


def misattributed_paraphrases(summary: str, analysis: Analysis) -> list[tuple[str, str]]:
    """Each (sentence, speaker) where a summary sentence reports, with a verb of saying,
    what the analysis attributes to someone the sentence never names: "US officials
    confirm Kiev's permission to use American weapons ..." when Zelensky's office confirmed
    it. The statement is the one whose words the sentence most repeats (at least half of
    them, four or more)."""
    found = []
    statements = [
        (statement, content_words(analysis.text[statement.content.start : statement.content.end]))
        for statement in analysis.statements
    ]
    for sentence in prose_sentences(summary):
        words = set(_WORD.findall(sentence.lower()))
        if not words & _saying_forms():
            continue
        said = content_words(sentence)
        overlap, statement, content = max(
            ((len(said & words), statement, words) for statement, words in statements if words),
            key=lambda found: found[0],
            default=(0, None, set()),
        )
        if statement is None or overlap < 4 or overlap * 2 < len(content):
            continue
        speaker = analysis.actor(statement.speaker)
        named = set(_NAME_WORD.findall(sentence.lower().replace("'s", " ")))
        if speaker is not None and not _name_words(speaker) & named:
            found.append((sentence, speaker.name))
    return found


def _name_words(actor: CandidateActor) -> set[str]:
    """The words that name an actor: of its name, aliases and role ("official")."""
    words = " ".join([actor.name, *actor.aliases, actor.role]).lower().replace("\u2019s", " ")
    return set(_NAME_WORD.findall(words.replace("'s", " "))) - _NOT_NAMING


def copied_phrase(text: str, instructions: str, article: str) -> str | None:
    """A run of `COPIED_WORDS` words of `text` that the instructions have and the article
    does not, if any: the model repeating its prompt instead of reading the article."""
    words = _WORD.findall(text.lower())
    if len(words) < COPIED_WORDS or not instructions:
        return None
    prompt = " ".join(_WORD.findall(instructions.lower()))
    source = " ".join(_WORD.findall(article.lower()))
    for start in range(len(words) - COPIED_WORDS + 1):
        run = " ".join(words[start : start + COPIED_WORDS])
        if f" {run} " in f" {prompt} " and f" {run} " not in f" {source} ":
            return run
    return None
