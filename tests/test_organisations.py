"""Organisations the article names become actors when no actor names them already."""

from __future__ import annotations

from briefer.organisations import add_named_organisations
from briefer.schema import BriefingContent

ARTICLE = (
    "Strike halted\n"
    "The Regional Labour Court halted the strike. If Union members walk out, the court said, "
    "the National Conciliation Service will step in. Lawyers for Kelvane Logistics Group and "
    "the Dockers' Federation met. Medicines and Health Products Agency staff were absent. "
    "The Guardian and the New York Times reported the ruling. The Bank said nothing."
)


def actors_added(article: str, actors: list[dict[str, str]]) -> list[tuple[str, str]]:
    content = BriefingContent.model_validate(
        {"headline": "h", "summary": "s", "actors": actors}, context={"article": article}
    )
    return [(a.name, a.kind) for a in add_named_organisations(content, article).actors][
        len(actors) :
    ]


def test_each_named_body_not_yet_an_actor_is_added_once_with_no_role() -> None:
    known = [{"id": "kelvane", "name": "Kelvane Logistics Group", "kind": "organisation"}]
    assert actors_added(ARTICLE, known) == [
        ("Regional Labour Court", "organisation"),
        ("National Conciliation Service", "organisation"),
        ("Dockers' Federation", "organisation"),
        ("Medicines and Health Products Agency", "organisation"),
        ("New York Times", "media"),
    ]


def test_an_actor_whose_name_contains_the_body_or_is_contained_in_it_is_the_same() -> None:
    known = [
        {"id": "court", "name": "Labour Court", "kind": "organisation"},
        {"id": "service", "name": "the National Conciliation Service of Norland", "kind": "other"},
    ]
    names = [name for name, _ in actors_added(ARTICLE, known)]
    assert "Regional Labour Court" not in names
    assert "National Conciliation Service" not in names
