"""Effective grants: a role's own grants plus those it inherits, widest scope winning."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from functools import partial
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.models import GrantMap
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
        return {role_id: _breadth_first(role_id, roles, own) for role_id in roles}
    effective: dict[str, dict[Permission, EffectiveGrant]] = {}
    for role_id in parents_first:
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
                    merged[permission] = _effective(
                        (grant.scope, grant.source, (role_id, *grant.via))
                    )
        effective[role_id] = merged
    return effective


def _breadth_first(
    role_id: str, roles: Mapping[str, Role], own: Mapping[str, Mapping[Permission, GrantSource]]
) -> dict[Permission, EffectiveGrant]:
    merged: dict[Permission, EffectiveGrant] = {}
    seen = {role_id}
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(role_id, (role_id,))])
    while queue:
        current, via = queue.popleft()
        for permission, source in own.get(current, {}).items():
            existing = merged.get(permission)
            if existing is None or BELOW[source.scope] >> existing.scope & 1:
                merged[permission] = EffectiveGrant(source.scope, source, via)
        role = roles.get(current)
        for parent in role.inherits if role is not None else ():
            if parent not in seen and parent in roles:
                seen.add(parent)
                queue.append((parent, (*via, parent)))
    return merged


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
