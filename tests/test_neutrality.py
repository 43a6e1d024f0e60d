"""Neutrality: briefer's own prose uses no loaded words; the actors' own words stay theirs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import answer_for, build_briefing
from pydantic import ValidationError
from scripted_server import scripted_llm, tool_call

from briefer.api import make_briefing
from briefer.backends import ServerBackend
from briefer.neutrality import loaded_terms, neutrality_findings
from briefer.render import render
from briefer.schema import BriefingContent
from briefer.settings import ExtractionSettings


def strict(data: dict[str, Any], article: str) -> BriefingContent:
    """Strict validation of the dam content, less its one deliberately fabricated quote."""
    data["positions"] = [p for p in data["positions"] if "at any height" not in p["evidence"][0]]
    return BriefingContent.model_validate(data, context={"article": article})


def lenient(data: dict[str, Any], article: str) -> BriefingContent:
    return BriefingContent.model_validate(data, context={"article": article, "lenient": True})


@pytest.mark.parametrize(
    "text, words",
    [
        ("The minister slammed the ruling.", ["slammed"]),
        (
            "A so-called compromise; clearly a landmark ruling.",
            ["so-called", "clearly", "landmark"],
        ),
        ("Terrorists attacked the terrorist base.", ["terrorists", "terrorist"]),
        ("The minister said the ruling was wrong.", []),
        ('He called the plan \u201ca brutal sham\u201d and "draconian".', []),
        ("The council regained its landmarks? No: landmarked.", []),
    ],
)
def test_loaded_words_outside_quotation_marks_are_found(text: str, words: list[str]) -> None:
    assert loaded_terms(text) == words


def test_a_word_the_item_quotes_is_the_actors_not_briefers(dam_content, dam_article) -> None:
    dam_content["positions"][0]["stance"] = "The Wayaku Council says the flooding is brutal."
    assert neutrality_findings(lenient(dam_content, dam_article)) == [
        "positions[0].stance uses the loaded word 'brutal'"
    ]
    dam_content["positions"][0]["evidence"] = ["our brutal loss"]
    article = dam_article + " The council spoke of our brutal loss."
    assert neutrality_findings(strict(dam_content, article)) == []


def test_source_notes_may_report_the_outlets_loaded_words(dam_content, dam_article) -> None:
    dam_content["source_notes"][0]["note"] = "The outlet calls the dissent a shameful farce."
    assert neutrality_findings(strict(dam_content, dam_article)) == []


def test_a_loaded_headline_fails_the_answers_validation_naming_the_word() -> None:
    from briefer.analysis import analyse
    from briefer.answer import guided_answer_model
    from briefer.extract import prompt_context
    from briefer.rules import candidates

    analysis = analyse(ARTICLE)
    model = guided_answer_model(candidates(analysis))
    loaded = answer(headline="Harbour board slams residents with a historic ruling")
    with pytest.raises(ValidationError, match=r"headline uses the loaded word 'slams'.*'said'"):
        model.model_validate_json(loaded, context=prompt_context(analysis, candidates(analysis)))


def test_lenient_validation_keeps_the_briefing_and_the_output_shows_the_findings(
    dam_content, dam_article
) -> None:
    dam_content["summary"] = "The court clearly sided with the builders."
    briefing = build_briefing(
        dam_content,
        dam_article,
        lenient=True,
        neutrality=["summary uses the loaded word 'clearly'"],
    )
    assert "**⚠ Neutrality check:**" in render(briefing)
    assert "'clearly'" in render(briefing)


# --- through the pipeline: a finding is re-asked like an unfound quote ----------------------

ARTICLE = (
    "Harbour board lets ferries run at night\n"
    "The Velstad harbour board said on Monday it will allow ferries to sail at night. "
    '"We will watch the noise closely," board chair Ines Dahl said. Residents said the '
    "decision ignored them."
)
CLEAN_HEADLINE = "Velstad harbour board to allow night ferries"


def answer(**changes: Any) -> str:
    return answer_for(ARTICLE, **{"headline": CLEAN_HEADLINE, **changes})


def brief(server: Any, max_retries: int) -> Any:
    backend = ServerBackend(model="scripted", base_url=server.base_url)
    return make_briefing(
        ARTICLE, backend=backend, settings=ExtractionSettings(max_retries=max_retries)
    )


def test_a_loaded_word_is_re_asked_and_the_second_answer_kept() -> None:
    loaded = answer(headline="Harbour board rams through a shameful night-ferry plan")
    with scripted_llm([tool_call(loaded), tool_call(answer())]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    assert briefing.headline == CLEAN_HEADLINE
    assert briefing.meta.neutrality == []
    reask = json.dumps(server.requests[1].body["messages"][-1])
    assert "headline uses the loaded word 'shameful'" in reask


def test_findings_left_after_the_retries_are_recorded_not_hidden() -> None:
    loaded = answer(summary="The board obviously ignored residents.")
    with scripted_llm([tool_call(loaded), tool_call(loaded)]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.neutrality == ["summary uses the loaded word 'obviously'"]
    assert "⚠ Neutrality check" in render(briefing)
