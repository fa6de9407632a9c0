"""Findings: what validation reports, which rule it belongs to, and where it points.

The loader and the rules both report findings, so what a finding is, and a rule's
identity, live here, below both of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal, get_args

Path = tuple[str | int, ...]

Group = Literal["model", "access", "raci", "organisation", "kpi"]
"""What a rule is about (format-v1 section 14): the model as written, what people may
do, responsibilities, the organisation's structure and staffing, or KPIs."""

GROUPS: tuple[Group, ...] = get_args(Group)

Family = Literal["model", "conflict", "gap"]
"""What kind of problem a rule finds: the model cannot be read or does not hold
together, the design contradicts itself, or something it needs is missing."""

FAMILIES: tuple[Family, ...] = get_args(Family)

_FAMILY_OF_HUNDRED: dict[str, Family] = {"0": "model", "1": "conflict", "2": "gap", "3": "model"}


class Severity(StrEnum):
    """How serious a finding is; only errors fail a run by default."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class Location:
    """A position in a model file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """One problem found in a model, with its stable rule name and position."""

    rule: str
    code: str
    severity: Severity
    message: str
    location: Location
    subjects: tuple[str, ...] = ()
    waived: bool = False
    waiver_reason: str | None = None
    related: tuple[Location, ...] = field(default=(), compare=False)

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def waive(self, reason: str) -> Finding:
        return replace(self, waived=True, waiver_reason=reason)

    def sort_key(self) -> tuple[str, int, int, str, tuple[str, ...], str]:
        return (self.file, self.line, self.column, self.rule, self.subjects, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (format-v1 section 5), plus the waiver reason."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "subjects": list(self.subjects),
            "waived": self.waived,
        }
        if self.waiver_reason is not None:
            data["waiver_reason"] = self.waiver_reason
        return data


_new = object.__new__
_set_fields = object.__setattr__


def new_finding(
    rule: str,
    code: str,
    severity: Severity,
    message: str,
    location: Location,
    subjects: tuple[str, ...],
) -> Finding:
    """``Finding(rule, code, severity, message, location, subjects)``, in a third of the
    time: the fields are set in one step rather than one by one through the frozen
    dataclass's ``__init__`` (which does nothing else). A run may make 300,000."""
    finding: Finding = _new(Finding)
    _set_fields(
        finding,
        "__dict__",
        {
            "rule": rule,
            "code": code,
            "severity": severity,
            "message": message,
            "location": location,
            "subjects": subjects,
            "waived": False,
            "waiver_reason": None,
            "related": (),
        },
    )
    return finding


@dataclass(frozen=True)
class RuleIdentity:
    """Who a finding belongs to: a rule's contract name, code, group, family and default
    severity. Declared once, beside whatever reports the rule's findings."""

    name: str
    code: str
    group: Group
    family: Family
    severity: Severity

    @classmethod
    def of(cls, name: str, code: str, group: Group, severity: Severity) -> RuleIdentity:
        """A rule's identity, its family read from its code: CRM0xx and CRM3xx are about
        the model itself, CRM1xx are conflicts, CRM2xx gaps (section 4 of the contract)."""
        family = _FAMILY_OF_HUNDRED.get(code[3:4]) if re.fullmatch(r"CRM\d{3}", code) else None
        if family is None:
            raise ValueError(f"rule {name}: code {code!r} is not one of CRM000 to CRM399")
        return cls(name, code, group, family, severity)

    def finding(self, message: str, location: Location, subjects: tuple[str, ...] = ()) -> Finding:
        """A finding of this rule at its default severity."""
        return Finding(self.name, self.code, self.severity, message, location, subjects)
