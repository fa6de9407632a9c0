"""Checks left out because a file of the model could not be read."""

from __future__ import annotations

from collections.abc import Iterable

from crmorg.findings import Finding, Location, RuleIdentity, Severity
from crmorg.lint.rule import Rule, reported_elsewhere

RULES_NOT_RUN = RuleIdentity.of("rules-not-run", "CRM303", "model", Severity.INFO)

NEEDS_THE_WHOLE_MODEL: dict[str, str] = {
    "unknown-reference": "any id may be defined in the file that was not read",
    "uncovered-action": "a role in it may perform the actions",
    "role-without-responsibility": "a responsibility in it may name the role",
    "vacant-role": "a person in it may hold the role",
    "department-without-kpi": "a KPI in it may belong to the department",
    "single-point-of-failure": "people in it may share the responsibility",
    "excess-privilege": "a responsibility in it may require the grant",
    "responsible-lacks-permission": "a role in it may be inherited and give the grant",
    "kpi-owner-lacks-access": "a role in it may be inherited and give the access",
    "kpi-unknown-metric": "the metric may be declared in it",
    "role-cardinality": "people in it may hold the role",
    "invalid-baseline": "the action may be declared in it",
    "invalid-sharing-rule": "the role, team or department may be defined in it",
    "ineffective-sharing-rule": "people in it may be in the groups, or hold the grants",
    "unreadable-restricted-field": "a person or role in it may read the field",
    "unused-waiver": "the rules left out may be the ones its waivers meet",
}
"""The rules left out on an incomplete model, each with why: what they report may only
follow from what the unread files hold. The others report what more entries cannot
undo (a field missing from an entry, a cycle, a conflict)."""


rules_not_run = reported_elsewhere(
    RULES_NOT_RUN,
    """A file of the model could not be read, so the checks that need the whole model
    were left out.

    What a missing file held is unknown: every id it defines would be reported as an
    unknown reference, and every role, head, lead or KPI in it as missing. So when a
    file cannot be read (a YAML syntax error, a file that is not a mapping, one cut
    off by a size limit), the engine runs only the checks whose findings more entries
    cannot undo (a field missing from an entry that was read, a cycle, a conflict),
    leaves out those whose findings an unread entry could undo (`unknown-reference`,
    `vacant-role`, `uncovered-action` and the others below), and reports this one
    finding, after the error that explains it.

    Fails:
    ```yaml
    roles:
    →sales_rep: {name: Sales Rep}   # → is a tab: the file cannot be read
    ```
    Fix: fix the file the finding names, and validate again.

    A model over one of its limits (`limit-exceeded`, see docs/limits.md) runs only the
    checks that are linear in the model whatever its shape (the YAML, the schema, ids,
    references, cycles, hidden characters), and says so in this finding.

    Left out, and why:
    """
    + "".join(f"\n    - `{name}`: {why}" for name, why in NEEDS_THE_WHOLE_MODEL.items()),
)


def left_out(rule: Rule, unread: bool, over_limits: bool) -> bool:
    """Whether ``rule`` is left out on a model with a file that could not be read
    (``unread``), or one over a limit."""
    if over_limits and (rule.info.family != "model" or rule.name == "unused-waiver"):
        # The model's own checks (the YAML, the schema, ids, references, cycles) are
        # linear in the model whatever its depth. The others follow inheritance,
        # reporting lines or departments, at a cost of the model's size times its
        # depth, which the limits bound; and a waiver of a check not run is not unused.
        return True
    return unread and rule.name in NEEDS_THE_WHOLE_MODEL


def over_limits_finding(limits: Iterable[str], skipped: int, where: Location) -> Finding:
    """The one finding that says which limits the model exceeds and what was left out."""
    names = sorted(set(limits))
    return RULES_NOT_RUN.finding(
        f"{skipped} checks were not run because the model exceeds "
        + ", ".join(f"settings.limits.{name}" for name in names)
        + " (see the limit-exceeded finding); fix the model or raise the limit first",
        where,
        (),
    )


def not_run_finding(unread: Iterable[str], skipped: int) -> Finding:
    """The one finding that says which files were not read and what was left out."""
    files = sorted(set(unread))
    named = ", ".join(files)
    return RULES_NOT_RUN.finding(
        f"{skipped} checks that need the whole model were not run because "
        f"{named} could not be read; fix {'it' if len(files) == 1 else 'them'} first",
        Location(files[0], 1, 1),
        tuple(files),
    )
