"""Values that do not fit the model format: reported by the loader."""

from __future__ import annotations

from crmorg.lint.rule import reported_elsewhere
from crmorg.loading.identities import SCHEMA
from crmorg.roles.scopes import SCOPE_NAMES

schema = reported_elsewhere(
    SCHEMA,
    """A value does not fit the model format.

    Unknown fields and sections, wrong types, ids that are not `^[a-z][a-z0-9_]{0,63}$`,
    unknown scopes, and YAML 1.1 surprises: an unquoted `no`, `yes`, `on` or `off` is
    reported instead of silently becoming a boolean.

    Fails:
    ```yaml
    roles:
      sales_rep:
        name: no             # YAML 1.1 reads this as false
        grants: {lead: {read: everyone}}
    ```
    Fix: `name: "no"` (quoted), and a scope from """
    + ", ".join(SCOPE_NAMES)
    + ".",
)
