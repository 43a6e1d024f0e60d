"""Disputes stated in set phrases ("X disputes that figure", "a view contradicted by X"):
each side is named and has its own evidence, and nobody is made to dispute themselves."""

from __future__ import annotations

from typing import Any

from briefer.dispute_rules import add_stated_disputes
from briefer.schema import BriefingContent

ARTICLE = (
    "Dam row\n"
    "The Wayaku Council says the reservoir would flood 14,000 hectares. "
    "The ministry disputes that figure. "
    "Minister Teo Vasq disputed the council's estimate of the cost. "
    "The union rejected the offer. "
    "Officials said the dam was safe. "
    "A view contradicted by the Wayaku Council."
)
ACTORS = [
    {"id": "wayaku-council", "name": "Wayaku Council", "kind": "group", "role": ""},
    {"id": "ministry", "name": "Energy Ministry", "kind": "government", "role": ""},
    {"id": "teo-vasq", "name": "Teo Vasq", "kind": "person", "role": "minister"},
    {"id": "union", "name": "dockers' union", "kind": "group", "role": ""},
]
COUNCIL_SAYS = {
    "evidence": ["The Wayaku Council says the reservoir would flood 14,000 hectares."],
    "actor": "wayaku-council",
    "stance": "The council says 14,000 hectares would flood.",
}


def content_for(**sections: Any) -> BriefingContent:
    data = {"headline": "h", "summary": "s", "actors": ACTORS, **sections}
    return BriefingContent.model_validate(data, context={"article": ARTICLE})


def sides(content: BriefingContent) -> list[tuple[list[str], list[str], str]]:
    return [(c.asserted_by, c.disputed_by, c.claim) for c in content.disputed_claims]


def test_that_figure_is_the_claim_stated_in_the_sentence_before_with_both_sides_quoted() -> None:
    completed = add_stated_disputes(content_for(positions=[COUNCIL_SAYS]), ARTICLE)
    first = completed.disputed_claims[0]
    assert (first.asserted_by, first.disputed_by) == (["wayaku-council"], ["ministry"])
    assert first.claim == COUNCIL_SAYS["stance"]
    assert [e.quote for e in first.evidence] == [
        COUNCIL_SAYS["evidence"][0],
        "The ministry disputes that figure.",
    ]
    for evidence in first.evidence:
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote


def test_an_object_that_names_an_actor_makes_it_the_asserter() -> None:
    completed = add_stated_disputes(content_for(positions=[COUNCIL_SAYS]), ARTICLE)
    assert ("wayaku-council", "teo-vasq", "The council's estimate") in [
        (asserted[0], disputed[0], claim) for asserted, disputed, claim in sides(completed)
    ]


def test_rejecting_an_offer_is_not_a_dispute_over_a_claim_and_no_side_disputes_itself() -> None:
    completed = add_stated_disputes(content_for(positions=[COUNCIL_SAYS]), ARTICLE)
    assert all("offer" not in claim for _, _, claim in sides(completed))
    for asserted, disputed, _ in sides(completed):
        assert not set(asserted) & set(disputed)
    # "contradicted by the Wayaku Council": the sentence before names no actor of the briefing
    assert len(completed.disputed_claims) == 2


def test_with_no_asserter_to_be_found_nothing_is_added() -> None:
    article = "Row\nThe weather was mild. The ministry disputes that figure."
    content = BriefingContent.model_validate(
        {"headline": "h", "summary": "s", "actors": ACTORS}, context={"article": article}
    )
    assert add_stated_disputes(content, article).disputed_claims == []


def test_a_sentence_the_models_dispute_cites_is_left_to_the_model() -> None:
    model = {
        "evidence": ["The ministry disputes that figure."],
        "claim": "14,000 hectares would flood.",
        "asserted_by": ["wayaku-council"],
        "disputed_by": ["ministry"],
    }
    completed = add_stated_disputes(
        content_for(positions=[COUNCIL_SAYS], disputed_claims=[model]), ARTICLE
    )
    assert [claim for _, _, claim in sides(completed)].count("14,000 hectares would flood.") == 1
    assert not any(claim == COUNCIL_SAYS["stance"] for _, _, claim in sides(completed))
