"""Backend resolution: flags, then environment, then an API key, then the embedded model."""

from __future__ import annotations

import pytest

from briefer.backends import (
    DEFAULT_OPENAI_MODEL,
    LocalBackend,
    OpenAIBackend,
    ServerBackend,
    resolve_backend,
)
from briefer.backends.embedded import EMBEDDED_MODEL_NAME
from briefer.errors import BackendError


def test_with_nothing_configured_the_embedded_model_is_used_without_touching_its_file():
    backend = resolve_backend(environ={})

    assert isinstance(backend, LocalBackend)
    assert (backend.model, backend.model_path) == (EMBEDDED_MODEL_NAME, None)
    assert "in-process" in backend.description


def test_an_api_key_alone_selects_openai_with_the_default_model():
    backend = resolve_backend(environ={"OPENAI_API_KEY": "sk-test-key-0123456789abcdef"})

    assert type(backend) is OpenAIBackend
    assert backend.model == DEFAULT_OPENAI_MODEL


def test_environment_base_url_and_model_select_a_compatible_server():
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1/", "BRIEFER_MODEL": "qwen"}
    backend = resolve_backend(environ=env)

    assert isinstance(backend, ServerBackend)
    assert (backend.model, backend.base_url) == (
        "qwen",
        "http://127.0.0.1:9/v1",
    )


def test_flags_win_over_the_environment():
    env = {"OPENAI_BASE_URL": "http://env:1/v1", "BRIEFER_MODEL": "env-model"}
    backend = resolve_backend(model="flag-model", base_url="http://flag:2/v1", environ=env)

    assert (backend.model, backend.base_url) == ("flag-model", "http://flag:2/v1")


def test_a_model_path_runs_that_file_in_process():
    backend = resolve_backend(model_path="/models/other.gguf", environ={})

    assert isinstance(backend, LocalBackend)
    assert (backend.model, backend.model_path) == (
        "other.gguf",
        "/models/other.gguf",
    )


def test_a_model_name_without_a_key_or_server_is_a_clear_error():
    with pytest.raises(BackendError, match="OPENAI_API_KEY"):
        resolve_backend(model="gpt-4o", environ={})


def test_the_api_key_is_never_part_of_the_backend_description_or_repr():
    key = "sk-test-key-0123456789abcdef"
    backend = resolve_backend(environ={"OPENAI_API_KEY": key})

    assert key not in backend.description
    assert key not in repr(backend)


def test_a_key_in_the_servers_url_is_masked_wherever_the_url_is_shown():
    backend = resolve_backend(
        base_url="http://user:pa55word@127.0.0.1:9/v1?api-key=SECRET-123", environ={}
    )

    assert backend.description == "openai-compatible server at http://user:***@127.0.0.1:9/v1?***"


def test_generation_settings_are_the_same_for_every_backend():
    server = resolve_backend(base_url="http://127.0.0.1:9/v1", environ={})
    openai = resolve_backend(environ={"OPENAI_API_KEY": "sk-test-key-0123456789abcdef"})

    assert server.request_options()["temperature"] == openai.request_options()["temperature"] == 0
    # llama.cpp's server defaults to 1.1; the in-process model uses 1.0.
    assert server.request_options()["extra_body"] == {"repeat_penalty": 1.0}


def test_make_briefing_refuses_an_option_it_does_not_know_before_any_work():
    import briefer

    with pytest.raises(TypeError, match="'cach'"):
        briefer.make_briefing("Any article text.", cach=None)  # type: ignore[call-arg]
    assert set(briefer.BriefingOptions.__annotations__) >= {"backend", "settings", "cache"}
