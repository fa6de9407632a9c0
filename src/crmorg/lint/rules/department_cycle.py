"""Departments that are each other's parents."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.cycles import cycle_problems
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("department-cycle", "CRM006", "model", Severity.ERROR)
def department_cycle(model: Model) -> Iterator[Problem]:
    """Departments are each other's parents, so they form no tree.

    Fails:
    ```yaml
    departments:
      sales: {name: Sales, parent: marketing}
      marketing: {name: Marketing, parent: sales}
    ```
    Fix: give one of them the parent it really has (often `management`), or none.
    """
    yield from cycle_problems(
        "departments nest", model.org.department_cycles, "departments", "parent"
    )
