"""Errors briefer raises on purpose, each with the exit code the CLI returns for it.

The CLI prints ``str(error)`` as one line on stderr, so messages are written for a reader:
what went wrong and, where possible, what to do about it. No message ever contains an API key.
"""

from __future__ import annotations


class BrieferError(Exception):
    """Base class: anything briefer reports to the user instead of a traceback."""

    exit_code = 1


class InputError(BrieferError):
    """The article cannot be read: missing, empty, binary, undecodable or too large."""

    exit_code = 3


class BackendError(BrieferError):
    """The LLM could not be reached or kept failing (network, HTTP errors, missing model)."""

    exit_code = 4


class ExtractionError(BrieferError):
    """The LLM answered, but no valid briefing could be built from its answers."""

    exit_code = 5
