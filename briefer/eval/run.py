"""`briefer eval`: brief every article that has gold, score it, and print the figures."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from briefer.api import make_briefing
from briefer.article import read_article
from briefer.backends import Backend
from briefer.errors import BrieferError, InputError
from briefer.eval.gold import GOLD_SUFFIX, MERGE_GOLD_SUFFIX, load_gold, load_merge_gold
from briefer.eval.score import (
    MEASURES,
    ArticleScore,
    Count,
    EvalReport,
    MergeScore,
    _gold_links,
    failed_score,
    score_briefing,
    score_merge,
    total_score,
)
from briefer.eval.voices import read_attributions
from briefer.settings import ExtractionSettings


def gold_path(article: Path, gold_dir: Path | None = None) -> Path:
    """Where the gold of `NAME.txt` lives: `NAME.gold.json` beside it, or in `gold_dir`."""
    folder = gold_dir if gold_dir is not None else article.parent
    return folder / (article.stem + GOLD_SUFFIX)


def annotation_path(article: Path) -> Path | None:
    """The attribution annotations of `NAME.txt`, if any: `NAME.ann` beside it, or, in
    PolNeAR's layout (`text/NAME.txt`), the first of `attributions/NAME_*.ann`."""
    beside = article.with_suffix(".ann")
    if beside.is_file():
        return beside
    folder = article.parent.parent / "attributions"
    found = sorted(folder.glob(f"{article.stem}_*.ann")) if folder.is_dir() else []
    return found[0] if found else None


def evaluate_dir(
    article_dir: str | Path,
    *,
    backend: Backend,
    settings: ExtractionSettings | None = None,
    gold_dir: str | Path | None = None,
    names: Collection[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Brief each `NAME.txt` of `article_dir` (or of its `text/` folder) that has gold, and
    score it; brief and merge the articles each `NAME.merge.json` names, and score the merge.

    Gold is `NAME.gold.json` (beside the article, or in `gold_dir`) and attribution
    annotations (`annotation_path`). Every gold file is read and checked against its article
    first, so a bad one stops the run before any LLM time is spent. An article or merge whose
    briefing fails is scored as finding nothing and the run goes on. `names` (article file
    names without `.txt`, merged gold names without `.merge.json`) restricts the run.
    """
    folder = Path(article_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a directory")
    gold_folder = Path(gold_dir) if gold_dir is not None else None
    texts = folder / "text" if (folder / "text").is_dir() else folder
    articles = sorted(texts.glob("*.txt"))
    chosen = [
        path
        for path in articles
        if gold_path(path, gold_folder).is_file() or annotation_path(path) is not None
    ]
    merges = [
        (path.name.removesuffix(MERGE_GOLD_SUFFIX), load_merge_gold(path))
        for path in sorted(folder.glob("*" + MERGE_GOLD_SUFFIX))
    ]
    merged_sources = {source for _, gold in merges for source in gold.sources}
    skipped = [p.name for p in articles if p not in chosen and p.name not in merged_sources]
    if names is not None:
        unknown = sorted(set(names) - {path.stem for path in chosen} - {n for n, _ in merges})
        if unknown:
            raise InputError(f"{folder}: no article with gold named {unknown[0]!r}")
        chosen = [path for path in chosen if path.stem in names]
        merges = [(name, gold) for name, gold in merges if name in names]
        skipped = []
    if not chosen and not merges:
        raise InputError(
            f"{folder}: no NAME.txt with a NAME{GOLD_SUFFIX} or attribution annotations, "
            f"and no NAME{MERGE_GOLD_SUFFIX}"
        )

    work = []
    for path in chosen:
        article = read_article(path)
        gold_file = gold_path(path, gold_folder)
        gold = load_gold(gold_file, article.text) if gold_file.is_file() else None
        annotations = annotation_path(path)
        attributions = read_attributions(annotations, article.text) if annotations else []
        work.append((path.stem, article, gold, attributions))
    scores = []
    for number, (name, article, gold, attributions) in enumerate(work, 1):
        if progress:
            progress(f"[{number}/{len(work)}] briefing {name}")
        try:
            briefing = make_briefing(article, backend=backend, settings=settings)
        except BrieferError as error:
            scores.append(failed_score(gold, name, error, attributions))
        else:
            scores.append(score_briefing(gold, briefing, name, attributions))
    merge_scores = []
    for number, (name, merge_gold) in enumerate(merges, 1):
        if progress:
            progress(f"[merge {number}/{len(merges)}] briefing and merging {name}")
        try:
            sources = [read_article(folder / source) for source in merge_gold.sources]
            merged = make_briefing(sources, backend=backend, settings=settings)
        except BrieferError as error:
            wanted = Count(total=len(_gold_links(merge_gold)))
            merge_scores.append(
                MergeScore(
                    name=name, error=str(error), exit_code=error.exit_code, actor_link_recall=wanted
                )
            )
        else:
            merge_scores.append(score_merge(merge_gold, merged, name))
    return EvalReport(
        articles=scores, total=total_score(scores), skipped=skipped, merges=merge_scores
    )


def report_table(report: EvalReport) -> str:
    """The report as plain aligned text: a row per article, the total, then its ratios."""
    headings = [
        "article",
        *MEASURES.values(),
        "exact",
        "fuzzy",
        "unverified",
        "exact_off",
        "loaded",
        "calls",
        "prompt_tok",
        "compl_tok",
        "seconds",
        "status",
    ]
    rows = [
        _row(score, "ok" if score.error is None else f"failed (exit {score.exit_code})")
        for score in report.articles
    ]
    total = _row(report.total, f"{report.failed} failed" if report.failed else "")
    ratios = ["ratio", *(_ratio(getattr(report.total, field)) for field in MEASURES)]
    table = [headings, *rows, total, ratios + [""] * (len(headings) - len(ratios))]
    widths = [max(len(row[i]) for row in table) for i in range(len(headings))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "-" * len(line(headings))
    out = [line(headings), rule, *map(line, rows), rule, line(total), line(table[-1])]
    if not report.articles:  # a folder of merges only
        out = []
    if report.skipped:
        out.append(f"skipped (no gold): {', '.join(report.skipped)}")
    if report.merges:
        out += ["", *_merge_table(report.merges)] if out else _merge_table(report.merges)
    return "\n".join(out) + "\n"


def _merge_table(merges: list[MergeScore]) -> list[str]:
    """A row per merge: the cross-source actor links found, with their ratios."""
    rows = [["merge", "actor links R", "actor links P", "status"]]
    for score in merges:
        status = "ok" if score.error is None else f"failed (exit {score.exit_code})"
        counts = (score.actor_link_recall, score.actor_link_precision)
        rows.append([score.name, *(f"{c.found}/{c.total} ({_ratio(c)})" for c in counts), status])
    name, recall, precision = (max(len(row[i]) for row in rows) for i in range(3))
    return [
        f"{row[0].ljust(name)}  {row[1].rjust(recall)}  {row[2].rjust(precision)}  {row[3]}"
        for row in rows
    ]


def _row(score: ArticleScore, status: str) -> list[str]:
    q, u = score.quotes, score.usage
    return [
        score.name,
        *(f"{getattr(score, field).found}/{getattr(score, field).total}" for field in MEASURES),
        *(str(n) for n in (q.exact, q.fuzzy, q.unverified, q.exact_off_offset)),
        str(score.loaded_words),
        *(str(n) for n in (u.calls, u.prompt_tokens, u.completion_tokens)),
        f"{u.seconds:.2f}",
        status,
    ]


def _ratio(count: Count) -> str:
    return "-" if count.ratio is None else f"{count.ratio:.2f}"
