"""Responsibilities nobody does the work of."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("raci-no-responsible", "CRM202", "raci", Severity.ERROR)
def raci_no_responsible(model: Model) -> Iterator[Problem]:
    """A responsibility names no Responsible role, so nobody does the work.

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
    for resp_id, resp in model.responsibilities.items():
        if not resp.responsible:
            yield Problem(
                f"responsibility {resp_id} has no Responsible role; list who does the work "
                "with `responsible: [ROLE, ...]`",
                ("responsibilities", resp_id),
                (resp_id,),
                at_key=True,
            )
