"""Specification of rendering: a briefing as readable, safe Markdown, or as the JSON contract."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from conftest import SECTION_HEADINGS
from markupsafe import Markup

from briefer.render import FORMATS, escape_markdown, render
from briefer.schema import Briefing

FOOTNOTE_REF = re.compile(r"\[\^(\d+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]: (.*)$", re.MULTILINE)

# Hostile text, as an article (or an LLM obeying one) might smuggle it into a briefing.
LINK = "[click](http://evil)"
IMAGE = "![img](x)"
SCRIPT = "<script>alert(1)</script>"
HEADING = "# heading"
JINJA_EXPR = "{{ 7*7 }}"
JINJA_TAG = "{% raw %}"
ANSI_RED = "\x1b[31m"
HOSTILE = f"{LINK} {IMAGE} {SCRIPT} {JINJA_EXPR} {JINJA_TAG} {ANSI_RED}red"
VERBATIM = "The ministry disputes that figure"  # a real quote from the dam article


def lines_of_section(markdown: str, heading: str) -> list[str]:
    section = markdown.split(f"{heading}\n", 1)[1]
    return [line for line in section.split("\n## ", 1)[0].splitlines() if line.strip()]


# --- structure ------------------------------------------------------------------------------


def test_markdown_starts_with_the_headline_and_has_every_section(dam_briefing: Briefing) -> None:
    markdown = render(dam_briefing, "md")
    assert markdown.startswith(f"# {dam_briefing.headline}\n")
    positions = [markdown.index(f"\n{heading}\n") for heading in SECTION_HEADINGS]
    assert positions == sorted(positions)  # in this order
    assert dam_briefing.summary in markdown


def test_markdown_is_the_default_format(dam_briefing: Briefing) -> None:
    assert render(dam_briefing) == render(dam_briefing, "md")


def test_every_actor_is_listed_with_kind_and_role(dam_briefing: Briefing) -> None:
    lines = lines_of_section(render(dam_briefing), "## Actors")
    assert "- **Teodor Vasquel** (person): Energy Minister" in lines
    assert len(lines) == len(dam_briefing.actors)


def test_each_actor_with_a_position_gets_its_own_subheading(dam_briefing: Briefing) -> None:
    markdown = render(dam_briefing)
    subheadings = re.findall(r"^### (.+)$", markdown, re.MULTILINE)
    assert subheadings == ["Wayaku Council", "Ministry of Energy", "Meridane Hydro Consortium"]
    wayaku = lines_of_section(markdown, "## Positions")
    assert wayaku[:2] == [
        "### Wayaku Council",
        "- The Wayaku Council says a full reservoir would flood about 14,000 hectares.[^1]",
    ]


def test_voices_appear_in_the_order_the_article_quotes_them(
    dam_briefing: Briefing,
    dam_content: dict[str, Any],
    briefing_of: Callable[..., Briefing],
    dam_article: str,
) -> None:
    dam_content["positions"].reverse()  # the LLM's order must not decide who speaks first
    reordered = briefing_of(dam_content, dam_article, lenient=True)
    subheadings = re.findall(r"^### (.+)$", render(reordered), re.MULTILINE)
    assert subheadings == ["Wayaku Council", "Ministry of Energy", "Meridane Hydro Consortium"]


def test_permission_shows_both_parties_its_status_and_its_limits(dam_briefing: Briefing) -> None:
    lines = lines_of_section(render(dam_briefing), "## Permissions and prohibitions")
    assert lines == [
        "- **Constitutional Court → Meridane Hydro Consortium**: keep building the dam wall "
        "and turbine hall (*restricted*)[^4]",
        "  - Limits: reservoir capped at 212 metres until the Wayaku are consulted again",
    ]


def test_a_request_names_who_asked_whom(
    dam_content: dict[str, Any], briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    """A request's grantee asked its grantor: "Court → bank (requested)" read on a real
    court story as the court asking the bank, the other way round."""
    dam_content["permissions"][0]["status"] = "requested"
    for fmt, shown in [
        ("md", "- **Meridane Hydro Consortium** asked **Constitutional Court**: keep "),
        ("html", "Meridane Hydro Consortium asked Constitutional Court: keep"),
    ]:
        text = re.sub(
            r"<[^>]+>", "", render(briefing_of(dam_content, dam_article, lenient=True), fmt)
        )
        assert shown in text
        assert "Constitutional Court →" not in text


def test_permission_context_other_than_reported_is_shown(
    dam_content: dict[str, Any], briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    dam_content["permissions"][0]["context"] = "hypothetical"
    markdown = render(briefing_of(dam_content, dam_article, lenient=True))
    assert "(*restricted*, hypothetical)[^4]" in markdown


def test_warning_shows_its_issuer_kind_and_condition(dam_briefing: Briefing) -> None:
    lines = lines_of_section(render(dam_briefing), "## Warnings")
    assert lines == [
        "- **Teodor Vasquel** (prediction): households in the south will face rolling "
        "blackouts next winter[^5]",
        "  - Condition: if the project slips by another year",
    ]


def test_disputed_claim_names_both_sides(dam_briefing: Briefing) -> None:
    lines = lines_of_section(render(dam_briefing), "## Disputed claims")
    assert lines[1:] == ["  - Asserted by: Wayaku Council", "  - Disputed by: Ministry of Energy"]


def test_open_question_and_source_note_are_listed(dam_briefing: Briefing) -> None:
    markdown = render(dam_briefing)
    assert lines_of_section(markdown, "## Open questions") == [
        "- Who must pay the compensation?[^7]"
    ]
    assert lines_of_section(markdown, "## Source notes") == [
        "- *missing voice*: The dissenting judges are not named or quoted directly.[^8]"
    ]


def test_empty_sections_say_none_identified(
    briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    data = {"headline": "Nothing to report", "summary": "The article says little."}
    markdown = render(briefing_of(data, dam_article))
    assert "No stated positions identified." in markdown
    assert markdown.count("- None identified.") == 6  # actors and the five item sections
    assert "No quotes." in markdown


def test_footer_reports_model_prompt_and_grounding(dam_briefing: Briefing) -> None:
    footer = render(dam_briefing).rstrip("\n").splitlines()[-1]
    assert "no-model via none (built by the test suite)" in footer
    assert "quotes: 7 exact, 0 fuzzy, 1 unverified" in footer
    assert dam_briefing.source.sha256[:12] in footer


# --- evidence and unverified items ----------------------------------------------------------


def test_unverified_item_is_visibly_marked_and_its_footnote_says_not_found(
    dam_briefing: Briefing, fabricated_quote: str
) -> None:
    markdown = render(dam_briefing)
    flagged = [line for line in markdown.splitlines() if line.startswith("- ⚠")]
    assert flagged == [
        "- ⚠ *unverified, no quote found in the article:* Meridane says the plant will "
        "remain profitable.[^3]"
    ]
    definitions = dict(FOOTNOTE_DEF.findall(markdown))
    assert definitions["3"] == f"“{fabricated_quote}” ⚠ not found in the article"


def test_grounded_items_are_not_marked(dam_briefing: Briefing) -> None:
    markdown = render(dam_briefing)
    assert markdown.count("⚠ *unverified") == 1


def test_exact_footnote_gives_the_quote_and_its_character_offsets(
    dam_briefing: Briefing, dam_article: str
) -> None:
    definitions = dict(FOOTNOTE_DEF.findall(render(dam_briefing)))
    evidence = dam_briefing.positions[0].evidence[0]
    assert definitions["1"] == (
        f"“{evidence.quote}” (exact match, characters {evidence.start}\u2013{evidence.end})"
    )
    assert dam_article[evidence.start : evidence.end] == evidence.quote


def test_footnotes_are_numbered_consecutively_and_each_has_a_definition(
    dam_briefing: Briefing,
) -> None:
    markdown = render(dam_briefing)
    body, evidence_section = markdown.split("\n## Evidence\n", 1)
    references = [int(n) for n in FOOTNOTE_REF.findall(body)]
    definitions = [int(n) for n, _ in FOOTNOTE_DEF.findall(evidence_section)]
    count = len(dam_briefing.evidence())
    assert references == list(range(1, count + 1))
    assert definitions == list(range(1, count + 1))


def test_an_item_with_two_quotes_gets_two_footnotes(
    dam_content: dict[str, Any], briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    dam_content["disputed_claims"][0]["evidence"].append(
        "putting the flooded area at 6,300 hectares"
    )
    markdown = render(briefing_of(dam_content, dam_article, lenient=True))
    assert "- A full reservoir would flood about 14,000 hectares[^6][^7]" in markdown
    assert len(FOOTNOTE_DEF.findall(markdown)) == 9


def test_rendering_twice_numbers_footnotes_afresh(dam_briefing: Briefing) -> None:
    assert render(dam_briefing) == render(dam_briefing)


# --- escaping of article-derived text -------------------------------------------------------


@pytest.fixture
def hostile_briefing(briefing_of: Callable[..., Briefing], dam_article: str) -> Briefing:
    """Every printed string carries markup; lenient validation keeps the made-up quotes."""
    data = {
        "headline": f"{HEADING} {HOSTILE}",
        "summary": f"{HEADING}\n{HOSTILE}\n\n1. not a list",
        "actors": [
            {"id": "council", "name": f"{LINK} {SCRIPT}", "kind": "group", "role": HOSTILE},
        ],
        "positions": [
            {"actor": "council", "stance": f"{HEADING} {JINJA_EXPR}", "evidence": [VERBATIM]},
            {"actor": "council", "stance": HOSTILE, "evidence": [HOSTILE]},
        ],
        "permissions": [
            {
                "grantor": "council",
                "grantee": "council",
                "action": IMAGE,
                "status": "granted",
                "limits": f"{SCRIPT}\n{HEADING}",
                "evidence": [f"{LINK} {ANSI_RED}"],
            },
        ],
        "warnings": [
            {
                "issuer": "council",
                "warning": JINJA_TAG,
                "kind": "threat",
                "conditional": f"{LINK}\n{HEADING}",
                "evidence": [VERBATIM],
            },
        ],
        "disputed_claims": [
            {
                "claim": HOSTILE,
                "asserted_by": ["council"],
                "disputed_by": [HEADING],
                "evidence": [SCRIPT],
            }
        ],
        "open_questions": [{"question": f"{HEADING}?", "evidence": [JINJA_EXPR + " words"]}],
        "source_notes": [{"note": HOSTILE, "kind": "loaded_wording", "evidence": [IMAGE]}],
    }
    return briefing_of(data, dam_article, lenient=True, source={"title": HOSTILE, "name": HOSTILE})


def test_hostile_text_is_present_in_the_briefing_data(hostile_briefing: Briefing) -> None:
    """The escaping tests below would prove nothing if validation had dropped the text."""
    assert hostile_briefing.positions[1].evidence[0].quote == HOSTILE.strip()
    assert hostile_briefing.positions[1].grounded is False
    assert hostile_briefing.actors[0].name == f"{LINK} {SCRIPT}"


def test_markdown_contains_no_unescaped_links_or_images(hostile_briefing: Briefing) -> None:
    markdown = render(hostile_briefing)
    assert not re.search(r"(?<!\\)\]\(", markdown)  # no link or image destination
    assert not re.search(r"(?<!\\)!\[", markdown)
    # The only unescaped brackets left are briefer's own footnote marks.
    assert re.findall(r"(?<!\\)\[(?!\^\d+\])", markdown) == []
    assert "\\[click\\](http\\://evil)" in markdown  # shown as text instead, not autolinked


def test_markdown_contains_no_html(hostile_briefing: Briefing) -> None:
    markdown = render(hostile_briefing)
    assert "<script>" not in markdown
    assert not re.search(r"(?<!\\)<", markdown)
    assert "\\<script\\>alert(1)\\</script\\>" in markdown


def test_markdown_contains_no_injected_headings(hostile_briefing: Briefing) -> None:
    markdown = render(hostile_briefing)
    assert not re.search(r"^\s*(?:[-*+] +)?#+ *heading", markdown, re.MULTILINE)
    assert "\n- \\# heading {{ 7\\*7 }}[^1]\n" in markdown  # a grounded stance, as text
    assert markdown.startswith("# \\# heading ")
    assert "\n\\# heading \\[click\\]" in markdown  # the summary, on one line
    assert "\\[31mred 1. not a list\n" in markdown  # newlines collapsed: not at a line start
    headings = re.findall(r"^#+ .*$", markdown, re.MULTILINE)
    assert len(headings) == 1 + len(SECTION_HEADINGS) + 1  # headline, sections, one voice


def test_template_syntax_in_the_text_is_printed_not_evaluated(
    hostile_briefing: Briefing,
) -> None:
    markdown = render(hostile_briefing)
    assert not re.search(r"\b49\b", markdown)
    assert "{{ 7\\*7 }}" in markdown
    assert JINJA_TAG in markdown


def test_markdown_contains_no_control_characters(hostile_briefing: Briefing) -> None:
    markdown = render(hostile_briefing)
    assert "\x1b" not in markdown
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", markdown)


def test_every_hostile_item_is_still_rendered(hostile_briefing: Briefing) -> None:
    """Escaping hides markup, not content: all items and footnotes are there."""
    markdown = render(hostile_briefing)
    distinct = {(e.quote, e.start, e.end): e for e in hostile_briefing.evidence()}
    assert len(FOOTNOTE_DEF.findall(markdown)) == len(distinct)
    assert markdown.count("⚠ not found in the article") == sum(
        e.match == "unverified" for e in distinct.values()
    )


def test_items_citing_the_same_words_share_one_footnote(dam_briefing: Briefing) -> None:
    shared = dam_briefing.positions[0].evidence[0]
    for permission in dam_briefing.permissions:
        permission.evidence = [shared]

    markdown = render(dam_briefing)

    definitions = FOOTNOTE_DEF.findall(markdown)
    assert len(definitions) == len({(e.quote, e.start, e.end) for e in dam_briefing.evidence()})
    assert sum(1 for _, text in definitions if shared.quote in text) == 1


def test_rendered_hostile_markdown_parses_to_no_links_images_html_or_extra_headings(
    hostile_briefing: Briefing,
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(render(hostile_briefing))
    assert "<a " not in html
    assert "<img" not in html
    assert "<script" not in html
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == len(SECTION_HEADINGS)
    assert html.count("<h3>") == 1


def test_a_summary_of_dashes_does_not_become_a_horizontal_rule(
    briefing_of: Callable[..., Briefing], dam_article: str
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    briefing = briefing_of({"headline": "h", "summary": "---"}, dam_article)
    html = markdown_it.MarkdownIt("commonmark").render(render(briefing))
    assert html.count("<hr />") == 1  # only the template's own rule above the footer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("plain words", "plain words"),
        ("two\nlines  and\ttabs", "two lines and tabs"),
        ("a*b_c`d", "a\\*b\\_c\\`d"),
        ("1. first", "1\\. first"),
        ("2) second", "2\\) second"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("> quote", "\\> quote"),
        ("x | y ~ z $", "x \\| y \\~ z \\$"),
        ("right\u202eto left", "right to left"),
        (42, "42"),
    ],
)
def test_escape_markdown_makes_one_inert_line(value: Any, expected: str) -> None:
    assert escape_markdown(value) == expected


def test_escape_markdown_leaves_briefers_own_markup_alone() -> None:
    assert escape_markdown(Markup("*emphasis*[^1]")) == "*emphasis*[^1]"


# --- JSON and formats -----------------------------------------------------------------------


def test_json_output_parses_back_into_the_same_briefing(dam_briefing: Briefing) -> None:
    text = render(dam_briefing, "json")
    assert text.endswith("}\n")
    assert Briefing.model_validate_json(text) == dam_briefing


def test_json_output_keeps_hostile_text_verbatim(hostile_briefing: Briefing) -> None:
    again = Briefing.model_validate_json(render(hostile_briefing, "json"))
    assert again.actors[0].name == f"{LINK} {SCRIPT}"


def test_unknown_format_is_refused(dam_briefing: Briefing) -> None:
    assert FORMATS == ("md", "json", "html")
    with pytest.raises(ValueError, match=r"unknown format 'pdf'; choose one of: md, json, html"):
        render(dam_briefing, "pdf")
