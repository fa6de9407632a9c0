"""Effective grants: a role's own grants plus those it inherits, widest scope winning."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from functools import partial
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.models import GrantMap
from crmorg.roles.graphs import inheritance_components
from crmorg.roles.models import Role
from crmorg.roles.scopes import BELOW, SCOPE_BY_NAME, Scope

Permission = tuple[str, str]
"""(resource, action)."""


class GrantSource(NamedTuple):
    """A grant as written: the role it is written on and the keys used.

    Grants are created by the hundred thousand in large models, so these records are
    named tuples (cheap to create), not dataclasses.
    """

    role: str
    resource_key: str
    action_key: str
    scope: Scope

    @property
    def path(self) -> Path:
        return ("roles", self.role, "grants", self.resource_key, self.action_key)


class EffectiveGrant(NamedTuple):
    """The winning grant for one permission of one role.

    ``via`` is the inheritance path from the role asked about to the role where the
    grant is written: ``("sales_manager", "team_leader", "sales_rep")``.
    """

    scope: Scope
    source: GrantSource
    via: tuple[str, ...]


# Named tuples built through tuple.__new__ skip the generated Python __new__: this runs
# once per permission of every role, hundreds of thousands of times in a large model.
_source = partial(tuple.__new__, GrantSource)
_effective = partial(tuple.__new__, EffectiveGrant)


def expand_grants(
    grants: GrantMap, catalog: ActionCatalog
) -> dict[Permission, tuple[Scope, str, str]]:
    """A grant map with wildcards expanded; for each permission the widest scope wins.

    Among equally wide grants the most specific key wins (an explicit resource over
    ``*``), so provenance points at the line a reader would look for.
    """
    result: dict[Permission, tuple[Scope, str, str]] = {}
    for resource_key, actions in grants.items():
        for action_key, scope_name in actions.items():
            scope = SCOPE_BY_NAME[scope_name]
            specificity = (resource_key != "*") + (action_key != "*")
            for permission in catalog.expand(resource_key, action_key):
                current = result.get(permission)
                if (
                    current is None
                    or BELOW[scope] >> current[0] & 1  # the registry's "wider than"
                    or (scope == current[0] and specificity > _specificity(current))
                ):
                    result[permission] = (scope, resource_key, action_key)
    return result


def _specificity(entry: tuple[Scope, str, str]) -> int:
    return (entry[1] != "*") + (entry[2] != "*")


def own_role_grants(
    roles: Mapping[str, Role], catalog: ActionCatalog
) -> dict[str, dict[Permission, GrantSource]]:
    """Each role's grants as written, wildcards expanded: what the role itself grants."""
    return {
        role_id: {
            permission: _source((role_id, resource_key, action_key, scope))
            for permission, (scope, resource_key, action_key) in expand_grants(
                role.grants, catalog
            ).items()
            if scope != Scope.NONE
        }
        for role_id, role in roles.items()
    }


def effective_role_grants(
    roles: Mapping[str, Role],
    own: Mapping[str, Mapping[Permission, GrantSource]],
    parents_first: Sequence[str] | None,
) -> dict[str, dict[Permission, EffectiveGrant]]:
    """Effective grants of every role, following ``inherits`` transitively.

    ``parents_first`` orders the roles so each comes after what it inherits (None on
    an inheritance cycle). The path reported for a grant is the shortest one; cycles
    (reported elsewhere) are tolerated.
    """
    if parents_first is None:
        return _condensed(roles, own)
    effective: dict[str, dict[Permission, EffectiveGrant]] = {}
    for role_id in parents_first:
        effective[role_id] = _merged(role_id, roles, own, effective)
    return effective


def _merged(
    role_id: str,
    roles: Mapping[str, Role],
    own: Mapping[str, Mapping[Permission, GrantSource]],
    effective: Mapping[str, Mapping[Permission, EffectiveGrant]],
) -> dict[Permission, EffectiveGrant]:
    """A role's own grants merged with its parents' effective ones (already computed)."""
    merged = {
        permission: _effective((source.scope, source, (role_id,)))
        for permission, source in own[role_id].items()
    }
    for parent in roles[role_id].inherits:
        for permission, grant in effective.get(parent, {}).items():
            current = merged.get(permission)
            if (
                current is None
                or BELOW[grant.scope] >> current.scope & 1  # wider, inlined
                or (grant.scope == current.scope and len(grant.via) + 1 < len(current.via))
            ):
                merged[permission] = _effective((grant.scope, grant.source, (role_id, *grant.via)))
    return merged


def _condensed(
    roles: Mapping[str, Role], own: Mapping[str, Mapping[Permission, GrantSource]]
) -> dict[str, dict[Permission, EffectiveGrant]]:
    """Effective grants on an inheritance cycle: every role of one strongly connected
    component reaches the same grants, so the components are walked parents first and
    only a component of several roles needs a search of its own (:func:`_within`)."""
    effective: dict[str, dict[Permission, EffectiveGrant]] = {}
    for component in inheritance_components(roles):
        if len(component) == 1:
            (role_id,) = component
            effective[role_id] = _merged(role_id, roles, own, effective)
        else:
            effective.update(_within(component, roles, own, effective))
    return effective


def _within(
    component: list[str],
    roles: Mapping[str, Role],
    own: Mapping[str, Mapping[Permission, GrantSource]],
    effective: Mapping[str, Mapping[Permission, EffectiveGrant]],
) -> dict[str, dict[Permission, EffectiveGrant]]:
    """The effective grants of the roles of one cycle: for each permission, a search
    from the members that hold it (their own grant, or one inherited from outside the
    cycle) back along ``inherits``, the widest scope first, then the shortest path."""
    members = set(component)
    heirs: dict[str, list[str]] = {member: [] for member in component}
    seeds: dict[Permission, list[tuple[int, int, int, str, EffectiveGrant]]] = {}
    order = 0

    def seed(permission: Permission, member: str, grant: EffectiveGrant) -> None:
        nonlocal order
        order += 1
        rank = -_RANK[grant.scope]
        seeds.setdefault(permission, []).append((rank, len(grant.via), order, member, grant))

    for member in component:
        for parent in dict.fromkeys(roles[member].inherits):
            if parent in members:
                heirs[parent].append(member)
        for permission, source in own[member].items():
            seed(permission, member, _effective((source.scope, source, (member,))))
        for parent in roles[member].inherits:
            if parent not in members:
                for permission, grant in effective.get(parent, {}).items():
                    longer = _effective((grant.scope, grant.source, (member, *grant.via)))
                    seed(permission, member, longer)
    result: dict[str, dict[Permission, EffectiveGrant]] = {member: {} for member in component}
    for permission, queue in seeds.items():
        heapq.heapify(queue)
        while queue:
            rank, length, _, member, grant = heapq.heappop(queue)
            if permission in result[member]:
                continue
            result[member][permission] = grant
            for heir in heirs[member]:
                if permission not in result[heir]:
                    order += 1
                    longer = _effective((grant.scope, grant.source, (heir, *grant.via)))
                    heapq.heappush(queue, (rank, length + 1, order, heir, longer))
    return result


_RANK: tuple[int, ...] = tuple(BELOW[scope].bit_count() for scope in range(len(BELOW)))
"""A scope's rank: how many scopes are below it, so a wider scope always ranks higher."""


class HeldGrant(NamedTuple):
    """A person's winning grant for one permission: which role of theirs gives it."""

    role: str
    grant: EffectiveGrant

    @property
    def scope(self) -> Scope:
        return self.grant.scope


def effective_person_grants(
    person_roles: tuple[str, ...], role_grants: Mapping[str, Mapping[Permission, EffectiveGrant]]
) -> dict[Permission, HeldGrant]:
    """The union of a person's roles' effective grants; the widest scope wins."""
    merged: dict[Permission, HeldGrant] = {}
    for role_id in person_roles:
        for permission, grant in role_grants.get(role_id, {}).items():
            current = merged.get(permission)
            if current is None or BELOW[grant.scope] >> current.scope & 1:
                merged[permission] = HeldGrant(role_id, grant)
    return merged
