"""The prompts: the article as numbered sentences with their speakers, the actor table, and
a task that names exactly what the answer's schema asks."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Template

from briefer.analysis import analyse
from briefer.extract import PROMPTS, prompt_context, prompt_template
from briefer.rules import candidates

EXAMPLE = (Path(__file__).parent.parent / "examples" / "us-permits-strikes-kharkov.txt").read_text(
    encoding="utf-8"
)


def rendered(name: str) -> str:
    analysis = analyse(EXAMPLE)
    return Template(prompt_template(name)).render(**prompt_context(analysis, candidates(analysis)))


def test_the_prompt_numbers_every_sentence_and_names_its_speakers_by_id():
    analysis = analyse(EXAMPLE)
    system = rendered("system.j2")
    for sentence in analysis.sentences:
        words = " ".join(EXAMPLE[sentence.start : sentence.end].split())
        assert f"[{sentence.id}] {words}" in system
    line = next(line for line in system.splitlines() if "significantly boost" in line)
    assert line.endswith("{says: sergey-nikoforov}")


def test_the_actor_table_lists_every_candidate_by_id_with_kind_and_role():
    system = rendered("system.j2")
    for actor in analyse(EXAMPLE).actors:
        assert re.search(
            rf"^{re.escape(actor.id)}: {re.escape(actor.name)} \({actor.kind}", system, re.M
        )
    assert "vladimir-putin: Vladimir Putin (person; Russian President)" in system


def test_the_guided_task_names_the_sentences_the_schema_asks_about():
    analysis = analyse(
        "Mayor Ana Ruiz said the bridge would close. It is unclear whether it will reopen."
    )
    task = Template(prompt_template("guided.j2")).render(
        **prompt_context(analysis, candidates(analysis))
    )
    assert "open_questions, for sentences 2:" in task
    # the model never guesses a decision's party, nor judges which statements warn
    assert "permissions" not in task and "warnings" not in task


def test_the_article_comes_first_so_every_task_shares_its_evaluated_prefix():
    """The chat template puts a tool schema after the system message: with the article in
    the system message, a second request on the same article re-reads only the task."""
    assert PROMPTS[0] == "system.j2"
    system = prompt_template("system.j2")
    assert "{{ sentence.text }}" in system and "{{ actor.id }}" in system
    for task in PROMPTS[1:]:
        assert "sentence.text" not in prompt_template(task)
