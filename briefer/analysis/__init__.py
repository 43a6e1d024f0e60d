"""The analysis stage: parse the article once, find its actors and attributed statements.

    from briefer.analysis import analyse
    analysis = analyse(article_text)   # sentences, candidate actors, statements (no LLM)

Every later stage (the prompt, the validators, the rules, the assembly of the briefing) reads
this one `Analysis`; none splits the text again. Importing this package is cheap: spaCy is
imported when the first article is analysed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from briefer.analysis.document import (
    Analysis,
    CandidateActor,
    Decision,
    Sentence,
    Span,
    Statement,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["Analysis", "CandidateActor", "Decision", "Sentence", "Span", "Statement", "analyse"]


@lru_cache(maxsize=8)
def analyse(text: str) -> Analysis:
    """Parse `text` and find its sentences, candidate actors and attributed statements.

    Cached for the last few texts: the rules, the prompt and the assembly of one briefing all
    ask for the same article's analysis.
    """
    from briefer.analysis.actors import find_actors
    from briefer.analysis.attribution import find_statements
    from briefer.analysis.decisions import find_decisions
    from briefer.analysis.parse import parse

    doc = parse(text)
    sentences = _sentences(doc, text)
    table = find_actors(doc)
    statements = [
        replace(s, content=Span(*_whole_quotation(s.content, text)))
        for s in find_statements(sentences, table)
    ]
    decisions = find_decisions(sentences, table)
    return Analysis(
        text=text,
        sentences=tuple(sentence for sentence, _ in sentences),
        actors=tuple(table.finish()),
        statements=tuple(statements),
        decisions=tuple(decisions),
    )


def _whole_quotation(content: Span, text: str) -> tuple[int, int]:
    """A statement's words with the marks of its quotations whole: both apostrophes of a
    pair, and the closing mark of a quotation that ends just after them."""
    from briefer.analysis.parse import closed_quotation, whole_marks

    start, end = whole_marks(content.start, content.end, text)
    return closed_quotation(start, end, text)


def _sentences(doc: Doc, text: str) -> list[tuple[Sentence, SpacySpan]]:
    """The parse's sentences, without edge whitespace, numbered from 1, with paragraphs;
    each with its span of the parse. `text` is the article: its quotation marks are the
    sentence's own (`whole_marks`)."""
    from briefer.analysis.parse import whole_marks

    sentences: list[tuple[Sentence, SpacySpan]] = []
    paragraph, previous_end = 0, 0
    for span in doc.sents:
        piece = span.text
        start = span.start_char + len(piece) - len(piece.lstrip())
        end = span.end_char - (len(piece) - len(piece.rstrip()))
        if start >= end:
            continue
        start, end = whole_marks(start, end, text)
        if "\n" in text[previous_end:start]:
            paragraph += 1
        sentence = Sentence(start, end, id=len(sentences) + 1, paragraph=paragraph)
        sentences.append((sentence, span))
        previous_end = end
    return sentences
