"""A one-slot, on-disk cache of the embedded model's state, so prompt prefixes are reused.

Every briefing's prompt starts with the same long prefix (instructions, example, schema);
only the article differs. llama-cpp-python reuses a cached state's longest common token
prefix, so keeping the state after the last answer means the next run, even in a new
process, evaluates only the article instead of the whole prompt. The library's own
`LlamaDiskCache` prints to stderr on every write and stores the full logits buffer (hundreds
of MB for a 150k-token vocabulary); this cache stores the KV state alone.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np

from briefer.output import atomic_file

#: A cached state is used only if it shares at least this many leading tokens.
MIN_SHARED_TOKENS = 32


class PromptStateCache(llama_cpp.BaseLlamaCache):
    """Keeps the model state of the last completion in one file."""

    def __init__(self, path: Path, llama: llama_cpp.Llama) -> None:
        super().__init__(capacity_bytes=0)
        self.path = path
        self._n_ctx = llama.n_ctx()
        self._n_vocab = llama.n_vocab()
        self._score_rows = llama.scores.shape[0]

    @property
    def cache_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def __contains__(self, key: Sequence[int]) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __getitem__(self, key: Sequence[int]) -> llama_cpp.LlamaState:
        try:
            with self.path.open("rb") as handle:
                saved: dict[str, Any] = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            raise KeyError("no usable cached state") from None
        tokens = saved["input_ids"]
        shared = llama_cpp.Llama.longest_token_prefix(tokens.tolist(), list(key))
        if shared < MIN_SHARED_TOKENS or len(tokens) > self._n_ctx:
            raise KeyError("cached state shares too little of the prompt")
        input_ids = np.zeros(self._n_ctx, dtype=np.intc)  # the model keeps n_ctx slots
        input_ids[: len(tokens)] = tokens
        # Logits are not stored: they are recomputed for the tokens after the shared prefix.
        rows = min(saved["n_tokens"], self._score_rows)
        return llama_cpp.LlamaState(
            input_ids=input_ids,
            scores=np.zeros((rows, self._n_vocab), dtype=np.single),
            n_tokens=saved["n_tokens"],
            llama_state=saved["llama_state"],
            llama_state_size=saved["llama_state_size"],
            seed=saved["seed"],
        )

    def __setitem__(self, key: Sequence[int], value: llama_cpp.LlamaState) -> None:
        saved = {
            "input_ids": value.input_ids[: value.n_tokens].copy(),
            "n_tokens": value.n_tokens,
            "llama_state": value.llama_state,
            "llama_state_size": value.llama_state_size,
            "seed": value.seed,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path, "wb") as handle:
            pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
