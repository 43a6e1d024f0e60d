"""Specification of extraction under faults: bad answers are re-asked, bad servers reported.

Every test talks real HTTP to a scripted OpenAI-compatible server (tests/scripted_server.py)
that plays canned answers: fabricated quotes, unknown actors, malformed JSON, HTTP errors,
stalls, cut-off answers. What must hold: invalid answers are re-asked with the validation
error, quotes that stay unfound are kept but marked unverified, every attempt's tokens are
counted, retries stay within their count, time and token budgets, and transport faults end in
one readable line, without the API key, with the right exit code.
"""

from __future__ import annotations

import copy
import io
import json
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import answer_for
from scripted_server import (
    ScriptedServer,
    Step,
    disconnect,
    fills_schema,
    http_error,
    malformed,
    plain_text,
    scripted_llm,
    stall,
    tool_call,
    truncated,
)

from briefer.api import make_briefing
from briefer.backends import HTTP_RETRIES, Backend, ServerBackend
from briefer.cli import main
from briefer.errors import BackendError, ExtractionError, InputError
from briefer.render import render
from briefer.schema import Briefing
from briefer.settings import ExtractionSettings

ARTICLE = (
    "Velstad bans cruise ships for the summer\n"
    "The town council of Velstad voted on Monday to ban cruise ships from its harbour "
    'between June and August. "Our streets cannot take another summer of crowds," Mayor '
    "Ines Dahl said after the vote. The Velstad Tourism Association said the ban would cost "
    "local shops about 3 million crowns. Council member Per Olsen warned that the decision "
    "could be challenged in court.\n"
)
FAKE_KEY = "sk-test-" + "Zq7Xw3Vb9Nm2Lk8Jh4Gf6Ds1Pa5Ou0Iy"
#: The openai client waits `retry-after-ms` when positive; `Retry-After: 0` is ignored (it then
#: backs off 0.5 s, 1 s). Tests that are not about the back-off use this to stay fast.
FAST_RETRY = {"retry-after-ms": "1"}
NO_REASKS = ["--max-retries", "0"]
BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")
#: Allowance for scheduling and HTTP round trips when a test measures a wait.
SLACK = 0.3

#: What a well-behaved model answers for ARTICLE (the guided schema: a headline, a summary,
#: the grantee of the council's ban, which statements are warnings).
ANSWER: dict[str, Any] = json.loads(
    answer_for(
        ARTICLE,
        headline="Velstad council bans cruise ships from its harbour for the summer",
        summary="Velstad's town council voted to ban cruise ships from June to August. The "
        "tourism association said the ban would cost shops money.",
    )
)
#: Words of briefer's own instructions, not the article's: never to be passed off as its.
COPIED = "attribute every claim to its source"


def answer(**changes: Any) -> dict[str, Any]:
    """A fresh copy of ANSWER with top-level fields replaced."""
    return {**copy.deepcopy(ANSWER), **changes}


def copying_the_instructions() -> dict[str, Any]:
    """A summary that repeats the prompt: re-asked, and left out if it persists."""
    return answer(summary=f"The council voted; {COPIED}.")


def a_loaded_headline() -> dict[str, Any]:
    """A headline in briefer's own words that judges ("draconian"): the article's words
    do not allow it."""
    return answer(headline="Velstad council imposes draconian ban on cruise ships")


def valid(**tokens: int) -> Step:
    return tool_call(json.dumps(ANSWER), **tokens)


def backend_for(server: ScriptedServer | str, timeout: float = 5) -> Backend:
    url = server if isinstance(server, str) else server.base_url
    return ServerBackend(model="scripted", base_url=url, timeout=timeout)


def brief(
    server: ScriptedServer | str,
    *,
    max_retries: int = 1,
    timeout: float = 5,
    total_timeout: float | None = None,
    article=ARTICLE,
) -> Briefing:
    settings = ExtractionSettings(max_retries=max_retries, total_timeout=total_timeout)
    return make_briefing(article, backend=backend_for(server, timeout), settings=settings)


def article_file(folder: Path, text: str = ARTICLE) -> Path:
    path = folder / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def clear_backend_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def messages(server: ScriptedServer, number: int) -> list[dict[str, Any]]:
    return server.requests[number].body["messages"]


def text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    return content if isinstance(content, str) else json.dumps(content)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- re-asks after invalid answers ---------------------------------------------------------


def test_an_answer_the_article_does_not_allow_is_re_asked_with_the_error():
    with scripted_llm([tool_call(json.dumps(a_loaded_headline())), valid()]) as server:
        briefing = brief(server, max_retries=2)

    assert briefing.meta.usage.calls == 2
    assert briefing.meta.usage.reasks == 1
    assert len(server.requests) == 2
    assert briefing.headline == ANSWER["headline"]
    for evidence in briefing.evidence():
        assert evidence.match == "exact"
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote

    first, second = messages(server, 0), messages(server, 1)
    reask = second[len(first) :]
    assert reask, "the second request must carry the validation error back to the model"
    assert "headline" in text_of(reask[-1])
    assert second[: len(first)] == first  # the conversation is extended, not rewritten


def test_words_of_the_instructions_are_re_asked_and_left_out_if_they_persist():
    copied = json.dumps(copying_the_instructions())
    with scripted_llm([tool_call(copied), tool_call(copied)]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    assert briefing.meta.usage.interrupted is False  # the re-asks ran their course
    assert "copies the instructions" in json.dumps(messages(server, 1))
    assert COPIED not in briefing.summary and COPIED not in render(briefing, "md")
    assert briefing.headline == ANSWER["headline"]  # the rest of the answer is kept


def test_malformed_json_arguments_are_re_asked():
    broken = json.dumps(ANSWER)[:-20]  # cut mid-way: not JSON any more
    with scripted_llm([tool_call(broken), valid()]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    assert len(server.requests) == 2
    assert briefing.headline == ANSWER["headline"]


def test_the_tokens_of_every_attempt_are_counted():
    steps = [
        tool_call(
            json.dumps(copying_the_instructions()), prompt_tokens=1000, completion_tokens=200
        ),
        tool_call(
            json.dumps(copying_the_instructions()), prompt_tokens=1300, completion_tokens=210
        ),
        valid(prompt_tokens=1600, completion_tokens=190),
    ]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=2)

    usage = briefing.meta.usage
    assert (usage.calls, usage.reasks) == (3, 2)
    assert usage.prompt_tokens == 1000 + 1300 + 1600
    assert usage.completion_tokens == 200 + 210 + 190
    assert usage.seconds >= 0


def test_cli_token_budget_stops_the_re_asks_and_keeps_the_best_answer(
    tmp_path: Path, monkeypatch, capsys
):
    clear_backend_environment(monkeypatch)
    copied = json.dumps(copying_the_instructions())
    steps = [tool_call(copied, prompt_tokens=1000, completion_tokens=200)] * 4
    argv = ["make", str(article_file(tmp_path)), "--max-retries", "3", "--token-budget", "2000"]
    with scripted_llm(steps) as server:
        code = main([*argv, "--base-url", server.base_url, "-f", "json"])
    out, _ = capsys.readouterr()

    assert code == 0
    # 1,200 tokens spent left room for a re-ask; 2,400 did not.
    assert len(server.requests) == 2
    usage = Briefing.model_validate_json(out).meta.usage
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (2, 2000, 400)
    assert COPIED not in Briefing.model_validate_json(out).summary


def test_time_running_out_during_a_re_ask_keeps_the_best_answer_so_far():
    """Every answer would come within the 5 s allowed per request, but the re-asked one would
    end past the 2 s allowed in total: it is cut off there, and the first answer is kept."""
    copied = tool_call(json.dumps(copying_the_instructions()))
    steps = [stall(1.2, then=copied), stall(3, then=valid())]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=3, timeout=5, total_timeout=2)
        elapsed = time.monotonic() - server.requests[0].at

    assert len(server.requests) == 2
    assert briefing.meta.usage.calls == 1
    assert briefing.summary == ""
    # 2 s, plus at most the openai client's first back-off (0.5 s) before it finds none left.
    assert elapsed < 2 + 0.5 + SLACK


def test_a_server_failing_during_a_re_ask_keeps_the_best_answer_so_far():
    steps = [
        tool_call(json.dumps(copying_the_instructions())),
        *[http_error(500, headers=FAST_RETRY)] * (HTTP_RETRIES + 1),
    ]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=1)

    assert len(server.requests) == 1 + HTTP_RETRIES + 1
    assert briefing.meta.usage.calls == 1
    assert briefing.summary == ""
    assert briefing.meta.usage.interrupted is True


def test_a_briefing_cut_short_by_a_server_fault_is_not_cached():
    """Another run may do better: only answers the re-asks finished with are kept."""
    from briefer.cache import BriefingCache

    steps = [
        tool_call(json.dumps(copying_the_instructions())),
        *[http_error(500, headers=FAST_RETRY)] * (HTTP_RETRIES + 1),
    ]
    with scripted_llm(steps) as server, BriefingCache() as cache:
        backend = backend_for(server)
        make_briefing(ARTICLE, backend=backend, cache=cache)
        assert cache.info().entries == 0


def test_an_http_error_body_never_reaches_a_later_prompt():
    """The openai client sends the same request again after a 5xx; a re-ask carries the
    validation problem back to the model, never the text of a server's error."""
    steps = [
        http_error(500, {"error": {"message": "BOOM-7731 worker died"}}, FAST_RETRY),
        tool_call(json.dumps(copying_the_instructions())),
        http_error(503, {"error": {"message": "BOOM-9904 overloaded"}}, FAST_RETRY),
        valid(),
    ]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    first, retried, reask, reask_retried = (request.body for request in server.requests)
    assert retried == first and reask_retried == reask
    assert "copies the instructions" in json.dumps(reask["messages"])
    for body in (first, reask):
        assert "BOOM" not in json.dumps(body)


# --- transport faults: retried by the openai client, or reported in one line ---------------


@pytest.mark.parametrize(
    "fault",
    [
        http_error(429, headers={"Retry-After": "0"}),
        http_error(500),
        http_error(502),
        http_error(503),
    ],
    ids=["429-retry-after-0", "500", "502", "503"],
)
def test_a_transient_http_error_is_retried_by_the_client(fault):
    with scripted_llm([fault, valid()]) as server:
        briefing = brief(server, max_retries=0)

    assert len(server.requests) == 2
    assert briefing.meta.usage.calls == 1  # only answered calls count
    assert briefing.meta.grounding.unverified == 0


def test_a_429_is_retried_after_the_wait_the_server_asks_for():
    with scripted_llm([http_error(429, headers={"Retry-After": "1"}), valid()]) as server:
        briefing = brief(server, max_retries=0)

    first, second = server.requests
    assert 1 <= second.at - first.at < 1 + SLACK
    assert briefing.meta.usage.calls == 1


def test_5xx_are_retried_with_exponential_back_off_and_jitter():
    """The openai client waits 0.5 s, then 1 s, each shortened by up to a quarter at random."""
    with scripted_llm([http_error(502), http_error(503), valid()]) as server:
        brief(server, max_retries=0)

    first, second, third = (request.at for request in server.requests)
    assert 0.375 <= second - first < 0.5 + SLACK
    assert 0.75 <= third - second < 1 + SLACK


def test_a_retry_after_over_two_minutes_is_reported_at_once_not_waited_for():
    """The openai client honours a Retry-After of up to 2 minutes; a longer one it does not
    retry at all, so a rate-limited run ends now, saying when to try again."""
    steps = [http_error(429, headers={"Retry-After": "3600"}), valid()]
    with scripted_llm(steps) as server, pytest.raises(BackendError) as caught:
        brief(server)
    waited = time.monotonic() - server.requests[0].at

    assert waited < SLACK
    assert len(server.requests) == 1
    message = str(caught.value)
    assert message.startswith(f"openai-compatible server at {server.base_url}: HTTP 429: ")
    assert message.endswith("; it asks to retry in 3,600 s")
    assert caught.value.exit_code == 4


def test_a_retry_after_longer_than_the_time_left_is_reported_at_once():
    """30 s is within the openai client's 2 minutes, but not within the 5 s allowed in total."""
    steps = [http_error(429, headers={"Retry-After": "30"}), valid()]
    with scripted_llm(steps) as server, pytest.raises(BackendError) as caught:
        brief(server, total_timeout=5)
    waited = time.monotonic() - server.requests[0].at

    assert waited < SLACK
    assert len(server.requests) == 1
    assert "HTTP 429" in str(caught.value) and "retry in 30 s" in str(caught.value)


def test_persistent_500s_end_in_a_backend_error_naming_the_server():
    body = {"error": {"message": "model crashed\nTraceback (most recent call last): ..."}}
    steps = [http_error(500, body, FAST_RETRY)] * (HTTP_RETRIES + 1)
    with scripted_llm(steps) as server, pytest.raises(BackendError) as caught:
        brief(server, max_retries=2)

    message = str(caught.value)
    assert server.base_url in message
    assert "HTTP 500" in message
    assert "\n" not in message
    assert caught.value.exit_code == 4
    # Transport faults are the openai client's to retry; they are never re-asked on top.
    assert len(server.requests) == HTTP_RETRIES + 1
    assert server.remaining == 0


def test_connection_refused_is_a_backend_error_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendError) as caught:
        brief(url, max_retries=0)

    message = str(caught.value)
    assert url in message
    assert "cannot connect" in message
    assert "\n" not in message


def test_an_unknown_host_is_a_backend_error_naming_the_url(monkeypatch):
    """The resolver fails as it does for a name that does not exist; no lookup leaves the
    machine (the test suite blocks the network)."""

    def unknown_name(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown_name)
    url = "http://nonexistent.invalid/v1"
    with pytest.raises(BackendError) as caught:
        brief(url, max_retries=0)

    message = str(caught.value)
    assert message == (
        f"openai-compatible server at {url}: cannot connect ([Errno -2] Name or service not known)"
    )
    assert caught.value.exit_code == 4


def test_a_dropped_connection_is_a_backend_error():
    with (
        scripted_llm([disconnect()] * (HTTP_RETRIES + 1)) as server,
        pytest.raises(BackendError) as caught,
    ):
        brief(server, max_retries=1)

    assert server.base_url in str(caught.value)
    assert len(server.requests) == HTTP_RETRIES + 1


def test_a_stall_past_the_timeout_is_a_backend_error_in_bounded_time():
    # The openai client retries a timeout too: every one of its attempts meets a stall.
    steps = [stall(3, then=valid())] * (HTTP_RETRIES + 1)
    started = time.monotonic()
    with scripted_llm(steps) as server, pytest.raises(BackendError) as caught:
        brief(server, max_retries=1, timeout=1)
    elapsed = time.monotonic() - started

    message = str(caught.value)
    assert "no answer within 1 s" in message
    assert server.base_url in message
    assert len(server.requests) == HTTP_RETRIES + 1
    # Three 1-second attempts plus the client's back-off (about 0.5 s, then 1 s).
    assert elapsed < 8


def test_cli_timeout_bounds_the_whole_run_not_only_each_request(
    tmp_path: Path, monkeypatch, capsys
):
    """Without a total bound the openai client would retry the stalled request twice, a full
    second each time; with `--timeout 1` no retry finds any time left."""
    clear_backend_environment(monkeypatch)
    steps = [stall(5, then=valid())] * (HTTP_RETRIES + 1)
    with scripted_llm(steps) as server:
        code = main(
            ["make", str(article_file(tmp_path)), "--base-url", server.base_url, "--timeout", "1"]
        )
        elapsed = time.monotonic() - server.requests[0].at
    out, err = capsys.readouterr()

    assert (code, out) == (4, "")
    assert err == (
        f"briefer: error: openai-compatible server at {server.base_url}: "
        "no answer within 1 s in total\n"
    )
    assert len(server.requests) == 1
    assert elapsed < 1 + 0.5 + SLACK  # at most the client's first back-off past the second


def test_a_response_body_that_is_not_json_is_sent_again_within_the_re_ask_budget():
    with scripted_llm([malformed(), valid()]) as server:
        briefing = brief(server, max_retries=1)

    assert len(server.requests) == 2
    assert server.requests[1].body == server.requests[0].body  # nothing of it reaches the model
    assert briefing.meta.usage.calls == 1


def test_a_malformed_response_body_on_every_attempt_is_a_backend_error():
    with scripted_llm([malformed()] * 3) as server, pytest.raises(BackendError) as caught:
        brief(server, max_retries=1)

    message = str(caught.value)
    assert message.startswith(f"openai-compatible server at {server.base_url}: ")
    assert "the server's answer is not JSON" in message
    assert len(server.requests) == 2  # the first try and the one re-try --max-retries 1 allows


def test_an_http_error_is_reported_with_the_servers_own_message():
    body = {
        "error": {
            "message": "tool_choice 'required' is not supported\n  at handler.py:88",
            "type": "invalid_request_error",
        }
    }
    with scripted_llm([http_error(400, body)]) as server, pytest.raises(BackendError) as caught:
        brief(server)

    assert str(caught.value) == (
        f"openai-compatible server at {server.base_url}: "
        "HTTP 400: tool_choice 'required' is not supported"
    )
    assert len(server.requests) == 1  # a 400 is not retried, nor re-asked


def test_a_refused_api_key_is_reported_without_the_servers_text():
    body = {"error": {"message": "Incorrect API key provided: sk-live-****wxyz"}}
    with scripted_llm([http_error(401, body)]) as server, pytest.raises(BackendError) as caught:
        brief(server)

    assert str(caught.value) == (
        f"openai-compatible server at {server.base_url}: the API key was refused (HTTP 401)"
    )
    assert len(server.requests) == 1


CONTEXT_OVERFLOWS = {
    "openai": {
        "error": {
            "message": "This model's maximum context length is 8192 tokens. However, your "
            "messages resulted in 9500 tokens. Please reduce the length of the messages.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }
    },
    "llama.cpp-server": {
        "error": {
            "code": 400,
            "message": "request (9500 tokens) exceeds the available context size (8192 tokens)",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 9500,
            "n_ctx": 8192,
        }
    },
    "vllm": {
        "object": "error",
        "message": "This model's maximum context length is 8192 tokens. However, you requested "
        "9500 tokens (6428 in the messages, 3072 in the completion). Please reduce the length "
        "of the messages or completion.",
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    },
}


@pytest.mark.parametrize("server_kind", sorted(CONTEXT_OVERFLOWS))
def test_an_article_the_server_says_is_too_long_is_read_in_windows(server_kind):
    """The server states its context size: the article is read in parts that fit, then one
    short call writes the headline and summary of the whole."""
    steps = [http_error(400, CONTEXT_OVERFLOWS[server_kind])]
    steps += [fills_schema(headline=f"Part {n}", summary=f"Summary {n}.") for n in range(1, 9)]
    with scripted_llm(steps) as server:
        briefing = brief(server)

    windows = briefing.meta.usage.windows
    asked = server.requests[1 : 1 + len(windows)]
    shown = [re.findall(r"^\[(\d+)\]", r.body["messages"][0]["content"], re.M) for r in asked]
    assert len(windows) >= 2
    assert [[int(n) for n in numbers] for numbers in shown] == [
        list(range(w.first_sentence, w.last_sentence + 1)) for w in windows
    ]
    overview = server.requests[1 + len(windows)].body["messages"][-1]["content"]
    assert all(f"Part {n}" in overview for n in range(1, len(windows) + 1))
    assert briefing.headline == f"Part {len(windows) + 1}"  # the overview's: the next step
    assert briefing.meta.usage.calls == len(windows) + 1  # the refused call answered nothing
    assert briefing.meta.usage.reasks == 0


def test_an_article_too_long_for_every_window_is_bad_input_naming_the_limit():
    refused = http_error(400, CONTEXT_OVERFLOWS["llama.cpp-server"])
    with scripted_llm([refused] * 10) as server, pytest.raises(InputError) as caught:
        brief(server)

    assert str(caught.value) == (
        f"openai-compatible server at {server.base_url}: the article is too long for the "
        "model's context of 8,192 tokens (this request: 9,500); shorten the article or lower "
        "--max-tokens"
    )
    assert caught.value.exit_code == 3
    assert len(server.requests) == 2  # the whole article, then its first window


def test_a_context_overflow_without_numbers_is_bad_input_quoting_the_server():
    """Older llama.cpp servers do not say how large their context is."""
    message = (
        "the request exceeds the available context size, try increasing the context size or "
        "enable context shift"
    )
    steps = [http_error(400, {"error": {"code": 400, "message": message}})]
    with scripted_llm(steps) as server, pytest.raises(InputError) as caught:
        brief(server)

    assert f"too long for the model's context ({message})" in str(caught.value)
    assert caught.value.exit_code == 3


# --- answers that cannot become a briefing -------------------------------------------------


def test_an_answer_cut_off_at_the_token_cap_is_an_extraction_error():
    settings = ExtractionSettings(max_retries=2, max_tokens=256)
    with (
        scripted_llm([truncated(json.dumps(ANSWER)[:300])]) as server,
        pytest.raises(ExtractionError) as caught,
    ):
        make_briefing(ARTICLE, backend=backend_for(server), settings=settings)

    message = str(caught.value)
    assert "cut off at 256 tokens" in message
    assert "--max-tokens" in message
    assert caught.value.exit_code == 5
    assert server.requests[0].body["max_tokens"] == 256
    assert len(server.requests) == 1  # a longer answer will not fit on a re-ask either


def test_text_without_a_tool_call_on_every_attempt_is_an_extraction_error():
    steps = [plain_text("Sure! Here is a neutral briefing of the article.")] * 2
    with scripted_llm(steps) as server, pytest.raises(ExtractionError) as caught:
        brief(server, max_retries=1)

    assert caught.value.exit_code == 5
    assert len(server.requests) == 2  # re-asked once, like any other invalid answer


# --- secrets, the CLI, and the article as data ---------------------------------------------


@pytest.mark.parametrize(
    "status, headers",
    [(400, {}), (500, FAST_RETRY)],
    ids=["400", "500"],
)
def test_the_api_key_reaches_only_the_authorization_header(monkeypatch, status, headers):
    for name in ("OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    echo = http_error(status, {"error": {"message": f"bad request from key {FAKE_KEY}"}}, headers)
    steps = [tool_call(json.dumps(copying_the_instructions())), valid(), *[echo] * 3]
    settings = ExtractionSettings(max_retries=1)
    with scripted_llm(steps) as server:
        briefing = make_briefing(ARTICLE, base_url=server.base_url, timeout=5, settings=settings)
        with pytest.raises(BackendError) as caught:
            make_briefing(ARTICLE, base_url=server.base_url, timeout=5, settings=settings)

    assert briefing.meta.usage.calls == 2
    assert FAKE_KEY not in str(caught.value)
    assert FAKE_KEY not in briefing.model_dump_json()
    assert f"HTTP {status}" in str(caught.value)
    for request in server.requests:
        authorization = {k.lower(): v for k, v in request.headers.items()}.pop("authorization")
        assert authorization == f"Bearer {FAKE_KEY}"
        others = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        assert FAKE_KEY not in json.dumps(others)
        assert FAKE_KEY not in json.dumps(request.body)


@pytest.mark.parametrize(
    "status, headers",
    [(400, {}), (502, FAST_RETRY)],
    ids=["400", "502"],
)
def test_a_key_echoed_back_in_any_shape_stays_out_of_the_error_line(
    tmp_path: Path, monkeypatch, capsys, status, headers
):
    """A key not shaped like OpenAI's (a local server's token): only its value can mask it."""
    clear_backend_environment(monkeypatch)
    token = "hunter2.local/Token+9Zq"
    monkeypatch.setenv("OPENAI_API_KEY", token)
    echoed = f"denied; headers: {{'authorization': 'Bearer {token}', 'x-token': '{token}'}}"
    steps = [http_error(status, {"error": {"message": echoed}}, headers)] * (HTTP_RETRIES + 1)
    with scripted_llm(steps) as server:
        code = main(
            ["make", str(article_file(tmp_path)), "--base-url", server.base_url, *NO_REASKS]
        )
    out, err = capsys.readouterr()

    assert (code, out) == (4, "")
    assert f"HTTP {status}: denied; headers:" in err
    assert "hunter2" not in err
    sent = {name.lower(): value for name, value in server.requests[0].headers.items()}
    assert sent["authorization"] == f"Bearer {token}"


def test_cli_verbose_and_json_output_never_show_the_api_key_or_a_url_password(
    tmp_path: Path, monkeypatch, capsys
):
    clear_backend_environment(monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    with scripted_llm([valid()]) as server:
        url = server.base_url.replace("http://", "http://briefer:s3cret-pw@")
        code = main(["make", str(article_file(tmp_path)), "--base-url", url, "-v", "-f", "json"])
    out, err = capsys.readouterr()

    assert code == 0
    shown = server.base_url.replace("http://", "http://briefer:***@")
    assert Briefing.model_validate_json(out).meta.backend == f"openai-compatible server at {shown}"
    assert shown in err  # -v names the backend
    for text in (out, err):
        assert FAKE_KEY not in text
        assert "s3cret-pw" not in text


def test_cli_reports_a_failing_server_in_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch, capsys
):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    output = tmp_path / "briefing.md"
    output.write_text("an earlier briefing\n", encoding="utf-8")
    before = output.stat().st_mtime_ns

    persistent_500 = [http_error(500, headers=FAST_RETRY)] * (HTTP_RETRIES + 1)
    with scripted_llm(persistent_500) as server:
        code_stdout = main(["make", str(article), "--base-url", server.base_url, *NO_REASKS])
        out_stdout, err_stdout = capsys.readouterr()
    with scripted_llm(persistent_500) as server:
        argv = ["make", str(article), "--base-url", server.base_url, *NO_REASKS, "-o", str(output)]
        code_file = main(argv)
        out_file, err_file = capsys.readouterr()

    assert code_stdout == code_file == 4
    assert out_stdout == out_file == ""
    for err in (err_stdout, err_file):
        assert err.count("\n") == 1 and err.endswith("\n")
        assert err.startswith("briefer: error: ")
        assert "HTTP 500" in err
    assert server.base_url in err_file
    assert output.read_text(encoding="utf-8") == "an earlier briefing\n"
    assert output.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "briefing.md"]


def test_cli_writes_the_briefing_from_stdin_to_an_output_file_atomically(
    tmp_path: Path, monkeypatch, capsys
):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": io.BytesIO(ARTICLE.encode())}))
    output = tmp_path / "briefing.json"
    output.write_text("an earlier briefing\n", encoding="utf-8")

    with scripted_llm([valid()]) as server:
        code = main(["make", "-", "--base-url", server.base_url, "-f", "json", "-o", str(output)])
    out, err = capsys.readouterr()

    assert (code, out, err) == (0, "", "")
    briefing = Briefing.model_validate_json(output.read_text(encoding="utf-8"))
    assert briefing.headline == ANSWER["headline"]
    assert briefing.source.name == "<stdin>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.json"]


def test_cli_verbose_names_the_backend_and_reports_calls_and_tokens(
    tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    with scripted_llm([valid(prompt_tokens=900, completion_tokens=300)]) as server:
        code = main(["make", str(article), "--base-url", server.base_url, "-v"])
    out, err = capsys.readouterr()

    assert code == 0
    assert out.startswith("# ") and "## Permissions and prohibitions" in out
    assert server.base_url in err
    assert "1 LLM call(s), 0 re-ask(s), 900 prompt + 300 completion tokens" in err


def test_cli_briefs_a_windows_1252_article_once_its_encoding_is_named(
    tmp_path: Path, monkeypatch, capsys
):
    clear_backend_environment(monkeypatch)
    text = ARTICLE.replace('"Our', "\u201cOur").replace('crowds,"', "crowds,\u201d")
    text += "Caf\u00e9 owners were not asked.\n"
    article = tmp_path / "article.txt"
    article.write_bytes(text.encode("cp1252"))
    with scripted_llm([valid()]) as server:
        argv = ["make", str(article), "--base-url", server.base_url, "-f", "json"]
        refused = main(argv)
        refused_err = capsys.readouterr().err
        code = main([*argv, "--encoding", "cp1252"])
    out, _ = capsys.readouterr()

    assert refused == 3
    assert "not UTF-8" in refused_err and "--encoding" in refused_err
    assert code == 0
    assert len(server.requests) == 1  # the refused run never reached the server
    [system] = [m for m in messages(server, 0) if m["role"] == "system"]
    assert "[6] Caf\u00e9 owners were not asked." in system["content"]
    briefing = Briefing.model_validate_json(out)
    assert briefing.source.text == text
    [dahl] = next(p for p in briefing.positions if p.actor == "ines-dahl").evidence
    assert dahl.match == "exact"
    assert (
        text[dahl.start : dahl.end]
        == dahl.quote
        == "\u201cOur streets cannot take another summer of crowds,\u201d"
    )


def test_template_syntax_in_the_article_reaches_the_llm_verbatim():
    sign = "A protester's sign read {{ 7*7 }} and {% for x in y %} in chalk."
    article = ARTICLE + sign + "\n"
    steps = [tool_call(json.dumps(copying_the_instructions())), valid()]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=1, article=article)

    for number in range(2):
        [system] = [m for m in messages(server, number) if m["role"] == "system"]
        assert f"[6] {sign}" in system["content"]
        assert "49" not in system["content"]
    assert briefing.source.text == article


def test_a_briefing_that_does_not_validate_is_one_error_line_not_a_traceback(
    monkeypatch, capsys, tmp_path
):
    """Whatever goes wrong while the briefing is put together ends as one line, exit 5."""
    from briefer import api
    from briefer.schema import BriefingContent, Evidence, Position, Usage

    wrong = Evidence(quote="words the article does not have", start=0, end=5, match="exact")
    content = BriefingContent(
        headline="h", summary="s", positions=[Position(actor="x", stance="s", evidence=[wrong])]
    )
    monkeypatch.setattr(api, "_content", lambda *args: (content, Usage()))
    clear_backend_environment(monkeypatch)
    code = main(["make", str(article_file(tmp_path)), "--base-url", "http://127.0.0.1:9/v1"])
    out, err = capsys.readouterr()

    assert code == 5 and out == ""
    assert err.startswith("briefer: error: the briefing did not validate") and err.count("\n") == 1


def test_a_missing_model_file_is_the_same_error_and_exit_code_everywhere(
    monkeypatch, capsys, tmp_path
):
    clear_backend_environment(monkeypatch)
    missing = str(tmp_path / "absent.gguf")
    codes = [
        main(["model", "--model-path", missing]),
        main(["make", str(article_file(tmp_path)), "--model-path", missing]),
    ]
    lines = capsys.readouterr().err.splitlines()

    assert codes == [4, 4]
    assert all(line == f"briefer: error: model file not found: {missing}" for line in lines)
