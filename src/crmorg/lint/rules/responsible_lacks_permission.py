"""Responsible roles without the grants their work requires."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.grants import DeclarationOrder, requirements
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing, permission_text
from crmorg.lint.work import raci_work
from crmorg.model import Model
from crmorg.permissions.effective import Permission
from crmorg.roles.scopes import Scope, includes


@rule("responsible-lacks-permission", "CRM203", "raci", Severity.ERROR)
def responsible_lacks_permission(model: Model) -> Iterator[Problem]:
    """A Responsible role's effective grants do not cover what its work `requires`.

    Each (resource, action) of `requires` (wildcards expanded) must be granted to
    every Responsible role of a responsibility or process step, through its own grants
    or inherited ones, at the required scope or wider. One finding per role and
    responsibility (or step) says exactly which
    (resource, action, scope) is missing and what the role has instead; it points at
    the role in the `responsible` list. The Accountable role needs no grants.

    Fails:
    ```yaml
    roles:
      sales_rep: {grants: {opportunity: {read: own}}}
    responsibilities:
      manage_pipeline:
        accountable: sales_manager
        responsible: [sales_rep]
        requires: {opportunity: {read: team, update: own}}
    ```
    Fix: grant what is required (`opportunity: {read: team, update: own}` on
    `sales_rep`, or on a role it inherits), or ask for less in `requires`.
    """
    access = model.access
    required = [
        (work, needed)
        for work in raci_work(model)
        if (needed := requirements(work.assignment.requires, access.catalog))
    ]
    if not required:
        return
    # The grants of the roles some work needs, not of every role.
    grants = access.grants_of_roles(
        {r for work, _ in required for r in work.assignment.responsible if r in model.roles}
    )
    in_order = DeclarationOrder(access.catalog).sort
    for work, needed in required:
        resp = work.assignment
        ordered = in_order(needed)
        for index, role_id in enumerate(resp.responsible):
            if role_id not in model.roles or role_id in resp.responsible[:index]:
                continue
            held = grants[role_id]
            missing: list[Permission] = []
            parts: list[str] = []
            for permission in ordered:
                grant = held.get(permission)
                scope = grant.scope if grant is not None else Scope.NONE
                if includes(scope, needed[permission]):
                    continue
                missing.append(permission)
                has = f"it has {scope.label}" if grant is not None else "it has none"
                parts.append(f"{permission_text(permission)} at {needed[permission].label} ({has})")
            if not missing:
                continue
            yield Problem(
                f"role {role_id} is Responsible for {work.name} but lacks "
                f"{listing(parts, 10)}; grant {'it' if len(parts) == 1 else 'them'} to "
                f"{role_id} or a role it inherits, or require less",
                (*work.path, "responsible", index),
                (*work.subjects, role_id, *dict.fromkeys(p[0] for p in missing)),
            )
