"""Departments that no KPI measures."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.lacking import absent
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_MESSAGE = "no KPI belongs to department {id}; add one with `department: {id}`"


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
    measured = {kpi.department for kpi in model.kpis.values() if kpi.department is not None}
    return absent("departments", model.departments, measured, _MESSAGE)
