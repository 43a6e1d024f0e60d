"""Backends over HTTP: the OpenAI API, and any OpenAI-compatible server.

Both use the openai client, whose own retries (429 with Retry-After, 5xx, timeouts) are kept
within the run's total time (`_deadline_http_client`).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from briefer.backends.base import Backend
from briefer.backends.grammar import schema_in_grammar

if TYPE_CHECKING:
    import instructor

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
#: The model name sent to an OpenAI-compatible server when none is given (llama.cpp ignores it).
DEFAULT_SERVER_MODEL = "default"
#: Transport-level retries done by the openai client (429 with Retry-After, 5xx, timeouts).
HTTP_RETRIES = 2
_TIMEOUT_PHASES = ("connect", "read", "write", "pool")


@dataclass(frozen=True)
class OpenAIBackend(Backend):
    """The OpenAI API, with a key."""

    api_key: str | None = field(default=None, repr=False)

    name: ClassVar[str] = "openai"

    @property
    def description(self) -> str:
        return "OpenAI API"

    @property
    def secret(self) -> str | None:
        return self.api_key

    def client(self, deadline: float | None = None) -> instructor.Instructor:
        import instructor

        return instructor.from_openai(self._http(None, deadline), mode=instructor.Mode.TOOLS)

    def _http(self, base_url: str | None, deadline: float | None) -> Any:
        """The openai client: its own retries, each request within the time left."""
        import openai

        return openai.OpenAI(
            api_key=self.api_key or "not-needed",
            base_url=base_url,
            timeout=self.timeout,
            max_retries=HTTP_RETRIES,
            http_client=None if deadline is None else _deadline_http_client(deadline),
        )


@dataclass(frozen=True)
class ServerBackend(OpenAIBackend):
    """Any OpenAI-compatible server (llama.cpp, vLLM, Ollama...) at `base_url`; the schema
    goes to it as a JSON grammar (`schema_in_grammar`)."""

    base_url: str = ""

    name: ClassVar[str] = "openai-compatible"

    @property
    def description(self) -> str:
        return f"openai-compatible server at {_without_password(self.base_url)}"

    def request_options(self) -> dict[str, Any]:
        """llama.cpp's server defaults to repeat_penalty 1.1 and the in-process model to 1.0;
        sending 1.0 makes a recorded server exchange match what the embedded model does."""
        return {**super().request_options(), "extra_body": {"repeat_penalty": 1.0}}

    def client(self, deadline: float | None = None) -> instructor.Instructor:
        import instructor

        http = self._http(self.base_url, deadline)
        create = instructor.patch(
            create=schema_in_grammar(http.chat.completions.create), mode=instructor.Mode.TOOLS
        )
        return instructor.Instructor(client=http, create=create, mode=instructor.Mode.TOOLS)

    def cache_identity(self) -> dict[str, Any]:
        return {**super().cache_identity(), "base_url": self.base_url}


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a server asks to wait before a retry (`retry-after-ms`, or `Retry-After` in
    seconds or as a date), read as the openai client reads them; None if it does not say."""
    for name, unit in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return float(headers[name]) * unit
        except (KeyError, TypeError, ValueError):
            pass
    try:
        return email.utils.parsedate_to_datetime(headers["retry-after"]).timestamp() - time.time()
    except (KeyError, TypeError, ValueError):
        return None


def _deadline_http_client(deadline: float) -> Any:
    """An HTTP client that keeps the openai client's own retries within the total time.

    The openai client retries timeouts, 429s and 5xx by itself, each request under the full
    per-request timeout; without this, `--timeout` would bound every request but not the run.
    Each request may wait only for the time left, none is sent once it is spent (an openai
    error raised here is not retried), and a server that asks to be retried later than the time
    left allows is reported at once instead of waited for.
    """
    import openai

    def wait_no_longer_than_the_time_left(request: Any) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise openai.APITimeoutError(request=request)
        timeouts = request.extensions.get("timeout") or dict.fromkeys(_TIMEOUT_PHASES)
        request.extensions["timeout"] = {
            phase: left if seconds is None else min(seconds, left)
            for phase, seconds in timeouts.items()
        }

    def no_retry_after_the_deadline(response: Any) -> None:
        wait = retry_after(response.headers)
        if wait is not None and wait > deadline - time.monotonic():
            response.headers["x-should-retry"] = "false"  # obeyed by the openai client

    return openai.DefaultHttpxClient(
        event_hooks={
            "request": [wait_no_longer_than_the_time_left],
            "response": [no_retry_after_the_deadline],
        }
    )


def _without_password(url: str) -> str:
    """The URL with any password and query string masked (`?api-key=...` is a common way to
    pass a key): it is shown on stderr and kept in metadata and the cache."""
    parts = urlsplit(url)
    if parts.password is not None:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1))
    if parts.query:
        parts = parts._replace(query="***")
    return urlunsplit(parts)
