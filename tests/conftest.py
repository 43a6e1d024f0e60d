"""Shared fixtures: a realistic briefing of an invented article, built without any LLM."""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scripted_server import answer_from_schema

from briefer.schema import Briefing, BriefingContent

ARTICLES = Path(__file__).parent / "articles"
DAM_ARTICLE = (ARTICLES / "court-ruling-river-dam.txt").read_text(encoding="utf-8")

#: A quote the article does not contain; only lenient validation keeps it (as unverified).
#: Every Markdown briefing has these sections, in this order, even when one is empty.
SECTION_HEADINGS = [
    "## Summary",
    "## Actors",
    "## Positions",
    "## Permissions and prohibitions",
    "## Warnings",
    "## Disputed claims",
    "## Open questions",
    "## Source notes",
    "## Evidence",
]

FABRICATED_QUOTE = "The consortium said the plant will stay profitable at any height."

#: What an LLM might write for the dam article; every quote but FABRICATED_QUOTE is verbatim.
DAM_CONTENT: dict[str, Any] = {
    "headline": "Court lets Oyuma dam proceed but caps the reservoir pending consultation",
    "summary": (
        "Calderra's Constitutional Court allowed work on the Tesh Kalar dam to continue but "
        "capped the reservoir at 212 metres until the Wayaku community is consulted again. "
        "The Wayaku Council and the Ministry of Energy dispute how much land would be flooded."
    ),
    "actors": [
        {
            "id": "constitutional-court",
            "name": "Constitutional Court",
            "kind": "government",
            "role": "Calderra's highest court",
        },
        {
            "id": "wayaku-council",
            "name": "Wayaku Council",
            "kind": "group",
            "role": "indigenous community body that brought the case",
        },
        {
            "id": "ministry-of-energy",
            "name": "Ministry of Energy",
            "kind": "government",
            "role": "issued the environmental permit",
        },
        {
            "id": "teodor-vasquel",
            "name": "Teodor Vasquel",
            "kind": "person",
            "role": "Energy Minister",
        },
        {
            "id": "meridane",
            "name": "Meridane Hydro Consortium",
            "kind": "organisation",
            "role": "builder and operator of the dam",
        },
    ],
    "positions": [
        {
            "actor": "wayaku-council",
            "stance": "The Wayaku Council says a full reservoir would flood about 14,000 hectares.",
            "evidence": [
                "a full reservoir would flood about 14,000 hectares, including nine "
                "villages and several burial grounds"
            ],
        },
        {
            "actor": "ministry-of-energy",
            "stance": "The ministry says the flooded area would be 6,300 hectares.",
            "evidence": [
                "putting the flooded area at 6,300 hectares and saying only three "
                "settlements would have to move"
            ],
        },
        {
            "actor": "meridane",
            "stance": "Meridane says the plant will remain profitable.",
            "evidence": [FABRICATED_QUOTE],
        },
    ],
    "permissions": [
        {
            "grantor": "constitutional-court",
            "grantee": "meridane",
            "action": "keep building the dam wall and turbine hall",
            "status": "restricted",
            "limits": "reservoir capped at 212 metres until the Wayaku are consulted again",
            "evidence": [
                "barred the operator from filling the reservoir above 212 metres until "
                "the Wayaku indigenous community has been consulted again"
            ],
        },
    ],
    "warnings": [
        {
            "issuer": "teodor-vasquel",
            "addressee": None,
            "kind": "prediction",
            "warning": "households in the south will face rolling blackouts next winter",
            "conditional": "if the project slips by another year",
            "evidence": [
                "If this project slips by another year, households in the south will "
                "face rolling blackouts next winter"
            ],
        },
    ],
    "disputed_claims": [
        {
            "claim": "A full reservoir would flood about 14,000 hectares",
            "asserted_by": ["wayaku-council"],
            "disputed_by": ["ministry-of-energy"],
            "evidence": ["The ministry disputes that figure"],
        },
    ],
    "open_questions": [
        {
            "question": "Who must pay the compensation?",
            "actors": ["ministry-of-energy", "meridane"],
            "evidence": [
                "The ruling does not say whether the ministry or the consortium must "
                "pay compensation"
            ],
        },
    ],
    "source_notes": [
        {
            "kind": "missing_voice",
            "note": "The dissenting judges are not named or quoted directly.",
            "evidence": [
                "The two dissenting judges said the court had no business setting a "
                "technical height limit."
            ],
        },
    ],
}


def make_meta(**overrides: Any) -> dict[str, Any]:
    """Metadata as `make_briefing` records it, for a briefing made without an LLM."""
    return {
        "briefer_version": "0.1.0",
        "prompt_version": "test",
        "backend": "none (built by the test suite)",
        "model": "no-model",
        **overrides,
    }


def make_source(article: str, **overrides: Any) -> dict[str, Any]:
    """The `source` section `make_briefing` records for `article`."""
    return {
        "name": "article.txt",
        "sha256": hashlib.sha256(article.encode("utf-8")).hexdigest(),
        "text": article,
        **overrides,
    }


def build_briefing(
    data: dict[str, Any],
    article: str,
    *,
    lenient: bool = False,
    source: dict[str, Any] | None = None,
    **meta: Any,
) -> Briefing:
    """Validate LLM-style content against `article`, then add metadata, as the API does."""
    context: dict[str, Any] = {"article": article, "lenient": lenient}
    content = BriefingContent.model_validate(copy.deepcopy(data), context=context)
    counts = content.grounding_counts().model_dump()
    return Briefing.model_validate(
        {
            **content.model_dump(),
            "meta": make_meta(grounding=counts, **meta),
            "source": make_source(article, **(source or {})),
        }
    )


#: Replay cassettes: real model output, recorded by `make record` / `make record-merge`.
CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "replay"
#: Where the llama.cpp server listens while recording; replays never connect to it.
RECORDING_URL = os.environ.get("BRIEFER_RECORD_URL", "http://127.0.0.1:8765/v1")
RECORDED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    """One recording policy for every cassette: credentials filtered, requests matched on
    their body too, so a prompt or schema change cannot replay a stale answer."""
    return {
        "filter_headers": ["authorization", "api-key", "x-api-key", "openai-organization"],
        "match_on": ["method", "scheme", "host", "port", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="session")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Keep joined models and saved prompt states out of the user's real cache directory."""
    folder = tmp_path_factory.mktemp("briefer-cache")
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def dam_article() -> str:
    return DAM_ARTICLE


@pytest.fixture
def fabricated_quote() -> str:
    return FABRICATED_QUOTE


@pytest.fixture
def dam_content() -> dict[str, Any]:
    """A fresh, mutable copy of the LLM-style content for the dam article."""
    return copy.deepcopy(DAM_CONTENT)


@pytest.fixture
def dam_briefing() -> Briefing:
    """The dam briefing, with the fabricated quote kept as unverified (lenient validation)."""
    return build_briefing(DAM_CONTENT, DAM_ARTICLE, lenient=True)


@pytest.fixture
def briefing_of() -> Callable[..., Briefing]:
    """`build_briefing` as a fixture, for tests that build their own content."""
    return build_briefing


def answer_for(article: str, sentences: range | None = None, **fields: Any) -> str:
    """A valid model answer for `article`, as JSON: what the guided schema asks of the
    model (`briefer.answer.guided_answer_model`; with `sentences`, a window's), each item
    with its fixed or first choices (`answer_from_schema`), then `fields` over it."""
    from briefer.analysis import analyse
    from briefer.answer import guided_answer_model
    from briefer.rules import candidates

    analysis = analyse(article)
    model = guided_answer_model(candidates(analysis, sentences))
    return answer_from_schema(model.model_json_schema(), **fields)
