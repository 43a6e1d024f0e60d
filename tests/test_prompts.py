"""The prompts: the worked example teaches by imitation, so it must itself be a valid briefing."""

from __future__ import annotations

import json
import re

from briefer.extract import prompt_templates
from briefer.neutrality import neutrality_findings
from briefer.schema import BriefingContent


def worked_example() -> tuple[str, dict]:
    system, _ = prompt_templates()
    article = re.search(r"<example-article>\n(.*?)\n</example-article>", system, re.S)
    answer = re.search(r"^\{\"headline\".*$", system, re.M)
    assert article and answer, "the system prompt has a worked example"
    return article[1], json.loads(answer[0])


def test_the_worked_example_is_a_strictly_valid_grounded_briefing_of_its_article() -> None:
    article, answer = worked_example()
    content = BriefingContent.model_validate(answer, context={"article": article})

    assert content.grounding_counts().unverified == 0
    assert neutrality_findings(content) == []


def test_the_worked_example_fills_every_section() -> None:
    _, answer = worked_example()
    assert all(answer[section] for section in answer)
