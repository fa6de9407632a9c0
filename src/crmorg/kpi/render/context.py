"""What a scorecard renderer needs besides the results: titles, names, words, colour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = ["DEFAULT_LABELS", "ScorecardContext"]

DEFAULT_LABELS: Final[Mapping[str, str]] = {
    "kpi": "KPI",
    "department": "Department",
    "value": "Value",
    "target": "Target",
    "status": "Status",
    "change": "Change",
    "note": "Note",
    "met": "met",
    "missed": "missed",
    "no-data": "no-data",
    "error": "error",
    "met_total": "Met",
    "no_department": "(no department)",
    "no_periods": "The data holds no periods.",
}
"""The words renderers put around the results; ``labels`` may replace any of them."""


@dataclass(frozen=True)
class ScorecardContext:
    """How to present a scorecard.

    ``title`` is usually the organisation's name; ``department_names`` maps department
    ids to display names (ids are shown where a name is missing); ``labels`` replaces
    words of :data:`DEFAULT_LABELS` (e.g. for another language); ``colour`` lets the
    text table colour statuses with ANSI codes (the CLI sets it for terminals).
    """

    title: str = ""
    department_names: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    colour: bool = False

    def department(self, department: str | None) -> str:
        if department is None:
            return self.label("no_department")
        return self.department_names.get(department, department)

    def label(self, key: str) -> str:
        return self.labels.get(key) or DEFAULT_LABELS[key]
