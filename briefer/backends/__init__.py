"""Where the LLM runs, chosen once: OpenAI, any OpenAI-compatible server, or the embedded model.

`resolve_backend` applies DESIGN.md's order (flags, then environment, then an API key, then the
embedded model) and returns a `Backend` (`base.py`): `OpenAIBackend` or `ServerBackend`
(`http.py`), or `LocalBackend` (`local.py`, with the embedded model's file in `embedded.py`).
A backend builds an instructor client on demand, so choosing one imports nothing heavy:
`briefer --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from briefer.backends.base import Backend
from briefer.backends.grammar import schema_in_grammar
from briefer.backends.http import (
    DEFAULT_OPENAI_MODEL,
    DEFAULT_SERVER_MODEL,
    HTTP_RETRIES,
    OpenAIBackend,
    ServerBackend,
    retry_after,
)
from briefer.backends.local import LocalBackend
from briefer.errors import BackendError
from briefer.settings import DEFAULT_TIMEOUT

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "DEFAULT_SERVER_MODEL",
    "HTTP_RETRIES",
    "Backend",
    "LocalBackend",
    "OpenAIBackend",
    "ServerBackend",
    "resolve_backend",
    "retry_after",
    "schema_in_grammar",
]


def resolve_backend(
    *,
    model: str | None = None,
    base_url: str | None = None,
    model_path: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
) -> Backend:
    """Pick the backend: flags, BRIEFER_MODEL/OPENAI_BASE_URL, OPENAI_API_KEY, else local.

    BRIEFER_CONTEXT_TOKENS gives a server's context size (a local model's is briefer's own)."""
    env = os.environ if environ is None else environ
    model = model or env.get("BRIEFER_MODEL") or None
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    model_path = model_path or env.get("BRIEFER_MODEL_PATH") or None
    api_key = env.get("OPENAI_API_KEY") or None

    if base_url:
        return ServerBackend(
            model=model or DEFAULT_SERVER_MODEL,
            base_url=base_url.rstrip("/"),
            api_key=api_key,
            timeout=timeout,
            context_tokens=_context_tokens(env),
        )
    if model or (api_key and not model_path):
        if not api_key:
            raise BackendError(
                f"model {model!r} needs OPENAI_API_KEY, or --base-url for another server"
            )
        return OpenAIBackend(model=model or DEFAULT_OPENAI_MODEL, api_key=api_key, timeout=timeout)
    from briefer.backends.embedded import EMBEDDED_MODEL_NAME, N_CTX

    if model_path:
        name = os.path.basename(model_path)
        return LocalBackend(
            model=name, model_path=model_path, timeout=timeout, context_tokens=N_CTX
        )
    # The embedded model's file is located (and joined on first use) only when a client is built.
    return LocalBackend(model=EMBEDDED_MODEL_NAME, timeout=timeout, context_tokens=N_CTX)


def _context_tokens(env: Mapping[str, str]) -> int | None:
    """BRIEFER_CONTEXT_TOKENS as a number of tokens; unset, None."""
    text = env.get("BRIEFER_CONTEXT_TOKENS")
    if not text:
        return None
    try:
        tokens = int(text)
    except ValueError:
        tokens = 0
    if tokens < 1024:
        raise BackendError(
            f"BRIEFER_CONTEXT_TOKENS must be a number of tokens, 1024 or more, not {text!r}"
        )
    return tokens
