"""Bounds that keep hostile or absurd input from hanging or exhausting the machine.

The one registry of limits: each field is a limit, its default and what it bounds.
``settings.limits`` in a model changes them (``Settings.limits``), docs/limits.md is
checked against this class, and every limit exceeded is one ``limit-exceeded`` finding
that names the limit, the value found and the setting that raises it (:func:`exceeded`),
given before the work it bounds is done: never a MemoryError, a hang or an abort.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULT_LIMITS", "LIMIT_NAMES", "Limits", "exceeded", "limits_with"]


class Limits(BaseModel):
    """Input bounds; every one exceeded becomes a finding, never a crash."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    max_file_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1, description="bytes in one model, HR or KPI data file"
    )
    max_total_bytes: int = Field(
        default=512 * 1024 * 1024, ge=1, description="bytes in all the files of a model"
    )
    max_files: int = Field(default=10_000, ge=1, description="files in a model directory")
    max_nesting_depth: int = Field(
        default=64, ge=4, description="levels of YAML nesting (lists and mappings) in a file"
    )
    max_alias_nodes: int = Field(
        default=10_000, ge=1, description="nodes that YAML aliases expand to, in a file"
    )
    max_scalar_chars: int = Field(
        default=100_000, ge=1, description="characters in one value (a name, a description...)"
    )
    max_entries: int = Field(
        default=500_000,
        ge=1,
        description="entries in one section (roles, people, teams...) over all files",
    )
    max_inheritance_depth: int = Field(
        default=64,
        ge=1,
        description="roles in the longest `inherits` chain (a cycle counts all its roles)",
    )
    max_reporting_depth: int = Field(
        default=256,
        ge=1,
        description="people (or roles) in the longest `reports_to` chain",
    )
    max_department_depth: int = Field(
        default=64, ge=1, description="departments in the longest `parent` chain"
    )
    max_hr_rows: int = Field(
        default=1_000_000, ge=1, description="rows in an HR export (people.csv, teams.csv)"
    )
    max_kpi_periods: int = Field(default=1_000_000, ge=1, description="periods in a KPI data file")


DEFAULT_LIMITS = Limits()
LIMIT_NAMES: tuple[str, ...] = tuple(Limits.model_fields)


def limits_with(base: Limits, settings: Any) -> Limits:
    """``base`` with the values a model's ``settings.limits`` gives, when they are valid.

    ``settings`` is the raw ``limits`` mapping (validation reports what is wrong with it
    later, as for any setting); an invalid value leaves its limit as it was.
    """
    if not isinstance(settings, dict):
        return base
    given = {
        name: value
        for name, value in settings.items()
        if name in Limits.model_fields and type(value) is int and value >= 1
    }
    if not given:
        return base
    merged = base.model_dump() | given
    try:
        return Limits.model_validate(merged)
    except ValueError:
        return base


def exceeded(name: str, limit: int, found: str, consequence: str) -> str:
    """The message of a limit exceeded: what was found, the limit, what was not done,
    and the setting that raises it."""
    return (
        f"{found}, over the limit of {limit:,} ({name}); {consequence}. "
        f"If the model really is this large, raise it: `settings: {{limits: {{{name}: ...}}}}`"
    )
