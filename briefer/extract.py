"""Extraction: one instructor call in which the model points at the article by id.

The prompt shows the article as numbered sentences, each with the speakers the analysis found
in it, and the candidate actors as a table (`prompts/system.j2`). The model fills the compact
answer of `briefer.answer`: sentence numbers, actor ids and short phrases of its own. Article
text reaches the prompt only through instructor's `context`, so braces in an article are data,
never template code. An answer the validators reject (an actor not named in the sentence it
cites, a phrase copied from the instructions, malformed JSON) is re-asked by instructor under
a tenacity policy; transport faults (429, 5xx, timeouts) are retried by the openai client
itself, within the total time (`Backend.client`). Every attempt's tokens are counted through
instructor hooks. When the re-asks run out, the best answer is kept with the items the
validators reject dropped: nothing the article does not support is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from briefer.analysis import Analysis
from briefer.answer import answer_model, guided_answer_model, overview_model
from briefer.backends import Backend
from briefer.errors import (
    BackendError,
    BrieferError,
    ContextOverflow,
    ExtractionError,
    validation_line,
)
from briefer.rules import Candidates
from briefer.schema import Usage
from briefer.settings import ExtractionSettings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam
    from tenacity.stop import stop_base

    from briefer.windows import Window

# instructor logs every failed attempt at ERROR level; briefer reports failures itself, in one
# line, so these records must not reach Python's last-resort stderr handler.
logging.getLogger("instructor").addHandler(logging.NullHandler())


#: The prompt templates: the article (shared by every request, so its evaluated state is
#: reused) and the task, guided by the rules' candidates or open.
#: A long article's headline and summary of the whole come from its windows' (`overview.j2`).
PROMPTS = ("system.j2", "guided.j2", "open.j2", "overview.j2")


@cache
def prompt_template(name: str) -> str:
    """A prompt template (Jinja, rendered by instructor with `context`)."""
    return (files("briefer") / "prompts" / name).read_text("utf-8")


@cache
def prompt_version() -> str:
    """A short hash of the prompts: it changes whenever their wording does."""
    texts = "\0".join(prompt_template(name) for name in PROMPTS)
    return hashlib.sha256(texts.encode()).hexdigest()[:12]


def prompt_context(
    analysis: Analysis, candidates: Candidates | None = None, window: Window | None = None
) -> dict[str, Any]:
    """What the prompt templates and the answer's validators read: the numbered sentences
    (a window's, for a long article) with their speakers, the actor table, the rules'
    candidates, the analysis, and the instructions' own words."""
    shown = window.shown if window else range(1, len(analysis.sentences) + 1)
    speakers: dict[int, list[str]] = {}
    for statement in analysis.statements:
        named = speakers.setdefault(statement.sentence, [])
        if statement.speaker not in named:
            named.append(statement.speaker)
    sentences = [
        {
            "id": sentence.id,
            "text": " ".join(analysis.text[sentence.start : sentence.end].split()),
            "speakers": speakers.get(sentence.id, []),
        }
        for sentence in analysis.sentences
        if sentence.id in shown
    ]
    actors = [
        {"id": actor.id, "name": actor.name, "kind": actor.kind, "role": actor.role}
        for actor in analysis.actors
    ]
    return {
        "sentences": sentences,
        "actors": actors,
        "candidates": candidates,
        "part": {"first": shown.start, "last": shown.stop - 1, "of": len(analysis.sentences)}
        if window
        else None,
        "analysis": analysis,
        "instructions": "\n".join(prompt_template(name) for name in PROMPTS),
    }


def extract_answer(
    analysis: Analysis,
    backend: Backend,
    settings: ExtractionSettings | None = None,
    candidates: Candidates | None = None,
    *,
    window: Window | None = None,
    deadline: float | None = None,
) -> tuple[BaseModel, Usage]:
    """Ask the backend's LLM for the article's answer by id; return it with what it cost.

    With the rules' `candidates`, the model decides those (`guided_answer_model`); without,
    it reads the article on its own (`answer_model`). With a `window`, it reads only that
    window's sentences (`briefer.windows`). `deadline` (a `time.monotonic()` instant) ends
    the work, re-asks included; by default, `settings.total_timeout` from now."""
    settings = settings or ExtractionSettings()
    system = prompt_template("system.j2")
    if candidates is None:
        model = answer_model(analysis, window.shown if window else None)
        user = prompt_template("open.j2")
    else:
        model, user = guided_answer_model(candidates), prompt_template("guided.j2")
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": system},
        {"role": "user", "content": user},
    ]
    context = prompt_context(analysis, candidates, window)
    return _ask(model, messages, context, backend, settings, deadline)


def extract_overview(
    parts: list[Any],
    analysis: Analysis,
    backend: Backend,
    settings: ExtractionSettings,
    deadline: float | None = None,
) -> tuple[BaseModel, Usage]:
    """The headline and summary of a long article, from those its windows' answers wrote
    (`parts`, in article order): a short call that reads the model's own phrases only."""
    context = {
        **prompt_context(analysis),
        "parts": [{"headline": part.headline, "summary": part.summary} for part in parts],
    }
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": prompt_template("overview.j2")}
    ]
    return _ask(overview_model(), messages, context, backend, settings, deadline)


def _ask(
    model: type[BaseModel],
    messages: list[ChatCompletionMessageParam],
    context: dict[str, Any],
    backend: Backend,
    settings: ExtractionSettings,
    deadline: float | None,
) -> tuple[BaseModel, Usage]:
    """One question to the backend's LLM through instructor: re-asked on invalid answers,
    counted, and its faults turned into one-line `BrieferError`s."""
    import instructor
    from instructor.core.exceptions import (
        IncompleteOutputException,
        InstructorRetryException,
        TokenBudgetError,
    )

    usage = Usage()
    hooks = instructor.hooks.Hooks()
    hooks.on("completion:response", lambda response: _count_call(usage, response))
    started = time.perf_counter()
    if deadline is None and settings.total_timeout:
        deadline = time.monotonic() + settings.total_timeout
    try:
        answer = backend.client(deadline).create(
            response_model=model,
            messages=messages,
            context=context,
            max_retries=_retry_policy(settings, deadline),
            hooks=hooks,
            max_tokens=settings.max_tokens,
            token_budget=settings.token_budget,
            model=backend.model,
            **backend.request_options(),
        )
    except IncompleteOutputException:
        raise ExtractionError(
            f"the model's answer was cut off at {settings.max_tokens} tokens "
            "(raise --max-tokens, or use a shorter article)"
        ) from None
    except (InstructorRetryException, TokenBudgetError) as error:
        # Re-asks ended (out of attempts, time or tokens, or the server failed during one):
        # keep the best answer so far if one is usable; with no answer at all, report the fault.
        spent = deadline is not None and time.monotonic() >= deadline
        if not error.failed_attempts:
            total = settings.total_timeout if spent else None
            raise _backend_error(error.__cause__ or error, backend, total) from None
        answer = _best_attempt(error.failed_attempts, model, context)
        # Cut short by the clock or a server fault, not by the model's answers: another run
        # may do better, so the briefing says so (and the cache does not keep it).
        usage.interrupted = spent or not isinstance(
            error.__cause__, (*_parse_errors(), TokenBudgetError)
        )
    except BrieferError:
        raise
    except Exception as error:  # a fault raised before instructor's retry loop
        raise _backend_error(error, backend) from None
    finally:
        usage.seconds = round(time.perf_counter() - started, 2)
    return answer, usage


def _parse_errors() -> tuple[type[Exception], ...]:
    """What counts as an invalid answer, to be re-asked: a schema or grounding failure, no tool
    call at all, or a response body that is not JSON (sent again as it was: the model never
    saw it). Transport faults (429, 5xx, timeouts) are the openai client's to retry."""
    from instructor.core.exceptions import ResponseParsingError

    return (ValidationError, ResponseParsingError, json.JSONDecodeError)


def _retry_policy(settings: ExtractionSettings, deadline: float | None) -> Any:
    """Re-ask on invalid answers only, bounded in attempts and by the deadline."""
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

    stop: stop_base = stop_after_attempt(settings.max_retries + 1)
    if deadline is not None:
        stop = stop | stop_after_delay(max(deadline - time.monotonic(), 0))
    return Retrying(stop=stop, retry=retry_if_exception_type(_parse_errors()), reraise=True)


def _count_call(usage: Usage, response: Any) -> None:
    usage.calls += 1
    tokens = getattr(response, "usage", None)
    if tokens is not None:
        usage.prompt_tokens += tokens.prompt_tokens or 0
        usage.completion_tokens += tokens.completion_tokens or 0


def _best_attempt(
    attempts: list[Any], model: type[BaseModel], context: dict[str, Any]
) -> BaseModel:
    """Keep the attempt with the fewest problems, its rejected items dropped.

    The best attempt, not the last: a small model's re-asked answer is often worse than its
    first (it re-writes everything to fix one item), and ties go to the earliest.
    """
    cause: BaseException = attempts[-1].exception
    candidates = []
    for attempt in attempts:
        arguments = _tool_arguments(attempt.completion)
        if arguments is None:
            continue
        try:
            answer = model.model_validate_json(arguments, context={**context, "lenient": True})
        except ValidationError as error:
            cause = error
            continue
        problems = attempt.exception
        count = len(problems.errors()) if isinstance(problems, ValidationError) else 1
        candidates.append((count, attempt.attempt_number, answer))
    if not candidates:
        detail = _describe(cause) if isinstance(cause, ValidationError) else _first_line(cause)
        raise ExtractionError(f"the model gave no usable briefing after its retries: {detail}")
    return min(candidates, key=lambda candidate: candidate[:2])[2]


def _describe(error: ValidationError) -> str:
    return _redact(validation_line(error, "briefing"))[:400]


def _tool_arguments(completion: Any) -> str | None:
    try:
        return completion.choices[0].message.tool_calls[0].function.arguments
    except (AttributeError, IndexError, TypeError):
        return None


def _backend_error(
    error: BaseException, backend: Backend, total_timeout: float | None = None
) -> BrieferError:
    """Name the endpoint and the fault in one line; the API key never appears in it, even when
    a server echoes it back. `total_timeout` is given when the run's whole time was spent."""
    import openai

    from briefer.backends import retry_after

    where = backend.description

    def line(text: BaseException | str) -> str:
        return _first_line(text, backend.secret)

    if isinstance(error, ValueError) and "context window" in str(error):
        # llama.cpp in-process: the prompt alone fills the context (HTTP servers answer 400).
        return ContextOverflow(
            f"the article is too long for {backend.model}: {line(error)} tokens "
            "with the instructions",
            _tokens(None, _CONTEXT_LIMIT, str(error)),
        )
    if isinstance(error, openai.APITimeoutError):
        if total_timeout is not None:
            return BackendError(f"{where}: no answer within {total_timeout:g} s in total")
        return BackendError(f"{where}: no answer within {backend.timeout:g} s")
    if isinstance(error, openai.APIConnectionError):
        return BackendError(f"{where}: cannot connect ({line(error.__cause__ or error)})")
    if isinstance(error, openai.AuthenticationError):
        return BackendError(f"{where}: the API key was refused (HTTP 401)")
    if isinstance(error, openai.APIStatusError):
        body = error.body if isinstance(error.body, dict) else {}
        message = body.get("message")
        message = message if isinstance(message, str) and message.strip() else error.message
        if _is_context_overflow(error.status_code, body, message):
            limit = _tokens(body.get("n_ctx"), _CONTEXT_LIMIT, message)
            return ContextOverflow(f"{where}: {_too_long(body, line(message))}", limit)
        wait = retry_after(error.response.headers) if error.status_code == 429 else None
        later = f"; it asks to retry in {wait:,.0f} s" if wait else ""
        return BackendError(f"{where}: HTTP {error.status_code}: {line(message)}{later}")
    if isinstance(error, json.JSONDecodeError):
        return BackendError(f"{where}: the server's answer is not JSON ({line(error)})")
    return BackendError(f"{where}: {type(error).__name__}: {line(error)}")


#: How OpenAI and llama-cpp-python (`context_length_exceeded`), vLLM and llama.cpp's server
#: (`exceed_context_size_error`) say that the prompt and the answer's cap do not fit.
_OVERFLOW_CODES = {"context_length_exceeded", "exceed_context_size_error"}
_OVERFLOW_TEXT = re.compile(
    r"maximum context length|exceeds? the (available )?context|context_length_exceeded", re.I
)
_CONTEXT_LIMIT = re.compile(
    r"(?:maximum context length is |context size \(|context window of )(\d+)"
)
_TOKENS_ASKED = re.compile(r"(?:resulted in |you requested |request \(|request has )(\d+) ")
_SHORTEN = "shorten the article or lower --max-tokens"


def _is_context_overflow(status: int, body: dict[str, Any], message: str) -> bool:
    codes = {str(body.get("code")), str(body.get("type"))}
    overflow = bool(codes & _OVERFLOW_CODES) or bool(_OVERFLOW_TEXT.search(message))
    return 400 <= status < 500 and status != 429 and overflow


def _too_long(body: dict[str, Any], message: str) -> str:
    """Say that the article does not fit, with the context's size when the server gives it."""
    limit = _tokens(body.get("n_ctx"), _CONTEXT_LIMIT, message)
    asked = _tokens(body.get("n_prompt_tokens"), _TOKENS_ASKED, message)
    if not limit:
        return f"the article is too long for the model's context ({message}); {_SHORTEN}"
    this = f" (this request: {asked:,})" if asked else ""
    return f"the article is too long for the model's context of {limit:,} tokens{this}; {_SHORTEN}"


def _tokens(field: Any, pattern: re.Pattern[str], message: str) -> int | None:
    """A token count from the error body's own field, else from its message."""
    if isinstance(field, int) and not isinstance(field, bool):
        return field
    found = pattern.search(message)
    return int(found.group(1)) if found else None


def _first_line(error: BaseException | str, secret: str | None = None) -> str:
    text = _redact(str(error), secret).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line[:300]


def _redact(text: str, secret: str | None = None) -> str:
    """Mask the API key, and anything shaped like one, whatever the server chose to echo back."""
    if secret:
        text = text.replace(secret, "***")
    return re.sub(r"(?<![A-Za-z0-9])(sk-|key-|Bearer\s+)[A-Za-z0-9_\-]{8,}", r"\1***", text)
