"""Writing files so that a failure never leaves a half-written or clobbered one: briefings,
the joined model file, the model's saved prompt state."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """A temporary file beside `path` (text, or bytes with mode "wb"), renamed into place when
    the block ends without an error.

    Readers see either the old file or the complete new one; an error inside the block (a
    check that fails once everything is written, too) or a crash leaves any earlier file
    untouched and no temporary file behind.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` atomically (`atomic_file`)."""
    with atomic_file(path) as handle:
        handle.write(text)
