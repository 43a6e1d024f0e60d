"""Benchmark: `briefer make` on the embedded model, as a user runs it: a new process, cold.

    python benchmarks/bench_embedded.py [ARTICLE ...] [--runs N]

For each article (default: the example article), runs `briefer make ARTICLE --no-cache
--format json` N times (default 1) in a fresh process, with briefer's defaults, and prints
per run: wall seconds (start-up, parsing, model load and the LLM included), LLM calls,
prompt and answer tokens, the LLM's seconds, answer tokens per second, and the process's peak
RSS. The model file must already be joined (`briefer model` does it). Timings on a shared
machine are noisy: compare runs made back to back.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT / "examples" / "us-permits-strikes-kharkov.txt"


def run_once(article: Path) -> dict[str, object]:
    """One cold `briefer make` of `article`: its figures."""
    command = [
        sys.executable,
        "-m",
        "briefer.cli",
        "make",
        str(article),
        "--no-cache",
        "-f",
        "json",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{article.name}: {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    usage = json.loads(done.stdout)["meta"]["usage"]
    return {
        "article": article.name,
        "wall_s": round(wall, 1),
        "calls": usage["calls"],
        "prompt_tokens": usage["prompt_tokens"],
        "answer_tokens": usage["completion_tokens"],
        "llm_s": usage["seconds"],
        "answer_tok_per_s": round(usage["completion_tokens"] / max(usage["seconds"], 1e-9), 1),
        # the largest child so far: runs are sequential, so a later smaller one is hidden
        "peak_rss_gb": round(max(peak, before) / 1024 / 1024, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path, default=[DEFAULT_ARTICLE])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    rows = [run_once(article) for article in args.articles for _ in range(args.runs)]
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[column]) for column in columns), flush=True)


if __name__ == "__main__":
    main()
