"""Roles that inherit from each other in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.cycles import cycle_problems
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("inheritance-cycle", "CRM005", "model", Severity.ERROR)
def inheritance_cycle(model: Model) -> Iterator[Problem]:
    """Roles inherit from each other in a circle, so no role's grants are well defined.

    Every member of the circle is named.

    Fails:
    ```yaml
    roles:
      manager: {inherits: [lead]}
      lead: {inherits: [manager]}
    ```
    Fix: inheritance runs one way, from the more to the less powerful role: drop
    `inherits: [manager]` from `lead`.
    """
    yield from cycle_problems("roles inherit", model.org.inheritance_cycles, "roles", "inherits")
