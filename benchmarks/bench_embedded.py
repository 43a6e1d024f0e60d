"""Benchmark: `briefer make` on the embedded model, as a user runs it: a new process, cold.

    python benchmarks/bench_embedded.py [ARTICLE ...] [--runs N]

For each article (default: the example article), runs `briefer make ARTICLE --no-cache
--format json` N times (default 1) in a fresh process, with briefer's defaults, and prints
per run: wall seconds (start-up, parsing, model load and the LLM included), LLM calls,
prompt and answer tokens, windows (a long article's), the LLM's seconds, answer tokens per
second, and the process's peak RSS. The model file must already be joined (`briefer model`
does it). Timings on a shared machine are noisy: compare runs made back to back.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, rusage = os.wait4(child.pid, 0)  # this child's own peak memory
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{article.name}: {err.read().strip()}")
        usage = json.loads(out.read())["meta"]["usage"]
    return {
        "article": article.name,
        "wall_s": round(wall, 1),
        "windows": len(usage["windows"]),
        "calls": usage["calls"],
        "prompt_tokens": usage["prompt_tokens"],
        "answer_tokens": usage["completion_tokens"],
        "llm_s": usage["seconds"],
        "answer_tok_per_s": round(usage["completion_tokens"] / max(usage["seconds"], 1e-9), 1),
        "peak_rss_gb": round(rusage.ru_maxrss / 1024 / 1024, 2),  # Linux: KiB
        "usage": usage,  # the briefing's whole `meta.usage`, not a column
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path, default=[DEFAULT_ARTICLE])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    rows = [run_once(article) for article in args.articles for _ in range(args.runs)]
    columns = [column for column in rows[0] if column != "usage"]
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[column]) for column in columns), flush=True)


if __name__ == "__main__":
    main()
