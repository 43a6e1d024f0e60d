"""A progress bar on stderr for long work (articles of a batch, the model's parts joined).

rich draws it, and is imported only when a bar is shown: off a terminal nothing is drawn and
nothing heavy is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(
    label: str, total: int, enabled: bool, *, count: bool = False, keep: bool = True
) -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`, which moves the bar `n` steps of `total`; without `enabled`, it does
    nothing. `count` shows "3/10" (articles) rather than a percentage (bytes); without
    `keep`, the bar is cleared when done."""
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    done = MofNCompleteColumn() if count else TaskProgressColumn()
    columns = (TextColumn(label), BarColumn(), done, TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=not keep) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
