"""External roles made Accountable."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("accountable-external", "CRM204", "raci", Severity.WARNING)
def accountable_external(model: Model) -> Iterator[Problem]:
    """An external role (partner, agent) is Accountable for a responsibility.

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
    for resp_id, resp in model.responsibilities.items():
        role = model.roles.get(resp.accountable) if resp.accountable is not None else None
        if role is not None and role.external:
            yield Problem(
                f"external role {resp.accountable} is Accountable for {resp_id}; make an "
                "internal role accountable",
                ("responsibilities", resp_id, "accountable"),
                (resp_id, str(resp.accountable)),
            )
