"""What every backend is: one LLM endpoint that briefer sends its questions to.

A backend is a small frozen dataclass with one subclass per kind of endpoint
(`briefer.backends.http.OpenAIBackend` and `ServerBackend`, `briefer.backends.local.LocalBackend`).
The rest of briefer asks it what it needs to know (how to build a client, what to send with
every request, whether several articles may run at once, whether it costs money, whether a
timeout can cut it short, what identifies its answers in the cache) and never which kind it is.
Tests pass their own subclass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from briefer.settings import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import instructor


@dataclass(frozen=True)
class Backend(ABC):
    """One LLM endpoint.

    `context_tokens` is the model's context size when known: an article whose prompt would
    not fit it is read in windows (`briefer.windows`); unknown (None), one call is tried and
    the server's refusal, when it states its context size, plans the windows.
    """

    model: str
    timeout: float = DEFAULT_TIMEOUT
    context_tokens: int | None = None

    #: The backend's name in the cache key.
    name: ClassVar[str] = "backend"
    #: Whether several articles may be briefed at once (a batch's jobs).
    parallel: ClassVar[bool] = True
    #: Whether its tokens have a price (`briefer.stats`).
    priced: ClassVar[bool] = True
    #: Whether a time limit can stop an answer half-way; one that cannot gets no default limit.
    interruptible: ClassVar[bool] = True

    @property
    @abstractmethod
    def description(self) -> str:
        """How the backend is named on stderr and in the briefing's metadata (never a key)."""

    @property
    def secret(self) -> str | None:
        """The credential that must never appear in an error, a log or a cassette."""
        return None

    def request_options(self) -> dict[str, Any]:
        """Generation settings sent with every request: greedy decoding, for every backend."""
        return {"temperature": 0}

    def client(self, deadline: float | None = None) -> instructor.Instructor:
        """An instructor client in TOOLS mode; `deadline` (a `time.monotonic()` instant)
        bounds the requests where the backend can be interrupted. A backend that is never
        asked (a test's) need not say."""
        raise NotImplementedError(f"{type(self).__name__} makes no client")

    def cache_identity(self) -> dict[str, Any]:
        """What identifies this backend's answers in the cache key (never a key, nor the
        timeout: it bounds how long a run may take, not what a finished briefing says)."""
        return {
            "backend": self.name,
            "model": self.model,
            "request_options": self.request_options(),
        }
