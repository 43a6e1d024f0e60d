"""Open questions the article names ("it is unclear whether ...", "declined to say who ..."):
each becomes a direct question tied to its sentence, unless the model already asked it."""

from __future__ import annotations

import pytest

from briefer.open_questions import add_open_questions
from briefer.schema import BriefingContent

ARTICLE = (
    "Council approves night market\n"
    "The council approved a night market on the quay. "
    "It is not yet known who will pay for the noise meter, how long the trial will last, "
    "or whether readings will be published. "
    "The mayor declined to say whether the licensing office, which has ten staff, can cope. "
    "Stallholders said they were pleased."
)


def bare_content(article: str) -> BriefingContent:
    """A model answer with no actors and no questions of its own."""
    return BriefingContent.model_validate(
        {"headline": "h", "summary": "s"}, context={"article": article}
    )


def content_with(questions: list[dict[str, object]] | None = None) -> BriefingContent:
    data = {
        "headline": "Council approves night market",
        "summary": "The council approved a night market.",
        "actors": [{"id": "council", "name": "council", "kind": "government", "role": ""}],
        "open_questions": questions or [],
    }
    return BriefingContent.model_validate(data, context={"article": ARTICLE})


def test_each_open_clause_becomes_a_direct_question_tied_to_its_sentence() -> None:
    questions = add_open_questions(content_with(), ARTICLE).open_questions
    assert [q.question for q in questions] == [
        "Who will pay for the noise meter?",
        "How long will the trial last?",
        "Will readings be published?",
        "Can the licensing office, which has ten staff, cope?",
    ]
    for question in questions:
        [evidence] = question.evidence
        assert evidence.match == "exact"
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote
        assert question.question.split()[-1].rstrip("?") in evidence.quote


def test_a_question_the_model_already_asked_is_not_asked_twice() -> None:
    asked = {
        "evidence": ["It is not yet known who will pay for the noise meter"],
        "question": "Who pays for the noise meter?",
        "actors": [],
    }
    questions = add_open_questions(content_with([asked]), ARTICLE).open_questions
    texts = [q.question for q in questions]
    assert texts[0] == "Who pays for the noise meter?"
    assert "Who will pay for the noise meter?" not in texts
    assert len(texts) == 4


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("The ruling does not say whether the ministry must pay.", "Must the ministry pay?"),
        ("It is unclear how much the drug will cost.", "How much will the drug cost?"),
        ("Officials did not specify what steps were considered.", "What steps were considered?"),
        ("The bank has not published how it will check.", "How will it check?"),
        ("It is unclear whether to extend the listings.", "Whether to extend the listings?"),
    ],
)
def test_the_auxiliary_verb_moves_forward_only_when_the_subject_follows_the_question_word(
    sentence: str, question: str
) -> None:
    article = "Headline\n" + sentence
    assert [
        q.question for q in add_open_questions(bare_content(article), article).open_questions
    ] == [question]


def test_sentences_that_leave_nothing_open_add_nothing() -> None:
    article = "Headline\nThe minister said the plan is clear. Nobody knows the man's name."
    assert add_open_questions(bare_content(article), article).open_questions == []


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("Neither side said whether the talks would resume.", "Would the talks resume?"),
        ("Staff have not been told whether their jobs will move.", "Will their jobs move?"),
    ],
)
def test_neither_and_not_told_leave_a_question_open(sentence: str, question: str) -> None:
    article = "Headline\n" + sentence
    assert [
        q.question for q in add_open_questions(bare_content(article), article).open_questions
    ] == [question]
