"""Restricted fields (format v1.1, section 12) whose access changed, per role and person.

An unrestricted field follows its record: its changes are the record's (``read`` and
``update`` scope changes) and are not repeated per field. A field restricted on either
side is compared with each side's own ``field_access``.
"""

from __future__ import annotations

from collections.abc import Iterable

from crmorg.diff.access import SideAccess
from crmorg.diff.results import AccessChange, Cause, ChangeKind
from crmorg.permissions.fields import LEVEL

FieldKey = tuple[str, str]
"""(resource, field)."""


def restricted_fields(old: SideAccess, new: SideAccess) -> tuple[FieldKey, ...]:
    """Every field restricted on either side, in the NEW side's order then the OLD's."""
    found: dict[FieldKey, None] = {}
    for side in (new, old):
        for resource_id, resource in side.version.model.resources.items():
            for field_id, declared in resource.fields.items():
                if declared.restricted:
                    found[(resource_id, field_id)] = None
    return tuple(found)


def declarations_changed(
    old: SideAccess, new: SideAccess, keys: Iterable[FieldKey]
) -> set[FieldKey]:
    """The fields declared differently (added, removed, restricted or not) on the sides."""
    return {key for key in keys if _declared(old, key) != _declared(new, key)}


def _declared(side: SideAccess, key: FieldKey) -> bool | None:
    resource = side.version.model.resources.get(key[0])
    if resource is None or key[1] not in resource.fields:
        return None
    return resource.fields[key[1]].restricted


def level(side: SideAccess, subject: str | None, key: FieldKey, person: bool) -> str:
    """The subject's access to the field on ``side``; ``none`` when either is absent."""
    if subject is None or _declared(side, key) is None:
        return "none"
    known = side.people if person else side.roles
    if subject not in known:
        return "none"
    return side.access.field_access(subject, *key)


def grant_level(side: SideAccess, role: str, key: FieldKey) -> int:
    """The level of the role's widest field grant (its own or inherited) on ``side``."""
    if role not in side.roles or _declared(side, key) is None:
        return 0
    found = side.access.fields.role_grant(role, *key)
    return found.level if found is not None else 0


def field_change(
    old: SideAccess,
    new: SideAccess,
    key: FieldKey,
    before: str,
    after: str,
    grant_roles: tuple[tuple[str, ...], tuple[str, ...]],
    record_causes: tuple[Cause, ...],
) -> AccessChange:
    """The change of one field from ``before`` to ``after``, with its causes.

    ``grant_roles``: the roles (OLD side, NEW side) whose field grants count; a
    declaration change, a field grant, or else the record's access explains it.
    """
    resource, field = key
    gained = LEVEL[after] > LEVEL[before]
    side, other = (new, old) if gained else (old, new)
    roles, others = grant_roles[::-1] if gained else grant_roles
    causes: list[Cause] = []
    if _declared(old, key) != _declared(new, key):
        state = _declared(side, key)
        words = "not declared" if state is None else ("restricted" if state else "unrestricted")
        path = ("resources", resource, "fields", field) if state is not None else ("resources",)
        causes.append(
            Cause("field", side.side, f"{resource}.{field} is {words}", side.version.where(path))
        )
    for role in roles:
        # A role the person did not hold on the other side brings its field grant along.
        here = grant_level(side, role, key)
        there = grant_level(other, role, key) if role in others else 0
        if here > there:
            found = side.access.fields.role_grant(role, resource, field)
            if found is not None:
                causes.append(
                    Cause(
                        "field",
                        side.side,
                        f"field grant {found.access} of {resource}.{field} on {found.role}",
                        side.version.where(found.path(resource, field)),
                        role,
                    )
                )
    if not causes:
        causes += record_causes
    kind: ChangeKind = (
        "gained" if before == "none" else "lost" if after == "none" else
        "widened" if gained else "narrowed"
    )  # fmt: skip
    return AccessChange("field", resource, "field", kind, (before,), (after,), tuple(causes), field)
