"""The registry of rules: one explicit tuple, plus entry-point plugins.

Each rule declares its own identity (name, code, group, family, default severity) in
its module under ``crmorg.lint.rules``; the catalogue, ``crmorg rules`` and
docs/rules.md are derived from this registry. Rules run and are listed in code order.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from crmorg.lint.rule import Rule
from crmorg.lint.rules.abstract_role_held import abstract_role_held
from crmorg.lint.rules.accountable_external import accountable_external
from crmorg.lint.rules.bulk_action_widely_held import bulk_action_widely_held
from crmorg.lint.rules.department_cycle import department_cycle
from crmorg.lint.rules.department_without_head import department_without_head
from crmorg.lint.rules.department_without_kpi import department_without_kpi
from crmorg.lint.rules.duplicate_id import duplicate_id
from crmorg.lint.rules.excess_privilege import excess_privilege
from crmorg.lint.rules.exclusive_roles import exclusive_roles
from crmorg.lint.rules.external_overreach import external_overreach
from crmorg.lint.rules.hidden_characters import hidden_characters
from crmorg.lint.rules.ineffective_sharing_rule import ineffective_sharing_rule
from crmorg.lint.rules.inheritance_cycle import inheritance_cycle
from crmorg.lint.rules.internal_error import internal_error
from crmorg.lint.rules.invalid_baseline import invalid_baseline
from crmorg.lint.rules.invalid_field_grant import invalid_field_grant
from crmorg.lint.rules.invalid_sharing_rule import invalid_sharing_rule
from crmorg.lint.rules.kpi_not_measurable import kpi_not_measurable
from crmorg.lint.rules.kpi_owner_lacks_access import kpi_owner_lacks_access
from crmorg.lint.rules.kpi_unknown_metric import kpi_unknown_metric
from crmorg.lint.rules.limit_exceeded import limit_exceeded
from crmorg.lint.rules.person_without_role import person_without_role
from crmorg.lint.rules.privilege_escalation import privilege_escalation
from crmorg.lint.rules.process_duplicate_step import process_duplicate_step
from crmorg.lint.rules.process_handoff_uninformed import process_handoff_uninformed
from crmorg.lint.rules.process_no_end import process_no_end
from crmorg.lint.rules.process_unknown_step import process_unknown_step
from crmorg.lint.rules.process_unreachable_step import process_unreachable_step
from crmorg.lint.rules.raci_no_accountable import raci_no_accountable
from crmorg.lint.rules.raci_no_responsible import raci_no_responsible
from crmorg.lint.rules.raci_role_overlap import raci_role_overlap
from crmorg.lint.rules.reporting_cycle import reporting_cycle
from crmorg.lint.rules.responsible_lacks_permission import responsible_lacks_permission
from crmorg.lint.rules.role_cardinality import role_cardinality
from crmorg.lint.rules.role_without_responsibility import role_without_responsibility
from crmorg.lint.rules.rules_not_run import rules_not_run
from crmorg.lint.rules.schema import schema
from crmorg.lint.rules.single_point_of_failure import single_point_of_failure
from crmorg.lint.rules.sod_person_conflict import sod_person_conflict
from crmorg.lint.rules.sod_role_conflict import sod_role_conflict
from crmorg.lint.rules.span_of_control import span_of_control
from crmorg.lint.rules.team_without_lead import team_without_lead
from crmorg.lint.rules.uncovered_action import uncovered_action
from crmorg.lint.rules.unknown_reference import unknown_reference
from crmorg.lint.rules.unreadable_restricted_field import unreadable_restricted_field
from crmorg.lint.rules.unused_waiver import unused_waiver
from crmorg.lint.rules.vacant_role import vacant_role
from crmorg.lint.rules.yaml_syntax import yaml_syntax

BUILTIN_RULES: tuple[Rule, ...] = (
    yaml_syntax,
    schema,
    duplicate_id,
    unknown_reference,
    inheritance_cycle,
    department_cycle,
    reporting_cycle,
    hidden_characters,
    limit_exceeded,
    sod_role_conflict,
    sod_person_conflict,
    exclusive_roles,
    role_cardinality,
    raci_role_overlap,
    privilege_escalation,
    external_overreach,
    abstract_role_held,
    invalid_field_grant,
    invalid_sharing_rule,
    invalid_baseline,
    bulk_action_widely_held,
    process_unknown_step,
    process_duplicate_step,
    raci_no_accountable,
    raci_no_responsible,
    responsible_lacks_permission,
    accountable_external,
    uncovered_action,
    role_without_responsibility,
    vacant_role,
    person_without_role,
    department_without_head,
    team_without_lead,
    department_without_kpi,
    kpi_not_measurable,
    span_of_control,
    single_point_of_failure,
    excess_privilege,
    kpi_owner_lacks_access,
    kpi_unknown_metric,
    ineffective_sharing_rule,
    unreadable_restricted_field,
    process_unreachable_step,
    process_no_end,
    process_handoff_uninformed,
    unused_waiver,
)
"""The rules crmorg ships: every one of them can be seeded in a model."""

ENGINE_RULES: tuple[Rule, ...] = (internal_error, rules_not_run)
"""Findings the engine reports about a run rather than about the model (a rule that
crashed). No model can cause them, so they are not listed among the rules; they are
documented, configured and waived like rules."""

ENTRY_POINT_GROUP = "crmorg.rules"


def builtin_rules() -> dict[str, Rule]:
    """The rules crmorg ships, in code order."""
    return {rule.name: rule for rule in sorted(BUILTIN_RULES, key=_code)}


def all_rules() -> dict[str, Rule]:
    """Built-in rules in code order, then rules that installed plugins register."""
    ordered = builtin_rules()
    for point in entry_points(group=ENTRY_POINT_GROUP):
        plugin = point.load()
        if isinstance(plugin, Rule) and plugin.name not in ordered:
            ordered[plugin.name] = plugin
    return ordered


def engine_rules() -> dict[str, Rule]:
    """The engine's own findings, by name."""
    return {rule.name: rule for rule in ENGINE_RULES}


def _code(rule: Rule) -> str:
    return rule.info.code
