"""Grants on sensitive resources that no responsibility requires."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.grants import DeclarationOrder, requirements
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.permissions.effective import Permission
from crmorg.roles.raci import owners
from crmorg.roles.scopes import BIT, COVERED, Scope, widest


@rule("excess-privilege", "CRM215", "access", Severity.INFO)
def excess_privilege(model: Model) -> Iterator[Problem]:
    """A role has a grant on a sensitive resource that no responsibility requires.

    A grant a role writes (wildcards expanded) on a resource marked `sensitive` must
    be required, at that scope or wider, by a responsibility the role *has*
    (Accountable or Responsible), or by one that a role inheriting it has, since
    inherited grants serve the heirs. One finding per role and resource, naming both;
    it lists the actions nobody requires and the scopes wider than required, and
    points at the first such grant.

    Fails:
    ```yaml
    resources:
      payment: {sensitive: true}
    roles:
      sales_rep: {grants: {payment: {read: team}}}
    responsibilities:
      manage_pipeline: {accountable: sales_manager, responsible: [sales_rep],
                        requires: {opportunity: {read: team}}}
    ```
    Fix: remove the grant, narrow it to what is required, or add the responsibility
    that needs it (with `requires`).
    """
    sensitive = {r for r, resource in model.resources.items() if resource.sensitive}
    if not sensitive:
        return
    access, lineage = model.access, model.org.lineage
    # Role -> permission -> the down-set of the scopes its responsibilities require.
    needs: dict[str, dict[Permission, int]] = {}
    for resp in model.responsibilities.values():
        required = requirements(resp.requires, access.catalog)
        for role_id in owners(resp):
            if role_id not in model.roles:
                continue
            for ancestor in lineage[role_id]:
                into = needs.setdefault(ancestor, {})
                for permission, scope in required.items():
                    into[permission] = into.get(permission, 0) | COVERED[scope]
    in_order = DeclarationOrder(access.catalog).sort
    for role_id, role in model.roles.items():
        if not any(key == "*" or key in sensitive for key in role.grants):
            continue  # nothing sensitive written on this role
        justified = needs.get(role_id, {})
        excess: dict[str, list[tuple[Permission, Scope, str, str]]] = {}
        own = access.own_grants[role_id]
        for permission in in_order(p for p in own if p[0] in sensitive):
            source = own[permission]
            if not justified.get(permission, 0) & BIT[source.scope]:
                excess.setdefault(permission[0], []).append(
                    (permission, source.scope, source.resource_key, source.action_key)
                )
        for resource_id, grants in excess.items():
            parts = []
            for permission, scope, _, _ in grants:
                need = justified.get(permission)
                parts.append(
                    f"{permission[1]} at {scope.label}"
                    + (f" (only {widest(need).label} is required)" if need is not None else "")
                )
            _, _, resource_key, action_key = grants[0]
            yield Problem(
                f"role {role_id} has grants on sensitive resource {resource_id} that none of "
                f"its responsibilities requires: {listing(parts, 10)}; remove or narrow "
                "them, or add the responsibility that needs them",
                ("roles", role_id, "grants", resource_key, action_key),
                (role_id, resource_id),
            )
