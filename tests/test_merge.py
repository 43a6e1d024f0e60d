"""Specification of the cross-source briefing: `briefer make --merge a b c`.

Three invented articles on one invented flood (tests/merge/): a wire report, a state-media
story from the upstream country (its own spellings, its loaded words, its side's voices only)
and a newspaper analysis quoting both sides. Their per-source briefings are built here from
LLM-style content without an LLM (conftest.build_briefing), then merged by fixed rules. What
must hold: one actor across sources under every source's spelling, but never two people
merged for a shared surname; every quote points into its own source's text; what only some
sources report, conflicting figures and statuses, differing spellings and absent voices are
listed; rendering escapes every value; the CLI briefs each source (from the cache when it
can), merges, and writes nothing when one source fails.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, RECORDED_MODEL, RECORDING_URL, answer_for, build_briefing
from scripted_server import ScriptedServer, http_error, scripted_llm, tool_call

from briefer.api import make_briefing
from briefer.article import read_article
from briefer.backends import ServerBackend
from briefer.cli import main
from briefer.errors import BackendError, InputError, UsageError
from briefer.eval import load_merge_gold, score_merge
from briefer.merge import Difference, MergedBriefing, merge_briefings
from briefer.names import fold_name, same_person
from briefer.render import render
from briefer.schema import Briefing

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(__file__).parent / "merge"
WIRE, STATE_MEDIA, ANALYSIS = (
    FOLDER / "ilvetsa-flood-wire.txt",
    FOLDER / "ilvetsa-flood-state-media.txt",
    FOLDER / "ilvetsa-flood-analysis.txt",
)
PATHS = [WIRE, STATE_MEDIA, ANALYSIS]
GOLD = FOLDER / "ilvetsa-flood.merge.json"
BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")
FAST_RETRY = {"retry-after-ms": "1"}

#: What an LLM might write for each article; every quote is verbatim in its own article.
CONTENT: dict[Path, dict[str, Any]] = {
    WIRE: {
        "headline": "Ostrevia says Dravonia released dam water without warning as Dolvaniv floods",
        "summary": (
            "Ostrevia's president said Dravonia opened the Ilvetsa dam without warning; "
            "Dravonia's foreign ministry said Ostrevia was informed. About 6,200 people were "
            "evacuated, according to Ostrevia's emergency service."
        ),
        "actors": [
            {
                "id": "state-emergency-service",
                "name": "State Emergency Service",
                "kind": "government",
                "role": "Ostrevia's emergency service",
            },
            {
                "id": "volodymyr-kostelnyy",
                "name": "Volodymyr Kostelnyy",
                "kind": "person",
                "role": "President of Ostrevia",
            },
            {
                "id": "dravonian-state-water-agency",
                "name": "Dravonian State Water Agency",
                "kind": "government",
                "role": "publishes the dam's discharge figures",
            },
            {
                "id": "yelena-grushetskaya",
                "name": "Yelena Grushetskaya",
                "kind": "person",
                "role": "Dravonian foreign ministry spokeswoman",
            },
            {"id": "dravonia", "name": "Dravonia", "kind": "government"},
            {"id": "ostrevia", "name": "Ostrevia", "kind": "government"},
            {
                "id": "ilvetsa-basin-commission",
                "name": "Ilvetsa Basin Commission",
                "kind": "organisation",
            },
            {
                "id": "taras-kostelnyy",
                "name": "Taras Kostelnyy",
                "kind": "person",
                "role": "mayor of Dolvaniv",
            },
        ],
        "positions": [
            {
                "actor": "state-emergency-service",
                "stance": "The service says 6,200 people were evacuated from Dolvaniv and two "
                "nearby villages.",
                "evidence": [
                    "Ostrevia's State Emergency Service said 6,200 people had been evacuated "
                    "from Dolvaniv and two nearby villages"
                ],
            },
            {
                "actor": "volodymyr-kostelnyy",
                "stance": "Kostelnyy says Dravonia released water on sleeping towns without "
                "sending any warning.",
                "evidence": [
                    "Dravonia released a wall of water on sleeping towns and did not send a "
                    "single warning"
                ],
            },
            {
                "actor": "dravonian-state-water-agency",
                "stance": "The agency's figures show discharges of 1,200 cubic metres per "
                "second on Sunday night.",
                "evidence": [
                    "Figures published by the Dravonian State Water Agency showed discharges "
                    "of 1,200 cubic metres per second from the dam on Sunday night"
                ],
            },
            {
                "actor": "yelena-grushetskaya",
                "stance": "Grushetskaya says the release was a scheduled safety measure after "
                "heavy snowmelt and that Ostrevia was informed in advance.",
                "evidence": [
                    "the release was a scheduled safety measure after heavy snowmelt and that "
                    "Ostrevia had been informed in advance"
                ],
            },
            {
                "actor": "taras-kostelnyy",
                "stance": "The mayor says the river has never risen this fast.",
                "evidence": ["We have never seen the river rise this fast"],
            },
        ],
        "permissions": [
            {
                "grantor": "dravonia",
                "grantee": "ilvetsa-basin-commission",
                "action": "send inspectors to visit the Ilvetsa dam",
                "status": "restricted",
                "limits": "one day, accompanied by Dravonian officials, no control room",
                "context": "future",
                "evidence": [
                    "Dravonia said it would allow inspectors from the Ilvetsa Basin Commission "
                    "to visit the dam for one day on Thursday, accompanied by Dravonian "
                    "officials and without access to the control room"
                ],
            }
        ],
        "warnings": [
            {
                "issuer": "volodymyr-kostelnyy",
                "addressee": "dravonia",
                "kind": "threat",
                "warning": "Ostrevia will take the case to the commission's arbitration panel",
                "conditional": "if the releases continue",
                "evidence": [
                    "He said Ostrevia would take the case to the arbitration panel of the "
                    "Ilvetsa Basin Commission if the releases continued."
                ],
            },
            {
                "issuer": "yelena-grushetskaya",
                "addressee": "ostrevia",
                "kind": "threat",
                "warning": "any use of the flood for provocations on the border will receive "
                "a firm response",
                "conditional": None,
                "evidence": [
                    "Any attempt to use this natural event for provocations on the border "
                    "will receive a firm response"
                ],
            },
        ],
        "disputed_claims": [
            {
                "claim": "Ostrevia was informed in advance of the release",
                "asserted_by": ["yelena-grushetskaya"],
                "disputed_by": ["volodymyr-kostelnyy"],
                "evidence": [
                    "Ostrevia had been informed in advance",
                    "did not send a single warning",
                ],
            }
        ],
        "open_questions": [
            {
                "question": "Will the inspectors be able to examine the dam's release logs?",
                "actors": ["ilvetsa-basin-commission"],
                "evidence": [
                    "It was not clear whether the commission's inspectors would be able to "
                    "examine the dam's release logs."
                ],
            }
        ],
        "source_notes": [],
    },
    STATE_MEDIA: {
        "headline": "Dravonian water agency says the Ilvetsa discharge stayed within limits",
        "summary": (
            "Dravonia's State Water Agency said the discharge never exceeded 800 cubic metres "
            "per second, and its foreign ministry said Ostrevia was notified in time."
        ),
        "actors": [
            {
                "id": "state-water-agency",
                "name": "State Water Agency",
                "kind": "government",
                "role": "runs the Ilvetsa hydroelectric complex",
            },
            {
                "id": "elena-grushetskaia",
                "name": "Elena Grushetskaia",
                "kind": "person",
                "role": "foreign ministry spokeswoman",
            },
            {"id": "vladimir-kostelny", "name": "Vladimir Kostelny", "kind": "person"},
            {"id": "dravonia", "name": "Dravonia", "kind": "government"},
            {
                "id": "ilvetsa-basin-commission",
                "name": "Ilvetsa Basin Commission",
                "kind": "organisation",
            },
        ],
        "positions": [
            {
                "actor": "state-water-agency",
                "stance": "The agency says the discharge never exceeded 800 cubic metres per "
                "second and followed the basin rules.",
                "evidence": [
                    "the planned spring discharge from the Ilvetsa hydroelectric complex "
                    "never exceeded 800 cubic metres per second"
                ],
            },
            {
                "actor": "elena-grushetskaia",
                "stance": "Grushetskaia says the discharge was a routine safety measure and "
                "the neighbours were notified in good time.",
                "evidence": [
                    "The discharge was a routine safety measure made necessary by record "
                    "snowmelt, and our neighbours were notified in good time"
                ],
            },
        ],
        "permissions": [
            {
                "grantor": "dravonia",
                "grantee": "ilvetsa-basin-commission",
                "action": "inspect the Ilvetsa hydroelectric complex",
                "status": "granted",
                "limits": None,
                "context": "reported",
                "evidence": [
                    "Dravonia has granted inspectors of the Ilvetsa Basin Commission access "
                    "to the hydroelectric complex on Thursday"
                ],
            }
        ],
        "warnings": [
            {
                "issuer": "elena-grushetskaia",
                "addressee": None,
                "kind": "threat",
                "warning": "any use of the flood for provocations on the border will receive "
                "a firm response",
                "conditional": None,
                "evidence": [
                    "any attempt to use this natural event for provocations on the border "
                    "will receive a firm response"
                ],
            }
        ],
        "disputed_claims": [],
        "open_questions": [],
        "source_notes": [
            {
                "kind": "loaded_wording",
                "note": "Ostrevia's government is called 'the Tirnov regime' and its response "
                "a 'hysterical campaign'.",
                "evidence": [
                    "the Tirnov regime has launched a hysterical campaign against Dravonia"
                ],
            },
            {
                "kind": "unattributed_claim",
                "note": "The outlet says in its own voice that fewer than 1,000 residents were "
                "moved as a precaution.",
                "evidence": [
                    "Fewer than 1,000 residents of the Ostrevian town of Dolvanov were moved "
                    "to higher ground as a precaution"
                ],
            },
            {
                "kind": "missing_voice",
                "note": "No Ostrevian official is quoted; Kostelny's statement is only "
                "characterised.",
                "evidence": ["went on television to blame his neighbour"],
            },
        ],
    },
    ANALYSIS: {
        "headline": "Analysis weighs the two governments' accounts of the Dolvaniv flood",
        "summary": (
            "Ostrevia and Dravonia disagree on whether notice was given before the Ilvetsa dam "
            "release; a researcher says the 1998 treaty was breached on either figure."
        ),
        "actors": [
            {
                "id": "state-emergency-service",
                "name": "State Emergency Service",
                "kind": "government",
                "role": "Ostrevia's emergency service",
            },
            {
                "id": "volodymyr-kostelnyi",
                "name": "Volodymyr Kostelnyi",
                "kind": "person",
                "role": "President of Ostrevia",
            },
            {
                "id": "yelena-grushetskaya",
                "name": "Yelena Grushetskaya",
                "kind": "person",
                "role": "Dravonian foreign ministry spokeswoman",
            },
            {
                "id": "mirela-vantoch",
                "name": "Mirela Vantoch",
                "kind": "person",
                "role": "water-law researcher",
            },
            {
                "id": "taras-kostelnyi",
                "name": "Taras Kostelnyi",
                "kind": "person",
                "role": "mayor of Dolvaniv",
            },
            {"id": "dravonia", "name": "Dravonia", "kind": "government"},
            {"id": "ostrevia", "name": "Ostrevia", "kind": "government"},
            {
                "id": "ilvetsa-basin-commission",
                "name": "Ilvetsa Basin Commission",
                "kind": "organisation",
            },
            {
                "id": "riverside-residents",
                "name": "Residents of the riverside district",
                "kind": "group",
            },
        ],
        "positions": [
            {
                "actor": "state-emergency-service",
                "stance": "The service says 6,200 people were evacuated from the town and two "
                "villages.",
                "evidence": [
                    "Ostrevia's State Emergency Service says 6,200 people were evacuated from "
                    "the town and two villages"
                ],
            },
            {
                "actor": "volodymyr-kostelnyi",
                "stance": "Kostelnyi says Dravonia released a wall of water on sleeping towns "
                "without warning.",
                "evidence": [
                    'has accused Dravonia of releasing "a wall of water on sleeping towns" '
                    "without warning"
                ],
            },
            {
                "actor": "yelena-grushetskaya",
                "stance": "Grushetskaya says the neighbours were notified in good time.",
                "evidence": ["insists the neighbours were notified in good time"],
            },
            {
                "actor": "mirela-vantoch",
                "stance": "Vantoch says the treaty was breached whichever Dravonian figure is "
                "right.",
                "evidence": [
                    "If the Dravonian figure of 1,200 is right, the treaty was plainly "
                    "breached; if their later figure of 800 is right, it was still breached"
                ],
            },
            {
                "actor": "mirela-vantoch",
                "stance": "Vantoch calls the offered visit a guided tour rather than an "
                "inspection.",
                "evidence": ["a guided tour, not an inspection"],
            },
        ],
        "permissions": [
            {
                "grantor": "dravonia",
                "grantee": "ilvetsa-basin-commission",
                "action": "a visit by the commission's inspectors to the dam",
                "status": "restricted",
                "limits": "one day, escorted",
                "context": "reported",
                "evidence": [
                    "Dravonia has offered the commission's inspectors a one-day, escorted "
                    "visit to the dam."
                ],
            },
            {
                "grantor": "taras-kostelnyi",
                "grantee": "riverside-residents",
                "action": "return to their homes from Friday",
                "status": "restricted",
                "limits": "only in daylight while engineers check the embankments",
                "context": "reported",
                "evidence": [
                    "allowed residents of the riverside district to return to their homes "
                    "from Friday, but only in daylight while engineers check the embankments"
                ],
            },
        ],
        "warnings": [
            {
                "issuer": "volodymyr-kostelnyi",
                "addressee": "dravonia",
                "kind": "threat",
                "warning": "Ostrevia will turn to the commission's arbitration panel",
                "conditional": "if the releases continue",
                "evidence": [
                    "says Ostrevia will turn to the arbitration panel of the Ilvetsa Basin "
                    "Commission if the releases continue"
                ],
            }
        ],
        "disputed_claims": [
            {
                "claim": "Ostrevia was notified of the release in good time",
                "asserted_by": ["yelena-grushetskaya"],
                "disputed_by": ["ostrevia"],
                "evidence": [
                    "insists the neighbours were notified in good time",
                    "Ostrevian officials say no notice reached them before the water did",
                ],
            }
        ],
        "open_questions": [
            {
                "question": "Who will pay for the flood damage?",
                "actors": ["dravonia", "ostrevia"],
                "evidence": ["Who will pay for the damage is unclear."],
            }
        ],
        "source_notes": [
            {
                "kind": "missing_voice",
                "note": "The Dravonian State Water Agency is not quoted; its figures reach the "
                "reader through a researcher.",
                "evidence": ["If the Dravonian figure of 1,200 is right"],
            }
        ],
    },
}


def briefing_of(path: Path, content: dict[str, Any] | None = None) -> Briefing:
    """The per-source briefing `make_briefing` would return for the article at `path`."""
    article = read_article(path)
    source = {"name": path.name, "title": article.title}
    return build_briefing(content or CONTENT[path], article.text, source=source)


@pytest.fixture(scope="module")
def merged() -> MergedBriefing:
    return merge_briefings([briefing_of(path) for path in PATHS])


def actor_named(merged: MergedBriefing, name: str):
    return next(a for a in merged.actors if any(n.name == name for n in a.names))


def topics(differences: list[Difference]) -> list[str]:
    return [difference.topic for difference in differences]


def by_topic(differences: list[Difference], topic: str) -> Difference:
    return next(d for d in differences if d.topic == topic)


def accounts(difference: Difference) -> dict[str, str]:
    return {account.source: account.says for account in difference.accounts}


# --- names and transliterations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Kiev", "Kyiv"),
        ("Kharkov", "Kharkiv"),
        ("Odessa", "Odesa"),
        ("Zelensky", "Zelenskyy"),
        ("Zelenskiy", "Zelenskij"),
        ("Tirnov", "Tyrniv"),
        ("Kostelnyi", "Kostelny"),
    ],
)
def test_transliteration_variants_fold_to_one_name(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize("a, b", [("Kyiv", "Kyrgyz"), ("Odesa", "Odense"), ("Anna", "Anne")])
def test_different_names_stay_different_once_folded(a: str, b: str) -> None:
    assert fold_name(a) != fold_name(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Vladimir Zelensky", "Volodymyr Zelenskyy"),
        ("Aleksandr Petrenko", "Oleksandr Petrenko"),
        ("V. Zelensky", "Volodymyr Zelenskyy"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("President Volodymyr Kostelnyy", "Vladimir Kostelny"),
    ],
)
def test_one_person_is_recognised_across_romanisations(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Taras Kostelnyy", "Volodymyr Kostelnyy"),
        ("Anna Zelenska", "Anne Zelenska"),
        ("Olena Zelenska", "Volodymyr Zelenska"),
        ("Volodymyr Zelenskyy", "Volodymyr Petrenko"),
        ("Mayor Taras Kostelnyy", "Mayor Volodymyr Kostelnyi"),  # a shared title is no name
    ],
)
def test_a_shared_surname_with_a_clashing_given_name_is_two_people(a: str, b: str) -> None:
    assert not same_person(a, b)


# --- actors ------------------------------------------------------------------------------------


def test_actors_are_matched_across_sources_by_transliteration(merged: MergedBriefing) -> None:
    president = actor_named(merged, "Vladimir Kostelny")
    assert [(n.source, n.name) for n in president.names] == [
        ("s1", "Volodymyr Kostelnyy"),
        ("s2", "Vladimir Kostelny"),
        ("s3", "Volodymyr Kostelnyi"),
    ]
    spokeswoman = actor_named(merged, "Elena Grushetskaia")
    assert {n.name for n in spokeswoman.names} == {"Yelena Grushetskaya", "Elena Grushetskaia"}
    assert spokeswoman.sources == ["s1", "s2", "s3"]
    assert spokeswoman.name == "Yelena Grushetskaya"  # the name two of three sources use


def test_the_mayor_who_shares_the_presidents_surname_stays_a_separate_actor(
    merged: MergedBriefing,
) -> None:
    mayor = actor_named(merged, "Taras Kostelnyy")
    assert [(n.source, n.name) for n in mayor.names] == [
        ("s1", "Taras Kostelnyy"),
        ("s3", "Taras Kostelnyi"),
    ]
    assert mayor.id != actor_named(merged, "Volodymyr Kostelnyy").id


def test_a_shorter_name_is_the_same_actor_and_each_source_keeps_its_own(
    merged: MergedBriefing,
) -> None:
    agency = actor_named(merged, "State Water Agency")
    assert {(n.source, n.name) for n in agency.names} == {
        ("s1", "Dravonian State Water Agency"),
        ("s2", "State Water Agency"),
    }
    assert agency.quoted_by == ["s1", "s2"]


def test_actors_mentioned_by_one_source_only_stay_with_that_source(
    merged: MergedBriefing,
) -> None:
    assert actor_named(merged, "Mirela Vantoch").sources == ["s3"]
    assert len(merged.actors) == 10


def test_an_ambiguous_short_name_joins_neither_candidate() -> None:
    wire = briefing_of(WIRE)
    surname_only = copy.deepcopy(CONTENT[STATE_MEDIA])
    surname_only["actors"][2] = {"id": "kostelnyy", "name": "Kostelnyy", "kind": "person"}
    merged = merge_briefings([wire, briefing_of(STATE_MEDIA, surname_only)])

    lone = actor_named(merged, "Kostelnyy")
    assert lone.sources == ["s2"]  # Volodymyr or Taras? The rule does not guess.


def test_a_person_never_merges_with_an_organisation_of_the_same_name() -> None:
    office = copy.deepcopy(CONTENT[ANALYSIS])
    office["actors"][1] = {
        "id": "volodymyr-kostelnyi",
        "name": "Volodymyr Kostelnyi's office",
        "kind": "government",
    }
    merged = merge_briefings([briefing_of(WIRE), briefing_of(ANALYSIS, office)])

    assert actor_named(merged, "Volodymyr Kostelnyy").sources == ["s1"]


def test_an_actor_of_unknown_kind_cannot_join_a_person_to_an_organisation() -> None:
    """`other` may match either, but one merged actor never holds a person and a ministry."""
    from briefer.merge.actors import _Cluster
    from briefer.schema import Actor

    person = Actor(id="elena-grushetskaia", name="Elena Grushetskaia", kind="person")
    unknown = Actor(id="grushetskaia", name="Grushetskaia", kind="other")
    ministry = Actor(id="grushetskaia-ministry", name="Grushetskaia", kind="government")
    cluster = _Cluster(members=[("s1", person), ("s2", unknown)])

    assert cluster.tier(ministry) is None


def test_a_name_is_found_in_a_source_as_whole_words_only() -> None:
    from briefer.merge.differences import _mention

    text = "Dravonian state media said so. Later, dravonia replied."
    [mention] = _mention("Dravonia", "s3", text)
    assert (mention.start, mention.quote, mention.match) == (38, "dravonia", "fuzzy")


# --- items and their evidence -------------------------------------------------------------------


def test_every_quote_points_into_its_own_sources_text(merged: MergedBriefing) -> None:
    assert merged.evidence()
    for evidence in merged.evidence():
        assert evidence.match == "exact"
        text = merged.source_text(evidence.source)
        assert text[evidence.start : evidence.end] == evidence.quote
    for _, differences in merged.differences:
        for difference in differences:
            for account in difference.accounts:
                for evidence in account.evidence:
                    assert evidence.source == account.source
                    text = merged.source_text(evidence.source)
                    assert text[evidence.start : evidence.end] == evidence.quote


def test_items_are_merged_across_sources_with_every_sources_quotes(
    merged: MergedBriefing,
) -> None:
    [inspection] = [p for p in merged.permissions if p.sources == ["s1", "s2", "s3"]]
    assert inspection.action == "send inspectors to visit the Ilvetsa dam"  # s1's wording
    assert [e.source for e in inspection.evidence] == ["s1", "s2", "s3"]

    president = actor_named(merged, "Volodymyr Kostelnyy").id
    [threat] = [w for w in merged.warnings if w.issuer == president]
    assert threat.sources == ["s1", "s3"]
    [notice] = merged.disputed_claims
    assert notice.sources == ["s1", "s3"]
    spokeswoman = actor_named(merged, "Yelena Grushetskaya").id
    assert notice.asserted_by == [spokeswoman]


def test_positions_of_one_actor_merge_only_when_their_wording_agrees(
    merged: MergedBriefing,
) -> None:
    vantoch = actor_named(merged, "Mirela Vantoch").id
    assert len([p for p in merged.positions if p.actor == vantoch]) == 2
    service = actor_named(merged, "State Emergency Service").id
    [evacuated] = [p for p in merged.positions if p.actor == service]
    assert evacuated.sources == ["s1", "s3"]


def test_source_notes_of_one_kind_with_unrelated_wording_stay_apart(
    merged: MergedBriefing,
) -> None:
    missing = [n for n in merged.source_notes if n.kind == "missing_voice"]
    assert [n.sources for n in missing] == [["s2"], ["s3"]]


# --- where the accounts differ ------------------------------------------------------------------


def test_items_only_some_sources_report_are_listed_with_who_is_silent(
    merged: MergedBriefing,
) -> None:
    some = merged.differences.reported_by_some
    assert topics(some) == [
        "Permission: Taras Kostelnyy → Residents of the riverside district: return to their "
        "homes from Friday",
        "Warning by Volodymyr Kostelnyy: Ostrevia will take the case to the commission's "
        "arbitration panel",
        "Warning by Yelena Grushetskaya: any use of the flood for provocations on the border "
        "will receive a firm response",
        "Disputed claim: Ostrevia was informed in advance of the release",
    ]
    assert [d.silent for d in some] == [["s1", "s2"], ["s2"], ["s3"], ["s2"]]
    assert [a.source for a in some[0].accounts] == ["s3"]


def test_a_permissions_status_that_differs_between_sources_is_a_conflict(
    merged: MergedBriefing,
) -> None:
    conflict = by_topic(
        merged.differences.conflicting,
        "Permission: Dravonia → Ilvetsa Basin Commission: send inspectors to visit the Ilvetsa dam",
    )
    assert accounts(conflict) == {
        "s1": "restricted; limits: one day, accompanied by Dravonian officials, no control room",
        "s2": "granted",
        "s3": "restricted; limits: one day, escorted",
    }


def test_figures_that_differ_for_one_actors_position_are_a_conflict(
    merged: MergedBriefing,
) -> None:
    [figures] = [d for d in merged.differences.conflicting if d.topic.startswith("Figures")]
    assert figures.topic == "Figures in the position of Dravonian State Water Agency"
    assert accounts(figures) == {"s1": "1,200", "s2": "800"}
    assert [a.evidence[0].quote for a in figures.accounts] == [
        "Figures published by the Dravonian State Water Agency showed discharges of 1,200 "
        "cubic metres per second from the dam on Sunday night",
        "the planned spring discharge from the Ilvetsa hydroelectric complex never exceeded "
        "800 cubic metres per second",
    ]


def test_one_actor_named_differently_by_the_sources_is_a_terminology_difference(
    merged: MergedBriefing,
) -> None:
    names = by_topic(merged.differences.terminology, "Names for Volodymyr Kostelnyy")
    assert [(a.source, a.says) for a in names.accounts] == [
        ("s1", "Volodymyr Kostelnyy"),
        ("s2", "Vladimir Kostelny"),
        ("s3", "Volodymyr Kostelnyi"),
    ]
    assert names.accounts[1].evidence[0].quote == "Vladimir Kostelny"
    assert "Names for Dravonian State Water Agency" not in topics(
        merged.differences.terminology
    )  # "State Water Agency" is a shorter form, not other words


def test_place_names_spelt_differently_are_terminology_differences(
    merged: MergedBriefing,
) -> None:
    terms = merged.differences.terminology
    tyrniv = by_topic(terms, "Spelling: Tyrniv / Tirnov")
    assert [(a.source, a.says) for a in tyrniv.accounts] == [
        ("s1", "TYRNIV"),
        ("s3", "Tyrniv"),
        ("s2", "Tirnov"),
    ]
    dolvaniv = by_topic(terms, "Spelling: Dolvaniv / Dolvanov")
    assert accounts(dolvaniv) == {"s1": "Dolvaniv", "s3": "Dolvaniv", "s2": "Dolvanov"}
    spellings = [t for t in topics(terms) if t.startswith("Spelling")]
    assert len(spellings) == 2  # the Kostelnyy spellings are left to "Names for ..."


def test_loaded_wording_in_one_source_only_is_a_terminology_difference(
    merged: MergedBriefing,
) -> None:
    [wording] = [d for d in merged.differences.terminology if d.topic.startswith("Wording")]
    assert [a.source for a in wording.accounts] == ["s2"]
    assert wording.silent == ["s1", "s3"]
    assert "Tirnov regime" in wording.accounts[0].evidence[0].quote


def test_voices_quoted_by_some_sources_and_not_others_are_listed(
    merged: MergedBriefing,
) -> None:
    voices = merged.differences.voices
    president = by_topic(voices, "Volodymyr Kostelnyy")
    assert accounts(president) == {"s1": "quoted", "s3": "quoted", "s2": "mentioned, not quoted"}
    assert president.accounts[2].evidence[0].quote == "Vladimir Kostelny"
    assert by_topic(voices, "State Emergency Service").silent == ["s2"]
    assert by_topic(voices, "Mirela Vantoch").silent == ["s1", "s2"]
    assert "Yelena Grushetskaya" not in topics(voices)  # all three quote her


# --- rendering ----------------------------------------------------------------------------------


def test_markdown_names_the_sources_of_each_item_and_footnotes_each_quote(
    merged: MergedBriefing,
) -> None:
    markdown = render(merged, "md")

    for heading in ["## Sources", "## Actors", "## Positions", "## Where the accounts differ"]:
        assert heading in markdown
    assert "- **s2**: Water agency: Ilvetsa release within safe limits" in markdown
    line = next(line for line in markdown.splitlines() if "send inspectors to visit" in line)
    assert "\\[s1, s2, s3\\][^" in line
    assert "[^1]: s1: “" in markdown
    assert "of s2)" in markdown


def test_json_round_trips(merged: MergedBriefing) -> None:
    text = render(merged, "json")
    assert MergedBriefing.model_validate_json(text) == merged
    assert json.loads(text)["sources"][1]["source"]["name"] == STATE_MEDIA.name


def test_html_is_one_page_linking_each_citation_to_its_quote(merged: MergedBriefing) -> None:
    page = render(merged, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert 'href="#e-1"' in page and 'id="e-1"' in page
    assert "<script" not in page


HOSTILE_NAME = "Vladimir Kostelny <script>alert(1)</script> [x](http://e.vil)"
HOSTILE_STANCE = "![img](http://e.vil/p.png) <b>bold</b>\n# heading"


@pytest.fixture
def hostile() -> MergedBriefing:
    """Markup and Markdown in a name and a stance, as a careless or hostile LLM might write."""
    content = copy.deepcopy(CONTENT[STATE_MEDIA])
    content["actors"][2]["name"] = HOSTILE_NAME
    content["positions"][0]["stance"] = HOSTILE_STANCE
    return merge_briefings([briefing_of(WIRE), briefing_of(STATE_MEDIA, content)])


def test_markdown_escapes_hostile_text_from_any_source(hostile: MergedBriefing) -> None:
    markdown = render(hostile, "md")

    assert not re.search(r"(?<!\\)\]\(", markdown)  # no link or image destination
    assert not re.search(r"(?<!\\)!\[", markdown)
    assert not re.search(r"(?<!\\)<", markdown)  # no HTML
    assert re.findall(r"(?<!\\)\[(?!\^\d+\])", markdown) == []  # only footnote marks
    assert not re.search(r"^\s*(?:[-*+] +)?#+ *heading", markdown, re.MULTILINE)
    assert "\\<script\\>alert(1)\\</script\\> \\[x\\](http\\://e.vil)" in markdown


def test_html_escapes_hostile_text_from_any_source(hostile: MergedBriefing) -> None:
    page = render(hostile, "html")

    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_saved_merged_briefing_with_an_unknown_source_is_refused(
    merged: MergedBriefing,
) -> None:
    data = json.loads(render(merged, "json"))
    data["positions"][0]["sources"] = ["s9"]
    with pytest.raises(ValueError, match="unknown source 's9'"):
        MergedBriefing.model_validate(data)


# --- the Python API and the CLI ----------------------------------------------------------------


@pytest.fixture
def no_backend_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def answer(path: Path) -> Any:
    """The model's answer for one source: its headline and summary as CONTENT has them."""
    content = CONTENT[path]
    text = read_article(path).text
    return tool_call(answer_for(text, headline=content["headline"], summary=content["summary"]))


def make_merge(paths: list[Path], server: ScriptedServer, *options: str) -> int:
    """`briefer make --merge PATHS... OPTIONS` against the scripted server."""
    return main(["make", "--merge", *map(str, paths), "--base-url", server.base_url, *options])


def test_make_briefing_of_a_list_briefs_each_article_then_merges_them() -> None:
    articles = [read_article(path) for path in PATHS]
    with scripted_llm([answer(path) for path in PATHS]) as server:
        backend = ServerBackend(model="scripted", base_url=server.base_url)
        merged = make_briefing(articles, backend=backend)

    assert isinstance(merged, MergedBriefing)
    assert [s.source.name for s in merged.sources] == [str(path) for path in PATHS]
    assert len(server.requests) == 3
    assert actor_named(merged, "Vladimir Kostelny").sources == ["s1", "s2", "s3"]


def test_a_text_that_is_no_article_fails_the_merge_naming_it_before_any_llm_call() -> None:
    with scripted_llm([]) as server:
        backend = ServerBackend(model="scripted", base_url=server.base_url)
        with pytest.raises(InputError, match=r"^article 2: the article is empty"):
            make_briefing([WIRE.read_text(encoding="utf-8"), "  \n"], backend=backend)
        with pytest.raises(UsageError, match="two or more articles"):
            make_briefing([WIRE.read_text(encoding="utf-8")], backend=backend)

    assert server.requests == []


def test_cli_merge_writes_one_briefing_and_a_fourth_source_costs_one_extraction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_backend_from_the_environment: None
) -> None:
    output = tmp_path / "brief.md"
    fourth = tmp_path / "copy-of-the-wire.txt"
    fourth.write_text(WIRE.read_text(encoding="utf-8") + "\nUpdated at 18:00.\n", "utf-8")
    with scripted_llm([*map(answer, PATHS), answer(WIRE)]) as server:
        first = make_merge(PATHS, server)
        printed = capsys.readouterr().out
        second = make_merge([*PATHS, fourth], server, "-o", str(output))

    assert (first, second) == (0, 0)
    assert printed.startswith("# One story, 3 sources")
    assert len(server.requests) == 4  # three, then only the fourth article
    assert output.read_text(encoding="utf-8").startswith("# One story, 4 sources")


def test_cli_merge_prints_json_that_reads_back_and_the_cost_of_each_source(
    capsys: pytest.CaptureFixture[str], no_backend_from_the_environment: None
) -> None:
    with scripted_llm([answer(path) for path in PATHS]) as server:
        code = make_merge(PATHS, server, "-f", "json", "--stats")

    assert code == 0
    out, err = capsys.readouterr()
    merged = MergedBriefing.model_validate_json(out)
    assert [s.id for s in merged.sources] == ["s1", "s2", "s3"]
    assert [line.split(" (")[0] for line in err.splitlines()] == [
        "briefer: s1",
        "briefer: s2",
        "briefer: s3",
    ]
    assert "1 LLM call(s)" in err.splitlines()[0]


def test_cli_merge_with_a_failing_source_names_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_backend_from_the_environment: None
) -> None:
    output = tmp_path / "brief.md"
    output.write_text("an earlier briefing\n", encoding="utf-8")
    failing = [http_error(500, headers=FAST_RETRY)] * 3
    with scripted_llm([answer(WIRE), *failing]) as server:
        code = make_merge(PATHS, server, "-o", str(output), "--no-cache")

    out, err = capsys.readouterr()
    assert code == BackendError.exit_code
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith(f"briefer: error: {STATE_MEDIA}: ")
    assert output.read_text(encoding="utf-8") == "an earlier briefing\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--merge", "a.txt"], "--merge needs two or more inputs"),
        (["--merge", "a.txt", "b.txt", "--template", "t.md.j2"], "--template"),
    ],
    ids=["one-input", "template"],
)
def test_cli_merge_usage_errors_exit_2_before_any_work(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["make", *argv]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert message in line


# --- merged gold and briefer eval ---------------------------------------------------------------


def test_the_merged_gold_names_are_verbatim_in_their_sources() -> None:
    gold = load_merge_gold(GOLD)
    assert gold.sources == [path.name for path in PATHS]


def test_cross_source_actor_matching_is_scored_by_links(merged: MergedBriefing) -> None:
    score = score_merge(load_merge_gold(GOLD), merged, "ilvetsa-flood")

    # Gold links, one per actor and two sources that mention it: 3 for each of the actors all
    # three mention (the president, the spokeswoman, the commission, Dravonia, Ostrevia) and
    # 1 for each of three mentioned by two: 18. The state media call Ostrevia only "the Tirnov
    # regime", which no rule can tie to "Ostrevia": its two links to s2 are missed.
    assert (score.actor_link_recall.found, score.actor_link_recall.total) == (16, 18)
    assert (score.actor_link_precision.found, score.actor_link_precision.total) == (16, 16)


def test_briefer_eval_scores_a_merge_gold(
    capsys: pytest.CaptureFixture[str], no_backend_from_the_environment: None
) -> None:
    with scripted_llm([answer(path) for path in PATHS]) as server:
        code = main(["eval", str(FOLDER), "--base-url", server.base_url, "--json"])

    assert code == 0
    report = json.loads(capsys.readouterr().out)
    [merge] = report["merges"]
    assert merge["name"] == "ilvetsa-flood"
    assert merge["actor_link_recall"] == {"found": 12, "total": 18, "ratio": 0.6667}


def test_briefer_eval_prints_a_row_per_merge(
    capsys: pytest.CaptureFixture[str], no_backend_from_the_environment: None
) -> None:
    with scripted_llm([answer(path) for path in PATHS]) as server:
        code = main(["eval", str(FOLDER), "--base-url", server.base_url])

    header, row = capsys.readouterr().out.splitlines()
    assert (code, header.split()[0]) == (0, "merge")
    assert row.split() == ["ilvetsa-flood", "12/18", "(0.67)", "12/12", "(1.00)", "ok"]


# --- replay: the three articles on the real model -------------------------------------------------

CASSETTE = CASSETTES / "test_recorded_merge_keeps_every_invariant.yaml"


@pytest.mark.vcr
def test_recorded_merge_keeps_every_invariant(record_mode: str) -> None:
    """`make record-merge` records it: the three articles briefed by the embedded model."""
    if record_mode == "none" and not CASSETTE.exists():
        pytest.skip("the merge articles have no cassette yet: record one with `make record-merge`")
    backend = ServerBackend(
        model=RECORDED_MODEL,
        base_url=RECORDING_URL,
        timeout=600,
    )
    merged = make_briefing([read_article(path) for path in PATHS], backend=backend)

    for evidence in merged.evidence():
        if evidence.match != "unverified":
            text = merged.source_text(evidence.source)
            assert text[evidence.start : evidence.end] == evidence.quote
    for actor in merged.actors:
        assert len({n.source for n in actor.names}) == len(actor.names)  # one actor per source
    assert MergedBriefing.model_validate_json(render(merged, "json")) == merged
    assert "## Where the accounts differ" in render(merged, "md")


@pytest.mark.parametrize("format", ["md", "html"])
def test_a_sources_neutrality_findings_are_shown_in_the_merge(format: str) -> None:
    flagged = briefing_of(WIRE).model_copy(deep=True)
    flagged.meta.neutrality = ["summary uses the loaded word 'clearly'"]
    merged = merge_briefings([flagged, briefing_of(ANALYSIS)])

    assert "Neutrality check" in render(merged, format)
    assert "'clearly'" in render(merged, format) or "&#39;clearly&#39;" in render(merged, format)
