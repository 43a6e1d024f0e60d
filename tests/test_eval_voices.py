"""Scoring voices against attribution annotations (briefer.eval.voices): which sources name a
speaker, when a predicted actor is that speaker, and how recall and precision count."""

from __future__ import annotations

import pytest

from briefer.eval.voices import (
    Attribution,
    Voice,
    read_attributions,
    score_voices,
    source_names,
    stands_for,
)

ARTICLE = "Officials said the plan was fair. Trump said it was not. He added more."


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("Trump", ("Trump",)),
        (
            "Manhattan Supreme Court Justice Frank Nervo",
            ("Manhattan Supreme Court Justice Frank Nervo",),
        ),
        ("A lawyer for the news outlets, David Schulz", ("David Schulz",)),
        ("Secretary of State John Kerry", ("State John Kerry",)),
        ("Sen. Bernie Sanders (Vt.), who lost the primaries", ("Sen. Bernie Sanders",)),
        ("Quina Jones, 25,", ("Quina Jones",)),
        ("Mitch McConnell, R-Ky.,", ("Mitch McConnell",)),
        ("The New York Times and the Gannett newspaper chain", ("New York Times",)),
        ("Trump's campaign manager", ()),
        ("The Clinton campaign", ()),
        ("lawyers for both Donald and Ivana Trump", ()),
        ("he", ()),
        ("Officials", ()),  # written in lower case elsewhere in the article: a common word
    ],
)
def test_a_source_names_a_speaker_only_when_its_head_is_a_name(source, names):
    assert source_names(source, ARTICLE + " officials") == names


@pytest.mark.parametrize(
    ("predicted", "source", "right"),
    [
        (["Frank Nervo"], "Manhattan Supreme Court Justice Frank Nervo", True),
        (["Nervo"], "Justice Frank Nervo", True),
        (["Manhattan Supreme Court"], "Manhattan Supreme Court Justice Frank Nervo", False),
        (["Hillary Clinton"], "Bill Clinton", False),
        (["United States", "US", "Washington"], "Washington", True),
        (["King"], "Mr. King", True),
    ],
)
def test_a_predicted_actor_stands_for_a_source_by_its_last_word_and_containment(
    predicted, source, right
):
    assert stands_for(predicted, source) is right


def attribution(content: tuple[int, int], *names: str) -> Attribution:
    return Attribution(source=((0, 1),), cue=((0, 1),), content=(content,), names=names)


def test_recall_counts_named_sources_and_precision_skips_unresolved_pronouns():
    named = attribution((14, 32), "Trump")
    pronoun = attribution((60, 71))  # "He added more.": names no one
    voices = [
        Voice(names=("Donald Trump",), evidence=((14, 32),)),  # right
        Voice(names=("Hillary Clinton",), evidence=((10, 20),)),  # wrong speaker, judged
        Voice(names=("Mike Pence",), evidence=((60, 70),)),  # only the pronoun: not judged
    ]
    score = score_voices([named, pronoun], voices)
    assert (score.found, score.named) == (1, 1)
    assert (score.right, score.judged) == (1, 2)


def test_brat_files_are_read_with_discontinuous_spans(tmp_path):
    text = '"We will win," Trump said. "Trust me."'
    path = tmp_path / "article_1234.ann"
    path.write_text(
        "T1\tSource 15 20\tTrump\n"
        "T2\tCue 21 25\tsaid\n"
        "T3\tContent 1 12;28 37\tWe will win Trust me.\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n",
        encoding="utf-8",
    )
    [read] = read_attributions(path, text)
    assert read.content == ((1, 12), (28, 37))
    assert read.names == ("Trump",)
