"""Measuring briefing quality: gold annotations, scores, and `briefer eval`.

- `briefer.eval.gold`: gold files (`NAME.gold.json`, `NAME.merge.json`), read and checked;
- `briefer.eval.voices`: attribution annotations (PolNeAR's brat files) and voice scores;
- `briefer.eval.score`: a briefing or merge against its gold (the rules, in its docstring);
- `briefer.eval.run`: `evaluate_dir` and the report table of `briefer eval`.
"""

from briefer.eval.gold import Gold, MergeGold, load_gold, load_merge_gold
from briefer.eval.run import evaluate_dir, report_table
from briefer.eval.score import ArticleScore, EvalReport, score_briefing, score_merge

__all__ = [
    "ArticleScore",
    "EvalReport",
    "Gold",
    "MergeGold",
    "evaluate_dir",
    "load_gold",
    "load_merge_gold",
    "report_table",
    "score_briefing",
    "score_merge",
]
