"""Reporting lines, of roles or of people, that run in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.cycles import cycle_problems
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.roles.graphs import parent_cycles


@rule("reporting-cycle", code="CRM007", group="model", family="model", severity=Severity.ERROR)
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
    role_lines = {role_id: role.reports_to for role_id, role in model.roles.items()}
    person_lines = {person_id: person.reports_to for person_id, person in model.people.items()}
    yield from cycle_problems(
        "role reporting lines run", parent_cycles(role_lines), "roles", "reports_to"
    )
    yield from cycle_problems(
        "reporting lines run", parent_cycles(person_lines), "people", "reports_to"
    )
