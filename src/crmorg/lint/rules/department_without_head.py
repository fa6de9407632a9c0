"""Departments without a head role."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.lacking import lacking
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_MESSAGE = "department {id} has no head; name its head role with `head: ROLE`"


@rule("department-without-head", "CRM209", "organisation", Severity.WARNING)
def department_without_head(model: Model) -> Iterator[Problem]:
    """A department names no head role.

    The head is the role that answers for the department: its KPIs roll up to it, the
    handbook names it as the department's contact, and the departments chart shows
    who holds it. A department with no head has none of these.

    Fails:
    ```yaml
    departments:
      sales: {name: Sales, parent: management}
    ```
    Fix: `head: sales_manager` (a role id).
    """
    return lacking("departments", model.departments, lambda dept: dept.head is None, _MESSAGE)
