"""A role that can hand itself a stronger role."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crmorg.findings import Severity
from crmorg.lint.grants import DeclarationOrder, grant_path, origin
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing, permission_text
from crmorg.model import Model
from crmorg.permissions.effective import EffectiveGrant, Permission
from crmorg.roles.scopes import COVERED, Scope


@rule("privilege-escalation", "CRM106", "access", Severity.ERROR)
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
    With `assignable` (format v1.1), a role can reach only the roles it lists (or, when
    it lists none, those the role its `assign` grant is written on lists); an abstract
    role is never reachable, since nobody may hold it. Where a role holds scopes that
    the partial order leaves incomparable (`subordinates` beside `team`), another role
    exceeds it by any scope that none of them includes.
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
    Fix: list what the role may give (`assignable: [sales_rep]` on helpdesk), leave
    `assign` on role-granting resources to an administrator role that holds
    every grant it can hand out, or waive it with the review that keeps it safe.
    """
    catalog = model.access.catalog
    doors = [
        resource_id
        for resource_id, resource in model.resources.items()
        if resource.grants_roles and catalog.applies(resource_id, "assign")
    ]
    if not doors:
        return
    grants = model.access.role_grants
    granted: dict[Permission, int] = {}  # permission -> a bit for each scope some role has
    for held in grants.values():
        for permission, grant in held.items():
            granted[permission] = granted.get(permission, 0) | _bits(grant)
    in_order = DeclarationOrder(catalog).sort
    for role_id in model.roles:
        mine = grants[role_id]
        door = next((d for d in doors if (d, "assign") in mine), None)
        if door is None:
            continue
        # Permission -> what the role's own scope on it includes, where some role has a
        # scope beyond that: the permissions another role can exceed it on.
        short: dict[Permission, int] = {}
        for permission, scopes in granted.items():
            covered = _covered(mine.get(permission))
            if scopes & ~covered:
                short[permission] = covered
        if not short:
            continue
        best: tuple[str, list[Permission]] | None = None
        exceeding_roles = 0
        for other_id in _assignable(model, role_id, mine[(door, "assign")]):
            if other_id == role_id:
                continue
            held = grants[other_id]
            # includes(), inlined: other roles times their grants is the rule's cost.
            over = [
                p
                for p, g in held.items()
                if p in short and (_bits(g) if g.also else 1 << g.scope) & ~short[p]
            ]
            if not over:
                continue
            exceeding_roles += 1
            if best is None or len(over) > len(best[1]):
                best = (other_id, over)
        if best is None:
            continue
        target, over = best
        shown = [
            f"{permission_text(p)} at {_labels(grants[target][p])} ({role_id} has "
            f"{_labels(mine.get(p))})"
            for p in in_order(over)
        ]
        others = exceeding_roles - 1
        more = f"; {others} other role{'s' if others != 1 else ''} also exceed it" if others else ""
        assign = mine[(door, "assign")]
        yield Problem(
            f"role {role_id} can assign {door} (which grants roles) at {assign.scope.label} "
            f"scope ({origin(assign)}), so it can reach role "
            f"{target}, whose grants exceed its own: {role_id} -> assign {door} -> {target} "
            f"-> {listing(shown, 8)}{more}; keep assigning roles with an administrator "
            "role that holds what it hands out",
            grant_path(role_id, assign),
            (role_id, door, target),
        )


def _assignable(model: Model, role_id: str, assign: EffectiveGrant) -> Iterable[str]:
    """The roles ``role_id`` can give: its `assignable` list, or, where it sets none, that
    of the role its `assign` grant is written on; every role when neither sets one.
    An abstract role is given to nobody."""
    roles = model.roles
    listed = roles[role_id].assignable
    if listed is None and assign.source.role in roles:
        listed = roles[assign.source.role].assignable
    candidates = roles if listed is None else dict.fromkeys(listed)
    return [r for r in candidates if r in roles and not roles[r].abstract]


def _bits(grant: EffectiveGrant) -> int:
    """A bit for each maximal scope of the grant."""
    if not grant.also:
        return 1 << grant.scope
    bits = 0
    for scope in grant.scopes:
        bits |= 1 << scope
    return bits


def _covered(grant: EffectiveGrant | None) -> int:
    """The down-set of the grant's scopes: every scope it includes."""
    if grant is None:
        return COVERED[Scope.NONE]
    covered = 0
    for scope in grant.scopes:
        covered |= COVERED[scope]
    return covered


def _labels(grant: EffectiveGrant | None) -> str:
    if grant is None:
        return Scope.NONE.label
    return " and ".join(scope.label for scope in grant.scopes)
