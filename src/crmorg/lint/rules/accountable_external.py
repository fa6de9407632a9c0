"""External roles made Accountable."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.work import raci_work
from crmorg.model import Model


@rule("accountable-external", "CRM204", "raci", Severity.WARNING)
def accountable_external(model: Model) -> Iterator[Problem]:
    """An external role (partner, agent) is Accountable for a responsibility or process step.

    Accountability stays inside the organisation; partners may be Responsible.

    Fails:
    ```yaml
    roles:
      partner: {external: true}
    responsibilities:
      resell_products: {accountable: partner, responsible: [partner]}
    ```
    Fix: make an internal role accountable (`accountable: channel_manager`) and keep
    the partner Responsible.
    """
    for work in raci_work(model):
        accountable = work.assignment.accountable
        role = model.roles.get(accountable) if accountable is not None else None
        if role is not None and role.external:
            yield Problem(
                f"external role {accountable} is Accountable for {work.name}; make an "
                "internal role accountable",
                (*work.path, "accountable"),
                (*work.subjects, str(accountable)),
            )
