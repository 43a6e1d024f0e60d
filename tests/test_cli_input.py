"""Specification of the command line on bad input: one clear error line, exit 3, no output.

Bad input is detected before any backend is chosen, so none of these tests can reach an LLM:
the environment names no backend, and resolving one is made to fail the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefer import backends
from briefer.cli import main

BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")
CP1252_TEXT = "Caf\u00e9 owners protest\nThe terrace rules take effect in May.\n"


@pytest.fixture(autouse=True)
def no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def refuse(**kwargs: object) -> None:
        raise AssertionError(f"a backend was resolved for bad input: {kwargs}")

    monkeypatch.setattr(backends, "resolve_backend", refuse)


def _missing(folder: Path) -> Path:
    return folder / "no-such-article.txt"


def _file(data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "article.txt"
        path.write_bytes(data)
        return path

    return make


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    # name: (make the input in a folder, extra arguments, what the message says)
    "missing": (_missing, [], "no such file"),
    "empty": (_file(b""), [], "the article is empty"),
    "whitespace-only": (_file(b"  \n\t\r\n  \n"), [], "the article is empty"),
    "binary": (_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), [], "binary file"),
    "not-utf8": (_file(CP1252_TEXT.encode("cp1252")), [], "--encoding"),
    "unknown-encoding": (_file(b"Title\nText"), ["--encoding", "klingon"], "unknown encoding"),
    "too-large": (_file(b"Title\n" + b"words " * 50), ["--max-bytes", "100"], "100-byte limit"),
}


@pytest.fixture(params=sorted(BAD_INPUTS))
def bad_input(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, list[str], str]:
    make, extra, message = BAD_INPUTS[request.param]
    folder = tmp_path / "in"
    folder.mkdir()
    return make(folder), extra, message


def test_bad_input_exits_3_with_one_error_line_and_no_output(
    bad_input: tuple[Path, list[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, extra, message = bad_input
    assert main(["make", str(path), *extra]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"briefer: error: {path}: ")
    assert message in lines[0]


def test_bad_input_leaves_an_existing_output_file_untouched(
    bad_input: tuple[Path, list[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, extra, _ = bad_input
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "briefing.md"
    output.write_text("an earlier briefing\n", encoding="utf-8")
    assert main(["make", str(path), "-o", str(output), *extra]) == 3
    assert output.read_text(encoding="utf-8") == "an earlier briefing\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["briefing.md"]  # no temporary file
    assert capsys.readouterr().out == ""


def test_bad_input_creates_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "briefing.md"
    assert main(["make", str(_missing(tmp_path)), "-o", str(output)]) == 3
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.startswith("briefer: error: ")


def test_empty_stdin_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n\n")))
    assert main(["make", "-"]) == 3
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "briefer: error: <stdin>: the article is empty\n")


def test_a_readable_article_gets_past_the_input_checks_to_the_backend(
    tmp_path: Path, dam_article: str
) -> None:
    """The guard above is real: only input that passes every check reaches a backend."""
    path = tmp_path / "article.txt"
    path.write_text(dam_article, encoding="utf-8")
    with pytest.raises(AssertionError, match="a backend was resolved"):
        main(["make", str(path)])


# --- as a real process ----------------------------------------------------------------------


def run_briefer(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "briefer.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_process_with_a_missing_file_exits_3(tmp_path: Path) -> None:
    path = _missing(tmp_path)
    result = run_briefer("make", str(path))
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr == f"briefer: error: {path}: no such file\n"


def test_process_with_a_binary_file_exits_3(tmp_path: Path) -> None:
    path = _file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")(tmp_path)
    result = run_briefer("make", str(path), "-o", str(tmp_path / "out.md"))
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"briefer: error: {path}: looks like a binary file, not article text\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]


def test_process_with_a_non_utf8_file_suggests_the_encoding_option(tmp_path: Path) -> None:
    path = _file(CP1252_TEXT.encode("cp1252"))(tmp_path)
    result = run_briefer("make", str(path))
    assert result.returncode == 3
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"briefer: error: {path}: not UTF-8 text (byte 0xe9 at offset 3)")
    assert "--encoding" in line


def test_process_without_a_command_is_a_usage_error() -> None:
    result = run_briefer()
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: briefer")


# --- other commands and usage ---------------------------------------------------------------


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    captured = capsys.readouterr()
    schema = json.loads(captured.out)
    assert schema["title"] == "Briefing"
    assert "meta" in schema["properties"]
    assert captured.err == ""


def test_schema_command_writes_the_same_schema_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    output = tmp_path / "schema.json"
    assert main(["schema", "-o", str(output)]) == 0
    assert capsys.readouterr().out == ""
    assert output.read_text(encoding="utf-8") == printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schema.json"]


def test_schema_command_reports_an_unwritable_output_as_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "no-such-folder" / "schema.json"
    assert main(["schema", "-o", str(output)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"briefer: error: {output}: cannot write")
    assert len(captured.err.splitlines()) == 1


@pytest.mark.parametrize("argv", [["--help"], ["make", "--help"], ["schema", "--help"]])
def test_help_exits_0_and_prints_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: briefer")


def test_main_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "3  bad input" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["make"],
        ["frobnicate"],
        ["make", "a.txt", "--format", "pdf"],
        ["make", "a.txt", "--max-bytes", "lots"],
    ],
    ids=["no-command", "no-input", "unknown-command", "unknown-format", "bad-number"],
)
def test_bad_usage_exits_2_with_nothing_on_stdout(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "usage: briefer" in captured.err
