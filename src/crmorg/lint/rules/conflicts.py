"""Conflicts: the design contradicts its own constraints, or lets power leak."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from crmorg.lint.facts import facts, listing, permission_text
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.effective import EffectiveGrant, Permission
from crmorg.permissions.models import ExclusiveRoles, RoleCardinality, SeparationOfDuties
from crmorg.permissions.scopes import Scope


def _sod_constraints(model: Model) -> Iterator[tuple[SeparationOfDuties, list[Permission]]]:
    for constraint in model.constraints:
        if isinstance(constraint, SeparationOfDuties):
            permissions: list[Permission] = []
            for text in dict.fromkeys(constraint.permissions):
                resource, action = text.split(":", 1)
                permissions.append((resource, action))
            yield constraint, permissions


@rule("sod-role-conflict")
def sod_role_conflict(model: Model) -> Iterator[Problem]:
    """One role's effective grants hold every permission of a separation-of-duties constraint.

    Effective grants count: the role's own grants, every role it inherits, and `*`
    wildcards. The finding names the constraint, the role and, for each permission,
    whether the role grants it itself or inherits it (and from which role).

    A role that only inherits its conflict is not reported again: the finding is on
    the role where the conflict first arises, and its message names the roles that
    inherit it. The position is the role's own grant that completes the conflict or,
    when every permission is inherited, the role's `inherits`.

    Fails:
    ```yaml
    roles:
      sales_rep: {grants: {quote: {create: own}}}
      sales_manager:
        inherits: [sales_rep]
        grants: {quote: {approve: department}}   # now creates *and* approves
    constraints:
      - {id: quote_self_approval, kind: separation_of_duties,
         permissions: ["quote:create", "quote:approve"]}
    ```
    Fix: move one side to another role (approval to finance), or waive the finding in
    `settings.waivers` with the control that makes it safe.
    """
    grants = model.role_grants
    known = facts(model)
    for constraint, permissions in _sod_constraints(model):
        conflicting = {
            role_id
            for role_id, held in grants.items()
            if all(permission in held for permission in permissions)
        }
        for role_id in model.roles:
            if role_id not in conflicting:
                continue
            if any(p in conflicting for p in known.lineage[role_id] if p != role_id):
                continue
            parts = [f"{permission_text(p)} ({known.origin(role_id, p)})" for p in permissions]
            sources = [grants[role_id][p].source.role for p in permissions]
            inheriting = sorted(known.heirs[role_id] - {role_id})
            also = (
                f"; {listing(inheriting)} inherit{'s' if len(inheriting) == 1 else ''} it"
                if inheriting
                else ""
            )
            own = [p for p in permissions if grants[role_id][p].source.role == role_id]
            yield Problem(
                f"role {role_id} holds every permission of separation-of-duties constraint "
                f"{constraint.id}: {', '.join(parts)}{also}; give one of them to another role",
                known.grant_path(role_id, own[-1]) if own else ("roles", role_id, "inherits"),
                tuple(dict.fromkeys((constraint.id, role_id, *sources))),
            )


@rule("sod-person-conflict")
def sod_person_conflict(model: Model) -> Iterator[Problem]:
    """A person's roles together hold every permission of a separation-of-duties constraint.

    A person's grants are the union of their roles' effective grants. Reported only
    when no single role of theirs breaks the constraint (that is a sod-role-conflict).
    The finding names the constraint, the person, and which of their roles brings each
    permission; it points at the person's `roles`.

    Fails:
    ```yaml
    people:
      sam: {roles: [sales_rep, finance_clerk]}   # sales_rep: quote:create,
                                                 # finance_clerk: quote:approve
    constraints:
      - {id: quote_self_approval, kind: separation_of_duties,
         permissions: ["quote:create", "quote:approve"]}
    ```
    Fix: give the roles to different people, or add an `exclusive_roles` constraint so
    the combination is caught by design.
    """
    grants = model.role_grants
    constraints = list(_sod_constraints(model))
    if not constraints:
        return
    several: list[tuple[str, list[str]]] = []
    for person_id, person in model.people.items():
        roles = [r for r in dict.fromkeys(person.roles) if r in grants]
        if len(roles) > 1:
            several.append((person_id, roles))
    for constraint, permissions in constraints:
        givers = [
            {role_id for role_id, held in grants.items() if permission in held}
            for permission in permissions
        ]
        conflicting_roles = set.intersection(*givers) if givers else set()
        for person_id, roles in several:
            if any(r in conflicting_roles for r in roles):
                continue
            if not all(any(r in giving for r in roles) for giving in givers):
                continue
            held = model.person_grants(person_id)
            bringing = [held[p].role for p in permissions]
            parts = [f"{permission_text(p)} (from {held[p].role})" for p in permissions]
            combined = list(dict.fromkeys(bringing))
            yield Problem(
                f"{person_id} holds roles {listing(combined)}, which together give every "
                f"permission of separation-of-duties constraint {constraint.id}: "
                f"{', '.join(parts)}; give these roles to different people",
                ("people", person_id, "roles"),
                (constraint.id, person_id, *combined),
            )


@rule("exclusive-roles")
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
    known = facts(model)
    carriers = {
        heir for c in constraints for r in c.roles if r in model.roles for heir in known.heirs[r]
    }
    for person_id, person in model.people.items():
        if not any(r in carriers for r in person.roles):
            continue
        held = known.held_roles(person_id)
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


@rule("role-cardinality")
def role_cardinality(model: Model) -> Iterator[Problem]:
    """The number of people holding a role is outside a constraint's `min`..`max`.

    People hold a role directly or through a role that inherits it. Checked only when
    the model declares people (a model of roles alone has no one to count). The finding
    points at the bound that is broken and names the constraint, the role and the
    people who hold it.

    Fails:
    ```yaml
    people:
      ann: {roles: [crm_admin]}
      bob: {roles: [crm_admin]}
      cy: {roles: [crm_admin]}
    constraints:
      - {id: few_admins, kind: role_cardinality, role: crm_admin, min: 1, max: 2}
    ```
    Fix: take the role from someone (or give it to someone, below `min`), or change
    the bound if the organisation really needs it.
    """
    if not model.people:
        return
    holders = facts(model).holders
    for constraint in model.constraints:
        if not isinstance(constraint, RoleCardinality) or constraint.role not in model.roles:
            continue
        people = holders[constraint.role]
        base = model.constraint_path(constraint.id)
        subjects = (constraint.id, constraint.role, *people)
        who = f": {listing(people)}" if people else ""
        count = f"{len(people)} {'person holds' if len(people) == 1 else 'people hold'}"
        if len(people) < constraint.min:
            yield Problem(
                f"{count} role {constraint.role}{who}; constraint {constraint.id} wants at "
                f"least {constraint.min}: give the role to more people",
                (*base, "min"),
                subjects,
            )
        if constraint.max is not None and len(people) > constraint.max:
            yield Problem(
                f"{count} role {constraint.role}{who}; constraint {constraint.id} allows at "
                f"most {constraint.max}: take it from some of them",
                (*base, "max"),
                subjects,
            )


_PARTS = ("accountable", "responsible", "consulted", "informed")
_PART_NAMES = {
    "accountable": "Accountable",
    "responsible": "Responsible",
    "consulted": "Consulted",
    "informed": "Informed",
}


@rule("raci-role-overlap")
def raci_role_overlap(model: Model) -> Iterator[Problem]:
    """One role plays more than one RACI part in one responsibility.

    A role may be Accountable and Responsible at once (it does the work it answers
    for), but it is only one of Responsible, Consulted and Informed, and it is neither
    Consulted nor Informed about work it is Accountable for. The finding points at the
    role's second appearance.

    Fails:
    ```yaml
    responsibilities:
      manage_pipeline:
        accountable: sales_manager
        responsible: [sales_rep]
        consulted: [sales_rep]           # already Responsible
        informed: [sales_manager]        # already Accountable
    ```
    Fix: keep the strongest part only (`responsible: [sales_rep]`; drop the others).
    """
    for resp_id, resp in model.responsibilities.items():
        places: dict[str, list[tuple[str, int | None]]] = {}
        if resp.accountable is not None:
            places[resp.accountable] = [("accountable", None)]
        for part in _PARTS[1:]:
            for index, role_id in enumerate(getattr(resp, part)):
                found = places.setdefault(role_id, [])
                if all(place[0] != part for place in found):
                    found.append((part, index))
        for role_id, found in places.items():
            parts = [part for part, _ in found]
            clash = next((i for i in range(1, len(found) + 1) if _overlap(parts[:i])), None)
            if clash is None:
                continue
            part, position = found[clash - 1]
            named = " and ".join(_PART_NAMES[p] for p in parts)
            yield Problem(
                f"role {role_id} is {named} for responsibility {resp_id}; give it one part "
                "(Accountable and Responsible together is fine)",
                ("responsibilities", resp_id, part, position if position is not None else 0),
                (resp_id, role_id),
            )


def _overlap(parts: list[str]) -> bool:
    rci = [part for part in parts if part != "accountable"]
    return len(rci) > 1 or ("accountable" in parts and any(p != "responsible" for p in rci))


@rule("privilege-escalation")
def privilege_escalation(model: Model) -> Iterator[Problem]:
    """A role can `assign` a role-granting resource, and so reach a role stronger than itself.

    A resource marked `grants_roles: true` (user accounts) gives roles to whoever it is
    assigned to; a role that may `assign` it at any scope (even `own`: its own account)
    can give itself any role. The finding is raised when some role's effective grants
    exceed the assigning role's: a (resource, action) at a wider scope than it has.

    One finding per assigning role, with the path: role -> `assign` on the resource
    -> the role it can reach with the most exceeding grants (ties: model order) ->
    those grants, sorted; other roles that also exceed it are counted. It points at
    the `assign` grant (or `inherits`, when the grant is inherited). A role with every
    grant at the widest scope any role has (a full administrator) cannot escalate.
    Cost: O(assigning roles x all effective grants), with an early exit for roles that
    nothing exceeds.

    Fails:
    ```yaml
    resources:
      user: {sensitive: true, grants_roles: true}
    roles:
      helpdesk: {grants: {user: {assign: organization}}}   # can make anyone a CFO
      cfo: {grants: {payment: {approve: organization}}}
    ```
    Fix: leave `assign` on role-granting resources to an administrator role that holds
    every grant it can hand out, or waive it with the review that keeps it safe.
    """
    catalog = model.catalog
    doors = [
        resource_id
        for resource_id, resource in model.resources.items()
        if resource.grants_roles and catalog.applies(resource_id, "assign")
    ]
    if not doors:
        return
    grants = model.role_grants
    widest: dict[Permission, Scope] = {}
    for held in grants.values():
        for permission, grant in held.items():
            if grant.scope > widest.get(permission, Scope.NONE):
                widest[permission] = grant.scope
    known = facts(model)
    for role_id in model.roles:
        mine = grants[role_id]
        door = next((d for d in doors if (d, "assign") in mine), None)
        if door is None:
            continue
        short = {p for p, scope in widest.items() if scope > _scope(mine, p)}
        if not short:
            continue
        best: tuple[str, list[Permission]] | None = None
        exceeding_roles = 0
        for other_id in model.roles:
            if other_id == role_id:
                continue
            held = grants[other_id]
            over = [p for p in held if p in short and held[p].scope > _scope(mine, p)]
            if not over:
                continue
            exceeding_roles += 1
            if best is None or len(over) > len(best[1]):
                best = (other_id, over)
        if best is None:
            continue
        target, over = best
        shown = [
            f"{permission_text(p)} at {grants[target][p].scope.label} "
            f"({role_id} has {_scope(mine, p).label})"
            for p in known.sorted_permissions(over)
        ]
        others = exceeding_roles - 1
        more = f"; {others} other role{'s' if others != 1 else ''} also exceed it" if others else ""
        assign = mine[(door, "assign")]
        yield Problem(
            f"role {role_id} can assign {door} (which grants roles) at {assign.scope.label} "
            f"scope ({known.origin(role_id, (door, 'assign'))}), so it can reach role "
            f"{target}, whose grants exceed its own: {role_id} -> assign {door} -> {target} "
            f"-> {listing(shown, 8)}{more}; keep assigning roles with an administrator "
            "role that holds what it hands out",
            known.grant_path(role_id, (door, "assign")),
            (role_id, door, target),
        )


def _scope(grants: Mapping[Permission, EffectiveGrant], permission: Permission) -> Scope:
    grant = grants.get(permission)
    return grant.scope if grant is not None else Scope.NONE


@rule("external-overreach")
def external_overreach(model: Model) -> Iterator[Problem]:
    """An external role (partner, agent, distributor) reaches beyond its team or into
    sensitive records.

    Checked on effective grants, so a partner that inherits `employee` is caught by
    what `employee` may do. Any scope wider than `team`, and any grant at all on a
    resource marked `sensitive`, is reported; one finding per role lists them and
    names the resources, pointing at the first offending grant written on the role
    (or at its `inherits`). Only roles marked `external: true` are checked (a role that
    inherits an external role is not itself external).

    Fails:
    ```yaml
    resources:
      payment: {sensitive: true}
    roles:
      partner:
        external: true
        inherits: [employee]                 # employee reads accounts organization-wide
        grants: {payment: {read: own}}       # sensitive
    ```
    Fix: give external roles their own narrow grants (`own` or `team`), without
    inheriting internal roles, and nothing on sensitive resources.
    """
    known = facts(model)
    for role_id, role in model.roles.items():
        if not role.external:
            continue
        held = model.role_grants[role_id]
        offending = [
            p
            for p in known.sorted_permissions(held)
            if held[p].scope > Scope.TEAM or model.resources[p[0]].sensitive
        ]
        if not offending:
            continue
        parts = []
        for p in offending:
            why = "sensitive" if model.resources[p[0]].sensitive else "wider than team"
            parts.append(
                f"{permission_text(p)} at {held[p].scope.label} ({why}; {known.origin(role_id, p)})"
            )
        resources = list(dict.fromkeys(p[0] for p in offending))
        own = [p for p in offending if held[p].source.role == role_id]
        yield Problem(
            f"external role {role_id} reaches too far: {listing(parts, 8)}; external roles "
            "get at most team scope and nothing sensitive",
            known.grant_path(role_id, own[0]) if own else ("roles", role_id, "inherits"),
            (role_id, *resources),
        )
