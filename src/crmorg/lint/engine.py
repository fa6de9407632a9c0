"""Run the rules over a model: positions, severities, waivers, one sorted report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from crmorg.findings import Finding, Location, Severity
from crmorg.gcpause import paused_gc
from crmorg.lint.catalog import make_finding
from crmorg.lint.config import ALWAYS_REPORTED, Level, LintConfig
from crmorg.lint.registry import all_rules
from crmorg.lint.rule import Problem, Rule
from crmorg.model import Model


@dataclass(frozen=True)
class Report:
    """The findings of one validation run, sorted by file, line and column."""

    findings: tuple[Finding, ...]
    fail_on: Severity = Severity.ERROR

    @property
    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for finding in self.findings:
            if finding.waived:
                counts["waived"] += 1
            else:
                counts[finding.severity.value] += 1
        return counts

    @property
    def failed(self) -> bool:
        """True when an unwaived finding is at least as severe as ``fail_on``."""
        return any(not f.waived and f.severity.rank >= self.fail_on.rank for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR and not f.waived)

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object (format-v1 section 5)."""
        return {
            "findings": [finding.to_dict() for finding in self.findings],
            "summary": self.summary,
        }


def run(
    model: Model, config: LintConfig | None = None, rules: Mapping[str, Rule] | None = None
) -> Report:
    """Check ``model`` with every enabled rule and return the report."""
    with paused_gc():
        return _run(model, config, rules)


def _run(model: Model, config: LintConfig | None, rules: Mapping[str, Rule] | None) -> Report:
    config = config or LintConfig()
    rules = rules if rules is not None else all_rules()
    model_levels = model.settings.rules
    findings: list[Finding] = []
    for finding in model.load_findings:
        rule = rules.get(finding.rule)
        level = config.level(rule.info, model_levels) if rule else finding.severity
        if level != "off":
            findings.append(replace(finding, severity=level))
    for rule in rules.values():
        level = config.level(rule.info, model_levels)
        if level == "off":
            continue
        findings.extend(_run_rule(model, rule, level))
    findings = _apply_waivers(model, findings, config, rules)
    findings.sort(key=Finding.sort_key)
    return Report(tuple(_unique(findings)), config.fail_on)


def _run_rule(model: Model, rule: Rule, level: Level) -> Iterable[Finding]:
    severity = Severity(level)
    try:
        problems = list(rule.check(model))
    except Exception as exc:  # a rule bug must not hide every other finding
        yield make_finding(
            "schema",
            f"internal error in rule {rule.name}: {type(exc).__name__}: {exc}; "
            "please report this with the model that caused it",
            Location(model.source.files[0] if model.source.files else model.root, 1, 1),
        )
        return
    for problem in problems:
        yield Finding(
            rule.name,
            rule.info.code,
            severity,
            problem.message,
            _locate(model, problem),
            problem.subjects,
        )


def _locate(model: Model, problem: Problem) -> Location:
    if problem.location is not None:
        return problem.location
    if problem.at_key:
        return model.source.key(problem.path)
    return model.source.value(problem.path)


def _apply_waivers(
    model: Model, findings: list[Finding], config: LintConfig, rules: Mapping[str, Rule]
) -> list[Finding]:
    """Mark findings that a waiver matches; report waivers that match nothing.

    Every waiver that matches a finding counts as used (the first one's reason is
    shown). Findings of always-reported rules are never waived. A waiver of a rule
    that does not run (switched off, or not selected) is not reported as unused.
    """
    waivers = model.settings.waivers
    if not waivers:
        return findings
    used = [False] * len(waivers)
    result: list[Finding] = []
    for finding in findings:
        if finding.rule not in ALWAYS_REPORTED:
            subjects = set(finding.subjects)
            matching = [
                index
                for index, waiver in enumerate(waivers)
                if waiver.rule == finding.rule and set(waiver.subjects) <= subjects
            ]
            for index in matching:
                used[index] = True
            if matching:
                finding = finding.waive(waivers[matching[0]].reason)
        result.append(finding)
    unused = rules.get("unused-waiver")
    level = config.level(unused.info, model.settings.rules) if unused else "off"
    if level == "off":
        return result
    for index, waiver in enumerate(waivers):
        waived_rule = rules.get(waiver.rule)
        if used[index] or waived_rule is None:
            continue
        if config.level(waived_rule.info, model.settings.rules) == "off":
            continue
        named = ", ".join(waiver.subjects) or "anything"
        why = (
            f"{waiver.rule} findings mean the model could not be read; they cannot be waived"
            if waiver.rule in ALWAYS_REPORTED
            else "remove it, or fix its rule and subjects"
        )
        result.append(
            replace(
                make_finding(
                    "unused-waiver",
                    f"the waiver of {waiver.rule} for {named} matches no finding; {why}",
                    model.source.value(("settings", "waivers", index)),
                    tuple(waiver.subjects),
                ),
                severity=Severity(level),
            )
        )
    return result


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule, finding.location, finding.subjects, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
