"""Specification of atomic writing: a failure never leaves a half-written or clobbered file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from briefer import output
from briefer.output import write_atomic

TEXT = "# Briefing\n\nCaf\u00e9 \u2014 \u201cquoted\u201d words.\n"


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_text_as_utf8(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_atomic(target, TEXT)
    assert target.read_bytes() == TEXT.encode("utf-8")
    assert names_in(tmp_path) == ["brief.md"]


def test_newlines_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_atomic(target, "a\nb\r\nc")
    assert target.read_bytes() == b"a\nb\r\nc"


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("an older, longer briefing\n" * 10, encoding="utf-8")
    write_atomic(target, TEXT)
    assert target.read_text(encoding="utf-8") == TEXT
    assert names_in(tmp_path) == ["brief.md"]


def test_new_file_is_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_atomic(target, TEXT)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_accepts_a_bare_file_name_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic("brief.md", TEXT)
    assert (tmp_path / "brief.md").read_text(encoding="utf-8") == TEXT
    assert names_in(tmp_path) == ["brief.md"]


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_failure_while_writing_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "brief.md"
    target.write_text("the old briefing\n", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, step, fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, TEXT)
    assert target.read_text(encoding="utf-8") == "the old briefing\n"
    assert names_in(tmp_path) == ["brief.md"]


def test_failure_with_no_earlier_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "brief.md", TEXT)
    assert names_in(tmp_path) == []


def test_interruption_while_writing_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.md"
    target.write_text("the old briefing\n", encoding="utf-8")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, TEXT)
    assert target.read_text(encoding="utf-8") == "the old briefing\n"
    assert names_in(tmp_path) == ["brief.md"]


def test_text_that_cannot_be_encoded_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("the old briefing\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "a lone surrogate: \ud800")
    assert target.read_text(encoding="utf-8") == "the old briefing\n"
    assert names_in(tmp_path) == ["brief.md"]


def test_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "brief.md", TEXT)
    assert names_in(tmp_path) == []


def test_temporary_file_is_created_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renaming is only atomic within one file system, so the temporary file sits beside it."""
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        seen.append((os.fspath(source), os.fspath(target)))
        real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", spy)
    write_atomic(tmp_path / "brief.md", TEXT)
    [(source, target)] = seen
    assert Path(source).parent == tmp_path
    assert Path(source).name.startswith(".brief.md.")
    assert Path(target) == tmp_path / "brief.md"
