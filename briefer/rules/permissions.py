"""Permissions by rule: each decision of the analysis whose grantor and grantee are known.

The status follows the decision's verb: "allowed" is granted (restricted when the article
states limits, denied when negated), "barred" or "rejected" denied, "lifted" or "repealed"
revoked, "ordered" or "required" required, "asked" or "sought" requested. A negated refusal
("did not block") says too little to report. The action and limits are the article's own
words; the evidence is the decision's sentence.
"""

from __future__ import annotations

from briefer.analysis import Analysis, Decision
from briefer.rules.voices import exact_evidence
from briefer.schema import Evidence, Permission, PermissionContext, PermissionStatus

_STATUS: dict[str, PermissionStatus] = {
    "grant": "granted",
    "deny": "denied",
    "revoke": "revoked",
    "require": "required",
    "request": "requested",
}


def permission_items(analysis: Analysis) -> list[Permission]:
    """A permission for each decision that names both its grantor and its grantee. A
    headline's decision that the body states again is one item citing both."""
    items: list[Permission] = []
    for decision in analysis.decisions:
        if decision.grantor and decision.grantee:
            permission = decision_permission(analysis, decision)
            if permission is None:
                continue
            headline = next((i for i in items if _restates(analysis, i, permission)), None)
            if headline is not None:
                permission.evidence += headline.evidence
                items.remove(headline)
            items.append(permission)
    return items


def _restates(analysis: Analysis, headline: Permission, permission: Permission) -> bool:
    """Whether `headline`, from the article's first line, states the same decision."""
    first_line = analysis.sentence_at(headline.evidence[0].start or 0).paragraph == 0
    same = (headline.grantor, headline.grantee, headline.status)
    return first_line and same == (permission.grantor, permission.grantee, permission.status)


def decision_permission(analysis: Analysis, decision: Decision) -> Permission | None:
    """The permission a decision states, its roles as the parse read them (an unread role
    is left empty), or None when it states no status."""
    status = decision_status(decision)
    if status is None:
        return None
    return Permission(
        evidence=decision_evidence(analysis, decision),
        grantor=decision.grantor or "",
        grantee=decision.grantee or "",
        action=_words(analysis, decision.action) or decision.cue_lemma,
        status=status,
        limits=_words(analysis, decision.limits),
        context=decision_context(decision),
    )


def decision_status(decision: Decision) -> PermissionStatus | None:
    """The permission's status the decision states, or None when it states none."""
    if decision.negated:
        return "denied" if decision.effect in {"grant", "require"} else None
    if decision.effect == "grant" and decision.limits is not None:
        return "restricted"
    return _STATUS[decision.effect]


def decision_context(decision: Decision) -> PermissionContext:
    return "reported" if decision.mood == "reported" else decision.mood


def decision_evidence(analysis: Analysis, decision: Decision) -> list[Evidence]:
    """The decision's sentence; and, for a decision whose role an earlier sentence names
    ("the permit allows", "rejected that argument"), that sentence first."""
    numbers = [decision.sentence]
    if decision.named_in is not None:
        numbers.insert(0, decision.named_in)
    return [
        exact_evidence(analysis.text, analysis.sentence(n).start, analysis.sentence(n).end)
        for n in numbers
    ]


def _words(analysis: Analysis, span: object) -> str | None:
    if span is None:
        return None
    text = analysis.text[span.start : span.end]  # type: ignore[attr-defined]
    return " ".join(text.split())
