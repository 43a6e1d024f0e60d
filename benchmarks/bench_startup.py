"""How fast the CLI starts: median, min and max wall seconds of commands that reach no LLM.

    python benchmarks/bench_startup.py [RUNS]

Runs each command RUNS times (default 15) as a fresh process with this interpreter's
`briefer` console script (or `python -m briefer.cli` where there is none), with a throw-away
BRIEFER_CACHE_DIR holding an empty briefing cache, and prints one row per command. The target
is 0.3 s or less for each: these commands must not import the heavy libraries (the test
tests/test_startup.py checks that without timing anything).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = (["--help"], ["make", "--help"], ["cache", "info"])


def briefer_command() -> list[str]:
    """The console script beside the interpreter, as a user runs it; else the module."""
    script = Path(sys.executable).with_name("briefer")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefer.cli"]


def create_empty_cache() -> None:
    """An existing, empty store: `cache info` then opens it, as it does for a user."""
    import diskcache

    from briefer.cache import default_directory

    diskcache.Cache(str(default_directory())).close()


def time_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    base = briefer_command()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BRIEFER_CACHE_DIR"] = folder
        create_empty_cache()
        env = dict(os.environ)
        print(f"{'command':<24}{'median s':>10}{'min s':>10}{'max s':>10}   ({runs} runs each)")
        for args in COMMANDS:
            times = [time_once([*base, *args], env) for _ in range(runs)]
            print(
                f"{'briefer ' + ' '.join(args):<24}{statistics.median(times):>10.3f}"
                f"{min(times):>10.3f}{max(times):>10.3f}"
            )


if __name__ == "__main__":
    main()
