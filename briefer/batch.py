"""Briefing many articles in one run, each into its own file in one directory.

Against an API the articles are briefed a few at a time, in threads: the work is waiting on
the server. The embedded model briefs one at a time, since one briefing already uses every
core. One article's failure is reported and the others go on; each output file is written,
atomically, only once its briefing is complete, so a failed article leaves no file behind.
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefer.api import make_briefing
from briefer.article import Article, is_url, read_article
from briefer.backends import Backend
from briefer.errors import BrieferError, UsageError
from briefer.output import write_atomic
from briefer.progress import progress_bar
from briefer.render import render as render_briefing
from briefer.schema import Briefing, Usage

#: The file extension of each output format.
EXTENSIONS = {"md": ".md", "json": ".json", "html": ".html"}
#: Briefings at once against an API: enough to hide the latency, few enough for rate limits.
DEFAULT_JOBS = 4


@dataclass(frozen=True)
class Outcome:
    """What became of one input: its briefing's cost, or the error that stopped it."""

    source: str
    output: Path
    usage: Usage | None = None
    error: Exception | None = None

    @property
    def message(self) -> str:
        """`SOURCE: what went wrong`, naming the source once even where the error names it."""
        if not isinstance(self.error, BrieferError):
            detail = " ".join(str(self.error).split())  # one line, whatever the exception
            return f"{self.source}: unexpected {type(self.error).__name__}: {detail}"
        text = str(self.error)
        return text if text.startswith(f"{self.source}: ") else f"{self.source}: {text}"

    @property
    def exit_code(self) -> int:
        """0 when written, else the exit code of the error's class (1 for an unexpected one)."""
        if self.error is None:
            return 0
        return getattr(self.error, "exit_code", 1)


@dataclass(frozen=True)
class BatchReport:
    """Every input's outcome, in the order given, and the run's wall-clock seconds."""

    outcomes: list[Outcome]
    seconds: float

    @property
    def done(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error is None]

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error is not None]

    @property
    def exit_code(self) -> int:
        """0 if every briefing was written, else the first failed input's exit code."""
        return next((outcome.exit_code for outcome in self.failed), 0)

    def summary(self) -> str:
        """One line: done, failed, and what the LLM work of this run cost."""
        usages = [outcome.usage for outcome in self.done if outcome.usage is not None]
        calls = sum(usage.calls for usage in usages)
        prompt = sum(usage.prompt_tokens for usage in usages)
        completion = sum(usage.completion_tokens for usage in usages)
        return (
            f"done {len(self.done)}, failed {len(self.failed)}; {calls} LLM call(s), "
            f"{prompt} prompt + {completion} completion tokens, {self.seconds:.1f} s"
        )


def jobs_for(backend: Backend, requested: int | None = None) -> int:
    """How many articles to brief at once: always one on the embedded model, else 4 or asked."""
    if not backend.parallel:
        return 1
    return requested or DEFAULT_JOBS


def output_paths(
    inputs: Sequence[str], out_dir: str | os.PathLike[str], format: str = "md"
) -> dict[str, Path]:
    """Each input's output file: its stem plus the format's extension, in `out_dir`.

    Two inputs that would write the same file (`a/x.txt` and `b/x.html`) are refused up front
    rather than overwriting each other.
    """
    paths: dict[str, Path] = {}
    for source in inputs:
        if source == "-":
            raise UsageError("- (stdin) cannot be one of several inputs")
        path = Path(out_dir) / (_stem(source) + EXTENSIONS[format])
        clash = next((other for other, taken in paths.items() if taken == path), None)
        if clash is not None:
            raise UsageError(f"{clash} and {source} would both be written to {path}")
        paths[source] = path
    return paths


def brief_files(
    inputs: Sequence[str],
    out_dir: str | os.PathLike[str],
    *,
    format: str = "md",
    jobs: int = 1,
    read: Callable[[str], Article] = read_article,
    brief: Callable[[Article], Briefing] = make_briefing,
    render: Callable[[Briefing], str] | None = None,
    on_failure: Callable[[Outcome], None] | None = None,
    progress: bool = False,
) -> BatchReport:
    """Brief every input (file or URL) into `out_dir`, `jobs` at a time; never raise for one.

    `read`, `brief` and `render` are the three steps for one article (by default: read the
    file, brief it with the backend from the environment, render `format`); the CLI passes
    its own, with its options. `on_failure` hears of each failure as it happens.
    Raises `UsageError` before briefing anything if the outputs cannot all be written.
    """
    paths = output_paths(inputs, out_dir, format)
    _make_directory(Path(out_dir))
    to_text = render or (lambda briefing: render_briefing(briefing, format))

    def one(source: str) -> Outcome:
        try:
            briefing = brief(read(source))
            text = to_text(briefing)
            try:
                write_atomic(paths[source], text)
            except OSError as error:
                raise BrieferError(f"{paths[source]}: cannot write ({error.strerror})") from None
        except Exception as error:  # one article's failure must not stop the others
            return Outcome(source, paths[source], error=error)
        # A briefing from the cache cost this run nothing.
        usage = None if briefing.meta.cached else briefing.meta.usage
        return Outcome(source, paths[source], usage=usage)

    started = time.perf_counter()
    outcomes: dict[str, Outcome] = {}
    bar = progress_bar("briefing", len(paths), progress, count=True)
    with bar as advance, ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(one, source) for source in paths]
        try:
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.source] = outcome
                if outcome.error is not None and on_failure is not None:
                    on_failure(outcome)
                advance(1)
        except BaseException:  # Ctrl-C: start no further article
            pool.shutdown(cancel_futures=True)
            raise
    return BatchReport([outcomes[source] for source in paths], time.perf_counter() - started)


def _stem(source: str) -> str:
    """`dir/story.html` -> `story`; a URL is named after the last part of its path."""
    if is_url(source):
        parts = urllib.parse.urlsplit(source)
        stem = PurePosixPath(parts.path).stem or parts.hostname or ""
    else:
        stem = Path(source).stem
    return re.sub(r"[^\w.-]+", "-", stem).strip(".-") or "article"


def _make_directory(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"{folder}: not a directory; several briefings go into one") from None
    except OSError as error:
        raise BrieferError(f"{folder}: cannot create the directory ({error.strerror})") from None
