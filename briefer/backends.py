"""Where the LLM runs, chosen once: OpenAI, any OpenAI-compatible server, or the embedded model.

`resolve_backend` applies DESIGN.md's order (flags, then environment, then an API key, then the
embedded model) and returns a `Backend`. A backend builds an instructor client on demand, so
choosing one imports nothing heavy: `briefer --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefer.errors import BackendError
from briefer.settings import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import instructor

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
#: The model name sent to an OpenAI-compatible server when none is given (llama.cpp ignores it).
DEFAULT_SERVER_MODEL = "default"
#: Transport-level retries done by the openai client (429 with Retry-After, 5xx, timeouts).
HTTP_RETRIES = 2


@dataclass(frozen=True)
class Backend:
    """One LLM endpoint. `kind` is 'openai', 'openai-compatible' or 'local'.

    A local backend without `model_path` uses the embedded model from the local extra.
    """

    kind: str
    model: str
    base_url: str | None = None
    model_path: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    @property
    def description(self) -> str:
        """How the backend is named on stderr and in the briefing's metadata (never the key)."""
        if self.kind == "openai-compatible":
            return f"openai-compatible server at {self.base_url}"
        if self.kind == "local":
            return f"llama.cpp in-process ({self.model})"
        return "OpenAI API"

    def request_options(self) -> dict[str, Any]:
        """Generation settings sent with every request, the same for every backend.

        llama.cpp's server defaults to repeat_penalty 1.1 and the in-process model to 1.0;
        sending 1.0 makes a recorded server exchange match what the embedded model does.
        """
        options: dict[str, Any] = {"temperature": 0}
        if self.kind == "openai-compatible":
            options["extra_body"] = {"repeat_penalty": 1.0}
        return options

    def client(self) -> instructor.Instructor:
        """An instructor client in TOOLS mode: the mode that reaches llama.cpp's grammar."""
        import instructor

        if self.kind == "local":
            from briefer.local_model import embedded_model_path, load_llama

            llama = load_llama(self.model_path or embedded_model_path())
            create = instructor.patch(
                create=llama.create_chat_completion_openai_v1, mode=instructor.Mode.TOOLS
            )
            return instructor.Instructor(client=llama, create=create, mode=instructor.Mode.TOOLS)

        import openai

        http = openai.OpenAI(
            api_key=self.api_key or "not-needed",
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=HTTP_RETRIES,
        )
        return instructor.from_openai(http, mode=instructor.Mode.TOOLS)


def resolve_backend(
    *,
    model: str | None = None,
    base_url: str | None = None,
    model_path: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
) -> Backend:
    """Pick the backend: flags, BRIEFER_MODEL/OPENAI_BASE_URL, OPENAI_API_KEY, else local."""
    env = os.environ if environ is None else environ
    model = model or env.get("BRIEFER_MODEL") or None
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    model_path = model_path or env.get("BRIEFER_MODEL_PATH") or None
    api_key = env.get("OPENAI_API_KEY") or None

    if base_url:
        return Backend(
            kind="openai-compatible",
            model=model or DEFAULT_SERVER_MODEL,
            base_url=base_url.rstrip("/"),
            api_key=api_key,
            timeout=timeout,
        )
    if model or (api_key and not model_path):
        if not api_key:
            raise BackendError(
                f"model {model!r} needs OPENAI_API_KEY, or --base-url for another server"
            )
        return Backend(
            kind="openai", model=model or DEFAULT_OPENAI_MODEL, api_key=api_key, timeout=timeout
        )
    if model_path:
        name = os.path.basename(model_path)
        return Backend(kind="local", model=name, model_path=model_path, timeout=timeout)
    from briefer.local_model import EMBEDDED_MODEL_NAME

    # The embedded model's file is located (and joined on first use) only when a client is built.
    return Backend(kind="local", model=EMBEDDED_MODEL_NAME, timeout=timeout)
