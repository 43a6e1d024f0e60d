"""Specification of the briefing models: grounded evidence, actor references, the JSON contract."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import make_meta, make_source
from pydantic import ValidationError

from briefer.schema import SCHEMA_VERSION, Briefing, BriefingContent, Evidence

LDQUO, RDQUO, RSQUO = "\u201c", "\u201d", "\u2019"  # curly quotes and apostrophe

PUBLIC_KEYS = {
    "headline",
    "summary",
    "actors",
    "positions",
    "permissions",
    "warnings",
    "disputed_claims",
    "open_questions",
    "source_notes",
    "meta",
    "source",
}


def strict(data: dict[str, Any], article: str) -> BriefingContent:
    return BriefingContent.model_validate(copy.deepcopy(data), context={"article": article})


def lenient(data: dict[str, Any], article: str) -> BriefingContent:
    context = {"article": article, "lenient": True}
    return BriefingContent.model_validate(copy.deepcopy(data), context=context)


def without_fabrication(data: dict[str, Any]) -> dict[str, Any]:
    """The dam content minus its one position whose quote is made up (the third)."""
    del data["positions"][2]
    return data


def one_position(actor: str, quote: str, actors: list[dict[str, Any]] | None = None) -> dict:
    """Minimal content: one position by `actor`, backed by `quote`."""
    return {
        "headline": "h",
        "summary": "s",
        "actors": actors
        if actors is not None
        else [{"id": "ministry-of-energy", "name": "Ministry of Energy", "kind": "government"}],
        "positions": [{"actor": actor, "stance": "says something", "evidence": [quote]}],
    }


# --- grounding of evidence ------------------------------------------------------------------


def test_strict_validation_rejects_a_fabricated_quote_and_names_it(
    dam_content: dict[str, Any], dam_article: str, fabricated_quote: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        strict(dam_content, dam_article)
    message = str(caught.value)
    assert "quote not found in the article" in message
    assert fabricated_quote in message
    assert "positions.2.evidence.0" in message  # pydantic points at the offending item


def test_strict_validation_accepts_content_whose_quotes_are_all_in_the_article(
    dam_content: dict[str, Any], dam_article: str
) -> None:
    content = strict(without_fabrication(dam_content), dam_article)
    assert all(e.match == "exact" for e in content.evidence())


def test_lenient_validation_keeps_a_fabricated_quote_as_unverified(
    dam_content: dict[str, Any], dam_article: str, fabricated_quote: str
) -> None:
    content = lenient(dam_content, dam_article)
    made_up = content.positions[2]
    assert made_up.evidence == [
        Evidence(quote=fabricated_quote, start=None, end=None, match="unverified")
    ]
    assert made_up.grounded is False
    assert all(p.grounded for p in content.positions[:2])


def test_exact_quotes_carry_offsets_into_the_article(
    dam_content: dict[str, Any], dam_article: str
) -> None:
    content = strict(without_fabrication(dam_content), dam_article)
    evidence = content.evidence()
    assert len(evidence) == 7
    for item in evidence:
        assert item.match == "exact"
        assert item.start is not None and item.end is not None
        assert dam_article[item.start : item.end] == item.quote


def test_quote_with_curly_quotes_for_straight_ones_is_fuzzy_and_shows_the_article_text(
    dam_article: str,
) -> None:
    article_words = 'the council\'s estimate was "simply not supported by our hydrological surveys"'
    llm_copy = (
        f"the council{RSQUO}s estimate was "
        f"{LDQUO}simply not supported by our hydrological surveys{RDQUO}"
    )
    assert article_words in dam_article and llm_copy not in dam_article

    content = strict(one_position("ministry-of-energy", llm_copy), dam_article)
    (evidence,) = content.positions[0].evidence
    assert evidence.match == "fuzzy"
    assert evidence.quote == article_words
    assert dam_article[evidence.start : evidence.end] == article_words
    assert content.positions[0].grounded is True


def test_quote_wrapped_in_quotation_marks_is_still_exact(dam_article: str) -> None:
    content = strict(
        one_position("ministry-of-energy", '"The ministry disputes that figure"'), dam_article
    )
    (evidence,) = content.positions[0].evidence
    assert (evidence.quote, evidence.match) == ("The ministry disputes that figure", "exact")


def test_evidence_without_an_article_is_taken_as_given() -> None:
    """Re-validating a stored briefing needs no article: offsets are kept, nothing is checked."""
    evidence = Evidence.model_validate(
        {"quote": "q words", "start": 3, "end": 10, "match": "exact"}
    )
    assert (evidence.start, evidence.end, evidence.match) == (3, 10, "exact")
    assert Evidence.model_validate("bare quote") == Evidence(quote="bare quote")


def test_every_item_needs_a_quote(dam_article: str) -> None:
    data = one_position("ministry-of-energy", "The ministry disputes that figure")
    data["positions"][0]["evidence"] = []
    with pytest.raises(ValidationError, match=r"positions\.0\.evidence"):
        strict(data, dam_article)


# --- actor references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [
        "energy-ministry",
        "Ministry of Energy",
        "Energy Ministry",
        " ENERGY_ministry ",
        "ministry  OF energy",
    ],
    ids=["id", "name", "id-cased-and-spaced", "id-underscored", "name-respaced"],
)
def test_actor_reference_resolves_by_id_or_name_and_is_normalised_to_the_id(
    dam_article: str, reference: str
) -> None:
    actors = [{"id": "energy-ministry", "name": "Ministry of Energy", "kind": "government"}]
    data = one_position(reference, "The ministry disputes that figure", actors)
    assert strict(data, dam_article).positions[0].actor == "energy-ministry"


def test_actor_ids_are_slugified() -> None:
    content = BriefingContent.model_validate(
        {
            "headline": "h",
            "summary": "s",
            "actors": [{"id": "U.S. Government", "name": "US", "kind": "government"}],
        }
    )
    assert content.actors[0].id == "u-s-government"


def test_every_kind_of_reference_is_normalised(
    dam_content: dict[str, Any], dam_article: str
) -> None:
    dam_content["permissions"][0]["grantor"] = "Constitutional Court"
    dam_content["permissions"][0]["grantee"] = "Meridane Hydro Consortium"
    dam_content["warnings"][0]["issuer"] = "Teodor Vasquel"
    dam_content["warnings"][0]["addressee"] = "WAYAKU COUNCIL"
    dam_content["disputed_claims"][0]["asserted_by"] = ["Wayaku Council"]
    dam_content["disputed_claims"][0]["disputed_by"] = ["Ministry of Energy"]
    dam_content["open_questions"][0]["actors"] = ["Ministry Of Energy", "meridane"]
    content = strict(without_fabrication(dam_content), dam_article)
    assert (content.permissions[0].grantor, content.permissions[0].grantee) == (
        "constitutional-court",
        "meridane",
    )
    assert (content.warnings[0].issuer, content.warnings[0].addressee) == (
        "teodor-vasquel",
        "wayaku-council",
    )
    assert content.disputed_claims[0].asserted_by == ["wayaku-council"]
    assert content.disputed_claims[0].disputed_by == ["ministry-of-energy"]
    assert content.open_questions[0].actors == ["ministry-of-energy", "meridane"]


@pytest.mark.parametrize("validate", [strict, lenient], ids=["strict", "lenient"])
def test_an_undeclared_actor_reference_declares_an_actor_of_kind_other(
    dam_content: dict[str, Any], dam_article: str, validate: Any
) -> None:
    dam_content["warnings"][0]["issuer"] = "Continental Development Bank"
    dam_content["open_questions"][0]["actors"] = ["continental development bank"]
    content = validate(without_fabrication(dam_content), dam_article)
    added = content.actors[-1]
    assert (added.id, added.name, added.kind) == (
        "continental-development-bank",
        "Continental Development Bank",
        "other",
    )
    assert len(content.actors) == 6  # added once, then reused
    assert content.warnings[0].issuer == "continental-development-bank"
    assert content.open_questions[0].actors == ["continental-development-bank"]


def test_an_actor_declared_from_a_bare_id_gets_a_readable_name(dam_article: str) -> None:
    data = one_position("teodor-quill", "The ministry disputes that figure", actors=[])
    content = strict(data, dam_article)
    assert [(a.id, a.name) for a in content.actors] == [("teodor-quill", "Teodor Quill")]


def test_actors_added_in_lenient_mode_beyond_the_llm_bound_still_round_trip(
    dam_content: dict[str, Any], dam_article: str
) -> None:
    dam_content["actors"] += [
        {"id": f"extra-{n}", "name": f"Extra {n}", "kind": "person", "role": ""} for n in range(8)
    ]
    dam_content["warnings"][0]["issuer"] = "Continental Development Bank"
    content = lenient(dam_content, dam_article)
    briefing = Briefing.model_validate(
        {**content.model_dump(), "meta": make_meta(), "source": make_source(dam_article)}
    )

    assert len(briefing.actors) > 8
    assert Briefing.model_validate_json(briefing.model_dump_json()) == briefing


def test_duplicate_actor_ids_get_numbered_suffixes(dam_article: str) -> None:
    actors = [
        {"id": "minister", "name": "Teodor Vasquel", "kind": "person"},
        {"id": "minister", "name": "Another Minister", "kind": "person"},
        {"id": "Minister", "name": "A Third Minister", "kind": "person"},
    ]
    content = strict(
        one_position("minister", "The ministry disputes that figure", actors), dam_article
    )
    assert [a.id for a in content.actors] == ["minister", "minister-2", "minister-3"]
    assert content.positions[0].actor == "minister"  # the first one declared


def test_ids_win_over_names_when_they_collide(dam_article: str) -> None:
    actors = [
        {"id": "first", "name": "Second", "kind": "person"},
        {"id": "second", "name": "Somebody", "kind": "person"},
    ]
    data = one_position("second", "The ministry disputes that figure", actors)
    assert strict(data, dam_article).positions[0].actor == "second"


# --- the public JSON contract ---------------------------------------------------------------


def test_briefing_json_round_trips_without_the_article(dam_briefing: Briefing) -> None:
    again = Briefing.model_validate_json(dam_briefing.model_dump_json())
    assert again == dam_briefing
    assert again.positions[2].evidence[0].match == "unverified"
    assert again.positions[2].grounded is False


def test_briefing_json_includes_grounded_flags_and_schema_version(dam_briefing: Briefing) -> None:
    data = dam_briefing.model_dump(mode="json")
    assert [p["grounded"] for p in data["positions"]] == [True, True, False]
    assert data["meta"]["schema_version"] == SCHEMA_VERSION
    assert data["meta"]["grounding"] == {"exact": 7, "fuzzy": 0, "unverified": 1}
    assert data["meta"]["usage"]["reasks"] == 0


def test_briefing_needs_its_metadata(dam_briefing: Briefing) -> None:
    data = dam_briefing.model_dump()
    del data["meta"]
    with pytest.raises(ValidationError, match="meta"):
        Briefing.model_validate(data)


def test_serialization_schema_is_the_public_contract() -> None:
    schema = Briefing.model_json_schema(mode="serialization")
    assert set(schema["properties"]) == PUBLIC_KEYS
    assert set(schema["required"]) == PUBLIC_KEYS
    evidence = schema["$defs"]["Evidence"]
    assert set(evidence["properties"]) == {"quote", "start", "end", "match"}
    assert evidence["properties"]["match"]["enum"] == ["exact", "fuzzy", "unverified"]
    position_evidence = schema["$defs"]["Position"]["properties"]["evidence"]
    assert position_evidence["items"] == {"$ref": "#/$defs/Evidence"}
    assert "grounded" in schema["$defs"]["Position"]["properties"]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_evidence_lists_quotes_in_section_order(
    dam_content: dict[str, Any], dam_article: str, fabricated_quote: str
) -> None:
    quotes = [e.quote for e in lenient(dam_content, dam_article).evidence()]
    assert quotes[2] == fabricated_quote
    assert quotes[3].startswith("barred the operator")  # permissions follow positions
    assert quotes[-1].startswith("The two dissenting judges")  # source notes come last


@pytest.mark.parametrize("written", ["None", "none.", "N/A", "", "null"])
def test_a_missing_limit_or_condition_written_as_a_word_is_null(
    dam_content: dict[str, Any], dam_article: str, written: str
) -> None:
    dam_content["permissions"][0]["limits"] = written
    dam_content["warnings"][0]["conditional"] = written
    content = strict(without_fabrication(dam_content), dam_article)
    assert content.permissions[0].limits is None
    assert content.warnings[0].conditional is None


def test_the_schema_keeps_items_and_prose_as_written(
    dam_content: dict[str, Any], dam_article: str
) -> None:
    """Repairs of a model's answer belong to assembly (`briefer.assemble.tidied`)."""
    dam_content["positions"].append(copy.deepcopy(dam_content["positions"][0]))
    dam_content["positions"][1]["stance"] = 'The ministry calls it "wrong"}]'
    content = lenient(dam_content, dam_article)
    assert len(content.positions) == 4
    assert content.positions[1].stance == 'The ministry calls it "wrong"}]'


def test_a_saved_briefing_whose_offsets_miss_its_quotes_is_refused(dam_briefing: Briefing) -> None:
    data = dam_briefing.model_dump(mode="json")
    evidence = data["positions"][0]["evidence"][0]
    evidence["start"], evidence["end"] = evidence["start"] + 5, evidence["end"] + 5
    with pytest.raises(ValidationError, match="is not the source text"):
        Briefing.model_validate(data)


def test_a_saved_briefing_whose_text_was_edited_is_refused(dam_briefing: Briefing) -> None:
    data = dam_briefing.model_dump(mode="json")
    data["source"]["text"] = data["source"]["text"].replace("Wayaku", "Wayaku people")
    with pytest.raises(ValidationError, match=r"does not match source\.sha256"):
        Briefing.model_validate(data)
