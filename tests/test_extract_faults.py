"""Specification of extraction under faults: bad answers are re-asked, bad servers reported.

Every test talks real HTTP to a scripted OpenAI-compatible server (tests/scripted_server.py)
that plays canned answers: fabricated quotes, unknown actors, malformed JSON, HTTP errors,
stalls, cut-off answers. What must hold: invalid answers are re-asked with the validation
error, quotes that stay unfound are kept but marked unverified, every attempt's tokens are
counted, and transport faults end in one readable line, without the API key, with the right
exit code.
"""

from __future__ import annotations

import copy
import io
import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from scripted_server import (
    ScriptedServer,
    Step,
    disconnect,
    http_error,
    malformed,
    plain_text,
    scripted_llm,
    stall,
    tool_call,
    truncated,
)

from briefer.api import make_briefing
from briefer.backends import HTTP_RETRIES, Backend
from briefer.cli import main
from briefer.errors import BackendError, ExtractionError
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
FABRICATED = "The council promised to pay every shop owner in full"
FAKE_KEY = "sk-test-" + "Zq7Xw3Vb9Nm2Lk8Jh4Gf6Ds1Pa5Ou0Iy"
#: The openai client waits `retry-after-ms` when positive; `Retry-After: 0` is ignored (it then
#: backs off 0.5 s, 1 s). Tests that are not about the back-off use this to stay fast.
FAST_RETRY = {"retry-after-ms": "1"}
NO_REASKS = ["--max-retries", "0"]

#: What a well-behaved model answers for ARTICLE: every quote verbatim, every reference declared.
ANSWER: dict[str, Any] = {
    "headline": "Velstad council bans cruise ships from its harbour for the summer",
    "summary": (
        "Velstad's town council voted to ban cruise ships from June to August. The tourism "
        "association says the ban will cost shops money."
    ),
    "actors": [
        {"id": "velstad-council", "name": "Velstad town council", "kind": "government"},
        {"id": "ines-dahl", "name": "Ines Dahl", "kind": "person", "role": "Mayor"},
        {
            "id": "tourism-association",
            "name": "Velstad Tourism Association",
            "kind": "organisation",
        },
        {"id": "per-olsen", "name": "Per Olsen", "kind": "person", "role": "council member"},
    ],
    "positions": [
        {
            "evidence": ["Our streets cannot take another summer of crowds"],
            "actor": "ines-dahl",
            "stance": "Dahl says the town cannot take another summer of crowds.",
        },
        {
            "evidence": ["the ban would cost local shops about 3 million crowns"],
            "actor": "tourism-association",
            "stance": "The association says the ban will cost shops about 3 million crowns.",
        },
    ],
    "permissions": [],
    "warnings": [
        {
            "evidence": ["the decision could be challenged in court"],
            "issuer": "per-olsen",
            "addressee": None,
            "warning": "Olsen says the decision could be challenged in court.",
            "kind": "prediction",
            "conditional": None,
        }
    ],
    "disputed_claims": [],
    "open_questions": [],
    "source_notes": [],
}
KNOWN_IDS = "velstad-council, ines-dahl, tourism-association, per-olsen"


def answer(**changes: Any) -> dict[str, Any]:
    """A fresh copy of ANSWER with top-level fields replaced."""
    return {**copy.deepcopy(ANSWER), **changes}


def with_fabricated_quote() -> dict[str, Any]:
    data = answer()
    data["positions"][1]["evidence"] = [FABRICATED]
    return data


def with_unknown_actor() -> dict[str, Any]:
    data = answer()
    data["warnings"][0]["issuer"] = "harbour-master"
    return data


def valid(**tokens: int) -> Step:
    return tool_call(json.dumps(ANSWER), **tokens)


def backend_for(server: ScriptedServer | str, timeout: float = 5) -> Backend:
    url = server if isinstance(server, str) else server.base_url
    return Backend(kind="openai-compatible", model="scripted", base_url=url, timeout=timeout)


def brief(
    server: ScriptedServer | str, *, max_retries: int = 1, timeout: float = 5, article=ARTICLE
) -> Briefing:
    settings = ExtractionSettings(max_retries=max_retries)
    return make_briefing(article, backend=backend_for(server, timeout), settings=settings)


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


def test_a_fabricated_quote_is_caught_and_re_asked():
    with scripted_llm([tool_call(json.dumps(with_fabricated_quote())), valid()]) as server:
        briefing = brief(server, max_retries=2)

    assert briefing.meta.usage.calls == 2
    assert briefing.meta.usage.reasks == 1
    assert len(server.requests) == 2
    assert all(e.match in ("exact", "fuzzy") for e in briefing.evidence())
    assert briefing.meta.grounding.unverified == 0
    for evidence in briefing.evidence():
        assert ARTICLE[evidence.start : evidence.end] == evidence.quote

    first, second = messages(server, 0), messages(server, 1)
    assert not any(FABRICATED in text_of(m) for m in first)
    reask = [m for m in second[len(first) :] if FABRICATED in text_of(m)]
    assert reask, "the second request must carry the validation error back to the model"
    assert "quote not found in the article" in text_of(reask[-1])
    assert second[: len(first)] == first  # the conversation is extended, not rewritten


def test_a_quote_still_unfound_after_the_retries_is_kept_as_unverified():
    fabricated = json.dumps(with_fabricated_quote())
    with scripted_llm([tool_call(fabricated), tool_call(fabricated)]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    item = briefing.positions[1]
    [evidence] = item.evidence
    assert (evidence.quote, evidence.match) == (FABRICATED, "unverified")
    assert evidence.start is None and evidence.end is None
    assert item.grounded is False
    assert briefing.positions[0].grounded is True
    assert briefing.meta.grounding.unverified == 1
    assert briefing.meta.grounding.exact == 2

    markdown = render(briefing, "md")
    footnote = next(line for line in markdown.splitlines() if FABRICATED in line)
    assert "⚠" in footnote and "not found in the article" in footnote
    flagged = next(line for line in markdown.splitlines() if "3 million crowns" in line)
    assert flagged.startswith("- ⚠")


def test_malformed_json_arguments_are_re_asked():
    broken = json.dumps(ANSWER)[:-40]  # cut mid-way: not JSON any more
    with scripted_llm([tool_call(broken), valid()]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 2
    assert len(server.requests) == 2
    assert briefing.headline == ANSWER["headline"]


def test_an_undeclared_actor_reference_is_declared_without_a_re_ask():
    with scripted_llm([tool_call(json.dumps(with_unknown_actor())), valid()]) as server:
        briefing = brief(server, max_retries=1)

    assert briefing.meta.usage.calls == 1
    assert briefing.warnings[0].issuer == "harbour-master"
    assert ("harbour-master", "other") in [(a.id, a.kind) for a in briefing.actors]


def test_the_tokens_of_every_attempt_are_counted():
    steps = [
        tool_call(json.dumps(with_fabricated_quote()), prompt_tokens=1000, completion_tokens=200),
        tool_call(json.dumps(with_fabricated_quote()), prompt_tokens=1300, completion_tokens=210),
        valid(prompt_tokens=1600, completion_tokens=190),
    ]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=2)

    usage = briefing.meta.usage
    assert (usage.calls, usage.reasks) == (3, 2)
    assert usage.prompt_tokens == 1000 + 1300 + 1600
    assert usage.completion_tokens == 200 + 210 + 190
    assert usage.seconds >= 0


# --- transport faults: retried by the openai client, or reported in one line ---------------


@pytest.mark.parametrize(
    "fault",
    [http_error(429, headers={"Retry-After": "0"}), http_error(500), http_error(503)],
    ids=["429-retry-after-0", "500", "503"],
)
def test_a_transient_http_error_is_retried_by_the_client(fault):
    with scripted_llm([fault, valid()]) as server:
        briefing = brief(server, max_retries=0)

    assert len(server.requests) == 2
    assert briefing.meta.usage.calls == 1  # only answered calls count
    assert briefing.meta.grounding.unverified == 0


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


def test_a_malformed_response_body_is_a_backend_error():
    with scripted_llm([malformed()] * 3) as server, pytest.raises(BackendError) as caught:
        brief(server, max_retries=1)

    assert server.base_url in str(caught.value)


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
    steps = [tool_call(json.dumps(with_fabricated_quote())), valid(), *[echo] * 3]
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


def test_template_syntax_in_the_article_reaches_the_llm_verbatim():
    sign = "A protester's sign read {{ 7*7 }} and {% for x in y %} in chalk."
    article = ARTICLE + sign + "\n"
    data = answer(
        source_notes=[
            {
                "evidence": ["A protester's sign read {{ 7*7 }} and {% for x in y %}"],
                "note": "The article quotes a protest sign without saying who wrote it.",
                "kind": "unattributed_claim",
            }
        ]
    )
    steps = [tool_call(json.dumps(with_fabricated_quote())), tool_call(json.dumps(data))]
    with scripted_llm(steps) as server:
        briefing = brief(server, max_retries=1, article=article)

    for number in range(2):
        [user] = [m for m in messages(server, number) if m["role"] == "user"][:1]
        assert article in user["content"]
        assert "{{ 7*7 }}" in user["content"] and "{% for x in y %}" in user["content"]
        assert "49" not in user["content"]
    [evidence] = briefing.source_notes[0].evidence
    assert evidence.match == "exact"
    assert article[evidence.start : evidence.end] == evidence.quote
