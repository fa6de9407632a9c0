"""What a scorecard renderer needs besides the results: titles, names, words, colour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from crmorg.catalogs import messages

__all__ = ["DEFAULT_LABELS", "ScorecardContext"]

_LABEL_KEYS: Final = (
    "kpi",
    "department",
    "owner",
    "contributors",
    "value",
    "target",
    "status",
    "change",
    "note",
    "met",
    "missed",
    "no-data",
    "error",
    "met_total",
    "no_department",
    "no_periods",
    "list_sep",
    "paren_open",
    "paren_close",
)
DEFAULT_LABELS: Final[Mapping[str, str]] = {
    key: messages("en")[f"scorecard.label.{key}"] for key in _LABEL_KEYS
}
"""The words renderers put around the results, in English (``scorecard.label.<key>`` of
the message catalogs); ``labels`` may replace any of them."""


@dataclass(frozen=True)
class ScorecardContext:
    """How to present a scorecard.

    ``title`` is usually the organisation's name; ``department_names`` maps department
    ids to display names (ids are shown where a name is missing), ``role_names`` the
    same for the KPIs' owners and contributors; ``labels`` replaces
    words of :data:`DEFAULT_LABELS` (e.g. for another language); ``colour`` lets the
    text table colour statuses with ANSI codes (the CLI sets it for terminals).
    """

    title: str = ""
    department_names: Mapping[str, str] = field(default_factory=dict)
    role_names: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    colour: bool = False
    units: Mapping[str, str] | None = None
    """What follows a number of each unit (``crmorg.kpi.render.values.SUFFIXES``, the
    default), for another language."""

    def department(self, department: str | None) -> str:
        if department is None:
            return self.label("no_department")
        return self.department_names.get(department, department)

    def role(self, role: str | None) -> str:
        """A role's display name (its id where none is given); empty for no role."""
        if role is None:
            return ""
        return self.role_names.get(role, role)

    def roles(self, roles: tuple[str, ...]) -> str:
        return self.label("list_sep").join(self.role(role) for role in roles)

    def label(self, key: str) -> str:
        return self.labels.get(key) or DEFAULT_LABELS[key]
