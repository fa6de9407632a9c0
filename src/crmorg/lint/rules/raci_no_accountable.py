"""Responsibilities nobody answers for."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.work import raci_work
from crmorg.model import Model


@rule("raci-no-accountable", "CRM201", "raci", Severity.ERROR)
def raci_no_accountable(model: Model) -> Iterator[Problem]:
    """A responsibility or process step names no Accountable role, so nobody answers for it.

    Fails:
    ```yaml
    responsibilities:
      handle_complaints:
        responsible: [service_agent]     # but who signs off?
    ```
    Fix: name exactly one role: `accountable: customer_service_manager`.
    """
    for work in raci_work(model):
        if work.assignment.accountable is None:
            yield Problem(
                f"{work.title} has no Accountable role; name one with `accountable: ROLE`",
                work.path,
                work.subjects,
                at_key=True,
            )
