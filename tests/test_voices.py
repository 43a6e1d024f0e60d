"""Reported voices: every attributed sentence the model left out becomes an attributed item,
in the article's own words, at its offsets, and never with a guessed speaker."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_meta, make_source

from briefer.neutrality import neutrality_findings
from briefer.schema import Briefing, BriefingContent
from briefer.voices import add_reported_voices

ARTICLE = (
    "Port board allows night ferries\n"
    "The port board on Monday allowed ferries to sail at night, but only on weekdays. "
    '"We will watch the noise closely," board chair Ines Dahl said. '
    '"Three complaints and the trial ends." '
    "The ferry operators' association said the limits would cost it half its trade. "
    '"This is a gift to our rivals," said Marek Vollan, the association\'s director. '
    "He warned that the operators would go to court if the limits stayed. "
    "Residents will get a hotline for complaints, the port board said on Monday. "
    "The harbour master declined to say whether more pilots would be hired. "
    "According to the port board, night traffic will be reviewed in June. "
    "The operators' case rests on what they describe as a broken promise."
)


def content_for(article: str, **sections: Any) -> BriefingContent:
    """What the model answered: two actors and whatever `sections` give, validated."""
    data = {
        "headline": "Port board allows night ferries",
        "summary": "The port board says ferries may sail at night on weekdays.",
        "actors": [
            {"id": "port-board", "name": "port board", "kind": "government", "role": ""},
            {"id": "ines-dahl", "name": "Ines Dahl", "kind": "person", "role": "board chair"},
            {
                "id": "operators-association",
                "name": "ferry operators' association",
                "kind": "group",
                "role": "",
            },
        ],
        **sections,
    }
    return BriefingContent.model_validate(data, context={"article": article})


def stances(content: BriefingContent) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for position in content.positions:
        found.setdefault(position.actor, []).append(position.stance)
    return found


@pytest.fixture
def voiced() -> BriefingContent:
    return add_reported_voices(content_for(ARTICLE), ARTICLE)


def test_a_direct_quotation_is_shown_after_its_speaker(voiced: BriefingContent) -> None:
    assert stances(voiced)["ines-dahl"][0] == 'Ines Dahl said: "We will watch the noise closely"'


def test_a_quotation_that_stands_alone_continues_the_speaker_before_it(
    voiced: BriefingContent,
) -> None:
    assert stances(voiced)["ines-dahl"][1] == (
        'Ines Dahl said: "Three complaints and the trial ends."'
    )


def test_reported_speech_keeps_the_outlets_words_after_the_speaker(
    voiced: BriefingContent,
) -> None:
    assert stances(voiced)["operators-association"] == [
        "The ferry operators' association said the limits would cost it half its trade."
    ]


def test_a_person_named_beside_the_verb_becomes_an_actor_with_the_title_as_role(
    voiced: BriefingContent,
) -> None:
    vollan = next(actor for actor in voiced.actors if actor.id == "marek-vollan")
    assert (vollan.name, vollan.kind) == ("Marek Vollan", "person")
    assert stances(voiced)["marek-vollan"] == ['Marek Vollan said: "This is a gift to our rivals"']


def test_he_or_she_is_the_person_named_last_and_a_warning_verb_makes_a_warning(
    voiced: BriefingContent,
) -> None:
    [warning] = voiced.warnings
    assert (warning.issuer, warning.kind) == ("marek-vollan", "caution")
    assert warning.warning == (
        "Marek Vollan warned that the operators would go to court if the limits stayed."
    )


def test_words_before_a_trailing_speaker_come_first(voiced: BriefingContent) -> None:
    assert (
        "Residents will get a hotline for complaints, the port board said."
        in stances(voiced)["port-board"]
    )


def test_according_to_keeps_the_article_order(voiced: BriefingContent) -> None:
    assert (
        "According to the port board, night traffic will be reviewed in June."
        in stances(voiced)["port-board"]
    )


def test_no_one_is_made_to_say_what_they_declined_to_say_or_an_unnamed_it_said(
    voiced: BriefingContent,
) -> None:
    cited = [e.quote for item in [*voiced.positions, *voiced.warnings] for e in item.evidence]
    assert not any("declined to say" in quote for quote in cited)
    assert not any("broken promise" in quote for quote in cited)
    assert "harbour-master" not in {actor.id for actor in voiced.actors}


def test_every_added_item_cites_its_whole_sentence_at_its_offsets(
    voiced: BriefingContent,
) -> None:
    for item in [*voiced.positions, *voiced.warnings]:
        [evidence] = item.evidence
        assert evidence.match == "exact"
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote
        assert evidence.quote.endswith((".", '"'))
    briefing = Briefing.model_validate(
        {**voiced.model_dump(), "meta": make_meta(), "source": make_source(ARTICLE)}
    )
    assert len(briefing.positions) == len(voiced.positions)


def test_a_sentence_the_model_already_cites_is_not_added_again() -> None:
    quote = "board chair Ines Dahl said"
    content = content_for(
        ARTICLE,
        positions=[
            {"evidence": [quote], "actor": "ines-dahl", "stance": "Dahl says noise is watched."}
        ],
    )
    voiced = add_reported_voices(content, ARTICLE)
    dahl = [p for p in voiced.positions if p.actor == "ines-dahl"]
    assert [p.stance for p in dahl] == [
        "Dahl says noise is watched.",
        'Ines Dahl said: "Three complaints and the trial ends."',
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        '"If the line is not built by winter, the south will have blackouts," the port board said.',
        "The port board said it would close the quay if the line was not built by winter.",
    ],
    ids=["quoted if ... will", "reported would ... if"],
)
def test_a_conditional_prediction_is_a_position_and_a_warning(sentence: str) -> None:
    article = "Ministry warns on grid\n" + sentence
    voiced = add_reported_voices(content_for(article), article)
    [warning] = voiced.warnings
    assert (warning.issuer, warning.kind) == ("port-board", "prediction")
    assert [p.stance for p in voiced.positions] == [warning.warning]


def test_a_loaded_verb_becomes_said_and_the_outlets_words_count_as_quoted() -> None:
    article = (
        "Board answers critics\n"
        "The port board claimed the outrageous complaints were invented by rivals."
    )
    voiced = add_reported_voices(content_for(article), article)
    assert [p.stance for p in voiced.positions] == [
        "The port board said the outrageous complaints were invented by rivals."
    ]
    assert neutrality_findings(voiced) == []


def test_a_speaker_no_rule_can_name_adds_nothing() -> None:
    article = "Quiet day\nWork on the quay may continue, the engineers said on Monday."
    content = content_for(article)
    assert add_reported_voices(content, article) == content


def test_a_warning_the_model_filed_as_a_position_is_also_a_warning() -> None:
    quote = "He warned that the operators would go to court if the limits stayed."
    content = content_for(
        ARTICLE,
        positions=[{"evidence": [quote], "actor": "operators-association", "stance": "Court."}],
    )
    voiced = add_reported_voices(content, ARTICLE)
    assert [w.evidence[0].quote for w in voiced.warnings] == [quote]
    assert [p.stance for p in voiced.positions].count("Court.") == 1


def test_the_speaker_named_beside_the_verb_gets_a_sentence_the_model_gave_someone_else() -> None:
    quote = "The ferry operators' association said the limits would cost it half its trade."
    content = content_for(
        ARTICLE, positions=[{"evidence": [quote], "actor": "port-board", "stance": "Costly."}]
    )
    voiced = add_reported_voices(content, ARTICLE)
    assert stances(voiced)["port-board"][0] == "Costly."
    assert stances(voiced)["operators-association"] == [
        "The ferry operators' association said the limits would cost it half its trade."
    ]


def test_a_sentence_the_model_gave_the_same_person_under_another_id_is_not_repeated() -> None:
    quote = "We will watch the noise closely"
    content = content_for(
        ARTICLE, positions=[{"evidence": [quote], "actor": "Dahl", "stance": "Dahl watches."}]
    )
    voiced = add_reported_voices(content, ARTICLE)
    citing = [p for p in voiced.positions if "watch the noise" in p.evidence[0].quote]
    assert [p.stance for p in citing] == ["Dahl watches."]


@pytest.mark.parametrize(
    ("sentence", "speaker", "stance"),
    [
        (
            "The port's owner, Ines Dahl, said the quay would close.",
            "ines-dahl",
            "Ines Dahl said the quay would close.",
        ),
        (
            '"We will appeal," Dahl\'s lawyer Omar Reyes told reporters.',
            "omar-reyes",
            'Omar Reyes said: "We will appeal"',
        ),
        (
            "The board, whose chair Ines Dahl stated on Monday that fees would rise, met again.",
            "ines-dahl",
            "Ines Dahl said on Monday that fees would rise",
        ),
    ],
    ids=["appositive name", "possessive is not the speaker", "relative clause"],
)
def test_the_speaker_is_the_name_beside_the_verb(sentence: str, speaker: str, stance: str) -> None:
    article = "Headline\n" + sentence
    voiced = add_reported_voices(content_for(article), article)
    assert stances(voiced)[speaker] == [stance]


def test_a_warning_after_said_with_no_subject_of_its_own_is_the_same_speakers_warning() -> None:
    article = (
        "Banks answer\n"
        "Banking chief Ana Lopes said banks would comply but cautioned that the caps could "
        "push borrowers to unregulated lenders. "
        "She advised buyers to wait."
    )
    voiced = add_reported_voices(content_for(article), article)
    assert stances(voiced)["ana-lopes"] == [
        "Ana Lopes said banks would comply but cautioned "
        "that the caps could push borrowers to unregulated lenders."
    ]
    assert [(w.issuer, w.kind, w.warning) for w in voiced.warnings] == [
        (
            "ana-lopes",
            "caution",
            "Ana Lopes cautioned that the caps could push borrowers to unregulated lenders.",
        ),
        ("ana-lopes", "caution", "Ana Lopes advised buyers to wait."),
    ]


def test_a_person_named_right_before_the_verb_speaks_not_the_body_named_first() -> None:
    article = (
        "Flood row\n"
        "Port board spokeswoman Yelena Grush said the release was planned. "
        '"Any provocation will get a firm response," she told reporters. '
        "Mayor Taras Kost said the water rose fast. "
        "President Ivan Kost spoke later. "
        "Mayor Taras Kost was at the scene all night. "
        '"We have never seen this," he said.'
    )
    content = content_for(
        article,
        actors=[
            {"id": "port-board", "name": "port board", "kind": "government", "role": ""},
            {"id": "ivan-kost", "name": "President Ivan Kost", "kind": "person", "role": ""},
            {"id": "taras-kost", "name": "Mayor Taras Kost", "kind": "person", "role": ""},
        ],
    )
    voiced = stances(add_reported_voices(content, article))
    assert voiced["yelena-grush"] == [
        "Yelena Grush said the release was planned.",
        'Yelena Grush said: "Any provocation will get a firm response"',
    ]
    assert voiced["taras-kost"][-1] == 'Mayor Taras Kost said: "We have never seen this"'
    assert "port-board" not in voiced


def test_a_speaker_inside_a_relative_clause_gets_a_voice_of_their_own() -> None:
    article = (
        "Fees row\n"
        "Ines Dahl complained that the board, whose chair Omar Reyes stated on Monday that fees "
        "would rise, had not answered."
    )
    voiced = stances(add_reported_voices(content_for(article), article))
    assert voiced["ines-dahl"] == [
        "Ines Dahl said that the board, whose chair Omar Reyes stated on Monday that fees would "
        "rise, had not answered."
    ]
    assert voiced["omar-reyes"] == ["Omar Reyes said on Monday that fees would rise"]


def test_a_threatened_sanction_is_a_position_and_a_threat() -> None:
    article = (
        "Court warns union\n"
        '"The strike is paused," the port board said. '
        '"Any breach of these conditions will be treated as contempt."'
    )
    voiced = add_reported_voices(content_for(article), article)
    assert [(w.issuer, w.kind) for w in voiced.warnings] == [("port-board", "threat")]
    assert len(stances(voiced)["port-board"]) == 2
