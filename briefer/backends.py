"""Where the LLM runs, chosen once: OpenAI, any OpenAI-compatible server, or the embedded model.

`resolve_backend` applies DESIGN.md's order (flags, then environment, then an API key, then the
embedded model) and returns a `Backend`. A backend builds an instructor client on demand, so
choosing one imports nothing heavy: `briefer --help` stays fast.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from briefer.errors import BackendError
from briefer.settings import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import instructor

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
#: The model name sent to an OpenAI-compatible server when none is given (llama.cpp ignores it).
DEFAULT_SERVER_MODEL = "default"
#: Transport-level retries done by the openai client (429 with Retry-After, 5xx, timeouts).
HTTP_RETRIES = 2
_TIMEOUT_PHASES = ("connect", "read", "write", "pool")


@dataclass(frozen=True)
class Backend:
    """One LLM endpoint. `kind` is 'openai', 'openai-compatible' or 'local'.

    A local backend without `model_path` uses the embedded model from the local extra.
    `context_tokens` is the model's context size when known: an article whose prompt would
    not fit it is read in windows (`briefer.windows`); unknown (None), one call is tried
    and the server's refusal, when it states its context size, plans the windows.
    """

    kind: str
    model: str
    base_url: str | None = None
    model_path: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    context_tokens: int | None = None

    @property
    def description(self) -> str:
        """How the backend is named on stderr and in the briefing's metadata (never the key)."""
        if self.kind == "openai-compatible":
            return f"openai-compatible server at {_without_password(self.base_url or '')}"
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

    def client(self, deadline: float | None = None) -> instructor.Instructor:
        """An instructor client in TOOLS mode: the mode that reaches llama.cpp's grammar.

        `deadline` (a `time.monotonic()` instant) bounds an HTTP backend's requests, the
        openai client's own retries included; in-process generation cannot be cut short.
        """
        import instructor

        if self.kind == "local":
            from briefer.local_model import embedded_model_path, load_llama

            llama = load_llama(self.model_path or embedded_model_path())
            create = instructor.patch(
                create=schema_in_grammar(llama.create_chat_completion_openai_v1),
                mode=instructor.Mode.TOOLS,
            )
            return instructor.Instructor(client=llama, create=create, mode=instructor.Mode.TOOLS)

        import openai

        http = openai.OpenAI(
            api_key=self.api_key or "not-needed",
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=HTTP_RETRIES,
            http_client=None if deadline is None else _deadline_http_client(deadline),
        )
        if self.kind == "openai":
            return instructor.from_openai(http, mode=instructor.Mode.TOOLS)
        create = instructor.patch(
            create=schema_in_grammar(http.chat.completions.create), mode=instructor.Mode.TOOLS
        )
        return instructor.Instructor(client=http, create=create, mode=instructor.Mode.TOOLS)


def schema_in_grammar(create: Callable[..., Any]) -> Callable[..., Any]:
    """A chat-completion function that sends instructor's tool as llama.cpp's JSON grammar.

    In TOOLS mode the chat template writes the tool's whole JSON Schema into the prompt:
    about 1,000 tokens for a briefing, as many as the article, read again for every article.
    llama.cpp (in-process and its servers) also accepts the schema as
    `response_format={"type": "json_object", "schema": ...}`, which constrains the answer
    by grammar without showing it to the model. The prompt describes the fields instead;
    the answer comes back as the tool call instructor expects, so its parsing, validation
    and re-asks are unchanged.
    """

    def create_with_grammar(*, tools: list[dict[str, Any]], **kwargs: Any) -> Any:
        kwargs.pop("tool_choice", None)
        function = tools[0]["function"]
        response_format = {"type": "json_object", "schema": function["parameters"]}
        response = create(response_format=response_format, **kwargs)
        return _as_tool_call(response, function["name"])

    return create_with_grammar


def _as_tool_call(response: Any, name: str) -> Any:
    """The completion with its JSON answer moved into a call of the tool `name`."""
    from openai.types.chat import ChatCompletionMessageToolCall
    from openai.types.chat.chat_completion_message_tool_call import Function

    choices = []
    for choice in response.choices:
        message = choice.message
        call = ChatCompletionMessageToolCall(
            id=f"call_{choice.index}",
            type="function",
            function=Function(name=name, arguments=message.content or ""),
        )
        message = message.model_copy(update={"content": None, "tool_calls": [call]})
        finish = "tool_calls" if choice.finish_reason == "stop" else choice.finish_reason
        choices.append(choice.model_copy(update={"message": message, "finish_reason": finish}))
    return response.model_copy(update={"choices": choices})


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
        return Backend(
            kind="openai-compatible",
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
        return Backend(
            kind="openai", model=model or DEFAULT_OPENAI_MODEL, api_key=api_key, timeout=timeout
        )
    from briefer.local_model import EMBEDDED_MODEL_NAME, N_CTX

    if model_path:
        name = os.path.basename(model_path)
        return Backend(
            kind="local", model=name, model_path=model_path, timeout=timeout, context_tokens=N_CTX
        )
    # The embedded model's file is located (and joined on first use) only when a client is built.
    return Backend(kind="local", model=EMBEDDED_MODEL_NAME, timeout=timeout, context_tokens=N_CTX)


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
