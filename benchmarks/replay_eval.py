"""`briefer eval` over the recorded articles, offline: the gold set scored on the cassettes.

    python benchmarks/replay_eval.py [--json]               # tests/articles
    python benchmarks/replay_eval.py tests/merge [--json]   # the merged gold of tests/merge

Each article of tests/articles/ is briefed by the real pipeline, its LLM exchange replayed from
its cassette in cassettes/replay/ (no model, no network), and scored against its gold file
(the merge of tests/merge/ replays the one cassette `make record-merge` writes):
recall and precision, quote grounding, calls and tokens. Run it after `make record` to put a
prompt or schema change's before/after figures in its commit message. These are invented
articles: for real news, and for the model and the parser on their own, see
benchmarks/real_eval.py. Seconds are replay time, not model time: time a recording run or use
benchmarks/bench_embedded.py for those.
"""

from __future__ import annotations

import sys
from pathlib import Path

import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CASSETTES, RECORDED_MODEL, RECORDING_URL  # noqa: E402 - the tests define these
from test_replay import recorded_cassette  # noqa: E402

from briefer.cli import main  # noqa: E402
from briefer.eval import run as evaluate  # noqa: E402

_make_briefing = evaluate.make_briefing
_replay = vcr.VCR(
    record_mode="none",
    match_on=["method", "scheme", "host", "port", "path", "body"],
    decode_compressed_response=True,
)


MERGE_CASSETTE = CASSETTES / "test_recorded_merge_keeps_every_invariant.yaml"


def _from_cassette(article, **kwargs):
    """make_briefing, its HTTP exchange served from the article's (or the merge's) cassette."""
    if isinstance(article, list):
        cassette = MERGE_CASSETTE
    else:
        cassette = recorded_cassette(Path(article.source_name))
    with _replay.use_cassette(str(cassette)):
        return _make_briefing(article, **kwargs)


if __name__ == "__main__":
    evaluate.make_briefing = _from_cassette
    options = [argument for argument in sys.argv[1:] if argument.startswith("-")]
    folders = [argument for argument in sys.argv[1:] if not argument.startswith("-")]
    arguments = ["eval", folders[0] if folders else str(ROOT / "tests" / "articles"), *options]
    sys.exit(main([*arguments, "--base-url", RECORDING_URL, "--model", RECORDED_MODEL]))
