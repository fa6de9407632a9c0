"""Waivers that match nothing: accepted risks that no longer exist."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Finding, Severity
from crmorg.lint.rule import FirstPass, Problem, post_pass_rule
from crmorg.lint.waivers import ALWAYS_REPORTED, matches
from crmorg.model import Model


@post_pass_rule("unused-waiver", "CRM301", "model", Severity.WARNING)
def unused_waiver(model: Model, first_pass: FirstPass) -> Iterator[Problem]:
    """A waiver in `settings.waivers` matches no finding, so it would silently hide a
    future problem it was never meant for.

    The engine reports it after applying waivers (a waiver of a rule that is switched
    off is not reported).

    Fails:
    ```yaml
    settings:
      waivers:
        - {rule: vacant-role, subjects: [crm_trainer], reason: Hiring in Q3}
    # ...but crm_trainer is held by someone now
    ```
    Fix: delete the waiver, or correct its rule and subjects.
    """
    waivers = model.settings.waivers
    if not waivers:
        return
    of_rule: dict[str, list[Finding]] = {}
    for finding in first_pass.findings:
        of_rule.setdefault(finding.rule, []).append(finding)
    for index, waiver in enumerate(waivers):
        if waiver.rule not in first_pass.running:
            continue
        if any(matches(waiver, finding) for finding in of_rule.get(waiver.rule, ())):
            continue
        named = ", ".join(waiver.subjects) or "anything"
        why = (
            f"{waiver.rule} findings mean the model could not be read; they cannot be waived"
            if waiver.rule in ALWAYS_REPORTED
            else "remove it, or fix its rule and subjects"
        )
        yield Problem(
            f"the waiver of {waiver.rule} for {named} matches no finding; {why}",
            ("settings", "waivers", index),
            tuple(waiver.subjects),
        )
