"""The identities of the findings the loader reports itself.

They live here, not with the linter, because loading comes first and imports nothing
above it: the rules that document these findings (``lint/rules/yaml_syntax.py`` and
the like) take their identity from this module.
"""

from __future__ import annotations

from crmorg.findings import Finding, Location, RuleIdentity, Severity

YAML_SYNTAX = RuleIdentity(
    "yaml-syntax", code="CRM001", group="model", family="model", severity=Severity.ERROR
)
SCHEMA = RuleIdentity(
    "schema", code="CRM002", group="model", family="model", severity=Severity.ERROR
)
DUPLICATE_ID = RuleIdentity(
    "duplicate-id", code="CRM003", group="model", family="model", severity=Severity.ERROR
)
UNKNOWN_REFERENCE = RuleIdentity(
    "unknown-reference", code="CRM004", group="model", family="model", severity=Severity.ERROR
)

LOADER_IDENTITIES: dict[str, RuleIdentity] = {
    identity.name: identity for identity in (YAML_SYNTAX, SCHEMA, DUPLICATE_ID, UNKNOWN_REFERENCE)
}


def make_finding(
    rule: str, message: str, location: Location, subjects: tuple[str, ...] = ()
) -> Finding:
    """A finding of the loader's rule ``rule`` (one of ``LOADER_IDENTITIES``)."""
    return LOADER_IDENTITIES[rule].finding(message, location, subjects)
