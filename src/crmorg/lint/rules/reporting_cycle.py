"""Reporting lines, of roles or of people, that run in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.cycles import cycle_problems
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("reporting-cycle", "CRM007", "model", Severity.ERROR)
def reporting_cycle(model: Model) -> Iterator[Problem]:
    """Reporting lines (of roles or of people) run in a circle.

    Fails:
    ```yaml
    people:
      alice: {roles: [sales_manager], reports_to: bob}
      bob: {roles: [sales_rep], reports_to: alice}
    ```
    Fix: someone is at the top: remove or change one `reports_to`.
    """
    org = model.org
    yield from cycle_problems(
        "role reporting lines run", org.role_reporting_cycles, "roles", "reports_to"
    )
    yield from cycle_problems("reporting lines run", org.reporting_cycles, "people", "reports_to")
