"""A person holding more of a set of mutually exclusive roles than allowed."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.permissions.models import ExclusiveRoles


@rule("exclusive-roles", "CRM103", "access", Severity.ERROR)
def exclusive_roles(model: Model) -> Iterator[Problem]:
    """A person holds more of a set of exclusive roles than the constraint allows.

    A person holds a role when they are given it or a role that inherits it, so a
    sales manager who inherits `sales_rep` counts as a sales rep. The finding names the
    constraint, the person and the roles they hold; it points at the person's `roles`.

    Fails:
    ```yaml
    people:
      sam: {roles: [sales_manager, accountant]}   # sales_manager inherits sales_rep
    constraints:
      - {id: sales_vs_finance, kind: exclusive_roles,
         roles: [sales_rep, accountant], max: 1}
    ```
    Fix: give one of the roles to someone else.
    """
    constraints = [c for c in model.constraints if isinstance(c, ExclusiveRoles)]
    if not constraints:
        return
    org = model.org
    carriers = {
        heir for c in constraints for r in c.roles if r in model.roles for heir in org.heirs[r]
    }
    for person_id, person in model.people.items():
        if not any(r in carriers for r in person.roles):
            continue
        held = org.roles_of(person_id)
        for constraint in constraints:
            members = [r for r in dict.fromkeys(constraint.roles) if r in held]
            if len(members) <= constraint.max:
                continue
            parts = [r if held[r] == r else f"{r} (through {held[r]})" for r in members]
            yield Problem(
                f"{person_id} holds {len(members)} of the exclusive roles of constraint "
                f"{constraint.id}, at most {constraint.max} allowed: {listing(parts)}; "
                "give the others to someone else",
                ("people", person_id, "roles"),
                (constraint.id, person_id, *members),
            )
