"""Access gained and lost, per role and per person, read from each side's decision index.

Effective access is per role (one integer row per role in
:class:`~crmorg.permissions.index.DecisionIndex`: per (resource, action) the down-set of
its effective scopes, baselines included), and a person's is the join of their roles'
rows, so people are compared in groups: everyone with the same roles before and after
shares one comparison. Only rows that differ are taken apart permission by permission.
Which grant, baseline, inheritance path or membership causes a change is read from the
effective-grant tables of the side that holds it (NEW for gains, OLD for losses).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import replace

from crmorg.diff.results import AccessChange, Cause, ChangeKind, Side
from crmorg.diff.version import Version
from crmorg.permissions.index import FIELD, FIELD_WIDTH
from crmorg.roles.scopes import COVERED, Scope, maximal

Permission = tuple[str, str]
_TABLE_PER_ROLE = 2
"""Grants looked up one by one, per role of the model, before every role's table is
built instead: a lookup costs about half what the table costs per role (measured with
benchmarks/bench_diff.py), and a change that touches most roles asks about most of them."""
_LABEL = {scope: scope.label for scope in Scope}
NONE = COVERED[Scope.NONE]
"""The field of a permission not held: scope ``none`` only."""


@functools.cache
def scope_names(covered: int) -> tuple[str, ...]:
    """The maximal scopes of a down-set, by name; ``()`` for none."""
    if covered == NONE:
        return ()
    return tuple(_LABEL[scope] for scope in maximal(covered))


def change_kind(old: int, new: int) -> ChangeKind:
    """How the down-set ``new`` relates to ``old`` (which differ)."""
    if old == NONE:
        return "gained"
    if new == NONE:
        return "lost"
    if old & ~new == 0:
        return "widened"
    if new & ~old == 0:
        return "narrowed"
    return "changed"


class SideAccess:
    """One side's rows, and the layout of a row (which field is which permission)."""

    def __init__(self, version: Version, side: Side) -> None:
        self.version = version
        self.side = side
        model = version.model
        self.access = model.access
        index = self.access.index
        if not index.built:
            index.build()
        self.index = index
        self.permissions: tuple[Permission, ...] = tuple(self.access.catalog.permissions())
        # A field's place in a row, from the index's own bits (scope `none` is bit 0).
        self.shift = {p: index.bits[(*p, Scope.NONE)].bit_length() - 1 for p in self.permissions}
        self.at = {shift // FIELD_WIDTH: p for p, shift in self.shift.items()}
        self.nothing = 0
        for shift in self.shift.values():
            self.nothing |= NONE << shift
        self.roles = model.roles
        self.people = model.people
        self.causes: RoleCauses  # set by :func:`pair`, once both sides exist

    def role_row(self, role: str) -> int | None:
        return self.index.rows[role] if role in self.roles else None

    def held(self, row: int | None) -> dict[Permission, int]:
        """The permissions a row holds (anything above `none`) -> their down-sets."""
        if row is None:
            return {}
        found: dict[Permission, int] = {}
        rest = row ^ self.nothing
        at = self.at
        while rest:
            position = (rest & -rest).bit_length() - 1
            number = position // FIELD_WIDTH
            shift = number * FIELD_WIDTH
            found[at[number]] = row >> shift & FIELD
            rest &= ~(FIELD << shift)
        return found

    def field(self, row: int | None, permission: Permission) -> int:
        if row is None:
            return NONE
        shift = self.shift.get(permission)
        return NONE if shift is None else row >> shift & FIELD


def pair(old: SideAccess, new: SideAccess) -> None:
    """Give each side the causes finder that compares it with the other."""
    old.causes = RoleCauses(old, new)
    new.causes = RoleCauses(new, old)


def changed_fields(
    old: SideAccess, new: SideAccess, old_row: int | None, new_row: int | None
) -> dict[Permission, tuple[int, int]]:
    """Permission -> (old down-set, new down-set), for every permission that differs."""
    if old_row is not None and new_row is not None and old.permissions == new.permissions:
        if old_row == new_row:
            return {}
        found: dict[Permission, tuple[int, int]] = {}
        rest = old_row ^ new_row
        while rest:
            position = (rest & -rest).bit_length() - 1
            shift = position // FIELD_WIDTH * FIELD_WIDTH
            permission = old.at[shift // FIELD_WIDTH]
            found[permission] = (old_row >> shift & FIELD, new_row >> shift & FIELD)
            rest &= ~(FIELD << shift)
        return found
    before, after = old.held(old_row), new.held(new_row)
    return {
        p: (before.get(p, NONE), after.get(p, NONE))
        for p in sorted(before.keys() | after.keys())
        if before.get(p, NONE) != after.get(p, NONE)
    }


class RoleCauses:
    """Why a role's access to a permission is what it is on one side."""

    def __init__(self, side: SideAccess, other: SideAccess) -> None:
        self.side = side
        self.other = other
        self._written: dict[tuple[str, Permission], tuple[tuple[int, Cause], ...]] = {}
        self._found: dict[tuple[str, Permission, int], tuple[Cause, ...]] = {}
        self._asked = 0
        self._table_after = _TABLE_PER_ROLE * len(side.roles) + 100

    def causes(self, role: str, permission: Permission, bits: int) -> tuple[Cause, ...]:
        """The grants (own, inherited, baseline) of ``role`` that give the scopes in ``bits``."""
        key = (role, permission, bits)
        found = self._found.get(key)
        if found is None:
            written = self._written.get(key[:2])
            if written is None:
                written = self._written[(role, permission)] = self._all(role, permission)
            found = self._found[key] = tuple(cause for mask, cause in written if mask & bits)
        return found

    def _all(self, role: str, permission: Permission) -> tuple[tuple[int, Cause], ...]:
        """Each maximal grant of the permission on ``role``: (its scopes, its cause)."""
        side = self.side
        self._asked += 1
        if self._asked == self._table_after:
            side.access.role_grants  # noqa: B018 (built once; role_grant then reads it)
        grant = side.access.role_grant(role, permission)
        if grant is None:
            return ()
        where = side.version.where
        found: list[tuple[int, Cause]] = []
        resource, action = permission
        for member in grant.members:
            source = member.source
            scope = _LABEL[member.scope]
            mask = COVERED[member.scope]
            if source.baseline:
                text = (
                    f"baseline {source.action_key}: {scope} of {resource}, given to "
                    f"every role with a grant of {action}"
                )
                same = self.other.access.baselines.get(permission)
                if same is not None and same.scope == member.scope:
                    holds = "now holds" if side.side == "new" else "no longer holds"
                    text += f" (unchanged: {role} {holds} a grant of {action} on {resource})"
                found.append((mask, Cause("baseline", side.side, text, where(source.path), role)))
                continue
            written = f"grant {source.resource_key}.{source.action_key}: {scope} on {source.role}"
            if len(member.via) > 1:
                path = " -> ".join(member.via)
                lineage = self.other.version.model.org.lineage.get(role, frozenset())
                if source.role not in lineage:
                    text = f"{role} inherits {path} ({written})"
                    location = where(("roles", role, "inherits"))
                    found.append((mask, Cause("inheritance", side.side, text, location, role)))
                    continue
                written += f", inherited {path}"
            found.append((mask, Cause("grant", side.side, written, where(source.path), role)))
        return tuple(found)


def role_changes(
    old: SideAccess, new: SideAccess
) -> tuple[dict[str, tuple[AccessChange, ...]], dict[tuple[str, Permission], AccessChange]]:
    """Each role's scope changes, and the same by (role, permission)."""
    gains, losses = new.causes, old.causes
    per_role: dict[str, tuple[AccessChange, ...]] = {}
    by_key: dict[tuple[str, Permission], AccessChange] = {}
    for role in _union(old.roles, new.roles):
        fields = changed_fields(old, new, old.role_row(role), new.role_row(role))
        changes = []
        for permission, (before, after) in fields.items():
            causes = gains.causes(role, permission, after & ~before)
            causes += losses.causes(role, permission, before & ~after)
            change = AccessChange(
                "scope",
                permission[0],
                permission[1],
                change_kind(before, after),
                scope_names(before),
                scope_names(after),
                causes,
            )
            changes.append(change)
            by_key[(role, permission)] = change
        if changes:
            per_role[role] = tuple(changes)
    return per_role, by_key


def person_scope_changes(
    old: SideAccess,
    new: SideAccess,
    before_roles: tuple[str, ...] | None,
    after_roles: tuple[str, ...] | None,
    old_row: int | None,
    new_row: int | None,
    by_role: Mapping[tuple[str, Permission], AccessChange],
) -> list[AccessChange]:
    """The scope changes of the people holding ``before_roles``, then ``after_roles``.

    A membership cause's ``where`` is left empty: each person's own ``roles`` line is
    filled in by the caller.
    """
    changes = []
    was = set(before_roles or ())
    now = set(after_roles or ())
    for permission, (before, after) in changed_fields(old, new, old_row, new_row).items():
        causes: list[Cause] = []
        for side, roles, other_roles, bits in (
            (new, after_roles or (), was, after & ~before),
            (old, before_roles or (), now, before & ~after),
        ):
            if not bits:
                continue
            for role in dict.fromkeys(roles):
                if not side.field(side.role_row(role), permission) & bits:
                    continue
                if role not in other_roles:
                    verb = "gained" if side is new else "lost"
                    causes.append(Cause("membership", side.side, f"{verb} role {role}", "", role))
                    causes += side.causes.causes(role, permission, bits)
                else:
                    found = by_role.get((role, permission))
                    if found is not None:
                        causes += (c for c in found.causes if c.side == side.side)
        changes.append(
            AccessChange(
                "scope",
                permission[0],
                permission[1],
                change_kind(before, after),
                scope_names(before),
                scope_names(after),
                tuple(dict.fromkeys(causes)),
            )
        )
    return changes


def with_membership_lines(
    changes: Iterable[AccessChange], person: str, old: Version, new: Version
) -> tuple[AccessChange, ...]:
    """``changes`` with each membership cause pointing at the person's ``roles`` line."""
    lines = {
        "new": new.where(("people", person, "roles")) if person in new.model.people else "",
        "old": old.where(("people", person, "roles")) if person in old.model.people else "",
    }
    result = []
    located: dict[Cause, Cause] = {}
    for change in changes:
        if any(c.kind == "membership" for c in change.causes):
            causes = []
            for cause in change.causes:
                if cause.kind == "membership":
                    found = located.get(cause)
                    if found is None:
                        found = located[cause] = replace(cause, where=lines[cause.side])
                    cause = found
                causes.append(cause)
            change = replace(change, causes=tuple(causes))
        result.append(change)
    return tuple(result)


def person_groups(
    old: SideAccess, new: SideAccess
) -> dict[tuple[tuple[str, ...] | None, tuple[str, ...] | None], list[str]]:
    """(roles before, roles after) -> the people holding exactly them; None: absent.

    Role lists are compared as sets, as the index joins them; the tuple kept is sorted.
    """
    groups: dict[tuple[tuple[str, ...] | None, tuple[str, ...] | None], list[str]] = {}
    keys: dict[tuple[str, ...], tuple[str, ...]] = {}

    def key_of(roles: list[str]) -> tuple[str, ...]:
        written = tuple(roles)
        found = keys.get(written)
        if found is None:
            found = keys[written] = tuple(sorted(set(written)))
        return found

    before_people, after_people = old.people, new.people
    for person in _union(before_people, after_people):
        before = before_people.get(person)
        after = after_people.get(person)
        key = (
            key_of(before.roles) if before is not None else None,
            key_of(after.roles) if after is not None else None,
        )
        groups.setdefault(key, []).append(person)
    return groups


def _union(first: Mapping[str, object], second: Mapping[str, object]) -> list[str]:
    """The ids of both, the first's order then the second's new ones."""
    return [*first, *(key for key in second if key not in first)]
