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
#: A quotation in double quotes, straight or curly: someone's own words.
QUOTATION = re.compile('"[^"]*"|\u201c[^\u201d]*\u201d')
#: A sentence ends at . ! or ? (and perhaps a closing quote or bracket) before a space and
#: a capital, digit or opening quote ("6 a.m. on" goes on), or at a line break.
_SENTENCE_END = re.compile('(?<=[.!?])["\u201d\u2019)\\]]?\\s+(?=[A-Z0-9"\u201c\u2018(\\[])|\n')

#: A period that ends a title or an initial ("Dr. Sabbadin", "J. Smith"), not a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|St|Jr|Sr|Rev|Hon|No)|\b[A-Z])\.$"
)

MAX_STATEMENTS = 14
MAX_STATEMENT_CHARS = 400


def attributed_statements(text: str, *, limit: int = MAX_STATEMENTS) -> list[str]:
    """Up to `limit` sentences, verbatim and in order, that quote or attribute something.

    The first line is skipped when it is a headline (no sentence end), as in plain-text
    articles; very long sentences are skipped, since evidence quotes are short anyway.
    """
    return [text[start:end] for start, end in attributed_spans(text)[:limit]]


def attributed_spans(text: str) -> list[tuple[int, int]]:
    """Where every sentence that quotes or attributes something lies in `text`, in order
    (`text[start:end]` is the sentence; the rules are `attributed_statements`')."""
    spans = []
    for start, end in body_sentence_spans(text):
        sentence = text[start:end]
        if len(sentence) > MAX_STATEMENT_CHARS or len(sentence.split()) < 4:
            continue
        if _REPORTING.search(sentence) or _QUOTATION.search(sentence):
            spans.append((start, end))
    return spans


def body_sentence_spans(text: str) -> list[tuple[int, int]]:
    """`sentence_spans` of the article less its first line when that line is a headline (it
    has no sentence end), as in plain-text articles: a headline restates the body."""
    skipped = len(text) - len(text.lstrip())
    first, newline, _ = text.strip().partition("\n")
    if newline and not first.rstrip().endswith((".", "!", "?")):
        skipped += len(first) + 1
    return [(skipped + start, skipped + end) for start, end in sentence_spans(text[skipped:])]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) offsets, without surrounding whitespace; a
    quotation that runs over several sentences stays in one piece."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if "\n" not in match.group(0) and _ABBREVIATION.search(text, start, match.start()):
            continue
        if not _inside_quotation(text[start:end]) or "\n" in match.group(0):
            spans.append((start, end))
            start = match.end()
    spans.append((start, len(text)))
    stripped = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            stripped.append((start + lead, start + lead + len(piece.strip())))
    return stripped


def without_quotations(sentence: str) -> str:
    """The sentence with every quotation, marks included, blanked out by NUL characters:
    the words the outlet writes itself, at their own offsets. Rules read verbs and names
    there, so nothing a speaker says is taken for the article's own statement."""
    return QUOTATION.sub(lambda match: "\0" * len(match.group(0)), sentence)


def _inside_quotation(sentence: str) -> bool:
    """True when the sentence opens a quotation it does not close."""
    return sentence.count('"') % 2 == 1 or sentence.count("“") > sentence.count("”")
