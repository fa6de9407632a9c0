"""Departments without a head role."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("department-without-head", "CRM209", "organisation", Severity.WARNING)
def department_without_head(model: Model) -> Iterator[Problem]:
    """A department names no head role.

    Fails:
    ```yaml
    departments:
      sales: {name: Sales, parent: management}
    ```
    Fix: `head: sales_manager` (a role id).
    """
    for dept_id, dept in model.departments.items():
        if dept.head is None:
            yield Problem(
                f"department {dept_id} has no head; name its head role with `head: ROLE`",
                ("departments", dept_id),
                (dept_id,),
                at_key=True,
            )
