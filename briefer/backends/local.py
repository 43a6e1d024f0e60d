"""The in-process backend: llama.cpp running a GGUF in this process (the embedded model,
or a file given with --model-path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from briefer.backends.base import Backend
from briefer.backends.grammar import schema_in_grammar

if TYPE_CHECKING:
    import instructor


@dataclass(frozen=True)
class LocalBackend(Backend):
    """llama.cpp in this process. Without `model_path`, the embedded model of the local
    extra (`briefer.backends.embedded`), located and joined only when a client is built."""

    model_path: str | None = None

    name: ClassVar[str] = "local"
    parallel: ClassVar[bool] = False  # one model in memory, both cores already busy
    priced: ClassVar[bool] = False
    interruptible: ClassVar[bool] = False  # an answer being generated cannot be cut short

    @property
    def description(self) -> str:
        return f"llama.cpp in-process ({self.model})"

    def client(self, deadline: float | None = None) -> instructor.Instructor:
        import instructor

        from briefer.backends.embedded import embedded_model_path, load_llama

        llama = load_llama(self.model_path or embedded_model_path())
        create = instructor.patch(
            create=schema_in_grammar(llama.create_chat_completion_openai_v1),
            mode=instructor.Mode.TOOLS,
        )
        return instructor.Instructor(client=llama, create=create, mode=instructor.Mode.TOOLS)

    def cache_identity(self) -> dict[str, Any]:
        return {**super().cache_identity(), "model_file": self._model_file_identity()}

    def _model_file_identity(self) -> str:
        """The embedded model by its published hash; any other GGUF by path, size and mtime
        (hashing a gigabyte on every run would cost more than the cache saves)."""
        if self.model_path is None:
            from briefer.backends.embedded import EMBEDDED_MODEL_SHA256

            return f"sha256:{EMBEDDED_MODEL_SHA256}"
        path = Path(self.model_path).resolve()
        try:
            stat = path.stat()
        except OSError:
            return f"{path}:missing"  # the run fails to load it, so nothing is stored under this
        return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"
