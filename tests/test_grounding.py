"""Specification of grounding: where, if anywhere, an evidence quote lies in the article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefer.grounding import Span, locate

# Typographic characters are spelled as escapes so that the tests read unambiguously.
LDQUO, RDQUO = "\u201c", "\u201d"  # curly double quotes
LSQUO, RSQUO = "\u2018", "\u2019"  # curly single quotes; RSQUO is also the curly apostrophe
LAQUO, RAQUO = "\u00ab", "\u00bb"  # guillemets
NDASH, MDASH = "\u2013", "\u2014"
NBSP = "\u00a0"
QUOTATION_MARKS = "\"'" + LDQUO + RDQUO + LSQUO + RSQUO + LAQUO + RAQUO
FI = "\ufb01"  # the "fi" ligature, which NFKC turns into two characters

ARTICLE = (
    "The city council voted on Tuesday to expand the tram network.\n"
    f"{LDQUO}We have waited long enough,{RDQUO} said Mayor Jane Doe {MDASH} who has "
    "campaigned on transport for a decade.\n"
    "The plan costs 40 million euros and will be financed by a regional bond.\n\n"
    "Critics  said the vote was rushed. The council will meet again in March.\n"
    "The council will meet again in March, officials confirmed."
)


def text_of(span: Span | None, article: str = ARTICLE) -> str:
    assert span is not None
    return article[span.start : span.end]


def assert_well_formed(span: Span | None, article: str) -> None:
    """Any span lies inside the article, is non-empty and has no surrounding whitespace."""
    if span is None:
        return
    assert 0 <= span.start < span.end <= len(article)
    matched = article[span.start : span.end]
    assert matched == matched.strip()
    assert span.match in ("exact", "fuzzy")


# --- exact ----------------------------------------------------------------------------------


def test_verbatim_quote_is_exact_with_its_offsets() -> None:
    quote = "voted on Tuesday to expand the tram network"
    start = ARTICLE.index(quote)
    assert locate(quote, ARTICLE) == Span(start, start + len(quote), "exact")


@pytest.mark.parametrize(
    "wrapped",
    [
        '"voted on Tuesday"',
        f"{LDQUO}voted on Tuesday{RDQUO}",
        "'voted on Tuesday'",
        f"{LSQUO}voted on Tuesday{RSQUO}",
        f"{LAQUO}voted on Tuesday{RAQUO}",
        '  "voted on Tuesday"\n',
        f"{LDQUO} voted on Tuesday {RDQUO}",
    ],
)
def test_surrounding_whitespace_and_quotation_marks_are_stripped(wrapped: str) -> None:
    span = locate(wrapped, ARTICLE)
    assert span is not None and span.match == "exact"
    assert text_of(span) == "voted on Tuesday"


def test_repeated_phrase_matches_its_first_occurrence() -> None:
    quote = "The council will meet again in March"
    span = locate(quote, ARTICLE)
    assert span == Span(ARTICLE.index(quote), ARTICLE.index(quote) + len(quote), "exact")
    assert ARTICLE.count(quote) == 2


def test_repeated_phrase_matches_its_first_occurrence_when_normalised() -> None:
    span = locate("the COUNCIL will meet again in march", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert span.start == ARTICLE.index("The council will meet again in March")


# --- normalised -----------------------------------------------------------------------------


def test_straight_quotes_match_curly_quotes_in_the_article() -> None:
    span = locate('"We have waited long enough," said Mayor', ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == f"{LDQUO}We have waited long enough,{RDQUO} said Mayor"


def test_curly_quotes_match_straight_quotes_in_the_article() -> None:
    article = 'She said "we will win" and the mayor\'s office agreed.'
    span = locate(f"said {LDQUO}we will win{RDQUO} and the mayor{RSQUO}s office", article)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span, article) == 'said "we will win" and the mayor\'s office'


def test_guillemets_match_double_quotes() -> None:
    article = f"Le maire a dit {LAQUO}nous avons gagn\u00e9{RAQUO} hier soir."
    span = locate('a dit "nous avons gagn\u00e9" hier', article)
    assert text_of(span, article) == f"a dit {LAQUO}nous avons gagn\u00e9{RAQUO} hier"


@pytest.mark.parametrize(
    ("article_dash", "quote_dash"),
    [(MDASH, "-"), (NDASH, "-"), ("-", MDASH), ("-", NDASH), (MDASH, NDASH), ("\u2212", "-")],
)
def test_dashes_and_hyphens_are_interchangeable(article_dash: str, quote_dash: str) -> None:
    article = f"Results for 2020{article_dash}2024 were mixed."
    span = locate(f"for 2020{quote_dash}2024 were", article)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span, article) == f"for 2020{article_dash}2024 were"


def test_multiple_spaces_in_the_article_match_a_single_space() -> None:
    span = locate("Critics said the vote was rushed", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == "Critics  said the vote was rushed"


def test_line_break_in_the_article_matches_a_space() -> None:
    span = locate("regional bond. Critics said", ARTICLE)
    assert text_of(span) == "regional bond.\n\nCritics  said"


def test_whitespace_runs_in_the_quote_match_single_spaces() -> None:
    span = locate("voted  on\n\tTuesday", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == "voted on Tuesday"


def test_case_differences_are_ignored() -> None:
    span = locate("THE CITY COUNCIL VOTED", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == "The city council voted"


def test_offsets_map_back_through_nfkc_expansions_earlier_in_the_article() -> None:
    article = (
        f"The {FI}rst{NBSP}report was {FI}led late. Officials confirmed the FIGURES on Monday."
    )
    span = locate("confirmed the figures on Monday", article)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span, article) == "confirmed the FIGURES on Monday"


def test_span_covers_ligatures_and_nbsp_inside_the_match() -> None:
    article = f"The {FI}rst{NBSP}report was {FI}led late."
    span = locate("first report was filed", article)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span, article) == f"{FI}rst{NBSP}report was {FI}led"


def test_decomposed_accents_match_precomposed_ones() -> None:
    article = "They met at the Cafe\u0301 Central on Friday."  # e + combining acute accent
    span = locate("the caf\u00e9 central", article)  # precomposed e-acute
    assert text_of(span, article) == "the Cafe\u0301 Central"


def test_invisible_characters_in_the_article_are_ignored() -> None:
    article = "A trans\u00adatlantic\u200b flight was cancelled."  # soft hyphen, zero-width space
    span = locate("transatlantic flight", article)
    assert text_of(span, article) == "trans\u00adatlantic\u200b flight"


# --- approximate ----------------------------------------------------------------------------


def test_one_word_misquote_is_fuzzy_and_covers_the_real_article_words() -> None:
    quote = "The plan costs 40 million euros and will be funded by a regional bond."
    span = locate(quote, ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == (
        "The plan costs 40 million euros and will be financed by a regional bond."
    )


def test_dropped_word_is_fuzzy_and_covers_the_whole_passage() -> None:
    span = locate("The plan costs 40 million euros and will be financed by a bond.", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == (
        "The plan costs 40 million euros and will be financed by a regional bond."
    )


def test_approximate_span_is_snapped_to_whole_words() -> None:
    span = locate("who has campaigned on transportation for a decade", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    matched = text_of(span)
    assert matched == "who has campaigned on transport for a decade"
    assert not ARTICLE[span.start - 1].isalnum() and not ARTICLE[span.end].isalnum()


def test_misquote_is_found_through_typographic_differences_too() -> None:
    span = locate('"we have waited long enough," said mayor JOHN Doe', ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == f"{LDQUO}We have waited long enough,{RDQUO} said Mayor Jane Doe"


def test_misquote_of_a_short_quote_is_not_accepted() -> None:
    assert locate("voted on Monday", ARTICLE) is None  # under 20 characters


def test_heavily_reworded_quote_is_not_accepted() -> None:
    assert locate("The scheme will cost 40 million and be paid for by taxes.", ARTICLE) is None


def test_fabricated_sentence_is_not_found() -> None:
    assert locate("The mayor announced her resignation on Friday evening.", ARTICLE) is None


# --- ellipses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ellipsis", ["...", " ... ", "\u2026", " \u2026 ", " [...] ", " [\u2026] "]
)
def test_ellipsis_joined_fragments_span_first_to_last(ellipsis: str) -> None:
    span = locate(f"The city council voted{ellipsis}expand the tram network", ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span) == "The city council voted on Tuesday to expand the tram network"


def test_ellipsis_fragments_may_be_normalised_matches() -> None:
    span = locate('"We have waited long enough," ... campaigned on transport', ARTICLE)
    assert span is not None and span.match == "fuzzy"
    assert text_of(span).startswith(f"{LDQUO}We have waited")
    assert text_of(span).endswith("campaigned on transport")


def test_ellipsis_with_three_fragments() -> None:
    span = locate("council voted ... the tram network ... Mayor Jane Doe", ARTICLE)
    assert text_of(span).startswith("council voted")
    assert text_of(span).endswith("Mayor Jane Doe")


def test_ellipsis_fragments_out_of_order_are_not_found() -> None:
    assert locate("expand the tram network ... The city council voted", ARTICLE) is None


def test_ellipsis_with_a_missing_fragment_is_not_found() -> None:
    assert locate("The city council voted ... to build a new airport", ARTICLE) is None


def test_ellipsis_fragment_too_short_to_mean_anything_is_not_found() -> None:
    assert "on" in ARTICLE[ARTICLE.index("Mayor") :]
    assert locate("Mayor ... on", ARTICLE) is None


def test_ellipsis_match_is_the_tightest_window() -> None:
    span = locate("The council ... officials confirmed", ARTICLE)
    assert text_of(span) == "The council will meet again in March, officials confirmed"


def test_ellipsis_in_the_article_itself_matches_exactly() -> None:
    article = "He paused... and then he left the room."
    assert locate("paused... and then", article) == Span(3, 21, "exact")


# --- never a match --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote", ["", "   ", "\n\t", '""', f"{LDQUO}{RDQUO}", "on", "o n", '"on"', " ... ", "\u2026"]
)
def test_empty_and_too_short_quotes_never_match(quote: str) -> None:
    assert locate(quote, ARTICLE) is None


def test_nothing_matches_in_an_empty_article() -> None:
    assert locate("The city council voted", "") is None


# --- spans are always well formed -----------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "voted on Tuesday",
        '"We have waited long enough," said Mayor',
        "Critics said the vote was rushed",
        "THE CITY COUNCIL VOTED",
        "The plan costs 40 million euros and will be funded by a regional bond.",
        "The city council voted ... expand the tram network",
        "The council ... officials confirmed",
        "officials confirmed.",
        "The mayor announced her resignation on Friday evening.",
    ],
)
def test_every_span_lies_within_the_article(quote: str) -> None:
    assert_well_formed(locate(quote, ARTICLE), ARTICLE)


# --- properties -----------------------------------------------------------------------------

_PLAIN = st.sampled_from([*"abcxyz ABC.,;-", NDASH, MDASH, NBSP, "\n", FI, "\u00e9", "\u00df"])
_QUOTING = st.sampled_from(['"', "'", LDQUO, RDQUO, LSQUO, RSQUO, LAQUO, RAQUO, "e\u0301"])


def _texts(pieces: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_size).map("".join)


def _non_space(text: str) -> int:
    return sum(not char.isspace() for char in text)


_PASSAGES = st.lists(_PLAIN, min_size=3, max_size=40).map("".join).map(str.strip)
_PASSAGES = _PASSAGES.filter(lambda passage: _non_space(passage) >= 3)


@given(before=_texts(_PLAIN, 80), passage=_PASSAGES, after=_texts(_PLAIN, 80))
def test_any_verbatim_substring_is_found_exactly_at_its_first_occurrence(
    before: str, passage: str, after: str
) -> None:
    article = before + passage + after

    span = locate(passage, article)

    assert span is not None and span.match == "exact"
    assert article[span.start : span.end] == passage
    assert span.start == article.find(passage)


_REWRITES = {
    "upper": str.upper,
    "lower": str.lower,
    "hyphens": lambda text: text.replace(MDASH, "-").replace(NDASH, "-"),
    "dashes": lambda text: text.replace("-", MDASH),
    "spaces": lambda text: text.replace(" ", "  ").replace("\n", " ").replace(NBSP, " "),
    "ligatures": lambda text: text.replace(FI, "fi"),
}


@given(
    before=_texts(_PLAIN, 80),
    passage=_PASSAGES,
    after=_texts(_PLAIN, 80),
    rewrite=st.sampled_from(sorted(_REWRITES)),
)
def test_a_normalisation_equivalent_quote_is_always_found(
    before: str, passage: str, after: str, rewrite: str
) -> None:
    article = before + passage + after
    quote = _REWRITES[rewrite](passage)

    span = locate(quote, article)

    assert span is not None
    assert_well_formed(span, article)
    assert (span.match == "exact") == (quote in article)
    if span.match == "exact":
        assert article[span.start : span.end] == quote


_ANY = _PLAIN | _QUOTING
_WRAPPING = _texts(st.sampled_from([*QUOTATION_MARKS, " ", "\n"]), 3)


@given(
    before=_texts(_ANY, 80),
    passage=_texts(_ANY, 40),
    after=_texts(_ANY, 80),
    left=_WRAPPING,
    right=_WRAPPING,
    invented=st.none() | _texts(_ANY, 40),
)
def test_an_exact_result_is_always_verbatim(
    before: str, passage: str, after: str, left: str, right: str, invented: str | None
) -> None:
    article = before + passage + after
    quote = left + (passage if invented is None else invented) + right

    span = locate(quote, article)

    assert_well_formed(span, article)
    if span is not None and span.match == "exact":
        matched = article[span.start : span.end]
        outside_left, found, outside_right = quote.partition(matched)
        assert found, "an exact match must be the quote's own text"
        trimmed = outside_left + outside_right
        assert all(char.isspace() or char in QUOTATION_MARKS for char in trimmed)


def test_an_approximate_span_does_not_start_with_the_previous_sentences_full_stop() -> None:
    article = (
        "Officials met on Monday. Putin added that the constant escalation of the conflict "
        "may lead to serious consequences."
    )
    quote = "Putin added that constant escalation of the conflict may lead to serious consequences."
    span = locate(quote, article)
    assert span is not None and span.match == "fuzzy"
    assert article[span.start : span.end].startswith("Putin added")
