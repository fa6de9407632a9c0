"""Ids or keys defined twice: reported by the loader."""

from __future__ import annotations

from crmorg.lint.rule import reported_elsewhere
from crmorg.loading.identities import DUPLICATE_ID

duplicate_id = reported_elsewhere(
    DUPLICATE_ID,
    """The same id or key is defined twice: in one mapping, or in two files.

    Both places are named; the first definition is kept.

    Fails:
    ```yaml
    # roles/sales.yaml          # roles/service.yaml
    roles:                      roles:
      agent: {name: Agent}        agent: {name: Service agent}
    ```
    Fix: rename one of them (`sales_agent`, `service_agent`) or delete the copy.
    """,
)
