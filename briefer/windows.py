"""Windows: a long article read in parts, each part citing the one document's sentence ids.

The article is parsed once (`briefer.analysis`): its sentences, actors and statements are the
whole text's. When the prompt would not fit the model's context, the model reads the numbered
sentences in windows of whole sentences that overlap a little (a pronoun's referent, the
claim a denial answers), each window after the same instructions and the same actor table,
so a model that keeps its evaluated prefix (llama.cpp does, in-process and in its server)
reads that prefix once. Each sentence belongs to one window (`Window.owned`): that window
alone is asked the rules' candidates in it, so nothing is asked twice; what the model finds
on its own in an overlap may come twice and is merged (`merge_answers`) by section, actors
and cited sentences. A window never cuts a sentence, so never a quotation: the analysis keeps
a quotation of several sentences in one. Headline and summary of the whole come from
the windows' own headlines and summaries, in one more short call (`extract_overview`).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefer.analysis import Analysis
from briefer.backends import Backend
from briefer.errors import BackendError, ContextOverflow, ExtractionError
from briefer.extract import extract_answer, extract_overview, prompt_context, prompt_template
from briefer.rules import candidates
from briefer.schema import SECTIONS, Spent, Usage, WindowUsage
from briefer.settings import ExtractionSettings

#: Sentences a window repeats from the one before it, as context only (a dispute looks back
#: three sentences for the claim it denies).
OVERLAP = 3
#: English news runs 3.6 to 5.3 characters a token in the embedded model's tokenizer (the 84
#: PolNeAR articles); counting 3.3 errs on the side of a window that fits.
CHARS_PER_TOKEN = 3.3
#: Tokens kept free for a window's answer: it decides only that window's candidates.
WINDOW_ANSWER_TOKENS = 1536
#: The fewest tokens of sentences worth a window.
MIN_WINDOW_TOKENS = 64


@dataclass(frozen=True)
class Window:
    """Consecutive sentences shown together (`shown`), and those this window is asked about
    (`owned`: the shown ones less the overlap that the window before it owns)."""

    shown: range
    owned: range


def estimated_tokens(text: str) -> int:
    """A generous token count for English text, without loading a tokenizer."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def plan_windows(sizes: Sequence[int], budget: int, *, overlap: int = OVERLAP) -> list[Window]:
    """Windows over sentences 1..len(sizes) (`sizes[i]`: sentence i+1's tokens), each at
    most `budget` tokens, the next starting `overlap` sentences before the last one ended.

    Sentences are never cut, so neither is a quotation: the analysis keeps a quotation of
    several sentences in one. A sentence over the budget gets a window of its own. Every
    sentence is owned by exactly one window and shown in at least one.
    """
    count = len(sizes)
    windows: list[Window] = []
    start, owned_from = 1, 1
    while owned_from <= count:
        end = _last_fitting(sizes, start, budget)
        if end < owned_from:  # the overlap leaves no room: show less of the window before
            start = owned_from
            end = max(_last_fitting(sizes, start, budget), start)  # over budget: alone
        windows.append(Window(shown=range(start, end + 1), owned=range(owned_from, end + 1)))
        owned_from = end + 1
        start = max(owned_from - overlap, start + 1)
    return windows


def _last_fitting(sizes: Sequence[int], start: int, budget: int) -> int:
    """The last sentence of a window from `start` within `budget` (start - 1 if none fits)."""
    end, used = start - 1, 0
    while end < len(sizes) and used + sizes[end] <= budget:
        used += sizes[end]
        end += 1
    return end


def sentence_sizes(analysis: Analysis) -> list[int]:
    """Each sentence's tokens as the prompt shows it: number, words, and speakers."""
    sizes = []
    for sentence in analysis.sentences:
        words = " ".join(analysis.text[sentence.start : sentence.end].split())
        speakers = {s.speaker for s in analysis.statements_in(sentence.id)}
        sizes.append(estimated_tokens(f"[{sentence.id}] {words} {{says: {', '.join(speakers)}}}"))
    return sizes


@dataclass
class MergedAnswer:
    """The windows' answers as one: what `briefer.assemble` reads, like a model's answer."""

    headline: str = ""
    summary: str = ""
    positions: list[Any] = field(default_factory=list)
    permissions: list[Any] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    disputed_claims: list[Any] = field(default_factory=list)
    open_questions: list[Any] = field(default_factory=list)
    source_notes: list[Any] = field(default_factory=list)


def merge_answers(answers: Iterable[Any]) -> MergedAnswer:
    """Every window's items, in window order, each found once: two items of a section with
    the same actors citing the same sentences are one (an overlap read twice)."""
    merged = MergedAnswer()
    seen: set[tuple[Any, ...]] = set()
    for answer in answers:
        for section in SECTIONS:
            for item in getattr(answer, section, None) or ():
                key = (section, *_identity(item))
                if key not in seen:
                    seen.add(key)
                    getattr(merged, section).append(item)
    return merged


def _identity(item: Any) -> tuple[Any, ...]:
    """What makes an item the same item: the actors it names and the sentences it cites."""
    roles = ("actor", "grantor", "grantee", "issuer", "asserted_by", "disputed_by", "kind")
    actors = tuple(getattr(item, role, None) for role in roles)
    cited = tuple(getattr(item, "sentences", None) or [getattr(item, "sentence", None)])
    return actors, cited


def answer_article(
    analysis: Analysis, backend: Backend, settings: ExtractionSettings
) -> tuple[Any, Usage]:
    """The model's answer for the whole article and what it cost: one call when the prompt
    fits the backend's context (or the context is unknown and the server accepts it), else
    one call per window and one for the headline and summary of the whole.

    The deadline (`settings.total_timeout`) and `settings.token_budget` bound the whole
    article. When they run out after some windows were read, the answer keeps what was found
    and the usage says it was interrupted (a later run may do better; it is not cached).
    """
    deadline = time.monotonic() + settings.total_timeout if settings.total_timeout else None
    context_tokens = backend.context_tokens
    sizes = sentence_sizes(analysis)
    fixed = _fixed_tokens(analysis, settings)
    budget = None if context_tokens is None else context_tokens - WINDOW_ANSWER_TOKENS - fixed
    if budget is None or sum(sizes) <= budget:
        try:
            return extract_answer(
                analysis, backend, settings, _asked(analysis, settings), deadline=deadline
            )
        except ContextOverflow as error:
            if error.limit is None:
                raise
            # The server says how much fits, and that the article does not, whatever the
            # estimate said: read it in windows, at least two.
            context_tokens = error.limit
            budget = min(context_tokens - WINDOW_ANSWER_TOKENS - fixed, sum(sizes) // 2)
    if budget < MIN_WINDOW_TOKENS:
        raise ContextOverflow(
            f"the model's context of {context_tokens:,} tokens leaves no room for the article "
            f"after the instructions and the table of {len(analysis.actors)} actors"
        )
    windows = plan_windows(sizes, budget)
    return _answer_in_windows(analysis, backend, settings, windows, deadline)


def _answer_in_windows(
    analysis: Analysis,
    backend: Backend,
    settings: ExtractionSettings,
    windows: list[Window],
    deadline: float | None,
) -> tuple[MergedAnswer, Usage]:
    usage = Usage()
    answers: list[Any] = []
    stopped = False  # by the deadline or the token budget, before the last window
    if settings.progress:
        settings.progress(0, len(windows))
    for done, window in enumerate(windows):
        left = _tokens_left(settings, usage)
        if left == 0 or (deadline is not None and time.monotonic() >= deadline):
            stopped = True
            break
        try:
            answer, spent = extract_answer(
                analysis,
                backend,
                dataclasses.replace(settings, token_budget=left),
                _asked(analysis, settings, window.owned),
                window=window,
                deadline=deadline,
            )
        except BackendError:
            if not answers or deadline is None or time.monotonic() < deadline:
                raise
            stopped = True  # the time ran out: keep the windows already read
            break
        answers.append(answer)
        _add(usage, spent)
        usage.windows.append(
            WindowUsage(
                first_sentence=window.shown.start,
                last_sentence=window.shown.stop - 1,
                **spent.model_dump(include=set(Spent.model_fields)),
            )
        )
        if settings.progress:
            settings.progress(done + 1, len(windows))
    if not answers:
        raise BackendError("the time or token budget ran out before the article's first window")
    merged = merge_answers(answers)
    merged.headline, merged.summary = answers[0].headline, answers[0].summary
    if stopped or _tokens_left(settings, usage) == 0:
        usage.interrupted = True  # another run may do better: the briefing is not cached
        return merged, usage
    try:
        overview, spent = extract_overview(
            answers,
            analysis,
            backend,
            dataclasses.replace(settings, token_budget=_tokens_left(settings, usage)),
            deadline,
        )
    except (BackendError, ExtractionError):
        usage.interrupted = True  # the first window's headline stands in for the whole's
        return merged, usage
    _add(usage, spent)
    merged.headline, merged.summary = overview.headline, overview.summary  # type: ignore[attr-defined]
    return merged, usage


def _asked(analysis: Analysis, settings: ExtractionSettings, sentences: range | None = None) -> Any:
    """The rules' candidates for the model to decide (in `sentences`), or None when the model
    reads on its own."""
    return candidates(analysis, sentences) if settings.use_rules else None


def _fixed_tokens(analysis: Analysis, settings: ExtractionSettings) -> int:
    """The prompt's tokens besides the sentences: instructions, actor table and task (with
    every candidate of the article: more than any window is asked)."""
    import jinja2

    context = prompt_context(analysis, _asked(analysis, settings), Window(range(0), range(0)))
    task = "guided.j2" if settings.use_rules else "open.j2"
    text = "".join(
        jinja2.Template(prompt_template(name)).render(**context) for name in ("system.j2", task)
    )
    return estimated_tokens(text)


def _tokens_left(settings: ExtractionSettings, usage: Usage) -> int | None:
    if settings.token_budget is None:
        return None
    return max(settings.token_budget - usage.prompt_tokens - usage.completion_tokens, 0)


def _add(total: Usage, part: Usage) -> None:
    total.calls += part.calls
    total.prompt_tokens += part.prompt_tokens
    total.completion_tokens += part.completion_tokens
    total.seconds = round(total.seconds + part.seconds, 2)
    total.interrupted = total.interrupted or part.interrupted
