"""Attributed statements: verbatim sentences that quote or attribute, in the article's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.attribution import MAX_STATEMENTS, attributed_statements

ARTICLES = sorted((Path(__file__).parent / "articles").glob("*.txt"))

TEXT = (
    "Port board allows night ferries\n"
    "The port board on Monday allowed ferries to sail at night. The weather was mild. "
    '"We will watch the noise. Closely," board chair Ines Dahl said. '
    "Ferries may sail between 10 p.m. and 6 a.m. on weekdays, the board added.\n\n"
    "Nothing else happened on the quay that day at all."
)


def test_sentences_that_quote_or_attribute_are_listed_in_order() -> None:
    assert attributed_statements(TEXT) == [
        "The port board on Monday allowed ferries to sail at night.",
        '"We will watch the noise. Closely," board chair Ines Dahl said.',
        "Ferries may sail between 10 p.m. and 6 a.m. on weekdays, the board added.",
    ]


def test_a_headline_line_is_not_a_statement() -> None:
    assert attributed_statements("Minister says no\nThe minister said no to the plan.") == [
        "The minister said no to the plan."
    ]


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_every_statement_is_verbatim_article_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    statements = attributed_statements(text)
    assert 0 < len(statements) <= MAX_STATEMENTS
    assert all(statement in text for statement in statements)
