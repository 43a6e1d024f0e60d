"""Specification of batch briefing: `briefer make a b c -o DIR/` briefs each input into DIR.

What must hold: every input gets its own output, named after it, written only when complete;
one input's failure is reported in one line and does not stop the others; the summary line
counts what was done, what failed and what the LLM work cost; the exit code is the first
failed input's; and no more briefings run at once than allowed (one on the embedded model).
The LLM is a scripted server that answers each request by the article in it, so concurrent
requests cannot take each other's answers, and that counts the requests in flight.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from conftest import answer_for
from scripted_server import (
    Recorded,
    ScriptedServer,
    Step,
    _Handler,
    http_error,
    serving,
    stall,
    tool_call,
)

from briefer.article import Article, read_article
from briefer.backends import HTTP_RETRIES, LocalBackend, ServerBackend
from briefer.batch import DEFAULT_JOBS, EXTENSIONS, brief_files, jobs_for, output_paths
from briefer.cli import main
from briefer.errors import InputError, UsageError
from briefer.schema import Briefing

BODY = (
    "The harbour board of Tessel voted on Monday to close the old pier to the public. "
    '"The pier is no longer safe," board chair Anna Voss said after the vote.\n'
)
#: The model's answer for each article of these tests (one story, its title numbered): the
#: guided schema asks for a headline, a summary and which statements are warnings.
ANSWER: dict[str, Any] = json.loads(
    answer_for(
        f"Pier story [a]\n{BODY}",
        headline="Tessel closes its old pier",
        summary="The harbour board closed the old pier, which its chair says is unsafe.",
    )
)
FAST_RETRY = {"retry-after-ms": "1"}
PERSISTENT_500 = [http_error(500, headers=FAST_RETRY)] * (HTTP_RETRIES + 1)
SUMMARY = re.compile(
    r"briefer: done (\d+), failed (\d+); (\d+) LLM call\(s\), (\d+) prompt \+ (\d+) completion "
    r"tokens, \d+\.\d s"
)
BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")


@pytest.fixture(autouse=True)
def no_backend_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def valid(**tokens: int) -> Step:
    return tool_call(json.dumps(ANSWER), **tokens)


def article(folder: Path, name: str) -> Path:
    """An article file whose headline, `Pier story [NAME]`, tells the server which it is."""
    path = folder / name
    path.write_text(f"Pier story [{name}]\n{BODY}", encoding="utf-8")
    return path


# --- an LLM server that answers by article and counts requests in flight --------------------


class RoutedServer(ScriptedServer):
    """Plays, for each request, the script of the first route whose key the request contains."""

    def __init__(self, routes: dict[str, list[Step]]) -> None:
        super().__init__([])
        self.RequestHandlerClass = _CountingHandler
        self.routes = {key: list(steps) for key, steps in routes.items()}
        self.in_flight = 0
        self.most_in_flight = 0
        self.count_lock = threading.Lock()

    def next_step(self, recorded: Recorded) -> Step | None:
        text = json.dumps(recorded.body)
        with self.count_lock:
            self.requests.append(recorded)
            for key, steps in self.routes.items():
                if key in text:
                    return steps.pop(0) if steps else None
        return None


class _CountingHandler(_Handler):
    server: RoutedServer

    def do_POST(self) -> None:
        server = self.server
        with server.count_lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        try:
            super().do_POST()
        finally:
            with server.count_lock:
                server.in_flight -= 1


def routed_llm(routes: dict[str, list[Step]]) -> AbstractContextManager[RoutedServer]:
    return serving(RoutedServer(routes))


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    code = main(["make", *argv])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


# --- the CLI --------------------------------------------------------------------------------


def test_a_batch_writes_the_good_briefing_and_reports_each_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = article(tmp_path, "good.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    failing = article(tmp_path, "failing.txt")
    out_dir = tmp_path / "briefings"

    routes = {"[good.txt]": [valid(prompt_tokens=700, completion_tokens=200)]}
    with routed_llm({**routes, "[failing.txt]": PERSISTENT_500}) as server:
        argv = [str(good), str(empty), str(failing), "-o", f"{out_dir}/"]
        code, out, err = run([*argv, "--base-url", server.base_url, "--max-retries", "0"], capsys)

    assert code == 3  # the first failed input, empty.txt, is an input error
    assert out == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.md"]  # no temporary file either
    assert (out_dir / "good.md").read_text(encoding="utf-8").startswith("# Tessel closes")
    assert len(err) == 3, err
    failures, summary = sorted(err[:2]), err[2]
    assert failures[0] == f"briefer: error: {empty}: the article is empty"
    assert failures[1].startswith(f"briefer: error: {failing}: ")
    assert "HTTP 500" in failures[1]
    assert summary_numbers(summary) == (1, 2, 1, 700, 200)
    assert len(server.requests) == 1 + HTTP_RETRIES + 1


def test_the_exit_code_is_the_first_failed_inputs_in_the_order_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = article(tmp_path, "failing.txt")
    missing = tmp_path / "missing.txt"
    with routed_llm({"[failing.txt]": PERSISTENT_500}) as server:
        argv = [str(failing), str(missing), "-o", str(tmp_path / "out")]
        code, _, err = run([*argv, "--base-url", server.base_url, "--max-retries", "0"], capsys)

    assert code == 4  # failing.txt's backend error, though missing.txt failed sooner
    assert f"briefer: error: {missing}: no such file" in err
    assert summary_numbers(err[-1])[:2] == (0, 2)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_successful_batch_writes_one_file_per_input_named_after_it_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    inputs = [article(tmp_path, "a.txt"), article(tmp_path / "in", "b.md"), article(tmp_path, "c")]
    out_dir = tmp_path / "new" / "dir"  # created, parents too
    with routed_llm({f"[{path.name}]": [valid()] for path in inputs}) as server:
        argv = [*map(str, inputs), "-o", str(out_dir), "-f", "json"]
        code, out, err = run([*argv, "--base-url", server.base_url], capsys)

    assert (code, out) == (0, "")
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.json", "b.json", "c.json"]
    for path in inputs:
        saved = (out_dir / f"{path.stem}.json").read_text(encoding="utf-8")
        briefing = Briefing.model_validate_json(saved)
        assert briefing.source.name == str(path)
        assert briefing.source.title == f"Pier story [{path.name}]"
    [summary] = err
    assert summary_numbers(summary) == (3, 0, 3, 300, 150)


def test_a_batch_from_the_cache_costs_no_llm_calls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = [str(article(tmp_path, "a.txt")), str(article(tmp_path, "b.txt"))]
    with routed_llm({"[a.txt]": [valid()], "[b.txt]": [valid()]}) as server:
        argv = [*inputs, "-o", str(tmp_path / "out"), "--base-url", server.base_url]
        first = run(argv, capsys)
        second = run(argv, capsys)

    assert summary_numbers(first[2][-1]) == (2, 0, 2, 200, 100)
    assert summary_numbers(second[2][-1]) == (2, 0, 0, 0, 0)
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "options, expected", [(["--jobs", "2"], 2), ([], DEFAULT_JOBS)], ids=["jobs-2", "default"]
)
def test_no_more_requests_are_in_flight_than_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], expected: int
) -> None:
    inputs = [article(tmp_path, f"story-{n}.txt") for n in range(expected + 2)]
    routes = {f"[{path.name}]": [stall(0.3, then=valid())] for path in inputs}
    with routed_llm(routes) as server:
        argv = [*map(str, inputs), "-o", str(tmp_path / "out"), *options]
        code, _, err = run([*argv, "--base-url", server.base_url], capsys)

    assert code == 0, err
    assert server.most_in_flight == expected
    assert len(list((tmp_path / "out").iterdir())) == len(inputs)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["a.txt", "b.txt"], "several inputs need -o DIRECTORY"),
        (["a.txt", "b.txt", "-o", "-"], "several inputs need -o DIRECTORY"),
        (["a.txt", "b.txt", "-o", "a.txt"], "a.txt: not a directory"),
        (["a.txt", "sub/a.html", "-o", "out"], "a.txt and sub/a.html would both be written"),
        (["a.txt", "-", "-o", "out"], "- (stdin) cannot be one of several inputs"),
    ],
    ids=["no-output", "stdout", "output-is-a-file", "same-name", "stdin"],
)
def test_a_batch_that_cannot_write_its_outputs_is_refused_before_any_work(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    article(tmp_path, "a.txt")
    article(tmp_path, "b.txt")
    with routed_llm({}) as server:
        code, out, err = run([*argv, "--base-url", server.base_url], capsys)

    assert (code, out) == (2, "")
    [line] = err
    assert line.startswith("briefer: error: ")
    assert message in line
    assert server.requests == []
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["make", "a.txt", "b.txt", "-o", "out", "--jobs", jobs])
    assert exited.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_a_single_input_still_goes_to_stdout_or_the_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = article(tmp_path, "one.txt")
    output = tmp_path / "one-briefing.md"
    with routed_llm({"[one.txt]": [valid(), valid()]}) as server:
        to_stdout = run([str(path), "--base-url", server.base_url, "--no-cache"], capsys)
        to_file = run([str(path), "--base-url", server.base_url, "-o", str(output)], capsys)

    assert to_stdout[0] == 0 and to_stdout[1].startswith("# Tessel closes its old pier")
    assert to_stdout[2] == []  # no summary line for one article
    assert to_file == (0, "", [])
    assert output.read_text(encoding="utf-8").startswith("# Tessel closes its old pier")


# --- the Python API -------------------------------------------------------------------------


def test_brief_files_never_runs_more_than_jobs_at_once_and_does_reach_it(
    tmp_path: Path, dam_briefing: Briefing
) -> None:
    jobs, active, most = 3, [0], [0]
    lock, together = threading.Lock(), threading.Barrier(3, timeout=5)

    def brief(article: Article) -> Briefing:
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        together.wait()  # fails unless `jobs` briefings really run at once
        with lock:
            active[0] -= 1
        return dam_briefing

    inputs = [str(article(tmp_path, f"s{n}.txt")) for n in range(3 * jobs)]
    report = brief_files(inputs, tmp_path / "out", jobs=jobs, brief=brief)

    assert most[0] == jobs
    assert (len(report.done), len(report.failed), report.exit_code) == (9, 0, 0)
    assert [outcome.source for outcome in report.outcomes] == inputs  # in the order given


def test_brief_files_reports_failures_in_input_order_and_goes_on(
    tmp_path: Path, dam_briefing: Briefing
) -> None:
    good = str(article(tmp_path, "good.txt"))
    heard: list[str] = []

    def brief(article: Article) -> Briefing:
        if "boom" in article.text:
            raise RuntimeError("the model exploded\ntraceback line")
        return dam_briefing

    (tmp_path / "boom.txt").write_text("Boom\nboom boom\n", encoding="utf-8")
    inputs = [str(tmp_path / "missing.txt"), str(tmp_path / "boom.txt"), good]
    report = brief_files(
        inputs,
        tmp_path / "out",
        jobs=2,
        read=read_article,
        brief=brief,
        render=lambda briefing: "rendered\n",
        on_failure=lambda outcome: heard.append(outcome.message),
    )

    assert [o.source for o in report.done] == [good]
    assert (tmp_path / "out" / "good.md").read_text(encoding="utf-8") == "rendered\n"
    assert isinstance(report.failed[0].error, InputError)
    assert report.exit_code == 3  # missing.txt, the first input
    assert sorted(heard) == sorted(
        [
            f"{inputs[0]}: no such file",
            f"{inputs[1]}: unexpected RuntimeError: the model exploded traceback line",
        ]
    )
    assert report.failed[1].exit_code == 1
    assert report.summary().startswith("done 1, failed 2; 0 LLM call(s), 0 prompt + 0 completion")


def test_the_embedded_model_briefs_one_article_at_a_time() -> None:
    local = LocalBackend(model="embedded.gguf")
    server = ServerBackend(model="m", base_url="http://127.0.0.1:1/v1")
    assert jobs_for(local) == jobs_for(local, 8) == 1
    assert jobs_for(server) == DEFAULT_JOBS
    assert jobs_for(server, 2) == 2


def test_outputs_are_named_after_inputs_and_urls(tmp_path: Path) -> None:
    inputs = [
        "notes/story.txt",
        "page.HTML",
        "https://news.example/2024/04/ferry-night-crossings?utm=x",
        "https://news.example/",
        "https://other.example/world/",
    ]
    names = [path.name for path in output_paths(inputs, tmp_path, "html").values()]
    assert names == [
        "story.html",
        "page.html",
        "ferry-night-crossings.html",
        "news.example.html",
        "world.html",
    ]
    assert set(EXTENSIONS) >= {"md", "json", "html"}


def test_clashing_output_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"a/x\.txt and b/x\.md would both be written to"):
        output_paths(["a/x.txt", "b/x.md"], tmp_path)


def summary_numbers(line: str) -> tuple[int, ...]:
    """done, failed, calls, prompt and completion tokens, from the summary line."""
    match = SUMMARY.fullmatch(line)
    assert match, line
    return tuple(int(group) for group in match.groups())
