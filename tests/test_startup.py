"""The CLI starts fast: commands that need no LLM import none of the heavy libraries.

Timing is left to benchmarks/bench_startup.py (too noisy for a test); what is checked here is
the cause of a slow start: which modules a fresh interpreter has loaded after the command ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: Each costs tens to hundreds of milliseconds to import; a command that does not need one
#: must not pay for it.
HEAVY = (
    "openai",
    "instructor",
    "llama_cpp",
    "pydantic",
    "pydantic_core",
    "trafilatura",
    "diskcache",
    "rapidfuzz",
    "jinja2",
    "rich",
)

PROBE = """
import json, sys
from briefer.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_after(args: list[str], cache_dir: Path) -> set[str]:
    """Top-level modules a fresh interpreter holds after `briefer ARGS`."""
    env = {"BRIEFER_CACHE_DIR": str(cache_dir), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["make", "--help"], ["cache", "--help"], ["model", "--help"], ["--version"]],
    ids=" ".join,
)
def test_help_imports_no_heavy_library(args, private_cache_dir):
    assert loaded_after(args, private_cache_dir) & set(HEAVY) == set()


def test_cache_info_imports_only_the_cache_library(private_cache_dir):
    import diskcache

    diskcache.Cache(str(private_cache_dir / "briefings")).close()  # an existing cache is opened

    assert loaded_after(["cache", "info"], private_cache_dir) & set(HEAVY) == {"diskcache"}
