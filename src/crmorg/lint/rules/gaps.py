"""Gaps in responsibilities and permissions: work nobody owns, or cannot do, or
power nobody needs."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.lint.facts import facts, listing, permission_text
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.effective import Permission, expand_grants
from crmorg.permissions.scopes import Scope


@rule("raci-no-accountable")
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


@rule("raci-no-responsible")
def raci_no_responsible(model: Model) -> Iterator[Problem]:
    """A responsibility names no Responsible role, so nobody does the work.

    A missing or empty `responsible` list is reported.

    Fails:
    ```yaml
    responsibilities:
      handle_complaints:
        accountable: customer_service_manager
        responsible: []
    ```
    Fix: list the roles that do the work: `responsible: [service_agent]` (the
    Accountable role may be one of them).
    """
    for resp_id, resp in model.responsibilities.items():
        if not resp.responsible:
            yield Problem(
                f"responsibility {resp_id} has no Responsible role; list who does the work "
                "with `responsible: [ROLE, ...]`",
                ("responsibilities", resp_id),
                (resp_id,),
                at_key=True,
            )


@rule("responsible-lacks-permission")
def responsible_lacks_permission(model: Model) -> Iterator[Problem]:
    """A Responsible role's effective grants do not cover what its responsibility `requires`.

    Each (resource, action) of `requires` (wildcards expanded) must be granted to
    every Responsible role, through its own grants or inherited ones, at the required
    scope or wider. One finding per role and responsibility says exactly which
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
    known = facts(model)
    for resp_id, resp in model.responsibilities.items():
        needed = known.requirements(resp.requires)
        if not needed:
            continue
        ordered = known.sorted_permissions(needed)
        for index, role_id in enumerate(resp.responsible):
            if role_id not in model.roles or role_id in resp.responsible[:index]:
                continue
            held = model.role_grants[role_id]
            missing: list[Permission] = []
            parts: list[str] = []
            for permission in ordered:
                grant = held.get(permission)
                scope = grant.scope if grant is not None else Scope.NONE
                if scope >= needed[permission]:
                    continue
                missing.append(permission)
                has = f"it has {scope.label}" if grant is not None else "it has none"
                parts.append(f"{permission_text(permission)} at {needed[permission].label} ({has})")
            if not missing:
                continue
            yield Problem(
                f"role {role_id} is Responsible for {resp_id} but lacks "
                f"{listing(parts, 10)}; grant {'it' if len(parts) == 1 else 'them'} to "
                f"{role_id} or a role it inherits, or require less",
                ("responsibilities", resp_id, "responsible", index),
                (resp_id, role_id, *dict.fromkeys(p[0] for p in missing)),
            )


@rule("accountable-external")
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


@rule("uncovered-action")
def uncovered_action(model: Model) -> Iterator[Problem]:
    """An action applies to a resource, but no role can perform it.

    Either some role needs the grant, or the action should not apply: list the
    resource's real `actions`. One finding per (resource, action); it points at the
    action in the resource's `actions` list, or at the resource when it has the
    built-in actions.

    Fails:
    ```yaml
    resources:
      invoice: {actions: [create, read, approve]}
    roles:
      accountant: {grants: {invoice: {create: own, read: department}}}
      # nobody can approve an invoice
    ```
    Fix: grant the action to the role whose job it is (`finance_manager:
    {grants: {invoice: {approve: organization}}}`), or drop it from `actions`.
    """
    covered: set[Permission] = set()
    for held in model.role_grants.values():
        covered.update(held)
    for resource_id, actions in model.catalog.applicable.items():
        listed = model.resources[resource_id].actions
        for action in dict.fromkeys(actions):
            if (resource_id, action) in covered or action not in model.catalog.actions:
                continue  # an undeclared action is an unknown-reference finding
            path = (
                ("resources", resource_id, "actions", listed.index(action))
                if listed is not None
                else ("resources", resource_id)
            )
            yield Problem(
                f"no role can {action} {resource_id}; grant it to the role whose job it is, "
                f"or remove `{action}` from the actions of {resource_id}",
                path,
                (resource_id, action),
                at_key=listed is None,
            )


@rule("role-without-responsibility")
def role_without_responsibility(model: Model) -> Iterator[Problem]:
    """A role is neither Accountable nor Responsible for any responsibility.

    A role *has* a responsibility when it is its Accountable or one of its Responsible
    roles; being Consulted or Informed, or inheriting a role that has one, does not
    count. A role without work either lacks documentation of what it is for, or is
    not needed.

    Fails:
    ```yaml
    roles:
      data_analyst: {grants: {report: {"*": organization}}}
    responsibilities: {}            # nothing names data_analyst
    ```
    Fix: add the responsibility it carries (`analyse_sales: {accountable:
    sales_manager, responsible: [data_analyst]}`), or remove the role.
    """
    duties = facts(model).duties
    for role_id in model.roles:
        if not duties[role_id]:
            yield Problem(
                f"role {role_id} is neither Accountable nor Responsible for any "
                "responsibility; say what it is for, or remove it",
                ("roles", role_id),
                (role_id,),
                at_key=True,
            )


@rule("single-point-of-failure")
def single_point_of_failure(model: Model) -> Iterator[Problem]:
    """A critical responsibility is held by fewer than two people.

    A person holds a responsibility when they hold (directly, or through a role that
    inherits it) a role that *has* it: its Accountable or a Responsible role. Checked
    only when the model declares people. The finding names the responsibility, its
    roles and the one person (if any) who carries it, and points at `critical`.

    Fails:
    ```yaml
    responsibilities:
      close_books: {accountable: finance_manager, responsible: [accountant],
                    critical: true}
    people:
      fay: {roles: [finance_manager, accountant]}   # nobody else
    ```
    Fix: give one of those roles to a second person (a deputy), or drop `critical`.
    """
    if not model.people:
        return
    holders = facts(model).holders
    for resp_id, resp in model.responsibilities.items():
        if not resp.critical:
            continue
        roles = [
            r
            for r in dict.fromkeys((resp.accountable, *resp.responsible))
            if r is not None and r in model.roles
        ]
        people = list(dict.fromkeys(p for r in roles for p in holders[r]))
        if len(people) >= 2:
            continue
        who = f"only {people[0]}" if people else "nobody"
        yield Problem(
            f"critical responsibility {resp_id} is carried by {who} (through "
            f"{listing(roles) or 'no role'}); give one of its roles to a second person",
            ("responsibilities", resp_id, "critical"),
            (resp_id, *roles, *people),
        )


@rule("excess-privilege")
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
    known = facts(model)
    sensitive = {r for r, resource in model.resources.items() if resource.sensitive}
    if not sensitive:
        return
    needs: dict[str, dict[Permission, Scope]] = {}
    for resp in model.responsibilities.values():
        required = known.requirements(resp.requires)
        for role_id in dict.fromkeys((resp.accountable, *resp.responsible)):
            if role_id is None or role_id not in model.roles:
                continue
            for ancestor in known.lineage[role_id]:
                into = needs.setdefault(ancestor, {})
                for permission, scope in required.items():
                    if scope > into.get(permission, Scope.NONE):
                        into[permission] = scope
    for role_id, role in model.roles.items():
        if not any(key == "*" or key in sensitive for key in role.grants):
            continue  # nothing sensitive written on this role
        justified = needs.get(role_id, {})
        excess: dict[str, list[tuple[Permission, Scope, str, str]]] = {}
        own = expand_grants(role.grants, model.catalog)
        for permission in known.sorted_permissions(own):
            scope, resource_key, action_key = own[permission]
            if permission[0] in sensitive and scope > justified.get(permission, Scope.NONE):
                excess.setdefault(permission[0], []).append(
                    (permission, scope, resource_key, action_key)
                )
        for resource_id, grants in excess.items():
            parts = []
            for permission, scope, _, _ in grants:
                need = justified.get(permission)
                parts.append(
                    f"{permission[1]} at {scope.label}"
                    + (f" (only {need.label} is required)" if need is not None else "")
                )
            _, _, resource_key, action_key = grants[0]
            yield Problem(
                f"role {role_id} has grants on sensitive resource {resource_id} that none of "
                f"its responsibilities requires: {listing(parts, 10)}; remove or narrow "
                "them, or add the responsibility that needs them",
                ("roles", role_id, "grants", resource_key, action_key),
                (role_id, resource_id),
            )
