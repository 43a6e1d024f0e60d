"""Errors briefer raises on purpose, each with the exit code the CLI returns for it.

The CLI prints ``str(error)`` as one line on stderr, so messages are written for a reader:
what went wrong and, where possible, what to do about it. No message ever contains an API key.
"""

from __future__ import annotations


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


class TemplateError(InputError):
    """A `--template` file is missing, unreadable, not valid Jinja, or fails while rendering."""


class BackendError(BrieferError):
    """The LLM could not be reached or kept failing (network, HTTP errors, missing model)."""

    exit_code = 4


class ExtractionError(BrieferError):
    """The LLM answered, but no valid briefing could be built from its answers."""

    exit_code = 5
