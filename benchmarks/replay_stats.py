"""Figures over the recorded articles, offline: calls, tokens and quote grounding per article.

    python benchmarks/replay_stats.py

Replays each cassette in cassettes/replay/ through the real pipeline (no model needed) and
prints one row per article plus totals. Seconds are not in cassettes: time a recording run
(`make record`) or use benchmarks/bench_embedded.py for those.
"""

from __future__ import annotations

import sys
from pathlib import Path

import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_replay import ARTICLES, brief  # noqa: E402 - the tests define what was recorded


def main() -> None:
    cassettes = ROOT / "cassettes" / "replay"
    columns = ("article", "calls", "prompt", "completion", "exact", "fuzzy", "unverified")
    print("  ".join(f"{c:>12}" if i else f"{c:<34}" for i, c in enumerate(columns)))
    totals = [0] * 6
    for path in ARTICLES:
        cassette = cassettes / f"test_recorded_briefing_keeps_every_invariant[{path.stem}].yaml"
        if not cassette.exists():
            print(f"{path.stem:<34}  (no cassette)")
            continue
        with vcr.use_cassette(
            str(cassette), record_mode="none", match_on=["method", "path", "body"]
        ):
            _, briefing = brief(path)
        u, g = briefing.meta.usage, briefing.meta.grounding
        row = [u.calls, u.prompt_tokens, u.completion_tokens, g.exact, g.fuzzy, g.unverified]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(f"{path.stem:<34}  " + "  ".join(f"{v:>12}" for v in row))
    print(f"{'total':<34}  " + "  ".join(f"{v:>12}" for v in totals))
    quotes = sum(totals[3:])
    if quotes:
        print(
            f"quotes: {totals[3] / quotes:.0%} exact, {totals[4] / quotes:.0%} fuzzy, "
            f"{totals[5] / quotes:.0%} unverified; calls per article: "
            f"{totals[0] / len(ARTICLES):.2f}"
        )


if __name__ == "__main__":
    main()
