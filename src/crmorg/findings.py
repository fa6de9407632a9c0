"""Findings: what validation reports, and where in the model it points."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

Path = tuple[str | int, ...]


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
