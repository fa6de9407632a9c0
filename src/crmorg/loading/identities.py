"""The identities of the findings the loader reports itself.

They live here, not with the linter, because loading comes first and imports nothing
above it: the rules that document these findings (``lint/rules/yaml_syntax.py`` and
the like) take their identity from this module.
"""

from __future__ import annotations

from crmorg.findings import Finding, Location, RuleIdentity, Severity

YAML_SYNTAX = RuleIdentity.of("yaml-syntax", "CRM001", "model", Severity.ERROR)
SCHEMA = RuleIdentity.of("schema", "CRM002", "model", Severity.ERROR)
DUPLICATE_ID = RuleIdentity.of("duplicate-id", "CRM003", "model", Severity.ERROR)
UNKNOWN_REFERENCE = RuleIdentity.of("unknown-reference", "CRM004", "model", Severity.ERROR)
LIMIT_EXCEEDED = RuleIdentity.of("limit-exceeded", "CRM009", "model", Severity.ERROR)

LOADER_IDENTITIES: dict[str, RuleIdentity] = {
    identity.name: identity
    for identity in (YAML_SYNTAX, SCHEMA, DUPLICATE_ID, UNKNOWN_REFERENCE, LIMIT_EXCEEDED)
}


def make_finding(
    rule: str, message: str, location: Location, subjects: tuple[str, ...] = ()
) -> Finding:
    """A finding of the loader's rule ``rule`` (one of ``LOADER_IDENTITIES``)."""
    return LOADER_IDENTITIES[rule].finding(message, location, subjects)
