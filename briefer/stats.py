"""What a briefing cost: LLM calls, re-asks, tokens, seconds, and dollars where a price is known.

Prices are USD per million prompt ("input") and completion ("output") tokens, looked up by
model name in `briefer/prices.json` (shipped in the package), overlaid by a JSON file of the
same shape named by BRIEFER_PRICES. A dated snapshot ("gpt-4o-mini-2024-07-18") falls back to
its base name. A model run in-process costs nothing; a model in neither table is reported as
"cost unknown", never guessed. A bad price file never fails a run: the cost is then unknown.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefer.backends import Backend
    from briefer.merge import MergedSource
    from briefer.schema import Briefing, Usage

PRICES_ENV = "BRIEFER_PRICES"
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        """Dollars for the tokens in `usage`."""
        return (usage.prompt_tokens * self.input + usage.completion_tokens * self.output) / 1e6


def load_prices(environ: Mapping[str, str] | None = None) -> dict[str, Price]:
    """The shipped table overlaid by the BRIEFER_PRICES file; OSError or ValueError if bad."""
    env = os.environ if environ is None else environ
    shipped = (files("briefer") / "prices.json").read_text("utf-8")
    prices = _parse(json.loads(shipped), "prices.json")
    override = env.get(PRICES_ENV)
    if override:
        prices.update(_parse(json.loads(Path(override).read_text("utf-8")), override))
    return prices


def find_price(model: str, prices: Mapping[str, Price]) -> Price | None:
    """The model's price by name (case-insensitive), or its undated base name's."""
    name = model.lower()
    return prices.get(name) or prices.get(_SNAPSHOT.sub("", name))


def cost_text(usage: Usage, model: str, backend: Backend) -> str:
    """'cost $0.000045 (gpt-4o-mini)', 'cost $0.00 (local model)' or 'cost unknown (why)'."""
    if not backend.priced:
        return "cost $0.00 (local model)"
    try:
        prices = load_prices()
    except (OSError, ValueError) as error:
        return f"cost unknown ({PRICES_ENV}: {error})"
    price = find_price(model, prices)
    if price is None:
        return f"cost unknown (no price for {model!r}; add one in a {PRICES_ENV} file)"
    return f"cost {_dollars(price.cost(usage))} ({model})"


def usage_line(briefing: Briefing | MergedSource, backend: Backend) -> str:
    """One line for stderr: calls, re-asks, tokens, seconds and cost, and whether this run
    took the briefing from the cache (then it made no call, and the figures are the original
    run's)."""
    meta = briefing.meta
    u = meta.usage
    made = (
        f"{u.calls} LLM call(s), {u.reasks} re-ask(s), {u.prompt_tokens} prompt + "
        f"{u.completion_tokens} completion tokens, {u.seconds} s, "
        f"{cost_text(u, meta.model, backend)}"
    )
    if u.windows:
        made += f"; read in {len(u.windows)} windows"
    if meta.cached:
        return f"from the cache: no LLM call this run (cost $0.00); when made: {made}"
    return made


def window_lines(usage: Usage) -> list[str]:
    """One line per window of a long article: its sentences, calls, tokens and seconds."""
    return [
        f"window {number} (sentences {w.first_sentence}-{w.last_sentence}): {w.calls} call(s), "
        f"{w.prompt_tokens} prompt + {w.completion_tokens} completion tokens, {w.seconds} s"
        for number, w in enumerate(usage.windows, 1)
    ]


def _dollars(amount: float) -> str:
    """At least cents, at most millionths: $0.20, $0.000045, $1.50."""
    whole, _, fraction = f"{amount:.6f}".rstrip("0").partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}"


def _parse(data: Any, origin: str) -> dict[str, Price]:
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, dict):
        raise ValueError(
            f'{origin}: expected {{"models": {{NAME: {{"input": USD, "output": USD}}}}}}'
        )
    prices = {}
    for name, entry in models.items():
        try:
            prices[name.lower()] = Price(float(entry["input"]), float(entry["output"]))
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"{origin}: {name!r} needs numeric input and output prices (USD per 1M tokens)"
            ) from None
    return prices
