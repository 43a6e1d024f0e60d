"""Scoring briefings against gold annotations (briefer/eval), and `briefer eval`.

Scoring is pure, so its rules are tested on briefings built by hand for the dam article. The
gold set in tests/articles is checked for verbatim quotes, and `briefer eval` runs end to end
on the replay cassettes: no model, no network.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DAM_ARTICLE, DAM_CONTENT, RECORDED_MODEL, RECORDING_URL, build_briefing
from test_replay import recorded_cassette

from briefer.backends import ServerBackend
from briefer.cli import main
from briefer.errors import BackendError, InputError
from briefer.eval import run as evaluate
from briefer.eval.gold import Gold, GoldActor, load_gold
from briefer.eval.run import evaluate_dir, report_table
from briefer.eval.score import (
    MEASURES,
    ArticleScore,
    actor_matches,
    quote_counts,
    score_briefing,
    total_score,
)
from briefer.names import normalise_name
from briefer.schema import Actor, Briefing

ARTICLES = Path(__file__).parent / "articles"
GOLD_ARTICLES = sorted(ARTICLES.glob("*.txt"))
RECORDED = [path for path in GOLD_ARTICLES if recorded_cassette(path).exists()]

#: A small gold for the dam article that DAM_CONTENT (conftest) gets entirely right.
DAM_GOLD: dict[str, Any] = {
    "actors": [
        {
            "name": "Constitutional Court",
            "aliases": ["Calderra's Constitutional Court"],
            "kind": "government",
            "quote": "Calderra's Constitutional Court",
        },
        {"name": "Wayaku Council", "kind": "group", "quote": "The Wayaku Council"},
        {
            "name": "Ministry of Energy",
            "aliases": ["ministry"],
            "kind": "government",
            "quote": "Ministry of Energy",
        },
        {
            "name": "Teodor Vasquel",
            "aliases": ["Vasquel"],
            "kind": "person",
            "quote": "Energy Minister Teodor Vasquel",
        },
        {
            "name": "Meridane Hydro Consortium",
            "aliases": ["Meridane"],
            "kind": "organisation",
            "quote": "the Meridane Hydro Consortium",
        },
    ],
    "permissions": [
        {
            "grantor": "Constitutional Court",
            "grantee": "Meridane Hydro Consortium",
            "action": "fill the reservoir above 212 metres (forbidden)",
            "limits": ["until the Wayaku have been consulted again"],
            "quote": "barred the operator from filling the reservoir above 212 metres",
        }
    ],
    "warnings": [
        {
            "issuer": "Teodor Vasquel",
            "warning": "rolling blackouts next winter if the project slips",
            "quote": "If this project slips by another year",
        }
    ],
    "positions": [
        {
            "actor": "Wayaku Council",
            "stance": "a full reservoir would flood about 14,000 hectares",
            "quote": "a full reservoir would flood about 14,000 hectares",
        },
        {
            "actor": "Ministry of Energy",
            "stance": "the flooded area would be 6,300 hectares",
            "quote": "putting the flooded area at 6,300 hectares",
        },
    ],
    "disputed_claims": [
        {
            "claim": "a full reservoir would flood about 14,000 hectares",
            "asserted_by": ["Wayaku Council"],
            "disputed_by": ["Ministry of Energy"],
            "quote": "The ministry disputes that figure",
        }
    ],
    "open_questions": [
        {
            "question": "Who must pay the compensation?",
            "quote": "The ruling does not say whether the ministry or the consortium must pay",
        }
    ],
    "unattributed_claims": [],
}


def gold(**changes: Any) -> Gold:
    data = copy.deepcopy(DAM_GOLD)
    data.update(changes)
    return Gold.model_validate(data, context={"article": DAM_ARTICLE})


def briefing(**changes: Any) -> Briefing:
    """DAM_CONTENT (its Meridane position, on a fabricated quote, left out) with changes."""
    data = copy.deepcopy(DAM_CONTENT)
    data["positions"] = data["positions"][:2]
    data.update(changes)
    return build_briefing(data, DAM_ARTICLE, lenient=True)


def ratios(score: ArticleScore) -> dict[str, float | None]:
    return {field: getattr(score, field).ratio for field in MEASURES}


# Scoring ---------------------------------------------------------------------------------------


def test_a_briefing_that_finds_everything_scores_one():
    score = score_briefing(gold(), briefing(), "dam")

    no_annotations = {"unattributed_claim_recall", "voice_recall", "speaker_precision"}
    assert ratios(score) == {**dict.fromkeys(MEASURES, 1.0), **dict.fromkeys(no_annotations)}
    assert score.quotes.exact_off_offset == 0
    assert score.loaded_words == 0
    assert score.usage.calls == 0  # built without an LLM


def test_loaded_words_in_briefers_own_prose_are_counted():
    score = score_briefing(gold(), briefing(headline="Court slams the so-called dam deal"), "dam")

    assert score.loaded_words == 2


def test_a_missing_actor_lowers_recall_not_precision():
    tocuaru = {"name": "Nayeli Tocuaru", "kind": "person", "quote": "Nayeli Tocuaru"}
    score = score_briefing(gold(actors=[*DAM_GOLD["actors"], tocuaru]), briefing())

    assert (score.actor_recall.found, score.actor_recall.total) == (5, 6)
    assert score.actor_precision.ratio == 1.0


def test_an_extra_actor_lowers_precision_not_recall():
    extra = {"id": "chamber", "name": "Port Ilvane Chamber of Commerce", "kind": "organisation"}
    score = score_briefing(gold(), briefing(actors=[*DAM_CONTENT["actors"], extra]))

    assert score.actor_recall.ratio == 1.0
    assert (score.actor_precision.found, score.actor_precision.total) == (5, 6)


def test_each_gold_actor_is_matched_at_most_once():
    twice = [
        *DAM_CONTENT["actors"],
        {"id": "court", "name": "Court", "kind": "government"},  # a second 'Constitutional Court'
    ]
    score = score_briefing(gold(), briefing(actors=twice))

    assert score.actor_recall.found == 5
    assert (score.actor_precision.found, score.actor_precision.total) == (5, 6)


@pytest.mark.parametrize(
    ("predicted", "gold_name", "aliases", "matches"),
    [
        ("Ukraine's government", "Ukraine", ["Kiev"], True),  # contains the gold name
        ("Ukraine's government", "Ukrainian government", ["Kiev"], False),  # no world knowledge
        ("Kiev", "Ukrainian government", ["Kiev"], True),  # an alias
        ("Kyiv", "Ukrainian government", ["Kiev"], False),  # spellings need their own alias
        ("U.S. officials", "United States", ["US"], True),  # initialism, whole words
        ("Russia", "United States", ["US"], False),  # 'us' inside a word is no match
        ("Business groups", "United States", ["US"], False),
        ("Dr. Annelie Trocme Harju", "Annelie Trocmé-Harju", [], True),  # diacritics, hyphens
        ("Guardian", "The Guardian", [], True),  # a leading 'the'
        ("Putin", "Vladimir Putin", [], True),  # contained in the gold name
        ("Judge Augustin Pelletreau", "Augustin Pelletreau", [], True),  # contains it
        ("Energy Ministry", "Ministry of Energy", [], False),  # word order matters
    ],
)
def test_actor_names_match_by_whole_normalised_words(predicted, gold_name, aliases, matches):
    actor = Actor(id=predicted, name=predicted, kind="other")
    wanted = GoldActor(name=gold_name, aliases=aliases, kind="other", quote="-")

    assert actor_matches(actor, wanted) is matches


def test_an_actor_id_can_match_too():
    actor = Actor(id="nyt", name="the paper", kind="media")

    assert actor_matches(
        actor, GoldActor(name="New York Times", aliases=["NYT"], kind="media", quote="-")
    )


def test_names_are_normalised():
    assert normalise_name("The U.S. Government's") == "us government"
    assert normalise_name("  Trocm\u00e9\u2013Harju, Dr.") == "trocme harju dr"
    assert normalise_name("United Dockers' Federation") == "united dockers federation"
    assert normalise_name("u-s-government") == "us government"


def test_a_wrong_grantor_or_grantee_fails_permission_recall():
    permission = DAM_CONTENT["permissions"][0]
    wrong_grantor = {**permission, "grantor": "ministry-of-energy"}
    wrong_grantee = {**permission, "grantee": "wayaku-council"}

    assert (
        score_briefing(gold(), briefing(permissions=[wrong_grantor])).permission_recall.found == 0
    )
    assert (
        score_briefing(gold(), briefing(permissions=[wrong_grantee])).permission_recall.found == 0
    )


def test_a_reference_to_an_undeclared_actor_resolves_by_its_name():
    permission = {**DAM_CONTENT["permissions"][0], "grantee": "Meridane"}  # not an actor id
    actors = [a for a in DAM_CONTENT["actors"] if a["id"] != "meridane"]
    score = score_briefing(gold(), briefing(actors=actors, permissions=[permission]))

    assert score.permission_recall.ratio == 1.0


def test_one_predicted_permission_counts_for_one_gold_permission():
    second = {**DAM_GOLD["permissions"][0], "action": "close the diversion tunnels"}
    score = score_briefing(gold(permissions=[*DAM_GOLD["permissions"], second]), briefing())

    assert (score.permission_recall.found, score.permission_recall.total) == (1, 2)


def test_a_warning_needs_its_issuer():
    warning = {**DAM_CONTENT["warnings"][0], "issuer": "meridane"}

    assert score_briefing(gold(), briefing(warnings=[warning])).warning_recall.found == 0


def test_a_position_needs_its_actor_and_its_words_or_its_place():
    council, ministry = DAM_CONTENT["positions"][:2]
    elsewhere = "The ruling does not say whether the ministry or the consortium must pay"
    moved = {**council, "stance": "The council objects.", "evidence": [elsewhere]}
    paraphrased = {**council, "stance": "It says 14,000 hectares of its land would flood."}
    wrong_actor = {**council, "actor": "ministry-of-energy"}

    def found(*positions: dict[str, Any]) -> int:
        return score_briefing(gold(), briefing(positions=list(positions))).position_recall.found

    assert found(council, ministry) == 2
    assert found(moved, ministry) == 1  # neither its quote's place nor its words
    assert found({**paraphrased, "evidence": [elsewhere]}, ministry) == 2  # the words suffice
    assert found(wrong_actor, ministry) == 1


def test_a_disputed_claim_needs_both_sides_each_on_its_own_side():
    claim = DAM_CONTENT["disputed_claims"][0]
    swapped = {**claim, "asserted_by": claim["disputed_by"], "disputed_by": claim["asserted_by"]}
    mixed = {**claim, "asserted_by": ["wayaku-council", "ministry-of-energy"]}
    one_sided = {**claim, "disputed_by": ["meridane"]}

    def found(item: dict[str, Any]) -> int:
        return score_briefing(gold(), briefing(disputed_claims=[item])).disputed_claim_recall.found

    assert found(claim) == 1
    assert found(swapped) == 0
    assert found(mixed) == 0
    assert found(one_sided) == 0


def test_an_open_question_is_found_by_its_place_in_the_article():
    question = DAM_CONTENT["open_questions"][0]
    reworded = {**question, "question": "Is the schedule at risk?"}
    elsewhere = {**reworded, "evidence": ["The ministry disputes that figure"]}

    def found(item: dict[str, Any]) -> int:
        return score_briefing(gold(), briefing(open_questions=[item])).open_question_recall.found

    assert found(reworded) == 1
    assert found(elsewhere) == 0


def test_an_unattributed_claim_is_found_by_a_source_note_of_that_kind():
    quote = "The two dissenting judges said the court had no business setting a technical height"
    claims = [{"claim": "the dissent says the court overstepped", "quote": quote}]
    note = {"kind": "unattributed_claim", "note": "Dissent not sourced.", "evidence": [quote]}

    def found(*notes: dict[str, Any]) -> int:
        score = score_briefing(gold(unattributed_claims=claims), briefing(source_notes=list(notes)))
        return score.unattributed_claim_recall.found

    assert found(note) == 1
    assert found({**note, "kind": "missing_voice"}) == 0


def test_an_exact_quote_off_its_offsets_is_counted():
    made = briefing()
    exact = [e for e in made.evidence() if e.match == "exact"]
    assert quote_counts(made).exact_off_offset == 0

    exact[0].start += 1
    exact[0].end += 1
    counts = quote_counts(made)

    assert counts.exact_off_offset == 1
    assert counts.exact + counts.fuzzy + counts.unverified == len(made.evidence())


def test_the_total_adds_the_counts_of_every_article():
    first = score_briefing(gold(), briefing(), "a")
    second = score_briefing(gold(), briefing(warnings=[]), "b")
    total = total_score([first, second])

    assert total.name == "total"
    for field in MEASURES:
        assert getattr(total, field) == getattr(first, field) + getattr(second, field)
    assert total.warning_recall.ratio == 0.5
    assert total.quotes.exact == first.quotes.exact + second.quotes.exact


# Gold files ------------------------------------------------------------------------------------


def write_gold(folder: Path, data: Any) -> Path:
    path = folder / "dam.gold.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "{not json", "not valid JSON (Expecting property name"),
        (lambda d: {**d, "actor": []}, "actor: Extra inputs are not permitted"),
        (lambda d: {**d, "actors": []}, "actors: List should have at least 1 item"),
        (
            lambda d: {**d, "warnings": [{**d["warnings"][0], "issuer": "Vasquel"}]},
            "warnings: 'Vasquel' is not the name of a gold actor",
        ),
        (
            lambda d: {**d, "positions": [{**d["positions"][0], "quote": "14.000 hectares"}]},
            "positions.0: not verbatim in the article: '14.000 hectares'",
        ),
        (
            lambda d: {**d, "actors": [*d["actors"], d["actors"][0]]},
            "actor named twice: 'Constitutional Court'",
        ),
    ],
)
def test_a_bad_gold_file_is_one_clear_line(tmp_path, change, message):
    path = write_gold(tmp_path, change(copy.deepcopy(DAM_GOLD)))

    with pytest.raises(InputError) as error:
        load_gold(path, DAM_ARTICLE)

    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_gold_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "none.gold.json")


@pytest.mark.parametrize("article", GOLD_ARTICLES, ids=[p.stem for p in GOLD_ARTICLES])
def test_every_gold_quote_is_verbatim_in_its_article(article):
    text = article.read_text(encoding="utf-8")
    data = json.loads(evaluate.gold_path(article).read_text(encoding="utf-8"))
    quotes = [item["quote"] for section in data.values() for item in section]

    assert quotes
    for quote in quotes:
        assert quote in text, f"not verbatim in {article.name}: {quote!r}"
    load_gold(evaluate.gold_path(article), text)  # and the whole file validates


def test_the_gold_set_covers_every_test_article():
    assert {p.stem for p in GOLD_ARTICLES} >= {
        "us-permits-strikes-kharkov",
        "wire-many-quotes",
        "unattributed-claim",
    }
    assert all(evaluate.gold_path(p).is_file() for p in GOLD_ARTICLES)


# The evaluation loop ---------------------------------------------------------------------------


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    """Two copies of the dam article with the test gold, and an article without gold."""
    for name in ("dam-a", "dam-b"):
        (tmp_path / f"{name}.txt").write_text(DAM_ARTICLE, encoding="utf-8")
        (tmp_path / f"{name}.gold.json").write_text(json.dumps(DAM_GOLD), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("No gold for this one.\nReally.", encoding="utf-8")
    return tmp_path


NO_BACKEND = ServerBackend(model="none", base_url="http://127.0.0.1:9/v1")


def test_a_failed_article_counts_as_finding_nothing_and_the_run_goes_on(gold_dir, monkeypatch):
    def fake_briefing(article, **kwargs):
        if article.source_name.endswith("dam-a.txt"):
            raise BackendError("server at 127.0.0.1:9: cannot connect")
        return briefing()

    monkeypatch.setattr(evaluate, "make_briefing", fake_briefing)
    report = evaluate_dir(gold_dir, backend=NO_BACKEND)

    failed, briefed = report.articles
    assert (failed.name, failed.exit_code, failed.error) == (
        "dam-a",
        4,
        "server at 127.0.0.1:9: cannot connect",
    )
    assert failed.actor_recall.found == 0 and failed.actor_recall.total == 5
    assert briefed.actor_recall.ratio == 1.0
    assert report.total.actor_recall.ratio == 0.5
    assert (report.failed, report.exit_code) == (1, 4)
    assert report.skipped == ["notes.txt"]
    table = report_table(report)
    assert "failed (exit 4)" in table and "skipped (no gold): notes.txt" in table


def test_names_choose_the_articles(gold_dir, monkeypatch):
    monkeypatch.setattr(evaluate, "make_briefing", lambda article, **kwargs: briefing())

    report = evaluate_dir(gold_dir, backend=NO_BACKEND, names=["dam-b"])

    assert [score.name for score in report.articles] == ["dam-b"]
    assert report.exit_code == 0
    with pytest.raises(InputError, match="no article with gold named 'dam-c'"):
        evaluate_dir(gold_dir, backend=NO_BACKEND, names=["dam-c"])


def test_a_bad_gold_file_stops_the_run_before_any_briefing(gold_dir, monkeypatch):
    (gold_dir / "dam-b.gold.json").write_text("[]", encoding="utf-8")
    monkeypatch.setattr(evaluate, "make_briefing", pytest.fail)

    with pytest.raises(InputError, match=r"dam-b\.gold\.json"):
        evaluate_dir(gold_dir, backend=NO_BACKEND)


def test_a_directory_without_gold_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"no NAME\.txt with a NAME\.gold\.json"):
        evaluate_dir(tmp_path, backend=NO_BACKEND)
    with pytest.raises(InputError, match="not a directory"):
        evaluate_dir(tmp_path / "missing", backend=NO_BACKEND)


def test_briefer_eval_exits_with_the_first_failure(gold_dir, monkeypatch, capsys):
    def failing(article, **kwargs):
        raise BackendError("no server")

    monkeypatch.setattr(evaluate, "make_briefing", failing)
    code = main(["eval", str(gold_dir), "--base-url", "http://127.0.0.1:9/v1"])

    out, err = capsys.readouterr()
    assert code == 4
    assert "briefer: dam-a: failed: no server" in err
    assert out.splitlines()[0].split()[:3] == ["article", "actor", "R"]


# End to end, on the recorded model output ------------------------------------------------------

RECORDED_BACKEND = ServerBackend(model=RECORDED_MODEL, base_url=RECORDING_URL, timeout=600)


def _linked_gold_dir(folder: Path) -> Path:
    """The recorded articles and their gold, as links, plus an article without gold."""
    for article in RECORDED:
        for path in (article, evaluate.gold_path(article)):
            (folder / path.name).symlink_to(path.resolve())
    (folder / "notes.txt").write_text("An article with no gold.\nIt is skipped.", "utf-8")
    return folder


@pytest.mark.vcr(*(str(recorded_cassette(path)) for path in RECORDED))
def test_briefer_eval_scores_the_recorded_briefings(tmp_path, capsys):
    assert RECORDED, "no replay cassettes"
    folder = _linked_gold_dir(tmp_path)
    argv = ["eval", str(folder), "--base-url", RECORDING_URL, "--model", RECORDED_MODEL]

    code = main([*argv, "--timeout", "600", "--json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["exit_code"] == 0 and report["failed"] == 0
    assert [row["name"] for row in report["articles"]] == [p.stem for p in RECORDED]
    assert report["skipped"] == ["notes.txt"]
    rows, total = report["articles"], report["total"]
    for row in [*rows, total]:
        for field in MEASURES:
            count = row[field]
            assert 0 <= count["found"] <= count["total"]
            assert count["ratio"] is None or 0.0 <= count["ratio"] <= 1.0
        assert row["quotes"]["exact_off_offset"] == 0
    for row in rows:
        assert row["usage"]["calls"] >= 1 and row["usage"]["completion_tokens"] > 0
        assert row["actor_recall"]["total"] > 0 and row["actor_precision"]["total"] > 0
    for section in (*MEASURES, "quotes", "usage"):
        for key, value in total[section].items():
            if key != "ratio":
                summed = sum(row[section][key] for row in rows)
                assert value == pytest.approx(summed, abs=0.01), (section, key)


@pytest.mark.vcr(*(str(recorded_cassette(path)) for path in RECORDED))
def test_evaluate_dir_prints_a_row_per_recorded_article():
    report = evaluate_dir(ARTICLES, backend=RECORDED_BACKEND, names=[p.stem for p in RECORDED])
    lines = report_table(report).splitlines()

    assert lines[0].split()[0] == "article"
    for path in RECORDED:
        assert any(line.startswith(f"{path.stem} ") and line.endswith(" ok") for line in lines)
    assert any(line.startswith("total ") for line in lines)
    assert lines[-1].startswith("ratio ")
    assert report.total.quotes.exact_off_offset == 0
