"""Specification of the briefing cache: a repeated `make` of the same article costs no LLM call.

What must hold: a hit makes no request and differs from the original only in `meta.cached`;
anything that shapes the briefing (text, backend, model, model file, prompts, schema,
settings) changes the key, while the API key and timeouts do not; failed runs are never
stored; a damaged entry or store is a miss, never a crash; two processes can share one cache;
and no API key ever reaches the cache's files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import diskcache
import pytest
from conftest import answer_for
from scripted_server import ScriptedServer, Step, plain_text, scripted_llm, tool_call

from briefer import cache as cache_module
from briefer import extract, schema
from briefer.api import make_briefing
from briefer.article import article_from_text
from briefer.backends import Backend, LocalBackend, OpenAIBackend, ServerBackend
from briefer.cache import BriefingCache, briefing_key
from briefer.cli import main
from briefer.errors import ExtractionError
from briefer.schema import Briefing
from briefer.settings import ExtractionSettings

BACKEND_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH")
SENTINEL_KEY = "sk-cache-sentinel-" + "Ab12Cd34Ef56Gh78Ij90"

ARTICLE = (
    "Norby raises its harbour fees\n"
    "The port authority of Norby raised mooring fees by 12 percent on Tuesday. "
    '"We have not raised fees in nine years," director Ana Lind said. Union leader Ole Berg '
    "said the rise would push small fishing boats out of the harbour.\n"
)
#: The model's answer for ARTICLE (the guided schema: a headline, a summary, and which
#: of its statements are warnings).
ANSWER: dict[str, Any] = json.loads(
    answer_for(
        ARTICLE,
        headline="Norby port authority raises mooring fees by 12 percent",
        summary="Norby's port authority raised mooring fees; the fishermen's union objects.",
    )
)
ARTICLE_SHA256 = hashlib.sha256(ARTICLE.encode()).hexdigest()


def valid(**tokens: int) -> Step:
    return tool_call(json.dumps(ANSWER), **tokens)


def backend_for(server: ScriptedServer, **changes: Any) -> Backend:
    backend = ServerBackend(model="scripted", base_url=server.base_url)
    return replace(backend, **changes)


@pytest.fixture(autouse=True)
def no_backend_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[BriefingCache]:
    with BriefingCache(tmp_path / "briefings") as cache:
        yield cache


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def as_original(briefing: Briefing) -> dict[str, Any]:
    """The briefing's data with the cache flag cleared: what a hit must equal."""
    data = briefing.model_dump()
    data["meta"]["cached"] = False
    return data


# --- hits ----------------------------------------------------------------------------------


def test_a_second_briefing_of_the_article_comes_from_the_cache_without_a_request(cache):
    with scripted_llm([valid()]) as server:
        first = make_briefing(ARTICLE, backend=backend_for(server), cache=cache)
        second = make_briefing(ARTICLE, backend=backend_for(server), cache=cache)

    assert len(server.requests) == 1
    assert (first.meta.cached, second.meta.cached) == (False, True)
    # The usage is the original run's: what the briefing cost when it was made.
    assert second.meta.usage == first.meta.usage
    assert as_original(second) == first.model_dump()


def test_the_cli_serves_a_repeated_make_from_the_cache(article_file, capsys):
    argv = ["make", str(article_file), "-f", "json"]
    with scripted_llm([valid()]) as server:
        assert main([*argv, "--base-url", server.base_url]) == 0
        first = json.loads(capsys.readouterr().out)
        assert main([*argv, "--base-url", server.base_url]) == 0
        second = json.loads(capsys.readouterr().out)

    assert len(server.requests) == 1
    assert (first["meta"]["cached"], second["meta"]["cached"]) == (False, True)
    second["meta"]["cached"] = False
    assert second == first


def test_a_hit_reports_this_runs_source(cache):
    """Same text under another name: the briefing is reused, the source is this run's."""
    with scripted_llm([valid()]) as server:
        make_briefing(
            article_from_text(ARTICLE, source_name="a.txt"),
            backend=backend_for(server),
            cache=cache,
        )
        again = make_briefing(
            article_from_text(ARTICLE, source_name="b.txt"),
            backend=backend_for(server),
            cache=cache,
        )

    assert len(server.requests) == 1
    assert again.meta.cached and again.source.name == "b.txt"


def test_without_a_cache_the_api_stores_nothing(private_cache_dir: Path):
    with scripted_llm([valid(), valid()]) as server:
        make_briefing(ARTICLE, backend=backend_for(server))
        make_briefing(ARTICLE, backend=backend_for(server))

    assert len(server.requests) == 2
    assert not (private_cache_dir / "briefings").exists()


# --- what the key covers -------------------------------------------------------------------

SETTINGS = ExtractionSettings()
BASE = ServerBackend(model="scripted", base_url="http://127.0.0.1:9/v1")


def test_the_key_changes_with_everything_that_shapes_the_briefing(monkeypatch, tmp_path):
    original = briefing_key("a" * 64, BASE, SETTINGS)
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF" * 10)
    variants = {
        "article": briefing_key("b" * 64, BASE, SETTINGS),
        "model": briefing_key("a" * 64, replace(BASE, model="other"), SETTINGS),
        "base_url": briefing_key("a" * 64, replace(BASE, base_url="http://h:1/v1"), SETTINGS),
        "kind": briefing_key("a" * 64, OpenAIBackend(model=BASE.model), SETTINGS),
        "local": briefing_key("a" * 64, LocalBackend(model="m", model_path=str(gguf)), SETTINGS),
        "max_tokens": briefing_key("a" * 64, BASE, replace(SETTINGS, max_tokens=100)),
        "max_retries": briefing_key("a" * 64, BASE, replace(SETTINGS, max_retries=5)),
        "token_budget": briefing_key("a" * 64, BASE, replace(SETTINGS, token_budget=999)),
        "no model": briefing_key("a" * 64, BASE, replace(SETTINGS, use_model=False)),
        "no rules": briefing_key("a" * 64, BASE, replace(SETTINGS, use_rules=False)),
    }
    with monkeypatch.context() as patch:
        patch.setattr(extract, "prompt_version", lambda: "another-prompt")
        variants["prompt_version"] = briefing_key("a" * 64, BASE, SETTINGS)
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", "999")
        variants["schema_version"] = briefing_key("a" * 64, BASE, SETTINGS)

    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "stages_fingerprint", lambda: "other-rules")
        variants["stages"] = briefing_key("a" * 64, BASE, SETTINGS)

    assert original not in variants.values()
    assert len(set(variants.values())) == len(variants)


def test_a_change_to_any_rule_file_changes_the_stages_fingerprint(monkeypatch, tmp_path):
    """A briefing made by older rules must not be served after the rules change."""
    package = tmp_path / "briefer"
    shutil.copytree(Path(cache_module.__file__).parent, package)
    monkeypatch.setattr(cache_module, "files", lambda name: package)
    before = cache_module.stages_fingerprint.__wrapped__()
    vocabulary = package / "rules" / "vocabulary.py"
    vocabulary.write_text(vocabulary.read_text("utf-8") + "\n# one more word\n", "utf-8")
    assert cache_module.stages_fingerprint.__wrapped__() != before


def test_the_key_ignores_the_api_key_and_timeouts():
    key = briefing_key("a" * 64, BASE, SETTINGS)
    assert briefing_key("a" * 64, replace(BASE, api_key=SENTINEL_KEY, timeout=9), SETTINGS) == key
    assert briefing_key("a" * 64, BASE, replace(SETTINGS, total_timeout=5)) == key


def test_a_local_model_file_is_identified_by_path_size_and_time(tmp_path):
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF" * 10)
    backend = LocalBackend(model="model.gguf", model_path=str(gguf))
    first = briefing_key("a" * 64, backend, SETTINGS)
    assert briefing_key("a" * 64, backend, SETTINGS) == first

    gguf.write_bytes(b"GGUF" * 11)
    resized = briefing_key("a" * 64, backend, SETTINGS)
    stat = gguf.stat()
    os.utime(gguf, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = briefing_key("a" * 64, backend, SETTINGS)
    embedded = briefing_key("a" * 64, LocalBackend(model="model.gguf"), SETTINGS)

    assert len({first, resized, touched, embedded}) == 4


def test_another_model_misses_and_asks_the_llm(cache):
    with scripted_llm([valid(), valid()]) as server:
        make_briefing(ARTICLE, backend=backend_for(server), cache=cache)
        other = make_briefing(ARTICLE, backend=backend_for(server, model="other"), cache=cache)

    assert len(server.requests) == 2
    assert other.meta.cached is False
    assert cache.info().entries == 2


def test_other_settings_miss(cache):
    with scripted_llm([valid(), valid()]) as server:
        make_briefing(ARTICLE, backend=backend_for(server), cache=cache)
        settings = ExtractionSettings(max_tokens=2048)
        make_briefing(ARTICLE, backend=backend_for(server), settings=settings, cache=cache)

    assert len(server.requests) == 2


def test_another_prompt_version_misses(cache, monkeypatch):
    with scripted_llm([valid(), valid()]) as server:
        make_briefing(ARTICLE, backend=backend_for(server), cache=cache)
        monkeypatch.setattr(extract, "prompt_version", lambda: "reworded-prompt")
        make_briefing(ARTICLE, backend=backend_for(server), cache=cache)

    assert len(server.requests) == 2


# --- the CLI -------------------------------------------------------------------------------


def test_no_cache_asks_the_llm_and_stores_nothing(article_file, capsys, private_cache_dir):
    argv = ["make", str(article_file), "--no-cache"]
    with scripted_llm([valid(), valid()]) as server:
        assert main([*argv, "--base-url", server.base_url]) == 0
        assert main([*argv, "--base-url", server.base_url]) == 0

    assert len(server.requests) == 2
    assert BriefingCache().info().entries == 0


def test_no_cache_asks_the_llm_even_when_a_briefing_is_stored(article_file, capsys):
    with scripted_llm([valid(), valid()]) as server:
        assert main(["make", str(article_file), "--base-url", server.base_url]) == 0
        argv = ["make", str(article_file), "--base-url", server.base_url, "--no-cache"]
        assert main([*argv, "-f", "json"]) == 0

    assert len(server.requests) == 2
    assert '"cached": false' in capsys.readouterr().out


def test_cache_info_and_clear(article_file, capsys, private_cache_dir):
    assert main(["cache", "info"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["entries:  0", "size:     0 bytes on disk"]
    assert not (private_cache_dir / "briefings").exists()  # looking creates nothing

    with scripted_llm([valid()]) as server:
        assert main(["make", str(article_file), "--base-url", server.base_url]) == 0
    capsys.readouterr()

    assert main(["cache", "info"]) == 0
    location, entries, size = capsys.readouterr().out.splitlines()
    assert location == f"location: {private_cache_dir / 'briefings'}"
    assert entries == "entries:  1"
    assert int(size.split()[1].replace(",", "")) > 0

    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out.startswith("removed 1 cached briefing(s) from ")
    assert main(["cache", "info"]) == 0
    assert "entries:  0" in capsys.readouterr().out


# --- failures and damage -------------------------------------------------------------------


def test_a_failed_briefing_is_never_stored(cache):
    no_tool_call = plain_text("I cannot help with that.")
    with scripted_llm([no_tool_call, no_tool_call, valid()]) as server:
        settings = ExtractionSettings(max_retries=1)
        with pytest.raises(ExtractionError):
            make_briefing(ARTICLE, backend=backend_for(server), settings=settings, cache=cache)
        assert cache.info().entries == 0
        briefing = make_briefing(
            ARTICLE, backend=backend_for(server), settings=settings, cache=cache
        )

    assert len(server.requests) == 3
    assert briefing.meta.cached is False


@pytest.mark.parametrize(
    "damage",
    ["{not json", '{"headline": "only a headline"}', b"\x80\x04 bytes, not text"],
    ids=["not-json", "not-a-briefing", "not-text"],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(cache, damage):
    with scripted_llm([valid(), valid()]) as server:
        key = briefing_key(ARTICLE_SHA256, backend_for(server), ExtractionSettings())
        make_briefing(ARTICLE, backend=backend_for(server), cache=cache)
        with diskcache.Cache(str(cache.directory)) as raw:
            raw[key] = damage
        assert cache.get(key) is None
        again = make_briefing(ARTICLE, backend=backend_for(server), cache=cache)

    assert len(server.requests) == 2
    assert again.meta.cached is False
    assert cache.get(key) == again


def test_an_entry_kept_in_a_file_that_became_garbage_is_a_miss(cache, dam_briefing):
    """Large briefings live in files beside the database; bad bytes there are a miss too."""
    long_text = dam_briefing.source.text + "x" * 100_000
    source = {"text": long_text, "sha256": hashlib.sha256(long_text.encode()).hexdigest()}
    briefing = dam_briefing.model_copy(
        update={"source": dam_briefing.source.model_copy(update=source)}
    )
    cache.put("key", briefing)
    assert cache.get("key") == briefing
    [value_file] = [p for p in cache.directory.rglob("*.val")]
    value_file.write_bytes(b"\xff\xfe\x00 not UTF-8")

    assert cache.get("key") is None


def test_a_corrupt_store_is_a_miss_and_cache_clear_removes_it(article_file, capsys, caplog):
    store = BriefingCache().directory
    store.mkdir(parents=True)
    (store / "cache.db").write_bytes(b"this is not an SQLite database" * 100)

    with scripted_llm([valid()]) as server:
        assert main(["make", str(article_file), "--base-url", server.base_url]) == 0
    assert len(server.requests) == 1
    assert "cache unreadable" in caplog.text
    capsys.readouterr()

    assert main(["cache", "info"]) == 1
    assert "briefer cache clear" in capsys.readouterr().err
    assert main(["cache", "clear"]) == 0
    assert main(["cache", "info"]) == 0
    assert "entries:  0" in capsys.readouterr().out


# --- sharing, and secrets -------------------------------------------------------------------

WORKER = """
import sys
from briefer.cache import BriefingCache
from briefer.schema import Briefing

directory, key, path, rounds = sys.argv[1:]
briefing = Briefing.model_validate_json(open(path, encoding="utf-8").read())
with BriefingCache(directory) as cache:
    for _ in range(int(rounds)):
        cache.put(key, briefing)
        assert cache.get(key) == briefing, "a read saw a torn or missing entry"
print("ok")
"""


def test_two_processes_and_several_threads_share_one_key(cache, dam_briefing, tmp_path):
    path = tmp_path / "briefing.json"
    path.write_text(dam_briefing.model_dump_json(), encoding="utf-8")
    argv = [sys.executable, "-c", WORKER, str(cache.directory), "shared", str(path), "40"]
    workers = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]

    def read_and_write(_: int) -> None:
        for _ in range(20):
            cache.put("shared", dam_briefing)
            assert cache.get("shared") == dam_briefing

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(read_and_write, range(4)))
    results = [worker.communicate(timeout=60) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], results
    assert [out for out, _ in results] == ["ok\n", "ok\n"]
    assert [err for _, err in results] == ["", ""]
    assert cache.get("shared") == dam_briefing
    assert cache.info().entries == 1


def test_no_api_key_reaches_the_cache_files(article_file, capsys, monkeypatch, private_cache_dir):
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL_KEY)
    with scripted_llm([valid(), valid()]) as server:
        assert main(["make", str(article_file), "--base-url", server.base_url]) == 0
        api_cache = BriefingCache(private_cache_dir / "api")
        backend = backend_for(server, api_key=SENTINEL_KEY)
        make_briefing(ARTICLE, backend=backend, cache=api_cache)
        api_cache.close()

    # The key was in play: it went to the server, in the Authorization header only.
    for request in server.requests:
        headers = {name.lower(): value for name, value in request.headers.items()}
        assert headers["authorization"] == f"Bearer {SENTINEL_KEY}"
    files = [path for path in private_cache_dir.rglob("*") if path.is_file()]
    assert len(files) >= 2
    for path in files:
        assert SENTINEL_KEY.encode() not in path.read_bytes(), path


def test_the_embedded_model_has_no_total_time_limit_unless_asked(article_file, monkeypatch):
    """A long or re-asked briefing on the in-process model takes minutes and cannot be cut
    short mid-answer: a default total limit only marked it interrupted, so it was never
    cached. A server keeps its default bound; --timeout is obeyed by both."""
    from briefer import api

    given: list[float | None] = []

    def record(article, *, backend, settings, cache):
        given.append(settings.total_timeout)
        raise ExtractionError("recorded")

    monkeypatch.setattr(api, "make_briefing", record)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    main(["make", str(article_file)])
    main(["make", str(article_file), "--timeout", "50"])
    main(["make", str(article_file), "--base-url", "http://127.0.0.1:9/v1"])

    assert given == [None, 50.0, 300.0]
