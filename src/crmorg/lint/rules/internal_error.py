"""A rule that crashed: a bug in crmorg or a plugin, not in the model."""

from __future__ import annotations

from crmorg.findings import Finding, Location, RuleIdentity, Severity
from crmorg.lint.rule import Rule, reported_elsewhere

INTERNAL_ERROR = RuleIdentity.of("internal-error", "CRM302", "model", Severity.ERROR)

internal_error = reported_elsewhere(
    INTERNAL_ERROR,
    """A rule crashed while checking the model, so its findings are missing.

    This is a bug in crmorg (or in the plugin that registers the rule), not in the
    model. The engine reports it in place of the rule's findings, and every other rule
    still runs. The finding names the rule and the exception; its subject is the rule's
    name. It is reported whichever rules `--select` chooses, since the crashed rule
    ran; it can be ignored, given another severity, or waived (a waiver without
    subjects) until a fix arrives.

    Fails:
    ```yaml
    # any model: a rule raised an exception while checking it
    roles:
      sales_rep: {}
    ```
    Fix: report the message and the model that causes it to the rule's authors
    (crmorg: https://crmorg.dev); meanwhile waive it with
    `{rule: internal-error, reason: ...}` in `settings.waivers`.
    """,
)


def crash_finding(rule: Rule, error: Exception, location: Location) -> Finding:
    """The internal-error finding of ``rule``, which raised ``error``."""
    return INTERNAL_ERROR.finding(
        f"internal error in rule {rule.name}: {type(error).__name__}: {error}; "
        "please report this with the model that caused it",
        location,
        (rule.name,),
    )
