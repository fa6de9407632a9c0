"""What the Salesforce org will hold for a crmorg model: the plan the files are written from.

Built by :func:`crmorg.export.salesforce.plan.build_plan`, written by
:mod:`.render`, and compared with the model by :mod:`.losses`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from crmorg.export.salesforce.names import CUSTOM_SUFFIX

OBJECT_ACTIONS: Mapping[str, str] = {
    "create": "allowCreate",
    "read": "allowRead",
    "update": "allowEdit",
    "delete": "allowDelete",
}
"""The crmorg actions that are Salesforce object permissions; any other action is a
custom permission."""
RECORD_ACTIONS = ("read", "update", "delete")
"""The actions Salesforce decides per record (create and custom permissions are not)."""
READ, EDIT = "Read", "Edit"
API_VERSION = "63.0"
HIERARCHY_OPTIONS = ("reports", "flat")
"""``reports``: the role hierarchy follows ``reports_to``; ``flat``: no hierarchy."""


@dataclass(frozen=True)
class ObjectAccess:
    """One object permission of a permission set."""

    create: bool = False
    read: bool = False
    edit: bool = False
    delete: bool = False
    view_all: bool = False
    modify_all: bool = False

    def closed(self) -> ObjectAccess:
        """With what Salesforce requires alongside: Create, Edit, Delete and View All need
        Read; Delete needs Edit; Modify All needs Read, Edit, Delete and View All."""
        modify_all = self.modify_all
        delete = self.delete or modify_all
        edit = self.edit or delete
        view_all = self.view_all or modify_all
        read = self.read or self.create or edit or view_all
        return ObjectAccess(self.create, read, edit, delete, view_all, modify_all)

    def union(self, other: ObjectAccess) -> ObjectAccess:
        return ObjectAccess(
            *(a or b for a, b in zip(_flags(self), _flags(other), strict=True))
        ).closed()

    def allows(self, action: str) -> bool:
        return {"create": self.create, "read": self.read, "update": self.edit}.get(
            action, self.delete if action == "delete" else False
        )


def _flags(access: ObjectAccess) -> tuple[bool, ...]:
    return (
        access.create,
        access.read,
        access.edit,
        access.delete,
        access.view_all,
        access.modify_all,
    )


@dataclass(frozen=True)
class SField:
    resource: str
    field: str
    api: str
    """The field's API name on its object (``Margin__c``)."""
    label: str
    description: str
    restricted: bool

    @property
    def custom(self) -> bool:
        return self.api.endswith(CUSTOM_SUFFIX)


@dataclass(frozen=True)
class SObject:
    resource: str
    api: str
    label: str
    description: str
    sharing_model: str
    fields: tuple[SField, ...]

    @property
    def custom(self) -> bool:
        return self.api.endswith(CUSTOM_SUFFIX)


@dataclass(frozen=True)
class CustomPermission:
    name: str
    label: str
    resource: str
    action: str


@dataclass
class PermissionSet:
    name: str
    label: str
    description: str
    role: str
    objects: dict[str, ObjectAccess] = field(default_factory=dict)
    fields: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    """``Object.Field`` -> (readable, editable)."""
    custom_permissions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PermissionSetGroup:
    name: str
    label: str
    role: str
    sets: tuple[str, ...]


@dataclass(frozen=True)
class UserRole:
    name: str
    label: str
    person: str
    parent: str | None
    """The user role of the person's manager."""


@dataclass(frozen=True)
class PublicGroup:
    name: str
    label: str
    description: str
    members: frozenset[str]
    """Person ids."""


@dataclass(frozen=True)
class OwnerRule:
    """Records of ``object`` owned by ``shared_from`` (``None``: all internal users)
    are shared with ``shared_to`` at ``access`` (Read or Edit)."""

    name: str
    label: str
    object: str
    access: str
    shared_from: str | None
    shared_to: str
    origin: tuple[str, ...]
    """What it carries: ``("team", id)``, ``("department", id)``, ``("organization",)``
    or ``("sharing", rule id)``."""


@dataclass(frozen=True)
class UserRow:
    person: str
    name: str
    email: str
    role: str


@dataclass
class Plan:
    hierarchy: str
    objects: dict[str, SObject]
    custom_permissions: dict[tuple[str, str], CustomPermission]
    permission_sets: dict[str, PermissionSet]
    permission_set_groups: dict[str, PermissionSetGroup]
    user_roles: dict[str, UserRole]
    groups: dict[str, PublicGroup]
    rules: list[OwnerRule]
    users: list[UserRow]
    assignments: list[tuple[str, str]]
    """(person, permission set group)."""
    dropped_reporting: list[str]
    """People whose ``reports_to`` the role hierarchy could not hold (a cycle)."""
    refused_names: list[str] = field(default_factory=list)
    """Names in ``settings.export.salesforce`` that could not be used, and why."""

    def person_access(self, person_roles: Iterable[str], object_api: str) -> ObjectAccess:
        """The object permission a person gets through their groups' permission sets."""
        access = ObjectAccess()
        for role in person_roles:
            group = self.permission_set_groups.get(role)
            for set_name in group.sets if group is not None else ():
                found = self.sets_by_name[set_name].objects.get(object_api)
                if found is not None:
                    access = access.union(found)
        return access

    @cached_property
    def sets_by_name(self) -> dict[str, PermissionSet]:
        return {ps.name: ps for ps in self.permission_sets.values()}
