"""Specification of the progress bar: drawn on stderr when enabled, silent otherwise."""

from __future__ import annotations

from briefer.progress import progress_bar


def test_an_enabled_bar_shows_its_label_and_count(capsys):
    with progress_bar("briefing", 3, True, count=True) as advance:
        advance(1)
        advance(2)

    out, err = capsys.readouterr()
    assert out == ""
    assert "briefing" in err and "3/3" in err


def test_a_disabled_bar_draws_nothing(capsys):
    with progress_bar("briefing", 3, False, count=True) as advance:
        advance(3)

    assert capsys.readouterr() == ("", "")
