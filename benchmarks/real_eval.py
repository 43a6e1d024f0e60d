"""Quality on real news: PolNeAR's development articles, the parser, the model, and both.

    python benchmarks/real_eval.py [--split tune|held|all] [--gold-only]
        [--configs parser,model,both] [--longer-than WORDS | --shorter-than WORDS]
        [--articles NAME,NAME...]

Reads the 84 real articles of ../shared/polnear-dev (outside the repository: their text may
not be copied) with their human attribution annotations (voices), and the gold written for 21
of them before briefer was run on them (benchmarks/gold/polnear: permissions, warnings,
disputes, open questions, by character offsets). The articles are split once, by name:
`tune` (sha256 of the name starting 0-7) is what rules and prompts were developed on, `held`
the rest, scored for the report (`all`: both). `--longer-than` and `--shorter-than` keep the
articles of more (or fewer) words: the long ones are read in windows where they do not fit the
embedded model's context. Each configuration briefs every chosen article:

- parser: the rules over the parse, no model (`--no-llm`);
- model: the embedded model reading the numbered sentences and actor table on its own,
  without the rules' candidates or items;
- both: the default: the rules' items, and the model deciding their candidates.

It prints one row per configuration (voices, speaker precision, permissions, warnings, their
precision, disputes, questions, quotes not exact at their offsets) and the model's calls,
tokens and seconds per article; and, when only some articles have gold files, a row of the
same figures over those articles alone. `--gold-only` keeps the articles with gold files
(faster); `--articles` keeps the articles named (a new gold file's first scoring). The model
runs in-process (the `local` extra); the machine's other load changes the seconds only.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from briefer.backends import resolve_backend
from briefer.eval import ArticleScore, evaluate_dir
from briefer.eval.score import total_score
from briefer.settings import ExtractionSettings

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "polnear-dev"
GOLD = ROOT / "benchmarks" / "gold" / "polnear"
CONFIGS = {
    "parser": ExtractionSettings(use_model=False),
    "model": ExtractionSettings(use_rules=False),
    "both": ExtractionSettings(),
}
COLUMNS = [
    ("voice_recall", "voices R"),
    ("speaker_precision", "speaker P"),
    ("permission_recall", "permits R"),
    ("permission_precision", "permits P"),
    ("warning_recall", "warnings R"),
    ("warning_precision", "warnings P"),
    ("disputed_claim_recall", "disputes R"),
    ("open_question_recall", "questions R"),
]


def split_of(name: str) -> str:
    """'tune' or 'held', fixed by the article's name."""
    return "tune" if hashlib.sha256(name.encode()).hexdigest()[0] in "01234567" else "held"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "held", "all"], default="tune")
    parser.add_argument("--longer-than", type=int, metavar="WORDS")
    parser.add_argument("--shorter-than", type=int, metavar="WORDS")
    parser.add_argument("--gold-only", action="store_true")
    parser.add_argument("--articles", help="only these articles: names, comma-separated")
    parser.add_argument("--configs", default="parser,model,both")
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    args = parser.parse_args()
    if not (args.polnear / "text").is_dir():
        print(f"no PolNeAR articles at {args.polnear}", file=sys.stderr)
        return 2
    names = [p.stem for p in sorted((args.polnear / "text").glob("*.txt"))]
    names = [n for n in names if args.split in ("all", split_of(n))]
    if args.longer_than is not None or args.shorter_than is not None:
        names = [n for n in names if _within(args.polnear / "text" / f"{n}.txt", args)]
    if args.gold_only:
        names = [n for n in names if (GOLD / f"{n}.gold.json").is_file()]
    if args.articles:
        names = [n for n in names if n in args.articles.split(",")]
    backend = resolve_backend()
    print(f"{len(names)} {args.split} articles; {backend.description}")
    header = ["config", *(title for _, title in COLUMNS), "off", "calls", "tokens/art", "s/art"]
    print(" | ".join(header), flush=True)
    for config in args.configs.split(","):
        started = time.perf_counter()
        report = evaluate_dir(
            args.polnear,
            backend=backend,
            settings=CONFIGS[config],
            gold_dir=GOLD,
            names=names,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
        seconds = time.perf_counter() - started
        for score in report.articles:
            if score.error:
                print(f"{config}: {score.name}: {score.error}", file=sys.stderr)
        rows = [(config, report.total, len(report.articles))]
        with_gold = [a for a in report.articles if (GOLD / f"{a.name}.gold.json").is_file()]
        if not args.gold_only and 0 < len(with_gold) < len(report.articles):
            rows.append((f"{config} ({len(with_gold)} with gold)", total_score(with_gold), 0))
        for label, total, articles in rows:
            print_row(label, total, articles, seconds)
    return 0


def _within(path: Path, args: argparse.Namespace) -> bool:
    words = len(path.read_text("utf-8").split())
    longer = args.longer_than is None or words > args.longer_than
    return longer and (args.shorter_than is None or words < args.shorter_than)


def print_row(label: str, total: ArticleScore, articles: int, seconds: float) -> None:
    """One configuration's figures; tokens and seconds per article for the whole run only."""
    cells = [label]
    for field, _ in COLUMNS:
        count = getattr(total, field)
        ratio = "-" if count.ratio is None else f"{count.ratio:.2f}"
        cells.append(f"{count.found}/{count.total} {ratio}")
    usage = total.usage
    per = max(articles, 1)
    cells += [
        str(total.quotes.exact_off_offset + total.quotes.unverified),
        str(usage.calls),
        f"{(usage.prompt_tokens + usage.completion_tokens) / per:.0f}" if articles else "",
        f"{seconds / per:.1f}" if articles else "",
    ]
    print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    sys.exit(main())
