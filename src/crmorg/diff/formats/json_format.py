"""The JSON shape of a diff, documented in docs/diff.md (``"format": "crmorg-diff/1"``)."""

from __future__ import annotations

from typing import Any

from crmorg.diff.gate import Gate, summary_line
from crmorg.diff.results import AccessChange, ModelDiff, SubjectDiff
from crmorg.text import json_text

FORMAT = "crmorg-diff/1"


def render(diff: ModelDiff, gate: Gate) -> str:
    return json_text(to_data(diff, gate), ensure_ascii=False, indent=2) + "\n"


def to_data(diff: ModelDiff, gate: Gate) -> dict[str, Any]:
    findings = diff.findings
    reasons = gate.reasons(diff)
    return {
        "format": FORMAT,
        "old": diff.old_label,
        "new": diff.new_label,
        "summary": {
            "text": summary_line(diff),
            "people_gaining": len(diff.people_gaining),
            "people_losing": len(diff.people_losing),
            "roles_changed": len(diff.roles),
            "findings_introduced": None if findings is None else len(findings.introduced),
            "findings_resolved": None if findings is None else len(findings.resolved),
            "new_errors": None if findings is None else len(findings.new_errors),
            "raci_changes": len(diff.raci),
            "structural_changes": len(diff.structure),
            "process_changes": len(diff.processes),
        },
        "gate": {"max_gains": gate.max_gains, "failed": bool(reasons), "reasons": list(reasons)},
        "widenings": [
            {
                "change": _change_key(w.change),
                "people": len(w.people),
                "causes": [_cause(c) for c in w.causes],
            }
            for w in diff.widenings()
        ],
        "roles": [_subject(s) for s in diff.roles],
        "people": [_subject(s) for s in diff.people],
        "raci": [dict(vars(c)) for c in diff.raci],
        "structure": [dict(vars(c)) for c in diff.structure],
        "processes": [dict(vars(c)) for c in diff.processes],
        "findings": None
        if findings is None
        else {
            "introduced": [f.to_dict() for f in findings.introduced],
            "resolved": [f.to_dict() for f in findings.resolved],
        },
    }


def _subject(subject: SubjectDiff) -> dict[str, Any]:
    data: dict[str, Any] = {"id": subject.id, "status": subject.status}
    if subject.kind == "person":
        data["roles_gained"] = list(subject.roles_gained)
        data["roles_lost"] = list(subject.roles_lost)
    data["changes"] = [_change(c) for c in subject.changes]
    return data


def _change_key(change: AccessChange) -> dict[str, Any]:
    return {
        "aspect": change.aspect,
        "resource": change.resource,
        "action": change.action,
        "field": change.field,
        "rule": change.rule,
    }


def _change(change: AccessChange) -> dict[str, Any]:
    data = _change_key(change)
    data.update(kind=change.kind, old=list(change.old), new=list(change.new))
    data["causes"] = [_cause(c) for c in change.causes]
    return data


def _cause(cause: Any) -> dict[str, Any]:
    return {
        "kind": cause.kind,
        "side": cause.side,
        "text": cause.text,
        "where": cause.where,
        "role": cause.role,
    }
