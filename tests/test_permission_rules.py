"""Permissions stated in set phrases ("X allowed Y to ...", "Y may not ..."): each one the
model left out is added with its grantor, grantee, status and limits, citing its sentence."""

from __future__ import annotations

from typing import Any

import pytest

from briefer.permission_rules import add_stated_permissions
from briefer.schema import BriefingContent

ARTICLE = (
    "Court lets dam go ahead\n"
    "The Supreme Court on Monday allowed the Energy Ministry to finish the dam, "
    "but barred the operator from filling the reservoir until residents are consulted. "
    'Judge Ana Ruiz ruled that the builders may not close the tunnels. "We may not wait," '
    "she said. "
    "Farmers may draw water only if they hold a permit. "
    "Prices may rise next year. "
    "Deliveries by road are banned at night. "
    "The Farmers' Union said its members would comply."
)


def actor(id: str, name: str, kind: str) -> dict[str, str]:
    return {"id": id, "name": name, "kind": kind, "role": ""}


ACTORS = [
    actor("supreme-court", "Supreme Court", "government"),
    actor("energy-ministry", "Energy Ministry", "government"),
    actor("ana-ruiz", "Judge Ana Ruiz", "person"),
    actor("builders", "dam builders", "group"),
]


def content_for(
    article: str, actors: list[dict[str, str]] = ACTORS, **sections: Any
) -> BriefingContent:
    """What the model answered for `article`: `actors` and whatever `sections` give."""
    data = {"headline": "h", "summary": "s", "actors": actors, **sections}
    return BriefingContent.model_validate(data, context={"article": article})


def stated_in(
    article: str, actors: list[dict[str, str]]
) -> list[tuple[str, str, str, str, str | None]]:
    """The permissions the rules state for `article` when the model named only `actors`."""
    return stated(add_stated_permissions(content_for(article, actors), article))


def stated(content: BriefingContent) -> list[tuple[str, str, str, str, str | None]]:
    return [(p.grantor, p.grantee, p.status, p.action, p.limits) for p in content.permissions]


@pytest.fixture
def completed() -> BriefingContent:
    return add_stated_permissions(content_for(ARTICLE), ARTICLE)


def test_each_set_phrase_gives_grantor_grantee_status_action_and_limits(
    completed: BriefingContent,
) -> None:
    assert stated(completed) == [
        ("supreme-court", "energy-ministry", "granted", "finish the dam", None),
        (
            "supreme-court",
            "operator",
            "denied",
            "filling the reservoir",
            "until residents are consulted",
        ),
        ("ana-ruiz", "builders", "denied", "close the tunnels", None),
        ("ana-ruiz", "farmers", "restricted", "draw water", "only if they hold a permit"),
    ]


def test_a_ban_stays_denied_with_its_limits_and_an_allowance_with_limits_is_restricted(
    completed: BriefingContent,
) -> None:
    by_grantee = {p.grantee: p for p in completed.permissions}
    assert (by_grantee["operator"].status, by_grantee["operator"].limits) == (
        "denied",
        "until residents are consulted",
    )
    assert by_grantee["farmers"].status == "restricted"
    assert by_grantee["energy-ministry"].status == "granted"


def test_new_grantees_are_declared_as_actors(completed: BriefingContent) -> None:
    added = {a.id: a.kind for a in completed.actors[len(ACTORS) :]}
    assert added == {"operator": "organisation", "farmers": "group"}


def test_predictions_quotations_and_things_are_not_permissions(
    completed: BriefingContent,
) -> None:
    cited = " ".join(e.quote for p in completed.permissions for e in p.evidence)
    assert "Prices may rise" not in cited
    assert "We may not wait" not in {p.action for p in completed.permissions}
    assert "Deliveries by road" not in cited


def test_every_added_permission_cites_its_sentence_at_its_offsets(
    completed: BriefingContent,
) -> None:
    for permission in completed.permissions:
        [evidence] = permission.evidence
        assert evidence.match == "exact"
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote


def test_a_permission_the_model_stated_is_not_added_again() -> None:
    model = {
        "evidence": ["allowed the Energy Ministry to finish the dam"],
        "grantor": "supreme-court",
        "grantee": "energy-ministry",
        "action": "finish the dam",
        "status": "granted",
        "limits": None,
        "context": "reported",
    }
    completed = add_stated_permissions(content_for(ARTICLE, permissions=[model]), ARTICLE)
    grantees = [p.grantee for p in completed.permissions]
    assert grantees.count("energy-ministry") == 1
    assert "operator" in grantees  # the same sentence's other permission is still added


def test_with_no_grantor_to_be_found_nothing_is_added() -> None:
    article = "Rules change\nFarmers may draw water only at night."
    assert add_stated_permissions(content_for(article), article).permissions == []


def test_a_licence_granted_to_someone_and_the_authority_that_grants_approvals() -> None:
    article = (
        "Drug approved\n"
        "The Medicines Agency has granted conditional approval to velotide, a pill. "
        "Doctors may prescribe it only to adults. "
        "The council voted to grant the Quay Traders a one-year trial permit. "
        "Union insurers forbidden to cover the ships, the ministry said."
    )
    actors = [
        actor("agency", "Medicines Agency", "government"),
        actor("council", "city council", "government"),
        actor("traders", "Quay Traders", "group"),
        actor("union", "Economic Union", "government"),
    ]
    assert stated_in(article, actors) == [
        ("agency", "doctors", "restricted", "prescribe it", "only to adults"),
        ("council", "traders", "granted", "a one-year trial permit", None),
        ("council", "union-insurers", "denied", "cover the ships", None),
    ]


def test_an_approval_of_a_product_is_held_by_the_one_that_made_it() -> None:
    article = (
        "Drug approved\n"
        "The Medicines Agency has granted conditional approval to velotide, a pill developed "
        "by Arden Pharma to treat gout."
    )
    actors = [actor("agency", "Medicines Agency", "government")]
    assert stated_in(article, actors) == [
        ("agency", "arden-pharma", "granted", "conditional approval for velotide", None)
    ]


def test_an_appositive_object_a_pronoun_object_and_a_post_modified_group() -> None:
    article = (
        "March allowed\n"
        "The court allowed the organisers, the group Green Tide, to march at noon, and "
        "prohibited them from using loudspeakers. "
        "Under the order, airlines registered abroad are allowed to land at night. "
        "Police banned the march on Tuesday, citing plans to block the exchange."
    )
    actors = [
        actor("court", "Supreme Court", "government"),
        actor("green-tide", "Green Tide", "group"),
    ]
    assert stated_in(article, actors) == [
        ("court", "green-tide", "granted", "march at noon", None),
        ("court", "green-tide", "denied", "using loudspeakers", None),
        ("court", "airlines", "granted", "land at night", None),
    ]


def test_a_singular_body_may_be_a_grantee_and_it_continues_it() -> None:
    article = (
        "Merger cleared\n"
        "The Competition Authority has granted approval for the merger. "
        "The merged group may not close any store for a year, and it is barred from raising "
        "prices. Work on the new depot may continue."
    )
    actors = [actor("authority", "Competition Authority", "government")]
    assert stated_in(article, actors) == [
        ("authority", "merged-group", "denied", "close any store for a year", None),
        ("authority", "merged-group", "denied", "raising prices", None),
    ]
