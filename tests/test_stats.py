"""Specification of `make --stats` (and -v): calls, tokens, time and cost on stderr.

A model priced in the shipped table gets a dollar figure, an unknown one "cost unknown", a
BRIEFER_PRICES file adds or overrides prices, and a bad one never fails the run. A briefing
from the cache says so: this run made no call; the figures are those of the run that made it.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from scripted_server import scripted_llm
from test_cache import ARTICLE, BACKEND_VARIABLES, valid

from briefer.backends import LocalBackend, OpenAIBackend
from briefer.cli import main
from briefer.schema import Usage
from briefer.stats import Price, cost_text, find_price, load_prices

#: 1000 prompt + 500 completion tokens at gpt-4o-mini's $0.15 / $0.60 per million.
GPT_4O_MINI_COST = "$0.00045"


@pytest.fixture(autouse=True)
def no_backend_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*BACKEND_VARIABLES, "BRIEFER_PRICES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def make_stats(
    article_file: Path, capsys, *extra: str, model: str = "gpt-4o-mini", runs: int = 1
) -> list[str]:
    """Run `make --stats` `runs` times against one scripted server; return each run's stderr."""
    errs = []
    with scripted_llm([valid(prompt_tokens=1000, completion_tokens=500)]) as server:
        argv = ["make", str(article_file), "--base-url", server.base_url, "--model", model]
        for _ in range(runs):
            assert main([*argv, "--stats", *extra]) == 0
            out, err = capsys.readouterr()
            assert out.startswith("# ")  # the briefing, and only it, on stdout
            errs.append(err)
    return errs


def test_stats_reports_calls_tokens_time_and_the_cost_of_a_priced_model(article_file, capsys):
    [err] = make_stats(article_file, capsys)

    assert "1 LLM call(s), 0 re-ask(s), 1000 prompt + 500 completion tokens, " in err
    assert re.search(r"tokens, \d+(\.\d+)? s, ", err)
    assert f"cost {GPT_4O_MINI_COST} (gpt-4o-mini)" in err
    assert "from the cache" not in err


def test_stats_says_cost_unknown_for_a_model_without_a_price(article_file, capsys):
    [err] = make_stats(article_file, capsys, model="my-finetune")

    assert "cost unknown (no price for 'my-finetune'; add one in a BRIEFER_PRICES file)" in err


def test_a_prices_file_adds_and_overrides_prices(article_file, capsys, monkeypatch, tmp_path):
    prices = tmp_path / "prices.json"
    models = {"my-finetune": {"input": 2, "output": 4}, "GPT-4o-mini": {"input": 1, "output": 1}}
    prices.write_text(json.dumps({"models": models}), encoding="utf-8")
    monkeypatch.setenv("BRIEFER_PRICES", str(prices))

    [finetune] = make_stats(article_file, capsys, model="my-finetune")
    [mini] = make_stats(article_file, capsys)
    assert "cost $0.004 (my-finetune)" in finetune
    assert "cost $0.0015 (gpt-4o-mini)" in mini


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "No such file"), ("{not json", "Expecting"), ('{"gpt-4o": 1}', "expected")],
    ids=["missing", "not-json", "wrong-shape"],
)
def test_a_bad_prices_file_leaves_the_cost_unknown_and_the_run_intact(
    article_file, capsys, monkeypatch, tmp_path, content, problem
):
    prices = tmp_path / "prices.json"
    if content is not None:
        prices.write_text(content, encoding="utf-8")
    monkeypatch.setenv("BRIEFER_PRICES", str(prices))

    [err] = make_stats(article_file, capsys)

    line = next(line for line in err.splitlines() if "cost unknown (BRIEFER_PRICES: " in line)
    assert problem in line


def test_stats_of_a_cached_briefing_say_so_and_show_the_original_figures(article_file, capsys):
    # One scripted answer: the second run must not ask for another.
    first, second = make_stats(article_file, capsys, runs=2)

    made = first.strip().removeprefix("briefer: ")
    assert second.strip() == (
        f"briefer: from the cache: no LLM call this run (cost $0.00); when made: {made}"
    )


def test_verbose_reports_the_same_figures_and_the_quote_matches(article_file, capsys):
    [stats] = make_stats(article_file, capsys, "--no-cache")
    [verbose] = make_stats(article_file, capsys, "--no-cache", "-v")

    def figures(err: str) -> str:
        line = next(line for line in err.splitlines() if "LLM call(s)" in line)
        return re.sub(r"\d+(\.\d+)? s,", "N s,", line)  # only the seconds may differ

    assert re.fullmatch(
        re.escape(figures(stats)) + r"; quotes: \d+ exact, 0 fuzzy, 0 unverified", figures(verbose)
    )


# --- the price table -----------------------------------------------------------------------


def test_the_shipped_table_is_package_data_and_prices_the_documented_models():
    assert (files("briefer") / "prices.json").is_file()
    prices = load_prices({})
    for model in ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini"):
        assert prices[model].input > 0 and prices[model].output > prices[model].input


def test_a_dated_snapshot_and_another_case_find_the_base_price():
    prices = load_prices({})
    assert find_price("gpt-4o-mini-2024-07-18", prices) == prices["gpt-4o-mini"]
    assert find_price("GPT-4o", prices) == prices["gpt-4o"]
    assert find_price("gpt-4o-mini-high", prices) is None


def test_a_local_model_costs_nothing_whatever_its_name():
    usage = Usage(calls=1, prompt_tokens=10_000, completion_tokens=1_000)
    local = LocalBackend(model="gpt-4o")
    assert cost_text(usage, "gpt-4o", local) == "cost $0.00 (local model)"


def test_costs_are_dollars_to_the_millionth():
    usage = Usage(calls=1, prompt_tokens=1_000_000, completion_tokens=1)
    assert Price(input=0.2, output=0).cost(usage) == pytest.approx(0.2)
    api = OpenAIBackend(model="gpt-4o-mini", api_key="unused")
    assert cost_text(usage, "gpt-4o-mini", api) == "cost $0.150001 (gpt-4o-mini)"
