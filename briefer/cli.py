"""The `briefer` command: argument parsing and printing only, over the Python API.

Heavy libraries (pydantic, openai, instructor, llama_cpp, diskcache...) are imported inside
the commands, so `briefer --help` starts fast (tests/test_startup.py). Errors become one line
on stderr and the exit code of their `BrieferError` class; nothing reaches stdout or an output
file unless the whole briefing validated and rendered.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import briefer
from briefer.article import DEFAULT_MAX_BYTES
from briefer.errors import BackendError, BrieferError, UsageError
from briefer.settings import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_TOKENS,
    DEFAULT_TIMEOUT,
    ExtractionSettings,
)

if TYPE_CHECKING:
    from briefer.article import Article
    from briefer.backends import Backend
    from briefer.cache import BriefingCache
    from briefer.eval.score import ArticleScore, MergeScore
    from briefer.schema import Briefing

EXIT_CODES_HELP = """exit codes:
  0  the briefing was written
  2  bad command-line usage
  3  bad input: missing, empty, binary, undecodable or too large article; a URL that
     cannot be fetched or a page with no article text; a broken --template; a saved
     briefing (briefer render) that is not valid JSON or not a briefing
  4  the LLM backend could not be reached or kept failing
  5  the LLM answered, but no valid briefing could be built
  with several inputs (make A B ... -o DIR): 0 if every briefing was written, else the
  code of the first input, in the order given, that failed (1 for an unexpected error);
  with --merge, the code of the first input that failed, and nothing is written
"""


#: render.FORMATS, spelled out here so that `--help` needs no Jinja or pydantic.
_FORMATS = ("md", "json", "html")
_TEMPLATE_HELP = (
    "render with your own Jinja template file instead (sandboxed; names ending .html/.htm, "
    "optionally + .j2, are HTML-escaped, others Markdown-escaped; README: templates)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrieferError as error:
        print(f"briefer: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("briefer: interrupted", file=sys.stderr)
        return 130


def _make(args: argparse.Namespace) -> int:
    """Brief one input to stdout or -o FILE; several into the directory -o names (_make_batch).

    The three steps of one article (read, brief, render) are defined once, for both forms.
    """
    from briefer.api import make_briefing
    from briefer.article import read_article
    from briefer.cache import BriefingCache
    from briefer.render import load_template, render

    if args.merge and len(args.input) < 2:
        raise UsageError("--merge needs two or more inputs")
    if args.merge and args.template:
        raise UsageError("--template does not apply to --merge, which has its own templates")
    if len(args.input) > 1 and not args.merge and args.output in (None, "-"):
        raise UsageError("several inputs need -o DIRECTORY for their briefings")
    if args.template:
        load_template(args.template)  # a broken template fails now, before any LLM work
    settings = ExtractionSettings(
        max_retries=args.max_retries,
        max_tokens=args.max_tokens,
        total_timeout=args.timeout,
        token_budget=args.token_budget,
        use_model=not args.no_llm,
    )
    cache = None if args.no_cache else BriefingCache()

    def read(source: str) -> Article:
        return read_article(source, encoding=args.encoding, max_bytes=args.max_bytes)

    def brief(article: Article, backend: Backend) -> Briefing:
        chosen = _fit_timeout(settings, backend, args.timeout)
        return make_briefing(article, backend=backend, settings=chosen, cache=cache)

    def to_text(briefing: Briefing) -> str:
        return render(briefing, args.format, template=args.template)

    if args.merge:
        return _make_merged(args, [read(source) for source in args.input], settings, cache)
    if len(args.input) > 1:
        return _make_batch(args, read, brief, to_text)
    article = read(args.input[0])  # bad input fails before a backend is chosen
    backend = _backend(args)
    verbose = args.verbose or sys.stderr.isatty()
    if verbose:
        _note(f"briefing {article.source_name} with {backend.model} via {backend.description}")
    with _spinner(f"briefing with {backend.model}") as windows_read:
        settings = dataclasses.replace(settings, progress=windows_read)
        briefing = brief(article, backend)
    text = to_text(briefing)
    if verbose or args.stats:
        _note_stats(briefing, backend, quotes=verbose)
    _emit(text, args.output)
    return 0


def _make_batch(
    args: argparse.Namespace,
    read: Callable[[str], Article],
    brief: Callable[[Article, Backend], Briefing],
    to_text: Callable[[Briefing], str],
) -> int:
    """Brief every input into the -o directory; report failures as they come, then a summary."""
    from briefer.batch import brief_files, jobs_for

    backend = _backend(args)
    jobs = jobs_for(backend, args.jobs)
    if args.verbose:
        _note(
            f"briefing {len(args.input)} articles with {backend.model} via "
            f"{backend.description}, {jobs} at a time"
        )
    report = brief_files(
        args.input,
        args.output,
        format=args.format,
        jobs=jobs,
        read=read,
        brief=lambda article: brief(article, backend),
        render=to_text,
        on_failure=lambda failed: print(f"briefer: error: {failed.message}", file=sys.stderr),
        progress=sys.stderr.isatty(),
    )
    _note(report.summary())
    return report.exit_code


def _make_merged(
    args: argparse.Namespace,
    articles: list[Article],
    settings: ExtractionSettings,
    cache: BriefingCache | None,
) -> int:
    """Brief each input in turn (bad input has failed before this), merge, write one output."""
    from briefer.api import make_briefing
    from briefer.render import render
    from briefer.stats import usage_line

    backend = _backend(args)
    verbose = args.verbose or sys.stderr.isatty()
    if verbose:
        _note(f"briefing {len(articles)} articles with {backend.model} via {backend.description}")
    settings = _fit_timeout(settings, backend, args.timeout)
    with _spinner(f"briefing {len(articles)} articles with {backend.model}"):
        merged = make_briefing(articles, backend=backend, settings=settings, cache=cache)
    text = render(merged, args.format)
    if verbose or args.stats:
        for source in merged.sources:
            _note(f"{source.id} ({source.source.name}): {usage_line(source, backend)}")
    _emit(text, args.output)
    return 0


def _backend(args: argparse.Namespace) -> Backend:
    from briefer.backends import resolve_backend

    return resolve_backend(
        model=args.model,
        base_url=args.base_url,
        model_path=args.model_path,
        timeout=args.timeout or DEFAULT_TIMEOUT,
    )


def _fit_timeout(
    settings: ExtractionSettings, backend: Backend, timeout: float | None
) -> ExtractionSettings:
    """The total time an article may take: --timeout if given; else none for the in-process
    model, whose answer cannot be cut short anyway (a long article in windows takes minutes,
    and a briefing cut short is not cached), and DEFAULT_TIMEOUT for a server."""
    if timeout is None and backend.interruptible:
        timeout = DEFAULT_TIMEOUT
    return dataclasses.replace(settings, total_timeout=timeout)


def _note_stats(briefing: Briefing, backend: Backend, *, quotes: bool) -> None:
    """The --stats line (calls, tokens, time, cost, cache), then a line per window of a long
    article; -v adds the quote counts."""
    from briefer.stats import usage_line, window_lines

    line = usage_line(briefing, backend)
    if quotes:
        g = briefing.meta.grounding
        line += f"; quotes: {g.exact} exact, {g.fuzzy} fuzzy, {g.unverified} unverified"
    _note(line)
    for window in window_lines(briefing.meta.usage):
        _note(window)


def _cache_info(args: argparse.Namespace) -> int:
    from briefer.cache import BriefingCache

    with BriefingCache() as cache:
        info = cache.info()
    print(f"location: {info.directory}")
    print(f"entries:  {info.entries}")
    print(f"size:     {info.size_bytes:,} bytes on disk")
    return 0


def _cache_clear(args: argparse.Namespace) -> int:
    from briefer.cache import BriefingCache

    with BriefingCache() as cache:
        removed = cache.clear()
    print(f"removed {removed} cached briefing(s) from {cache.directory}")
    return 0


def _render(args: argparse.Namespace) -> int:
    """Re-render a briefing saved with --format json: no backend, no LLM call."""
    from briefer.render import load_template, read_briefing, render

    if args.template:
        load_template(args.template)
    briefing = read_briefing(args.input)
    _emit(render(briefing, args.format, template=args.template), args.output)
    return 0


def _eval(args: argparse.Namespace) -> int:
    """Brief every article of a gold directory; print its scores (README: briefer eval)."""
    from briefer.eval import evaluate_dir, report_table

    backend = _backend(args)
    report = evaluate_dir(
        args.article_dir,
        backend=backend,
        settings=_fit_timeout(ExtractionSettings(use_model=not args.no_llm), backend, args.timeout),
        gold_dir=args.gold,
        names=args.article or None,
        progress=_note if sys.stderr.isatty() else None,
    )
    scores: list[ArticleScore | MergeScore] = [*report.articles, *report.merges]
    for score in scores:
        if score.error is not None:
            _note(f"{score.name}: failed: {score.error}")
    _emit(report.model_dump_json(indent=2) + "\n" if args.json else report_table(report), None)
    return report.exit_code


def _schema(args: argparse.Namespace) -> int:
    import json

    from briefer.schema import Briefing

    schema = Briefing.model_json_schema(mode="serialization")
    _emit(json.dumps(schema, indent=2) + "\n", args.output)
    return 0


def _model(args: argparse.Namespace) -> int:
    """Show which model file the local backend uses; with --verify, re-hash it."""
    from pathlib import Path

    from briefer.backends import embedded

    explicit = args.model_path or os.environ.get("BRIEFER_MODEL_PATH")
    path = Path(explicit) if explicit else embedded.embedded_model_path()
    if not path.is_file():  # the same error, and exit code, as `make` gives
        raise BackendError(f"model file not found: {path}")
    print(f"model: {path}")
    print(f"size:  {path.stat().st_size:,} bytes")
    if args.verify:
        digest = embedded.file_sha256(path)
        print(f"sha256: {digest}")
        if not explicit and digest != embedded.EMBEDDED_MODEL_SHA256:
            raise BackendError(
                f"{path}: sha256 differs from the published one; delete it to rejoin"
            )
        print("verified" if not explicit else "hashed (no published hash for a custom file)")
    return 0


def _emit(text: str, output: str | None) -> None:
    """Write the finished text to the output file (atomically) or to stdout."""
    if output and output != "-":
        from briefer.output import write_atomic

        try:
            write_atomic(output, text)
        except OSError as error:
            raise BrieferError(f"{output}: cannot write ({error.strerror})") from None
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a trace


@contextmanager
def _spinner(label: str) -> Iterator[Callable[[int, int], None]]:
    """A live status line on stderr while the LLM works, if it is a terminal; it yields what
    shows a long article's windows read and left on it (`ExtractionSettings.progress`)."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console

    with Console(stderr=True).status(label) as status:

        def windows_read(done: int, total: int) -> None:
            bar = "\u2501" * done + "\u2500" * (total - done)
            status.update(f"{label}: {bar} {done} of {total} windows read")

        yield windows_read


def _note(message: str) -> None:
    print(f"briefer: {message}", file=sys.stderr)


def _positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefer",
        description="Turn a news article into a neutral, multi-perspective briefing.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefer {briefer.__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    make = commands.add_parser(
        "make",
        help="brief articles: text, Markdown or HTML files, or web pages by URL",
        description="Brief one article, or several into a directory. Backend: --model/"
        "--base-url, else BRIEFER_MODEL/OPENAI_BASE_URL, else OpenAI if OPENAI_API_KEY is set, "
        "else the embedded local model.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    make.add_argument(
        "input",
        nargs="+",
        help="article file (text, Markdown or HTML: a saved web page), an http(s) URL to "
        "fetch, or - for stdin",
    )
    make.add_argument(
        "--merge",
        action="store_true",
        help="one briefing across two or more articles on one story (README: several "
        "sources): each is briefed on its own, one after another, then merged by fixed rules",
    )
    make.add_argument(
        "-o",
        "--output",
        help="write here (atomically) instead of stdout; with several inputs, the directory "
        "(created if missing) for their briefings, each named after its input: a.html -> a.md "
        "(with --merge, the one file)",
    )
    make.add_argument("-f", "--format", choices=_FORMATS, default="md")
    make.add_argument("--template", metavar="FILE", help=_TEMPLATE_HELP)
    make.add_argument("--model", help="model name (OpenAI or the server's)")
    make.add_argument(
        "--base-url", help="any OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1"
    )
    make.add_argument(
        "--model-path", help="a GGUF file to run in-process instead of the embedded model"
    )
    make.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per request and in total (default: 300 for a server; for the in-process "
        "model, no limit in total)",
    )
    make.add_argument(
        "--max-retries",
        type=int,
        default=DEFAULT_MAX_RETRIES,
        help=f"re-asks after an invalid answer (default {DEFAULT_MAX_RETRIES})",
    )
    make.add_argument(
        "--max-tokens",
        type=int,
        default=DEFAULT_MAX_TOKENS,
        help=f"cap on each answer's length (default {DEFAULT_MAX_TOKENS})",
    )
    make.add_argument(
        "--token-budget", type=int, help="stop re-asking once this many tokens are spent"
    )
    make.add_argument("--encoding", help="the article's text encoding, if not UTF-8")
    make.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse larger articles and pages (default {DEFAULT_MAX_BYTES})",
    )
    make.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        help="with several inputs, briefings at a time against an API (default 4); the "
        "embedded model always does one at a time",
    )
    make.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="name the backend; report calls, tokens, time, cost and quote matches",
    )
    make.add_argument(
        "--stats",
        action="store_true",
        help="report calls, re-asks, tokens, time, cost (BRIEFER_PRICES adds prices) and "
        "whether the briefing came from the cache, on stderr",
    )
    make.add_argument(
        "--no-cache",
        action="store_true",
        help="always ask the LLM, and do not store the result (see `briefer cache`)",
    )
    make.add_argument(
        "--no-llm",
        action="store_true",
        help="brief by the parser's rules alone, in a second or two, without a model: voices, "
        "permissions and open questions in the article's own words, no headline or summary",
    )
    make.set_defaults(run=_make)

    model = commands.add_parser(
        "model", help="show the local model file in use (joins the embedded one if needed)"
    )
    model.add_argument("--model-path", help="a GGUF file instead of the embedded model")
    model.add_argument("--verify", action="store_true", help="re-hash the file and check it")
    model.set_defaults(run=_model)

    cache = commands.add_parser(
        "cache",
        help="show or empty the cache of finished briefings",
        description="Finished briefings are kept in the user cache directory (BRIEFER_CACHE_DIR "
        "overrides it), keyed by the article text, backend, model, prompts and settings, so "
        "`make` of an unchanged article returns at once.",
    )
    actions = cache.add_subparsers(title="actions", required=True, metavar="ACTION")
    actions.add_parser("info", help="where the cache is, its entries and size").set_defaults(
        run=_cache_info
    )
    actions.add_parser("clear", help="delete every cached briefing").set_defaults(run=_cache_clear)

    rerender = commands.add_parser(
        "render",
        help="re-render a briefing saved with --format json (no LLM call)",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rerender.add_argument("input", help="a briefing saved with --format json, or - for stdin")
    rerender.add_argument("-o", "--output", help="write here (atomically) instead of stdout")
    rerender.add_argument("-f", "--format", choices=_FORMATS, default="md")
    rerender.add_argument("--template", metavar="FILE", help=_TEMPLATE_HELP)
    rerender.set_defaults(run=_render)

    evaluate = commands.add_parser(
        "eval",
        help="brief a directory of articles with gold annotations and score the briefings",
        description="Brief each NAME.txt in DIR (or DIR/text) that has gold, and score the "
        "briefing: NAME.gold.json (beside it, or in --gold) gives actors, permissions, "
        "warnings, positions, disputed claims and open questions; attribution annotations "
        "(NAME.ann beside it, or PolNeAR's attributions/NAME_*.ann) give the voices. Prints "
        "recall and precision, quote grounding, calls, tokens and seconds (docs/evaluation.md). "
        "Each NAME.merge.json names articles to merge and scores how their actors were matched "
        "across them. Exit code 0 if every article was briefed, else that of the first failure.",
    )
    evaluate.add_argument("article_dir", metavar="DIR", help="articles, with or without gold")
    evaluate.add_argument("--gold", metavar="GOLD_DIR", help="where the NAME.gold.json files are")
    evaluate.add_argument(
        "--article",
        action="append",
        metavar="NAME",
        help="score only this article (its file name without .txt); repeatable",
    )
    evaluate.add_argument(
        "--no-llm", action="store_true", help="brief by the parser's rules alone, without a model"
    )
    evaluate.add_argument("--model", help="model name (OpenAI or the server's)")
    evaluate.add_argument("--base-url", help="any OpenAI-compatible server")
    evaluate.add_argument("--model-path", help="a GGUF file to run in-process")
    evaluate.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per request and per article (default: 300 for a server; for the "
        "in-process model, no limit per article)",
    )
    evaluate.add_argument(
        "--json", action="store_true", help="print the figures as JSON instead of a table"
    )
    evaluate.set_defaults(run=_eval)

    schema = commands.add_parser(
        "schema", help="print the briefing's JSON Schema (the --format json contract)"
    )
    schema.add_argument("-o", "--output", help="write here instead of stdout")
    schema.set_defaults(run=_schema)
    return parser


if __name__ == "__main__":
    sys.exit(main())
