"""Responsibilities nobody answers for."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("raci-no-accountable", "CRM201", "raci", Severity.ERROR)
def raci_no_accountable(model: Model) -> Iterator[Problem]:
    """A responsibility names no Accountable role, so nobody answers for it.

    Fails:
    ```yaml
    responsibilities:
      handle_complaints:
        responsible: [service_agent]     # but who signs off?
    ```
    Fix: name exactly one role: `accountable: customer_service_manager`.
    """
    for resp_id, resp in model.responsibilities.items():
        if resp.accountable is None:
            yield Problem(
                f"responsibility {resp_id} has no Accountable role; name one with "
                "`accountable: ROLE`",
                ("responsibilities", resp_id),
                (resp_id,),
                at_key=True,
            )
