"""Benchmark: brief one article end to end on the embedded model, in this process.

    python benchmarks/bench_embedded.py [ARTICLE] [--model-path FILE]

Prints wall and load seconds, tokens and token rates, LLM calls, peak RSS, and the prompt
overhead (prompt tokens minus the article's own tokens: what the schema and instructions
cost). The model file must already be joined (`briefer model` does it). Timings on a shared
machine are noisy: compare runs made back to back, and ratios rather than absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT / "examples" / "us-permits-strikes-kharkov.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(DEFAULT_ARTICLE))
    parser.add_argument("--model-path", help="a GGUF file instead of the embedded model")
    args = parser.parse_args()

    started = time.perf_counter()
    from briefer import local_model
    from briefer.api import make_briefing
    from briefer.article import read_article
    from briefer.backends import Backend
    from briefer.extract import prompt_templates
    from briefer.schema import BriefingContent

    path = Path(args.model_path) if args.model_path else local_model.embedded_model_path()
    llama = local_model.load_llama(path)
    loaded = time.perf_counter()

    article = read_article(args.article)
    backend = Backend(kind="local", model=path.stem, model_path=str(path))
    briefing = make_briefing(article, backend=backend)
    finished = time.perf_counter()

    usage, quotes = briefing.meta.usage, briefing.meta.grounding

    def tokens(text: str) -> int:
        return len(llama.tokenize(text.encode("utf-8"), add_bos=False))

    article_tokens = tokens(article.text)
    system, user = prompt_templates()
    schema = json.dumps(BriefingContent.model_json_schema())
    overhead_tokens = tokens(system) + tokens(user) + tokens(schema)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "article": Path(args.article).name,
        "wall_s": finished - started,
        "load_s": loaded - started,
        "calls": usage.calls,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "llm_s": usage.seconds,
        # llama.cpp's own perf counters reset when a saved state is loaded, so rates are
        # derived from the usage briefer counts: tokens per second of LLM time, all calls.
        "tokens_per_llm_s": (usage.prompt_tokens + usage.completion_tokens) / usage.seconds,
        "completion_tokens_per_llm_s": usage.completion_tokens / usage.seconds,
        "peak_rss_mb": peak_rss_mb,
        "article_tokens": article_tokens,
        # What the instructions (with their worked example) and the schema cost per call,
        # on top of the article; a re-ask adds the previous answer and the errors.
        "prompt_overhead_tokens": overhead_tokens,
        "quotes_exact_fuzzy_unverified": f"{quotes.exact}/{quotes.fuzzy}/{quotes.unverified}",
    }
    width = max(map(len, figures))
    for name, value in figures.items():
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        print(f"{name:<{width}}  {shown}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
