"""Attributed statements: the article's sentences that report what someone said or did.

A small model takes most of its evidence from the first paragraph. Listing, after the
article, the sentences that carry a reporting verb or a direct quotation points it at every
voice the article reports, in the article's own order, without choosing any for it. The list
is article text, copied verbatim, so quotes taken from it are found by the grounding step.
"""

from __future__ import annotations

import re

#: Verbs and phrases that attribute words or decisions to someone.
_REPORTING = re.compile(
    r"\b(?:"
    r"say|says|said|tell|tells|told|warn|warns|warned|argue|argues|argued|add|adds|added|"
    r"according to|announce|announces|announced|claim|claims|claimed|insist|insists|insisted|"
    r"state|states|stated|write|writes|wrote|ask|asks|asked|urge|urges|urged|call|calls|called|"
    r"accuse|accuses|accused|deny|denies|denied|reject|rejects|rejected|dispute|disputes|"
    r"disputed|threaten|threatens|threatened|promise|promises|promised|pledge|pledges|pledged|"
    r"predict|predicts|predicted|vow|vows|vowed|rule|rules|ruled|counter|counters|countered|"
    r"reply|replies|replied|respond|responds|responded|note|notes|noted|declare|declares|"
    r"declared|criticise|criticises|criticised|criticize|criticizes|criticized|welcome|"
    r"welcomes|welcomed|object|objects|objected|maintain|maintains|maintained|contend|"
    r"contends|contended|acknowledge|acknowledges|acknowledged|suggest|suggests|suggested|"
    r"demand|demands|demanded|describe|describes|described|allow|allows|allowed|permit|"
    r"permits|permitted|authorise|authorises|authorised|authorize|authorizes|authorized|"
    r"approve|approves|approved|ban|bans|banned|forbid|forbids|forbade|bar|bars|barred"
    r")\b",
    re.IGNORECASE,
)
_QUOTATION = re.compile(r"[\"“”«»]")
#: A sentence ends at . ! or ? (and perhaps a closing quote or bracket) before a space and
#: a capital, digit or opening quote ("6 a.m. on" goes on), or at a line break.
_SENTENCE_END = re.compile('(?<=[.!?])["\u201d\u2019)\\]]?\\s+(?=[A-Z0-9"\u201c\u2018(\\[])|\n')

MAX_STATEMENTS = 14
MAX_STATEMENT_CHARS = 400


def attributed_statements(text: str, *, limit: int = MAX_STATEMENTS) -> list[str]:
    """Up to `limit` sentences, verbatim and in order, that quote or attribute something.

    The first line is skipped when it is a headline (no sentence end), as in plain-text
    articles; very long sentences are skipped, since evidence quotes are short anyway.
    """
    lines = text.strip().split("\n", 1)
    body = lines[1] if len(lines) == 2 and not lines[0].rstrip().endswith((".", "!", "?")) else text
    statements = []
    for sentence in _sentences(body):
        if len(sentence) > MAX_STATEMENT_CHARS or len(sentence.split()) < 4:
            continue
        if _REPORTING.search(sentence) or _QUOTATION.search(sentence):
            statements.append(sentence)
        if len(statements) == limit:
            break
    return statements


def _sentences(text: str) -> list[str]:
    """Sentences as slices of `text`; a quotation that runs over several stays in one piece."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if not _inside_quotation(text[start:end]) or "\n" in match.group(0):
            spans.append((start, end))
            start = match.end()
    spans.append((start, len(text)))
    return [text[a:b].strip() for a, b in spans if text[a:b].strip()]


def _inside_quotation(sentence: str) -> bool:
    """True when the sentence opens a quotation it does not close."""
    return sentence.count('"') % 2 == 1 or sentence.count("“") > sentence.count("”")
