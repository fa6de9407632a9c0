"""Access review of fields (format v1.1, section 12): who may read or edit each field.

The ``matrix --fields`` and ``who-can --field`` commands render these answers; the
handbook's field tables read them too. A field's access is the record's permission
and, for a restricted field, the widest field grant of the subject's roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crmorg.permissions.access import AccessModel
from crmorg.permissions.fields import NEEDS, FieldGrant
from crmorg.permissions.review import Access, SubjectKind, WhoCan, who_can
from crmorg.permissions.scopes import Scope

FieldKey = tuple[str, str]
"""(resource, field)."""


@dataclass(frozen=True)
class FieldCell:
    """One subject's access to one field, and the field grant behind it (restricted
    fields only)."""

    level: str
    grant: FieldGrant | None


@dataclass(frozen=True)
class FieldMatrix:
    """Every declared field against every role and person."""

    fields: tuple[FieldKey, ...]
    """In the model's order: resources, then each resource's fields."""
    restricted: frozenset[FieldKey]
    roles: Mapping[str, Mapping[FieldKey, FieldCell]]
    people: Mapping[str, Mapping[FieldKey, FieldCell]]

    def sections(
        self,
    ) -> tuple[tuple[SubjectKind, Mapping[str, Mapping[FieldKey, FieldCell]]], ...]:
        return (("role", self.roles), ("person", self.people))


def declared_fields(access: AccessModel) -> tuple[FieldKey, ...]:
    """Every (resource, field) the model declares, in its order."""
    resources = access.catalog.resources
    return tuple((r, f) for r, resource in resources.items() for f in resource.fields)


def field_grant(
    access: AccessModel, kind: SubjectKind, subject: str, resource: str, field: str
) -> FieldGrant | None:
    """The subject's widest grant of a restricted field (None for an unrestricted one)."""
    if not access.fields.restricted(resource, field):
        return None
    if kind == "role":
        return access.fields.role_grant(subject, resource, field)
    return access.fields.person_grant(subject, resource, field)


def field_matrix(access: AccessModel) -> FieldMatrix:
    fields = declared_fields(access)

    def row(kind: SubjectKind, subject: str) -> dict[FieldKey, FieldCell]:
        return {
            (r, f): FieldCell(
                access.field_access(subject, r, f), field_grant(access, kind, subject, r, f)
            )
            for r, f in fields
        }

    return FieldMatrix(
        fields,
        frozenset(key for key in fields if access.fields.restricted(*key)),
        {role_id: row("role", role_id) for role_id in access.org.roles},
        {person_id: row("person", person_id) for person_id in access.org.people},
    )


@dataclass(frozen=True)
class FieldAccess:
    """A subject that may read (or edit) a field: its record grant and its field grant."""

    record: Access
    field: str
    grant: FieldGrant | None

    @property
    def level(self) -> str:
        return self.grant.access if self.grant is not None else "edit"


@dataclass(frozen=True)
class WhoCanField:
    """Of the subjects that may act on the records (``record``: who may read or update
    them at the scope asked about), those that may read or edit ``field`` as well."""

    record: WhoCan
    field: str
    restricted: bool
    roles: tuple[FieldAccess, ...]
    people: tuple[FieldAccess, ...]


def who_can_field(
    access: AccessModel, action: str, resource: str, field: str, scope: str | Scope = "own"
) -> WhoCanField:
    """Who may read (``read``) or edit (``update``) one field: the subjects that may act on
    the record at ``scope``, and whose field grant reaches, where the field is restricted.

    Raises :class:`~crmorg.permissions.decisions.UnknownIdError` for an undeclared field
    and ``ValueError`` for an action that neither reads nor edits a field.
    """
    access.require_field(action, resource, field)
    record = who_can(access, action, resource, scope)
    needs = NEEDS[action]
    restricted = access.fields.restricted(resource, field)

    def allowed(entries: tuple[Access, ...]) -> tuple[FieldAccess, ...]:
        found = []
        for entry in entries:
            grant = field_grant(access, entry.kind, entry.subject, resource, field)
            if not restricted or (grant is not None and grant.level >= needs):
                found.append(FieldAccess(entry, field, grant))
        return tuple(found)

    return WhoCanField(record, field, restricted, allowed(record.roles), allowed(record.people))


__all__ = [
    "FieldAccess",
    "FieldCell",
    "FieldKey",
    "FieldMatrix",
    "WhoCanField",
    "declared_fields",
    "field_grant",
    "field_matrix",
    "who_can_field",
]
