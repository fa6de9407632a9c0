"""The separation-of-duties constraints of a model, with their permissions parsed, and
who holds each permission.

A role or person holds ``resource:action`` with any grant of it (at a scope above
``none``), and ``resource.field:edit`` when its field access is ``edit``
(``resource.field:read``: at least ``read``), as :meth:`crmorg.Model.field_access` gives
it: the record permission that reads or edits the field, and for a restricted field a
field grant too (format v1.1, section 12).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from functools import cached_property
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.lint.grants import origin
from crmorg.lint.wording import permission_text
from crmorg.model import Model
from crmorg.permissions.effective import EffectiveGrant, Permission
from crmorg.permissions.fields import LEVEL, FieldGrant
from crmorg.permissions.models import PermissionName, SeparationOfDuties


def sod_constraints(model: Model) -> Iterator[tuple[SeparationOfDuties, list[PermissionName]]]:
    """Each separation-of-duties constraint with its distinct permissions."""
    for constraint in model.constraints:
        if isinstance(constraint, SeparationOfDuties):
            names = [PermissionName.parse(text) for text in dict.fromkeys(constraint.permissions)]
            yield constraint, names


def named(permission: PermissionName) -> str:
    """``quote.approve`` for an action, ``opportunity.discount:edit`` for a field."""
    if permission.field is None:
        return permission_text((permission.resource, permission.action))
    return str(permission)


class Held(NamedTuple):
    """How a role comes by one permission of a constraint."""

    text: str
    """The permission and its origin, in words."""
    sources: tuple[str, ...]
    """The roles whose grants give it."""
    own: Path | None
    """Where the role itself writes a grant that gives it, if it does."""


class Duties:
    """Who holds the permissions that constraints name: roles, and people."""

    def __init__(self, model: Model) -> None:
        self._model = model
        self._givers: dict[PermissionName, frozenset[str]] = {}

    @cached_property
    def _grants(self) -> Mapping[str, Mapping[Permission, EffectiveGrant]]:
        """Every role's effective grants, computed when a constraint first asks."""
        return self._model.access.role_grants

    def givers(self, permission: PermissionName) -> frozenset[str]:
        """The roles that hold ``permission`` through their effective grants."""
        found = self._givers.get(permission)
        if found is None:
            key = (permission.resource, permission.action)
            found = self._givers[permission] = frozenset(
                role_id
                for role_id, held in self._grants.items()
                if (
                    key in held
                    if permission.field is None
                    else self.role_holds(role_id, permission)
                )
            )
        return found

    def role_holds(self, role_id: str, permission: PermissionName) -> bool:
        if permission.field is None:
            return (permission.resource, permission.action) in self._grants[role_id]
        return self._field_level(role_id, permission) >= LEVEL[permission.action]

    def person_holds_field(self, person_id: str, permission: PermissionName) -> bool:
        """Whether a person holds a field permission: a person's field access may join
        one role's record grant with another's field grant, so it is asked of the
        person, not of each role."""
        return self._field_level(person_id, permission) >= LEVEL[permission.action]

    def role_held(self, role_id: str, permission: PermissionName) -> Held:
        """How a role that holds ``permission`` comes by it."""
        if permission.field is None:
            grant = self._grants[role_id][(permission.resource, permission.action)]
            own = grant.source.path if grant.source.role == role_id else None
            return Held(f"{named(permission)} ({origin(grant)})", (grant.source.role,), own)
        key = self._record_action(self._grants[role_id], permission)
        grant = self._grants[role_id][key]
        words = [f"{key[1]}: {origin(grant)}"]
        sources = [grant.source.role]
        own = grant.source.path if grant.source.role == role_id else None
        field = self._field_grant(role_id, permission, as_person=False)
        if field is not None:
            words.append(
                "its own field grant"
                if field.role == role_id
                else f"field grant inherited from {field.role}"
            )
            sources.append(field.role)
            if field.role == role_id:
                own = field.path(permission.resource, self._field(permission))
        text = f"{permission} ({'; '.join(words)})"
        return Held(text, tuple(dict.fromkeys(sources)), own)

    def person_roles(self, person_id: str, permission: PermissionName) -> tuple[str, ...]:
        """The person's roles that bring ``permission``, which the person holds."""
        held = self._model.access.person_grants(person_id)
        if permission.field is None:
            return (held[(permission.resource, permission.action)].role,)
        roles = [held[self._record_action(held, permission)].role]
        field = self._field_grant(person_id, permission, as_person=True)
        if field is not None:
            roles.append(field.role)
        return tuple(dict.fromkeys(roles))

    def _field_level(self, subject: str, permission: PermissionName) -> int:
        resource = self._model.resources.get(permission.resource)
        if resource is None or permission.field not in resource.fields:
            return 0  # an unknown field (unknown-reference reports it) is held by nobody
        field = self._field(permission)
        return LEVEL[self._model.access.field_access(subject, permission.resource, field)]

    @staticmethod
    def _record_action(held: Collection[Permission], permission: PermissionName) -> Permission:
        """The record permission through which a subject holding ``held`` holds a field
        permission: ``read`` for `:read` where it has it, else ``update``."""
        read = (permission.resource, "read")
        if permission.action == "read" and read in held:
            return read
        return (permission.resource, "update")

    def _field_grant(
        self, subject: str, permission: PermissionName, *, as_person: bool
    ) -> FieldGrant | None:
        """The field grant a restricted field needs; None for an unrestricted one."""
        fields, field = self._model.access.fields, self._field(permission)
        if not fields.restricted(permission.resource, field):
            return None
        if as_person:
            return fields.person_grant(subject, permission.resource, field)
        return fields.role_grant(subject, permission.resource, field)

    @staticmethod
    def _field(permission: PermissionName) -> str:
        assert permission.field is not None
        return permission.field
