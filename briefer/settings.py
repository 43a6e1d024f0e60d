"""Limits of one extraction, kept apart from the heavy modules so the CLI can show them fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: One re-ask: on a 1.5B model a re-ask costs as much as the first answer (about a minute on
#: two cores) and rarely fixes more than one misquote; strong API models seldom need it.
DEFAULT_MAX_RETRIES = 1
DEFAULT_MAX_TOKENS = 3072
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class ExtractionSettings:
    """Re-asks after an invalid answer, the cap on each answer, total time and tokens; and
    which parts make the briefing: the model's answer, the rules' proposals, or both."""

    max_retries: int = DEFAULT_MAX_RETRIES
    max_tokens: int = DEFAULT_MAX_TOKENS
    total_timeout: float | None = None
    token_budget: int | None = None
    use_model: bool = True
    use_rules: bool = True
    #: Called as a long article's windows are read, with (windows done, windows in all): the
    #: CLI shows it on a terminal. It does not change the briefing.
    progress: Callable[[int, int], None] | None = field(default=None, compare=False, repr=False)
