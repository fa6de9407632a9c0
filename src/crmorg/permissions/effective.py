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
from crmorg.roles.scopes import BELOW, SCOPE_BY_NAME, SCOPES, Scope

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
    baseline: bool = False
    """A resource's baseline (format v1.1, section 10), given to ``role`` because it has
    a grant of the action: ``resource_key`` is then the resource, ``action_key`` the
    baseline's key (an action or ``*``)."""
    also: tuple[GrantSource, ...] = ()
    """Grants the role writes for the same permission at scopes incomparable with this
    one's (format v1.1), narrowest first."""

    @property
    def path(self) -> Path:
        if self.baseline:
            return ("resources", self.resource_key, "baseline", self.action_key)
        return ("roles", self.role, "grants", self.resource_key, self.action_key)


class EffectiveGrant(NamedTuple):
    """The winning grant for one permission of one role.

    ``via`` is the inheritance path from the role asked about to the role where the
    grant is written: ``("sales_manager", "team_leader", "sales_rep")``.
    """

    scope: Scope
    source: GrantSource
    via: tuple[str, ...]
    also: tuple[EffectiveGrant, ...] = ()
    """The other maximal grants, at scopes incomparable with ``scope`` (format v1.1:
    ``subordinates`` beside ``team`` or ``department``), narrowest first; ``scope`` is
    the last declared of them all."""

    @property
    def members(self) -> tuple[EffectiveGrant, ...]:
        """Every maximal grant, this one's scope last: one per maximal scope."""
        if not self.also:
            return (self,)
        return (*self.also, self._replace(also=()))

    @property
    def scopes(self) -> tuple[Scope, ...]:
        """The maximal effective scopes (usually one)."""
        return tuple(member.scope for member in self.members)


# Named tuples built through tuple.__new__ skip the generated Python __new__: this runs
# once per permission of every role, hundreds of thousands of times in a large model.
_source = partial(tuple.__new__, GrantSource)
_effective = partial(tuple.__new__, EffectiveGrant)
_ORDER = {scope: rank for rank, scope in enumerate(SCOPES)}

Baselines = Mapping[Permission, GrantSource]
"""(resource, action) -> the baseline that applies to it (``role`` left empty)."""


def join(current: EffectiveGrant | None, grant: EffectiveGrant) -> EffectiveGrant:
    """The maximal grants of both: the wider scope wins, of equal ones the shorter path;
    incomparable scopes are both kept (see :attr:`EffectiveGrant.also`)."""
    if current is None:
        return grant
    if not current.also and not grant.also:
        ours, theirs = current.scope, grant.scope
        if BELOW[theirs] >> ours & 1:
            return grant
        if BELOW[ours] >> theirs & 1:
            return current
        if ours == theirs:
            return grant if len(grant.via) < len(current.via) else current
    kept: dict[Scope, EffectiveGrant] = {}
    for member in (*current.members, *grant.members):
        found = kept.get(member.scope)
        if found is None or len(member.via) < len(found.via):
            kept[member.scope] = member
    top = sorted(
        (g for s, g in kept.items() if not any(BELOW[o] >> s & 1 for o in kept)),
        key=lambda g: _ORDER[g.scope],
    )
    return top[-1]._replace(also=tuple(top[:-1]))


def through(role_id: str, grant: EffectiveGrant) -> EffectiveGrant:
    """``grant`` as ``role_id`` inherits it: its paths start at ``role_id``."""
    also = tuple(_effective((g.scope, g.source, (role_id, *g.via), ())) for g in grant.also)
    return _effective((grant.scope, grant.source, (role_id, *grant.via), also))


def baselines_of(
    baselines: Mapping[str, Mapping[str, str]], catalog: ActionCatalog
) -> dict[Permission, GrantSource]:
    """Each resource's baseline, ``*`` expanded to the actions that apply; an action
    written out wins over ``*``."""
    found: dict[Permission, GrantSource] = {}
    for resource, actions in baselines.items():
        for action_key, scope_name in sorted(actions.items(), key=lambda kv: kv[0] != "*"):
            scope = SCOPE_BY_NAME[scope_name]
            for permission in catalog.expand(resource, action_key):
                found[permission] = _source(("", resource, action_key, scope, True, ()))
    return found


def with_baselines(
    role_id: str, grants: dict[Permission, EffectiveGrant], baselines: Baselines
) -> dict[Permission, EffectiveGrant]:
    """``grants`` joined with the baseline of every permission they hold (in place)."""
    for permission in baselines.keys() & grants.keys():
        base = baselines[permission]
        given = _effective((base.scope, base._replace(role=role_id), (role_id,), ()))
        grants[permission] = join(grants[permission], given)
    return grants


def expand_grants(
    grants: GrantMap,
    catalog: ActionCatalog,
    extras: dict[Permission, list[tuple[Scope, str, str]]] | None = None,
) -> dict[Permission, tuple[Scope, str, str]]:
    """A grant map with wildcards expanded; for each permission the widest scope wins.

    Among equally wide grants the most specific key wins (an explicit resource over
    ``*``), so provenance points at the line a reader would look for. Grants at scopes
    incomparable with the winner's (format v1.1: ``subordinates`` beside ``team``) go
    to ``extras`` when given, the maximal ones only.
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
                elif (
                    extras is not None
                    and scope != current[0]
                    and not BELOW[current[0]] >> scope & 1
                ):
                    extras.setdefault(permission, []).append((scope, resource_key, action_key))
    if extras:
        for permission, found in list(extras.items()):
            kept = _maximal_extras(result[permission], found)
            if kept:
                extras[permission] = kept
            else:
                del extras[permission]
    return result


def _maximal_extras(
    winner: tuple[Scope, str, str], found: list[tuple[Scope, str, str]]
) -> list[tuple[Scope, str, str]]:
    """The entries of ``found`` that neither the winner nor another entry includes."""
    everyone = [winner, *found]
    kept: dict[Scope, tuple[Scope, str, str]] = {}
    for entry in found:
        scope = entry[0]
        if any(BELOW[other[0]] >> scope & 1 for other in everyone) or scope == winner[0]:
            continue
        best = kept.get(scope)
        if best is None or _specificity(entry) > _specificity(best):
            kept[scope] = entry
    return sorted(kept.values(), key=lambda e: _ORDER[e[0]])


def _specificity(entry: tuple[Scope, str, str]) -> int:
    return (entry[1] != "*") + (entry[2] != "*")


def own_role_grants(
    roles: Mapping[str, Role], catalog: ActionCatalog
) -> dict[str, dict[Permission, GrantSource]]:
    """Each role's grants as written, wildcards expanded: what the role itself grants.

    Where a role writes grants at incomparable scopes for one permission, the winner's
    :attr:`GrantSource.also` holds the others.
    """
    found: dict[str, dict[Permission, GrantSource]] = {}
    for role_id, role in roles.items():
        extras: dict[Permission, list[tuple[Scope, str, str]]] = {}
        expanded = expand_grants(role.grants, catalog, extras)
        own = {
            permission: _source((role_id, resource_key, action_key, scope, False, ()))
            for permission, (scope, resource_key, action_key) in expanded.items()
            if scope != Scope.NONE
        }
        for permission, entries in extras.items():
            also = tuple(_source((role_id, r, a, s, False, ())) for s, r, a in entries)
            if permission in own:
                own[permission] = own[permission]._replace(also=also)
        found[role_id] = own
    return found


def effective_role_grants(
    roles: Mapping[str, Role],
    own: Mapping[str, Mapping[Permission, GrantSource]],
    parents_first: Sequence[str] | None,
    baselines: Baselines | None = None,
) -> dict[str, dict[Permission, EffectiveGrant]]:
    """Effective grants of every role, following ``inherits`` transitively.

    ``parents_first`` orders the roles so each comes after what it inherits (None on
    an inheritance cycle). The path reported for a grant is the shortest one; cycles
    (reported elsewhere) are tolerated. ``baselines`` join every permission a role
    holds (format v1.1, section 10).
    """
    if parents_first is None:
        effective = _condensed(roles, own)
    else:
        effective = {}
        for role_id in parents_first:
            effective[role_id] = _merged(role_id, roles, own, effective)
    if baselines:
        for role_id, grants in effective.items():
            with_baselines(role_id, grants, baselines)
    return effective


def _own_effective(via: str | tuple[str, ...], source: GrantSource) -> EffectiveGrant:
    """A role's own grant as an effective one (``via``: the role, or the path to it)."""
    path = (via,) if isinstance(via, str) else via
    grant = _effective((source.scope, source, path, ()))
    for other in source.also:
        grant = join(grant, _effective((other.scope, other, path, ())))
    return grant


def _merged(
    role_id: str,
    roles: Mapping[str, Role],
    own: Mapping[str, Mapping[Permission, GrantSource]],
    effective: Mapping[str, Mapping[Permission, EffectiveGrant]],
) -> dict[Permission, EffectiveGrant]:
    """A role's own grants merged with its parents' effective ones (already computed)."""
    path = (role_id,)  # one tuple for every grant of the role's own
    merged = {
        permission: _effective((source.scope, source, path, ()))
        if not source.also
        else _own_effective(path, source)
        for permission, source in own[role_id].items()
    }
    for parent in roles[role_id].inherits:
        for permission, grant in effective.get(parent, {}).items():
            current = merged.get(permission)
            if grant.also or (current is not None and current.also):
                merged[permission] = join(current, through(role_id, grant))
            elif (
                current is None
                or BELOW[grant.scope] >> current.scope & 1  # wider, inlined
                or (grant.scope == current.scope and len(grant.via) + 1 < len(current.via))
            ):
                merged[permission] = _effective(
                    (grant.scope, grant.source, (role_id, *grant.via), ())
                )
            elif not BELOW[current.scope] >> grant.scope & 1 and (
                grant.scope != current.scope
            ):  # incomparable scopes: both are kept
                merged[permission] = join(current, through(role_id, grant))
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
    """The effective grants of the roles of one cycle.

    Every member reaches every grant the cycle holds (its members' own, and those
    inherited from outside it), so each member gets, per permission, the same maximal
    scopes; for each of them, a search from the members that hold it back along
    ``inherits`` gives each member its shortest path (ties: the earlier seed)."""
    members = set(component)
    heirs: dict[str, list[str]] = {member: [] for member in component}
    seeds: dict[Permission, list[tuple[str, EffectiveGrant]]] = {}
    for member in component:
        for parent in dict.fromkeys(roles[member].inherits):
            if parent in members:
                heirs[parent].append(member)
        for permission, source in own[member].items():
            for grant in _own_effective(member, source).members:
                seeds.setdefault(permission, []).append((member, grant))
        for parent in roles[member].inherits:
            if parent not in members:
                for permission, inherited in effective.get(parent, {}).items():
                    for grant in through(member, inherited).members:
                        seeds.setdefault(permission, []).append((member, grant))
    result: dict[str, dict[Permission, EffectiveGrant]] = {member: {} for member in component}
    for permission, found in seeds.items():
        scopes = {grant.scope for _, grant in found}
        top = sorted(
            (s for s in scopes if not any(BELOW[o] >> s & 1 for o in scopes)),
            key=_ORDER.__getitem__,
        )
        reached: dict[str, list[EffectiveGrant]] = {member: [] for member in component}
        for scope in top:
            for member, grant in _nearest(
                [(m, g) for m, g in found if g.scope == scope], heirs
            ).items():
                reached[member].append(grant)
        for member, grants in reached.items():
            result[member][permission] = grants[-1]._replace(also=tuple(grants[:-1]))
    return result


def _nearest(
    seeds: list[tuple[str, EffectiveGrant]], heirs: Mapping[str, list[str]]
) -> dict[str, EffectiveGrant]:
    """For grants at one scope held by members of a cycle, each member's grant with
    the shortest path: a search from the holders along ``heirs``."""
    queue = [(len(grant.via), order, member, grant) for order, (member, grant) in enumerate(seeds)]
    heapq.heapify(queue)
    order = len(queue)
    best: dict[str, EffectiveGrant] = {}
    while queue:
        length, _, member, grant = heapq.heappop(queue)
        if member in best:
            continue
        best[member] = grant
        for heir in heirs[member]:
            if heir not in best:
                order += 1
                longer = _effective((grant.scope, grant.source, (heir, *grant.via), ()))
                heapq.heappush(queue, (length + 1, order, heir, longer))
    return best


class HeldGrant(NamedTuple):
    """A person's winning grant for one permission: which role of theirs gives it.

    ``also``: the person's other maximal grants, at incomparable scopes (format v1.1).
    """

    role: str
    grant: EffectiveGrant
    also: tuple[HeldGrant, ...] = ()

    @property
    def scope(self) -> Scope:
        return self.grant.scope

    @property
    def members(self) -> tuple[HeldGrant, ...]:
        """One held grant per maximal scope, this one's last."""
        if not self.also:
            return (self,)
        return (*self.also, self._replace(also=()))


def effective_person_grants(
    person_roles: tuple[str, ...], role_grants: Mapping[str, Mapping[Permission, EffectiveGrant]]
) -> dict[Permission, HeldGrant]:
    """The union of a person's roles' effective grants; the widest scope wins, and
    incomparable scopes are all kept."""
    merged: dict[Permission, HeldGrant] = {}
    for role_id in person_roles:
        for permission, grant in role_grants.get(role_id, {}).items():
            current = merged.get(permission)
            if current is None:
                merged[permission] = _held(role_id, grant)
            elif not grant.also and not current.also and not current.grant.also:
                if BELOW[grant.scope] >> current.scope & 1:
                    merged[permission] = HeldGrant(role_id, grant)
                elif grant.scope != current.scope and not BELOW[current.scope] >> grant.scope & 1:
                    merged[permission] = _join_held(current, _held(role_id, grant))
            else:
                merged[permission] = _join_held(current, _held(role_id, grant))
    return merged


def _held(role_id: str, grant: EffectiveGrant) -> HeldGrant:
    if not grant.also:
        return HeldGrant(role_id, grant)
    members = [HeldGrant(role_id, g) for g in grant.members]
    return members[-1]._replace(also=tuple(members[:-1]))


def _join_held(current: HeldGrant, other: HeldGrant) -> HeldGrant:
    kept: dict[Scope, HeldGrant] = {}
    for member in (*current.members, *other.members):
        if member.grant.also:
            member = member._replace(grant=member.grant._replace(also=()))
        kept.setdefault(member.scope, member)  # the first role listed keeps a scope
    top = sorted(
        (h for s, h in kept.items() if not any(BELOW[o] >> s & 1 for o in kept)),
        key=lambda h: _ORDER[h.scope],
    )
    return top[-1]._replace(also=tuple(top[:-1]))
