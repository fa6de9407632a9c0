"""Run the rules over a model: positions, severities, waivers, one sorted report.

A run has two passes: every rule that checks the model, then waivers, then the
post-pass rules, which check what the first pass found (``unused-waiver``). A rule that
raises is reported as an ``internal-error`` finding and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from crmorg.findings import Finding, Location, Severity, new_finding
from crmorg.gcpause import paused_gc
from crmorg.lint.config import Level, LintConfig
from crmorg.lint.registry import all_rules
from crmorg.lint.rule import Check, FirstPass, PostPassCheck, PostPassRule, Problem, Rule
from crmorg.lint.rules.internal_error import INTERNAL_ERROR, crash_finding
from crmorg.lint.rules.rules_not_run import (
    RULES_NOT_RUN,
    left_out,
    not_run_finding,
    over_limits_finding,
)
from crmorg.lint.waivers import apply_waivers
from crmorg.loading.identities import LIMIT_EXCEEDED
from crmorg.model import Model


@dataclass(frozen=True)
class Report:
    """The findings of one validation run, sorted by file, line and column."""

    findings: tuple[Finding, ...]
    fail_on: Severity = Severity.ERROR

    @property
    def summary(self) -> dict[str, int]:
        return dict(self._summary)

    @cached_property
    def _summary(self) -> dict[str, int]:
        """Counted once: every report writes it, and a text report twice."""
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
        counts = self._summary  # the unwaived findings, by severity
        return any(counts[s.value] for s in Severity if s.rank >= self.fail_on.rank)

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
    levels = {name: config.level(rule.info, model_levels) for name, rule in rules.items()}
    levels[INTERNAL_ERROR.name] = config.level(INTERNAL_ERROR, model_levels)
    findings: list[Finding] = []
    for finding in model.load_findings:
        level = levels.get(finding.rule, finding.severity)
        if level != "off":
            findings.append(replace(finding, severity=level))
    post_pass: list[PostPassRule] = []
    unread = model.document.unread
    over_limits = model.document.over_limits
    skipped = 0
    for rule in rules.values():
        if levels[rule.name] == "off":
            continue
        if left_out(rule, bool(unread), bool(over_limits)):
            skipped += 1
            continue
        if isinstance(rule, PostPassRule):
            post_pass.append(rule)
        else:
            findings.extend(_run_rule(model, rule, levels, rule.check))
    if model.settings.waivers:
        findings = apply_waivers(model.settings.waivers, findings)
    # Post-pass rules judge the findings (and waivers) above; their own findings are
    # final, so no waiver applies to them.
    first_pass = FirstPass(
        tuple(findings), frozenset(name for name, level in levels.items() if level != "off")
    )
    for rule in post_pass:
        findings.extend(_run_rule(model, rule, levels, _reviewing(rule.review, first_pass)))
    not_run = levels.get(RULES_NOT_RUN.name, RULES_NOT_RUN.severity)
    if skipped and not_run != "off":
        if over_limits:
            where = next(
                (f.location for f in findings if f.rule == LIMIT_EXCEEDED.name),
                Location(model.root, 1, 1),
            )
            note = over_limits_finding(over_limits, skipped, where)
        else:
            note = not_run_finding(unread, skipped)
        findings.append(replace(note, severity=Severity(not_run)))
    return Report(_sorted_unique(findings), config.fail_on)


def report_order(finding: Finding) -> tuple[Any, ...]:
    """By file, line and column; a file's rules-not-run note after the error that
    explains it. (``Finding.sort_key`` with the note's place, read in one step.)"""
    location = finding.location
    rule = finding.rule
    return (
        location.file,
        rule == _NOT_RUN,
        location.line,
        location.column,
        rule,
        finding.subjects,
        finding.message,
    )


_NOT_RUN = RULES_NOT_RUN.name


def _run_rule(
    model: Model, rule: Rule, levels: Mapping[str, Level], check: Check
) -> Iterable[Finding]:
    severity = Severity(levels[rule.name])
    try:
        problems = list(check(model))
    except Exception as exc:  # a rule bug must not hide every other finding
        crash = levels[INTERNAL_ERROR.name]
        if crash != "off":
            where = Location(model.source.files[0] if model.source.files else model.root, 1, 1)
            yield replace(crash_finding(rule, exc, where), severity=Severity(crash))
        return
    # Located all at once, in order: the positions are those of one lookup per problem.
    located = iter(
        model.source.locate([(p.path, p.at_key) for p in problems if p.location is None])
    )
    name, code = rule.name, rule.info.code
    for problem in problems:
        ceiling = problem.at_most
        location = problem.location
        yield new_finding(
            name,
            code,
            ceiling if ceiling is not None and ceiling.rank < severity.rank else severity,
            problem.message,
            next(located) if location is None else location,
            problem.subjects,
        )


def _reviewing(review: PostPassCheck, first_pass: FirstPass) -> Check:
    """A post-pass rule's review as a check of the model alone."""

    def check(model: Model) -> Iterator[Problem]:
        return review(model, first_pass)

    return check


def _sorted_unique(findings: list[Finding]) -> tuple[Finding, ...]:
    """The findings in report order, each (rule, location, subjects, message) once: the
    first of those in that order.

    Those four make up the order's key, so findings alike in them have equal keys and
    are neighbours once sorted: each is compared with the one before it, with no set of
    every finding's key to build.
    """
    keys = list(map(report_order, findings))
    order = sorted(range(len(findings)), key=keys.__getitem__)
    unique: list[Finding] = []
    previous: tuple[Any, ...] | None = None
    for index in order:
        key = keys[index]
        if key != previous:
            unique.append(findings[index])
            previous = key
    return tuple(unique)
