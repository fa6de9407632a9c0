"""Waivers that match nothing: accepted risks that no longer exist."""

from __future__ import annotations

from crmorg.lint.catalog import CATALOG
from crmorg.lint.rule import Rule, no_check

unused_waiver = Rule(
    CATALOG["unused-waiver"],
    no_check,
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
    """,
)
