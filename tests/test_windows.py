"""Specification of reading a long article in windows (`briefer.windows`).

An article whose prompt does not fit the model's context is read in overlapping windows of
whole sentences, each window citing the one parsed document's sentence numbers; every
sentence is asked about once; items an overlap yields twice appear once; a quotation is never
cut; the headline and summary cover the whole; time and tokens bound the whole article. An
article that fits is still one call.
"""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scripted_server import fills_schema, scripted_llm, tool_call

from briefer.analysis import analyse
from briefer.api import make_briefing
from briefer.backends import Backend, ServerBackend, resolve_backend
from briefer.cli import main
from briefer.errors import BackendError
from briefer.settings import ExtractionSettings
from briefer.windows import merge_answers, plan_windows

QUOTATION = (
    '"The harbour was built for fishing boats. It cannot take ships of three thousand '
    'passengers. We owe the people who live here a quiet summer,"'
)
ARTICLE = (
    "Velstad bans cruise ships for the summer\n"
    "The town council of Velstad voted on Monday to ban cruise ships from its harbour "
    "between June and August. The ban passed by seven votes to four after a three-hour "
    "debate. Mayor Ines Dahl said the vote was the most important of her term. "
    f"{QUOTATION} Dahl said. The Velstad Tourism Association said the ban would cost local "
    "shops about 3 million crowns. Its chair, Marit Berg, said shops had hired staff for the "
    "season. Council member Per Olsen warned that the decision could be challenged in court. "
    "The port authority said it had not been consulted. Two cruise lines said they would "
    "send their ships to Bergen instead. The council will review the ban in October.\n"
)
#: A context this small reads ARTICLE in several windows (the answer's reserve included).
SMALL_CONTEXT = 2100


def shown_numbers(request) -> list[int]:
    """The sentence numbers a request showed the model."""
    system = request.body["messages"][0]["content"]
    return [int(n) for n in re.findall(r"^\[(\d+)\]", system, re.MULTILINE)]


def backend(server, context_tokens: int | None) -> Backend:
    return ServerBackend(
        model="scripted",
        base_url=server.base_url,
        timeout=5,
        context_tokens=context_tokens,
    )


@given(
    sizes=st.lists(st.integers(1, 300), max_size=80),
    budget=st.integers(50, 1000),
    overlap=st.integers(0, 4),
)
def test_windows_cover_every_sentence_once_whole_and_within_the_budget(sizes, budget, overlap):
    windows = plan_windows(sizes, budget, overlap=overlap)

    owned = [number for window in windows for number in window.owned]
    assert owned == list(range(1, len(sizes) + 1))  # each sentence asked about once, in order
    for window in windows:
        assert window.owned.step == 1 and window.shown.step == 1  # whole, consecutive sentences
        assert window.owned.start >= window.shown.start and window.owned.stop == window.shown.stop
        tokens = sum(sizes[number - 1] for number in window.shown)
        assert tokens <= budget or len(window.shown) == 1  # only a sentence alone may be over
    for before, after in itertools.pairwise(windows):
        repeated = set(before.shown) & set(after.shown)
        assert len(repeated) <= overlap and repeated == set(after.shown) - set(after.owned)


def test_windows_repeat_the_overlap_when_it_fits():
    windows = plan_windows([10] * 20, budget=60, overlap=2)

    assert [(w.shown.start, w.shown.stop - 1) for w in windows] == [
        (1, 6),
        (5, 10),
        (9, 14),
        (13, 18),
        (17, 20),
    ]


def test_an_item_two_overlapping_windows_find_is_merged_into_one():
    said = SimpleNamespace(actor="ines-dahl", sentences=[4], stance="defends the ban")
    again = SimpleNamespace(actor="ines-dahl", sentences=[4], stance="supports the ban")
    other = SimpleNamespace(actor="per-olsen", sentences=[4], stance="doubts the ban")
    first = SimpleNamespace(headline="", summary="", positions=[said], warnings=[])
    second = SimpleNamespace(headline="", summary="", positions=[again, other], warnings=[])

    merged = merge_answers([first, second])

    assert merged.positions == [said, other]


def test_a_long_article_is_read_in_windows_citing_the_documents_sentence_numbers():
    steps = [fills_schema(headline=f"Part {n}", summary=f"Summary {n}.") for n in range(1, 12)]
    progress: list[tuple[int, int]] = []
    settings = ExtractionSettings(progress=lambda done, total: progress.append((done, total)))
    with scripted_llm(steps) as server:
        briefing = make_briefing(ARTICLE, backend=backend(server, SMALL_CONTEXT), settings=settings)

    windows = briefing.meta.usage.windows
    sentences = analyse(ARTICLE).sentences
    assert len(windows) >= 2
    shown = [shown_numbers(request) for request in server.requests[: len(windows)]]
    assert shown == [list(range(w.first_sentence, w.last_sentence + 1)) for w in windows]
    assert {n for numbers in shown for n in numbers} == {s.id for s in sentences}
    # the headline and summary are the whole's, written from every window's
    overview = server.requests[len(windows)].body["messages"][-1]["content"]
    for n in range(1, len(windows) + 1):
        assert f"[{n}] Part {n} Summary {n}." in overview
    assert (briefing.headline, briefing.summary) == (
        f"Part {len(windows) + 1}",
        f"Summary {len(windows) + 1}.",
    )
    assert progress == [(done, len(windows)) for done in range(len(windows) + 1)]
    assert briefing.meta.usage.calls == len(windows) + 1
    assert briefing.meta.usage.reasks == 0


def test_a_quotation_across_a_window_border_is_found_once_whole():
    """The three-sentence quotation is one sentence of the analysis: some window shows it
    whole, one window alone is asked about it, and the briefing cites it once."""
    steps = [fills_schema() for _ in range(12)]
    with scripted_llm(steps) as server:
        briefing = make_briefing(ARTICLE, backend=backend(server, SMALL_CONTEXT))

    quoted = [p for p in briefing.positions if "fishing boats" in p.evidence[0].quote]
    assert len(briefing.meta.usage.windows) >= 2
    assert len(quoted) == 1
    assert QUOTATION.strip('",') in quoted[0].evidence[0].quote
    assert quoted[0].actor == "ines-dahl"
    asked = [shown_numbers(request) for request in server.requests]
    number = analyse(ARTICLE).sentence_at(ARTICLE.index("fishing boats")).id
    assert any(number in shown for shown in asked)


def test_an_article_that_fits_is_one_call_with_every_sentence():
    for context_tokens in (None, 128_000):
        with scripted_llm([fills_schema(headline="Velstad bans cruise ships")]) as server:
            briefing = make_briefing(ARTICLE, backend=backend(server, context_tokens))

        assert len(server.requests) == 1
        assert shown_numbers(server.requests[0]) == [s.id for s in analyse(ARTICLE).sentences]
        assert briefing.meta.usage.windows == []
        assert briefing.headline == "Velstad bans cruise ships"


def test_the_token_budget_bounds_the_whole_article_and_what_was_read_is_kept():
    """Each scripted answer costs 150 tokens: a budget of 150 is spent by the first window."""
    steps = [fills_schema(headline="First part", summary="What the first part says.")] + [
        tool_call("{}") for _ in range(10)
    ]
    settings = ExtractionSettings(token_budget=150)
    with scripted_llm(steps) as server:
        briefing = make_briefing(ARTICLE, backend=backend(server, SMALL_CONTEXT), settings=settings)

    assert len(server.requests) == 1
    assert len(briefing.meta.usage.windows) == 1
    assert briefing.meta.usage.interrupted  # another run may do better: not cached
    assert briefing.headline == "First part"
    assert briefing.positions  # the rules' items cover the whole article still


def test_stats_report_each_window_of_a_long_article(tmp_path, capsys, monkeypatch):
    """BRIEFER_CONTEXT_TOKENS gives a server's context size; --stats has a line per window."""
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("BRIEFER_CONTEXT_TOKENS", str(SMALL_CONTEXT))
    for name in ("OPENAI_API_KEY", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    steps = [fills_schema() for _ in range(12)]
    with scripted_llm(steps) as server:
        code = main(["make", str(path), "--base-url", server.base_url, "--stats", "--no-cache"])
        windows = len(server.requests) - 1

    err = capsys.readouterr().err
    assert code == 0
    assert f"{windows + 1} LLM call(s), 0 re-ask(s)" in err
    assert f"read in {windows} windows" in err
    lines = re.findall(r"^briefer: window (\d+) \(sentences (\d+)-(\d+)\): 1 call\(s\)", err, re.M)
    assert [int(number) for number, _, _ in lines] == list(range(1, windows + 1))
    assert int(lines[0][1]) == 1 and int(lines[-1][2]) == len(analyse(ARTICLE).sentences)


def test_the_context_size_is_the_local_models_own_or_the_one_a_server_is_given():
    from briefer.backends.embedded import N_CTX

    server = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    assert resolve_backend(environ={}).context_tokens == N_CTX
    assert resolve_backend(environ=server).context_tokens is None  # unknown: one call first
    sized = {**server, "BRIEFER_CONTEXT_TOKENS": "32768"}
    assert resolve_backend(environ=sized).context_tokens == 32768
    with pytest.raises(BackendError, match="BRIEFER_CONTEXT_TOKENS must be a number"):
        resolve_backend(environ={**server, "BRIEFER_CONTEXT_TOKENS": "lots"})


def test_when_the_overview_call_fails_the_windows_read_are_kept():
    """The server answers every window, then fails: the briefing keeps every window's
    findings under the first window's headline, marked interrupted (so it is not cached)."""
    steps = [fills_schema(headline=f"Part {n}") for n in range(1, 12)]
    with scripted_llm(steps) as server:
        whole = make_briefing(ARTICLE, backend=backend(server, SMALL_CONTEXT))
    windows = len(whole.meta.usage.windows)

    steps = [fills_schema(headline=f"Part {n}") for n in range(1, windows + 1)]
    with scripted_llm(steps) as server:  # once the script is used up: HTTP 500
        briefing = make_briefing(ARTICLE, backend=backend(server, SMALL_CONTEXT))

    assert len(briefing.meta.usage.windows) == windows
    assert briefing.headline == "Part 1"
    assert briefing.meta.usage.interrupted
    assert briefing.positions == whole.positions
