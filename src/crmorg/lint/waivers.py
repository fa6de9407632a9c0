"""Which findings a waiver matches: the engine waives them, and unused-waiver reports
the waivers that match none. Findings of an unreadable model are never waived."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crmorg.findings import Finding
from crmorg.loading.identities import LIMIT_EXCEEDED, SCHEMA, YAML_SYNTAX
from crmorg.settings import Waiver

ALWAYS_REPORTED: frozenset[str] = frozenset({YAML_SYNTAX.name, SCHEMA.name, LIMIT_EXCEEDED.name})
"""Rules whose findings mean the model was not read as written. They are always
reported as errors: no selection, severity or waiver can hide an unreadable model."""


def waivable(finding: Finding) -> bool:
    """Findings of always-reported rules mean the model was not read: never waived."""
    return finding.rule not in ALWAYS_REPORTED


def matches(waiver: Waiver, finding: Finding) -> bool:
    """A waiver matches a waivable finding of its rule that names all its subjects."""
    return (
        waiver.rule == finding.rule
        and waivable(finding)
        and set(waiver.subjects) <= set(finding.subjects)
    )


def apply_waivers(waivers: Sequence[Waiver], findings: Iterable[Finding]) -> list[Finding]:
    """The findings, those that a waiver matches marked waived with the first one's reason."""
    result: list[Finding] = []
    for finding in findings:
        first = next((waiver for waiver in waivers if matches(waiver, finding)), None)
        result.append(finding.waive(first.reason) if first is not None else finding)
    return result
