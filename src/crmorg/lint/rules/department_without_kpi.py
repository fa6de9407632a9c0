"""Departments that no KPI measures."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("department-without-kpi", "CRM211", "kpi", Severity.INFO)
def department_without_kpi(model: Model) -> Iterator[Problem]:
    """No KPI belongs to the department, so nothing says how well it works.

    Only a KPI whose `department` names the department counts; KPIs of its
    sub-departments do not.

    Fails:
    ```yaml
    departments:
      marketing: {name: Marketing}
    kpis:
      win_rate: {department: sales}   # nothing for marketing
    ```
    Fix: add a KPI with `department: marketing` (e.g. a campaign conversion rate).
    """
    measured = {kpi.department for kpi in model.kpis.values()}
    for dept_id in model.departments:
        if dept_id not in measured:
            yield Problem(
                f"no KPI belongs to department {dept_id}; add one with `department: {dept_id}`",
                ("departments", dept_id),
                (dept_id,),
                at_key=True,
            )
