"""The registry of rule implementations: one explicit tuple, plus entry-point plugins."""

from __future__ import annotations

from importlib.metadata import entry_points

from crmorg.lint.catalog import CATALOG
from crmorg.lint.rule import Rule
from crmorg.lint.rules import model_errors, waivers

BUILTIN_RULES: tuple[Rule, ...] = (
    model_errors.yaml_syntax,
    model_errors.schema,
    model_errors.duplicate_id,
    model_errors.unknown_reference,
    model_errors.inheritance_cycle,
    model_errors.department_cycle,
    model_errors.reporting_cycle,
    waivers.unused_waiver,
)

ENTRY_POINT_GROUP = "crmorg.rules"


def all_rules() -> dict[str, Rule]:
    """Built-in rules in catalogue order, then rules that installed plugins register."""
    rules = {rule.name: rule for rule in BUILTIN_RULES}
    ordered = {name: rules[name] for name in CATALOG if name in rules}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        plugin = point.load()
        if isinstance(plugin, Rule) and plugin.name not in ordered:
            ordered[plugin.name] = plugin
    return ordered
