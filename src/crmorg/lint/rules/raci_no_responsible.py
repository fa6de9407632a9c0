"""Responsibilities nobody does the work of."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.work import raci_work
from crmorg.model import Model


@rule("raci-no-responsible", "CRM202", "raci", Severity.ERROR)
def raci_no_responsible(model: Model) -> Iterator[Problem]:
    """A responsibility or process step names no Responsible role, so nobody does the work.

    A missing or empty `responsible` list is reported.

    Fails:
    ```yaml
    responsibilities:
      handle_complaints:
        accountable: customer_service_manager
        responsible: []
    ```
    Fix: list the roles that do the work: `responsible: [service_agent]` (the
    Accountable role may be one of them).
    """
    for work in raci_work(model):
        if not work.assignment.responsible:
            yield Problem(
                f"{work.title} has no Responsible role; list who does the work "
                "with `responsible: [ROLE, ...]`",
                work.path,
                work.subjects,
                at_key=True,
            )
