"""Resources, actions and constraints as written in a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, Field, StringConstraints, model_validator

# A grant map is written on roles (and responsibilities); this module names it too.
from crmorg.roles.models import WILDCARD as WILDCARD
from crmorg.roles.models import GrantMap as GrantMap
from crmorg.roles.models import IdOrWildcard
from crmorg.text import STRICT, Described, Id, Text

_ID = "[a-z][a-z0-9_]{0,63}"
PermissionRef = Annotated[
    str, StringConstraints(pattern=rf"^{_ID}:{_ID}$|^{_ID}\.{_ID}:(read|edit)$")
]
"""``resource:action``, or ``resource.field:read`` / ``resource.field:edit`` (format v1.1)."""


class PermissionName(NamedTuple):
    """A permission as a constraint names it: an action on a resource, or an access
    (``read`` or ``edit``) to one field of it."""

    resource: str
    action: str
    """The action; for a field, the field access (``read`` or ``edit``)."""
    field: str | None = None

    @classmethod
    def parse(cls, text: str) -> PermissionName:
        """``"quote:approve"`` or ``"opportunity.discount:edit"``, known to be well formed."""
        subject, action = text.split(":", 1)
        resource, _, field = subject.partition(".")
        return cls(resource, action, field or None)

    def __str__(self) -> str:
        subject = self.resource if self.field is None else f"{self.resource}.{self.field}"
        return f"{subject}:{self.action}"


BUILTIN_ACTIONS: tuple[str, ...] = (
    "create", "read", "update", "delete", "assign", "share", "export", "import", "approve",
)  # fmt: skip


BaselineScope = Literal["own", "subordinates", "team", "department", "organization"]
"""A baseline's scope: any scope but ``none`` (format v1.1, section 10)."""


class ResourceField(Described):
    """A field of a record type; a restricted one is hidden unless a role grants it."""

    restricted: bool = False
    sensitive: bool = Field(
        default=False, description="Sensitive data (a restricted field is sensitive too)."
    )


class Resource(Described):
    """A CRM record type that permissions cover."""

    sensitive: bool = False
    grants_roles: bool = Field(
        default=False, description="Assigning this record gives people roles (user accounts)."
    )
    actions: list[Id] | None = Field(
        default=None, description="The actions that apply; default: the built-in ones."
    )
    baseline: dict[IdOrWildcard, BaselineScope] = Field(
        default_factory=dict,
        description="Organisation-wide defaults: action (or `*`) -> the scope given to "
        "every subject with any grant of that action.",
    )
    fields: dict[Id, ResourceField] = Field(default_factory=dict)


class Group(BaseModel):
    """People named by one role (with its heirs), team or department (with those below)."""

    model_config = STRICT

    role: Id | None = None
    team: Id | None = None
    department: Id | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Group:
        named = [kind for kind in GROUP_KINDS if getattr(self, kind) is not None]
        if len(named) != 1:
            raise ValueError("a group names exactly one of `role`, `team` or `department`")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in GROUP_KINDS if getattr(self, kind) is not None)

    @property
    def id(self) -> str:
        found: str = getattr(self, self.kind)
        return found


GROUP_KINDS: tuple[str, ...] = ("role", "team", "department")
GROUP_SECTIONS: Mapping[str, str] = {"role": "roles", "team": "teams", "department": "departments"}
"""A group's kind -> the section whose ids it names."""


class SharingRule(Described):
    """Records owned by members of ``from`` are shared with the members of ``to``."""

    resource: Id
    from_: Group = Field(alias="from")
    to: Group
    actions: list[Id] = Field(min_length=1)


class _ConstraintFields(BaseModel):
    """What every kind of constraint has; ``kind`` tells them apart."""

    model_config = STRICT

    id: Id
    kind: str
    name: Text | None = None
    description: Text | None = None


class SeparationOfDuties(_ConstraintFields):
    """No role, and no person, may hold all of these permissions."""

    kind: Literal["separation_of_duties"]
    permissions: list[PermissionRef] = Field(min_length=2)


class ExclusiveRoles(_ConstraintFields):
    """No person holds more than ``max`` of these roles."""

    kind: Literal["exclusive_roles"]
    roles: list[Id] = Field(min_length=2)
    max: int = Field(default=1, ge=1)


class RoleCardinality(_ConstraintFields):
    """The number of people holding ``role`` lies between ``min`` and ``max``."""

    kind: Literal["role_cardinality"]
    role: Id
    min: int = Field(default=0, ge=0)
    max: int | None = Field(default=None, ge=0)


Constraint = Annotated[
    SeparationOfDuties | ExclusiveRoles | RoleCardinality, Field(discriminator="kind")
]
