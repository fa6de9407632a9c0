"""Input past one of crmorg's limits: reported by the loader."""

from __future__ import annotations

from crmorg.lint.rule import reported_elsewhere
from crmorg.loading.identities import LIMIT_EXCEEDED

limit_exceeded = reported_elsewhere(
    LIMIT_EXCEEDED,
    """The model is larger than one of crmorg's limits, so part of it was not read or
    not checked.

    The limits (docs/limits.md) bound the size of files, the number of entries in a
    section, YAML nesting and aliases, the depth of inheritance, reporting lines and the
    department tree, and the periods of KPI data, so that no input can exhaust the
    machine. The finding names the limit, what was found, and the setting that raises
    it; a model over a depth limit runs only the checks that are linear in its size.

    Fails:
    ```yaml
    settings: {limits: {max_inheritance_depth: 2}}
    roles:
      director: {inherits: [manager]}
      manager: {inherits: [rep]}
      rep: {}
    ```
    Fix: flatten the structure, or, when the model really is that large, raise the
    limit under `settings: {limits: ...}`.
    """,
)
