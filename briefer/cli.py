"""The `briefer` command: argument parsing and printing only, over the Python API.

Heavy libraries (pydantic, openai, instructor, llama_cpp) are imported inside the commands,
so `briefer --help` starts fast. Errors become one line on stderr and the exit code of their
`BrieferError` class; nothing reaches stdout or an output file unless the whole briefing
validated and rendered.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

import briefer
from briefer.article import DEFAULT_MAX_BYTES
from briefer.errors import BrieferError
from briefer.settings import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_TOKENS,
    DEFAULT_TIMEOUT,
    ExtractionSettings,
)

EXIT_CODES_HELP = """exit codes:
  0  the briefing was written
  2  bad command-line usage
  3  bad input: missing, empty, binary, undecodable or too large article
  4  the LLM backend could not be reached or kept failing
  5  the LLM answered, but no valid briefing could be built
"""


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
    from briefer.api import make_briefing
    from briefer.article import read_article
    from briefer.backends import resolve_backend
    from briefer.render import render

    article = read_article(args.input, encoding=args.encoding, max_bytes=args.max_bytes)
    backend = resolve_backend(
        model=args.model,
        base_url=args.base_url,
        model_path=args.model_path,
        timeout=args.timeout,
    )
    verbose = args.verbose or sys.stderr.isatty()
    if verbose:
        _note(f"briefing {article.source_name} with {backend.model} via {backend.description}")
    settings = ExtractionSettings(
        max_retries=args.max_retries,
        max_tokens=args.max_tokens,
        total_timeout=args.timeout,
        token_budget=args.token_budget,
    )
    with _spinner(f"briefing with {backend.model}"):
        briefing = make_briefing(article, backend=backend, settings=settings)
    text = render(briefing, args.format)
    if verbose:
        u, g = briefing.meta.usage, briefing.meta.grounding
        _note(
            f"{u.calls} LLM call(s), {u.reasks} re-ask(s), {u.prompt_tokens} prompt + "
            f"{u.completion_tokens} completion tokens, {u.seconds} s; quotes: {g.exact} exact, "
            f"{g.fuzzy} fuzzy, {g.unverified} unverified"
        )
    _emit(text, args.output)
    return 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from briefer.schema import Briefing

    schema = Briefing.model_json_schema(mode="serialization")
    _emit(json.dumps(schema, indent=2) + "\n", args.output)
    return 0


def _model(args: argparse.Namespace) -> int:
    """Show which model file the local backend uses; with --verify, re-hash it."""
    from pathlib import Path

    from briefer import local_model

    explicit = args.model_path or os.environ.get("BRIEFER_MODEL_PATH")
    path = Path(explicit) if explicit else local_model.embedded_model_path()
    if not path.is_file():
        raise BrieferError(f"model file not found: {path}")
    print(f"model: {path}")
    print(f"size:  {path.stat().st_size:,} bytes")
    if args.verify:
        digest = local_model.file_sha256(path)
        print(f"sha256: {digest}")
        if not explicit and digest != local_model.EMBEDDED_MODEL_SHA256:
            raise BrieferError(
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


def _spinner(label: str) -> AbstractContextManager[object]:
    """A live status line with elapsed time on stderr while the LLM works, if it is a terminal."""
    if not sys.stderr.isatty():
        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(label)


def _note(message: str) -> None:
    print(f"briefer: {message}", file=sys.stderr)


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
        help="brief one article",
        description="Brief one article. Backend: --model/--base-url, else BRIEFER_MODEL/"
        "OPENAI_BASE_URL, else OpenAI if OPENAI_API_KEY is set, else the embedded local model.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    make.add_argument("input", help="article file (plain text, UTF-8), or - for stdin")
    make.add_argument("-o", "--output", help="write here (atomically) instead of stdout")
    make.add_argument("-f", "--format", choices=("md", "json"), default="md")
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
        default=DEFAULT_TIMEOUT,
        help="seconds per request and in total (default 300)",
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
        help=f"refuse larger articles (default {DEFAULT_MAX_BYTES})",
    )
    make.add_argument(
        "-v", "--verbose", action="store_true", help="name the backend; report calls, tokens, time"
    )
    make.set_defaults(run=_make)

    model = commands.add_parser(
        "model", help="show the local model file in use (joins the embedded one if needed)"
    )
    model.add_argument("--model-path", help="a GGUF file instead of the embedded model")
    model.add_argument("--verify", action="store_true", help="re-hash the file and check it")
    model.set_defaults(run=_model)

    schema = commands.add_parser(
        "schema", help="print the briefing's JSON Schema (the --format json contract)"
    )
    schema.add_argument("-o", "--output", help="write here instead of stdout")
    schema.set_defaults(run=_schema)
    return parser


if __name__ == "__main__":
    sys.exit(main())
