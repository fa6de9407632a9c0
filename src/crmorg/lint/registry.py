"""The registry of rule implementations: one explicit tuple, plus entry-point plugins."""

from __future__ import annotations

from importlib.metadata import entry_points

from crmorg.lint.catalog import CATALOG
from crmorg.lint.rule import Rule
from crmorg.lint.rules import (
    conflicts,
    gaps,
    kpi_access,
    kpis,
    model_errors,
    staffing,
    waivers,
)

BUILTIN_RULES: tuple[Rule, ...] = (
    model_errors.yaml_syntax,
    model_errors.schema,
    model_errors.duplicate_id,
    model_errors.unknown_reference,
    model_errors.inheritance_cycle,
    model_errors.department_cycle,
    model_errors.reporting_cycle,
    conflicts.sod_role_conflict,
    conflicts.sod_person_conflict,
    conflicts.exclusive_roles,
    conflicts.role_cardinality,
    conflicts.raci_role_overlap,
    conflicts.privilege_escalation,
    conflicts.external_overreach,
    gaps.raci_no_accountable,
    gaps.raci_no_responsible,
    gaps.responsible_lacks_permission,
    gaps.accountable_external,
    gaps.uncovered_action,
    gaps.role_without_responsibility,
    staffing.vacant_role,
    staffing.person_without_role,
    staffing.department_without_head,
    staffing.team_without_lead,
    kpis.department_without_kpi,
    kpis.kpi_not_measurable,
    staffing.span_of_control,
    gaps.single_point_of_failure,
    gaps.excess_privilege,
    kpi_access.kpi_owner_lacks_access,
    waivers.unused_waiver,
)

ENTRY_POINT_GROUP = "crmorg.rules"


def builtin_rules() -> dict[str, Rule]:
    """The rules crmorg ships, in catalogue order."""
    rules = {rule.name: rule for rule in BUILTIN_RULES}
    return {name: rules[name] for name in CATALOG if name in rules}


def all_rules() -> dict[str, Rule]:
    """Built-in rules in catalogue order, then rules that installed plugins register."""
    ordered = builtin_rules()
    for point in entry_points(group=ENTRY_POINT_GROUP):
        plugin = point.load()
        if isinstance(plugin, Rule) and plugin.name not in ordered:
            ordered[plugin.name] = plugin
    return ordered
