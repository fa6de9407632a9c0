"""Field permissions (format v1.1, section 12): who may read or edit a record's fields.

An unrestricted field follows its record: read with ``read``, edited with ``update``. A
restricted one needs a field grant too, the widest over the subject's roles and what
they inherit (``none < read < edit``): read when the subject may read the record and
its field access is at least ``read``; edited when it may update it and it is ``edit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.models import Resource
from crmorg.roles.models import FIELD_ACCESS, Role
from crmorg.roles.orggraph import OrgGraph

LEVEL: Mapping[str, int] = {name: rank for rank, name in enumerate(FIELD_ACCESS)}
"""``"none"`` -> 0, ``"read"`` -> 1, ``"edit"`` -> 2."""
NEEDS: Mapping[str, int] = {"read": LEVEL["read"], "update": LEVEL["edit"]}
"""The record action that reads or edits a field -> the field access it needs."""
FIELD_ACTIONS: tuple[str, ...] = tuple(NEEDS)


class FieldGrant(NamedTuple):
    """A subject's widest field grant: its level and the role it is written on."""

    level: int
    role: str

    @property
    def access(self) -> str:
        return FIELD_ACCESS[self.level]

    def path(self, resource: str, field: str) -> tuple[str, ...]:
        return ("roles", self.role, "fields", resource, field)


class FieldIndex:
    """Restricted fields, and each role's and person's widest grant of each."""

    def __init__(self, resources: Mapping[str, Resource], org: OrgGraph) -> None:
        self._resources = resources
        self._org = org
        self._grants: dict[tuple[str, str, str], FieldGrant | None] = {}

    def require(self, resource: str, field: str) -> None:
        """Raises :class:`UnknownIdError` unless ``resource`` declares ``field``."""
        declared = self._resources.get(resource)
        if declared is None:
            raise UnknownIdError(f"no resource `{resource}` in the model")
        if field not in declared.fields:
            known = ", ".join(declared.fields) or "none"
            raise UnknownIdError(
                f"resource `{resource}` declares no field `{field}` (its fields: {known})"
            )

    def restricted(self, resource: str, field: str) -> bool:
        return self._resources[resource].fields[field].restricted

    def role_grant(self, role_id: str, resource: str, field: str) -> FieldGrant | None:
        """The widest grant of the field over the role and every role it inherits."""
        key = (role_id, resource, field)
        if key in self._grants:
            return self._grants[key]
        roles: Mapping[str, Role] = self._org.roles
        best: FieldGrant | None = None
        # Sorted, so that of equal grants the same role is named whatever the set order.
        for ancestor in sorted(self._org.lineage.get(role_id, ())):
            written = roles[ancestor].fields.get(resource, {}).get(field)
            if written is not None and (best is None or LEVEL[written] > best.level):
                best = FieldGrant(LEVEL[written], ancestor)
        # A role's own grant is named before an inherited one of the same level.
        own = roles[role_id].fields.get(resource, {}).get(field) if role_id in roles else None
        if own is not None and best is not None and LEVEL[own] == best.level:
            best = FieldGrant(best.level, role_id)
        self._grants[key] = best
        return best

    def person_grant(self, person: str, resource: str, field: str) -> FieldGrant | None:
        """The widest grant of the field over the person's roles (the first listed wins ties)."""
        best: FieldGrant | None = None
        for role_id in self._org.people[person].roles:
            found = self.role_grant(role_id, resource, field)
            if found is not None and (best is None or found.level > best.level):
                best = found
        return best
