"""Errors briefer raises on purpose, each with the exit code the CLI returns for it.

The CLI prints ``str(error)`` as one line on stderr, so messages are written for a reader:
what went wrong and, where possible, what to do about it. No message ever contains an API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class BrieferError(Exception):
    """Base class: anything briefer reports to the user instead of a traceback."""

    exit_code = 1


class UsageError(BrieferError):
    """The command asks for something impossible, e.g. several inputs but no output directory."""

    exit_code = 2


class InputError(BrieferError):
    """The article cannot be read: missing, empty, binary, undecodable or too large.

    Also a saved briefing (`briefer render`) that is not valid JSON or not a briefing.
    """

    exit_code = 3


class ContextOverflow(InputError):
    """The prompt and the answer do not fit the model's context; `limit` is the context's size
    in tokens when the model or server says it (a long article is then read in windows)."""

    def __init__(self, message: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.limit = limit


class TemplateError(InputError):
    """A `--template` file is missing, unreadable, not valid Jinja, or fails while rendering."""


class BackendError(BrieferError):
    """The LLM could not be reached or kept failing (network, HTTP errors, missing model)."""

    exit_code = 4


class ExtractionError(BrieferError):
    """The LLM answered, but no valid briefing could be built from its answers."""

    exit_code = 5


def unreadable(name: object, error: OSError, *, what: str = "file", expected: str = "") -> str:
    """One line saying why a file could not be read: missing, a directory, not permitted, or
    the system's reason. `what` names the file in "no such ..."; `expected`, in "is a
    directory, not ...", what it should have been (default: a `what`)."""
    if isinstance(error, FileNotFoundError):
        return f"{name}: no such {what}"
    if isinstance(error, IsADirectoryError):
        return f"{name}: is a directory, not {expected or 'a ' + what}"
    if isinstance(error, PermissionError):
        return f"{name}: permission denied"
    return f"{name}: cannot be read ({error.strerror or error})"


def validation_line(error: ValidationError, whole: str) -> str:
    """A pydantic `ValidationError` in one line: where the first problem is (`whole` when it
    is the value as a whole), what it is, and how many more there are."""
    problems = error.errors()
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or whole
    message = first["msg"].removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {message}{more}"
