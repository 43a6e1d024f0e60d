"""Benchmark: long articles on the embedded model: seconds and peak memory as length grows.

    python benchmarks/long_articles.py [--words 500,2000,5000,10000]

Real reporting runs long, and no single PolNeAR article passes 3,700 words, so the long
texts are built by joining real articles on one topic: the PolNeAR development articles
about the 2016 US presidential campaign (file names naming Trump or Clinton), in name order,
whole, until the length is reached (the last one cut at a paragraph). They stay outside the
repository (their text may not be copied); the joined files are written to a temporary
directory. Each length is briefed by a cold `briefer make --no-cache` on the embedded model
(`bench_embedded.run_once`), and the table gives words, windows, calls, tokens, wall seconds,
seconds per 1,000 words and the process's peak RSS; under each row, what each window cost
(`briefer make --stats` prints the same lines).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_embedded import run_once

from briefer.schema import Usage
from briefer.stats import window_lines

ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TEXT = ROOT.parent / "shared" / "polnear-dev" / "text"
TOPIC = ("trump", "clinton")


def joined_article(words: int, folder: Path) -> Path:
    """A text of about `words` words: whole campaign articles, joined, cut at a paragraph."""
    sources = sorted(p for p in POLNEAR_TEXT.glob("*.txt") if any(t in p.name for t in TOPIC))
    paragraphs: list[str] = []
    count = 0
    for source in sources:
        for paragraph in source.read_text("utf-8").split("\n"):
            if count >= words:
                break
            if paragraph.strip():
                paragraphs.append(paragraph.strip())
                count += len(paragraph.split())
    if count < words:
        raise SystemExit(f"the campaign articles hold only {count:,} words")
    path = folder / f"campaign-{words}-words.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", default="500,2000,5000,10000")
    args = parser.parse_args()
    columns = "words | windows | calls | prompt tokens | answer tokens | wall s | s per 1k words"
    print(f"{columns} | peak RSS GB", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for words in (int(w) for w in args.words.split(",")):
            path = joined_article(words, Path(folder))
            real_words = len(path.read_text("utf-8").split())
            row = run_once(path)
            figures = [
                real_words,
                row["windows"],
                row["calls"],
                row["prompt_tokens"],
                row["answer_tokens"],
                row["wall_s"],
                round(float(row["wall_s"]) / real_words * 1000, 1),  # type: ignore[arg-type]
                row["peak_rss_gb"],
            ]
            print(" | ".join(str(f) for f in figures), flush=True)
            for line in window_lines(Usage.model_validate(row["usage"])):
                print(f"    {line}", flush=True)


if __name__ == "__main__":
    main()
