"""Finished briefings on disk, keyed by everything that decides their content.

A repeated `briefer make` of the same article with the same backend, model, prompts, schema
and generation settings gets the stored briefing back at once instead of asking the LLM
again. The store is a `diskcache.Cache` (SQLite plus files, safe for threads and concurrent
processes) in `briefings/` under the user cache directory; its values are the validated
briefing's JSON, never pickles, and its keys are hashes that hold no API key. The cache only
saves time: an unreadable store or entry is a miss and a failed write a warning, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import briefer
from briefer.backends import Backend
from briefer.errors import BrieferError
from briefer.settings import ExtractionSettings

if TYPE_CHECKING:
    import diskcache

    from briefer.schema import Briefing

log = logging.getLogger(__name__)


def default_directory() -> Path:
    """Where the CLI keeps briefings: `briefings/` in the user cache directory."""
    from briefer.backends.embedded import cache_dir

    return cache_dir() / "briefings"


def briefing_key(article_sha256: str, backend: Backend, settings: ExtractionSettings) -> str:
    """A sha256 over what decides a briefing's content, and nothing secret.

    The article text's hash; what identifies the backend's answers (`cache_identity`: its
    kind, model, server URL or model file, request options); the prompts, schema and
    briefer versions; a fingerprint of the deterministic stages (`stages_fingerprint`); and
    the settings that change the answer (model and rules on or off, answer cap, re-asks,
    token budget) and the context size, which decides whether a long article is read in
    windows. Never the API key, nor the
    timeouts: they bound how long a run may take, not what a finished briefing says.
    """
    from briefer.extract import prompt_version
    from briefer.schema import SCHEMA_VERSION

    parts = {
        "stages": stages_fingerprint(),
        "article_sha256": article_sha256,
        **backend.cache_identity(),
        "prompt_version": prompt_version(),
        "schema_version": SCHEMA_VERSION,
        "briefer_version": briefer.__version__,
        "use_model": settings.use_model,
        "use_rules": settings.use_rules,
        "max_tokens": settings.max_tokens,
        "max_retries": settings.max_retries,
        "token_budget": settings.token_budget,
        "context_tokens": backend.context_tokens,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


#: The package files whose code or data shape a briefing besides the model's answer: the
#: analysis, the rules and their vocabulary, the answer's schema and checks, the assembly.
_STAGES = (
    "analysis",
    "rules",
    "answer.py",
    "assemble.py",
    "windows.py",
    "neutrality.py",
    "loaded_terms.txt",
)


@cache
def stages_fingerprint() -> str:
    """A sha256 over the files of every deterministic stage (`_STAGES`): a change to a rule
    or a word list misses the cache, so no briefing made by older rules is served."""
    digest = hashlib.sha256()
    root = files("briefer")
    for name in _STAGES:
        entry = root / name
        paths = (
            sorted(
                (p for p in entry.iterdir() if p.name.endswith((".py", ".txt"))),
                key=lambda p: p.name,
            )
            if entry.is_dir()
            else [entry]
        )
        for path in paths:
            digest.update(f"{name}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What `briefer cache info` reports."""

    directory: Path
    entries: int
    size_bytes: int


class BriefingCache:
    """Validated briefings on disk; one instance may be shared by threads, one directory by
    processes. The store is opened on first use, so creating one costs nothing."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_directory()
        self._store: diskcache.Cache | None = None
        self._lock = threading.Lock()

    def get(self, key: str) -> Briefing | None:
        """The stored briefing, or None: an absent, unreadable or invalid entry is a miss."""
        from pydantic import ValidationError

        from briefer.schema import Briefing

        try:
            text = self._open().get(key)
        # Anything a damaged store raises (SQLite, I/O, decoding) only costs an LLM call.
        except Exception as error:
            log.warning(
                "briefer: cache unreadable, not used (%s); see `briefer cache clear`", error
            )
            return None
        if not isinstance(text, str):
            return None
        try:
            return Briefing.model_validate_json(text)
        except ValidationError:
            log.warning("briefer: a cached briefing is damaged; making it again")
            return None

    def put(self, key: str, briefing: Briefing) -> None:
        """Store a finished briefing; a store that cannot be written only earns a warning."""
        try:
            self._open().set(key, briefing.model_dump_json())
        except Exception as error:
            log.warning("briefer: cannot write the cache (%s); briefing not stored", error)

    def info(self) -> CacheInfo:
        """Location, number of entries and bytes on disk (an absent cache is empty)."""
        if not self.directory.is_dir():
            return CacheInfo(self.directory, 0, 0)
        try:
            entries = len(self._open())
        except Exception as error:
            raise BrieferError(
                f"the cache at {self.directory} is unreadable ({error}); "
                "`briefer cache clear` removes it"
            ) from None
        self.close()  # the last connection out folds SQLite's write-ahead log into the file
        size = sum(path.stat().st_size for path in self.directory.rglob("*") if path.is_file())
        return CacheInfo(self.directory, entries, size)

    def clear(self) -> int:
        """Remove every entry and return how many there were. A store too damaged to open is
        deleted whole: that is the way out of a corrupt cache."""
        if not self.directory.is_dir():
            return 0
        try:
            return self._open().clear()
        except sqlite3.OperationalError as error:  # busy or locked: in use, not damaged
            raise BrieferError(f"cannot clear the cache at {self.directory} ({error})") from None
        except sqlite3.DatabaseError:
            self.close()
            shutil.rmtree(self.directory)
            return 0

    def close(self) -> None:
        """Close the store's files; the next use opens it again."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def __enter__(self) -> BriefingCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> diskcache.Cache:
        with self._lock:
            if self._store is None:
                import diskcache

                self._store = diskcache.Cache(str(self.directory))
            return self._store
