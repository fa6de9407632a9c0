"""The rule catalogue: every rule's stable name, short code, family and default severity.

This table is the single source of rule identity. Rule implementations (in
``crmorg.lint.rules``) attach their checks and documentation to these names, and the
loader uses the model-error entries for the findings it reports itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crmorg.findings import Finding, Location, Severity

Family = Literal["model", "conflict", "gap"]


@dataclass(frozen=True)
class RuleInfo:
    """Identity of a rule: what it is called, its code, family and default severity."""

    name: str
    code: str
    family: Family
    severity: Severity
    summary: str


def _info(name: str, code: str, family: Family, severity: str, summary: str) -> RuleInfo:
    return RuleInfo(name, code, family, Severity(severity), summary)


CATALOG: dict[str, RuleInfo] = {
    info.name: info
    for info in (
        # Model errors: the model cannot be read as written.
        _info("yaml-syntax", "CRM001", "model", "error", "The file is not valid, safe YAML."),
        _info("schema", "CRM002", "model", "error", "A value does not fit the format."),
        _info("duplicate-id", "CRM003", "model", "error", "An id or key is defined twice."),
        _info("unknown-reference", "CRM004", "model", "error", "A reference names no such id."),
        _info("inheritance-cycle", "CRM005", "model", "error", "Roles inherit in a circle."),
        _info("department-cycle", "CRM006", "model", "error", "Departments nest in a circle."),
        _info("reporting-cycle", "CRM007", "model", "error", "Reporting lines form a circle."),
        # Conflicts: the design contradicts itself or its constraints.
        _info(
            "sod-role-conflict",
            "CRM101",
            "conflict",
            "error",
            "One role holds every permission of a separation-of-duties constraint.",
        ),
        _info(
            "sod-person-conflict",
            "CRM102",
            "conflict",
            "error",
            "A person's roles together break a separation-of-duties constraint.",
        ),
        _info(
            "exclusive-roles",
            "CRM103",
            "conflict",
            "error",
            "A person holds more of a set of exclusive roles than allowed.",
        ),
        _info(
            "role-cardinality",
            "CRM104",
            "conflict",
            "error",
            "Too few or too many people hold a role.",
        ),
        _info(
            "raci-role-overlap",
            "CRM105",
            "conflict",
            "warning",
            "A role plays more than one RACI part in one responsibility.",
        ),
        _info(
            "privilege-escalation",
            "CRM106",
            "conflict",
            "error",
            "A role can assign itself into a more powerful role.",
        ),
        _info(
            "external-overreach",
            "CRM107",
            "conflict",
            "error",
            "An external role reaches beyond its team or into sensitive records.",
        ),
        # Gaps: something the design needs is missing.
        _info(
            "raci-no-accountable",
            "CRM201",
            "gap",
            "error",
            "A responsibility has no Accountable role.",
        ),
        _info(
            "raci-no-responsible",
            "CRM202",
            "gap",
            "error",
            "A responsibility has no Responsible role.",
        ),
        _info(
            "responsible-lacks-permission",
            "CRM203",
            "gap",
            "error",
            "A Responsible role lacks a permission its responsibility requires.",
        ),
        _info(
            "accountable-external",
            "CRM204",
            "gap",
            "warning",
            "An external role is Accountable for a responsibility.",
        ),
        _info(
            "uncovered-action",
            "CRM205",
            "gap",
            "warning",
            "No role can perform an action that applies to a resource.",
        ),
        _info(
            "role-without-responsibility",
            "CRM206",
            "gap",
            "warning",
            "A role is neither Accountable nor Responsible for anything.",
        ),
        _info("vacant-role", "CRM207", "gap", "warning", "No person holds the role."),
        _info("person-without-role", "CRM208", "gap", "warning", "A person holds no role."),
        _info(
            "department-without-head",
            "CRM209",
            "gap",
            "warning",
            "A department names no head role.",
        ),
        _info("team-without-lead", "CRM210", "gap", "warning", "A team names no lead."),
        _info(
            "department-without-kpi", "CRM211", "gap", "info", "No KPI belongs to the department."
        ),
        _info(
            "kpi-not-measurable",
            "CRM212",
            "gap",
            "warning",
            "A KPI lacks a target, unit, direction, frequency or declared metrics.",
        ),
        _info(
            "span-of-control",
            "CRM213",
            "gap",
            "warning",
            "Someone has more direct reports than the span of control allows.",
        ),
        _info(
            "single-point-of-failure",
            "CRM214",
            "gap",
            "warning",
            "A critical responsibility is held by fewer than two people.",
        ),
        _info(
            "excess-privilege",
            "CRM215",
            "gap",
            "info",
            "A grant on a sensitive resource that no responsibility requires.",
        ),
        _info(
            "kpi-owner-lacks-access",
            "CRM216",
            "gap",
            "warning",
            "A KPI's owner cannot read the records its metrics come from.",
        ),
        _info(
            "unused-waiver",
            "CRM301",
            "model",
            "warning",
            "A waiver matches no finding, so it has rotted.",
        ),
    )
}


def make_finding(
    rule: str, message: str, location: Location, subjects: tuple[str, ...] = ()
) -> Finding:
    """A finding of ``rule`` at its default severity."""
    info = CATALOG[rule]
    return Finding(rule, info.code, info.severity, message, location, subjects)
