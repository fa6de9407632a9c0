"""Resources, actions and constraints as written in a model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

# A grant map is written on roles (and responsibilities); this module names it too.
from crmorg.roles.models import WILDCARD as WILDCARD
from crmorg.roles.models import GrantMap as GrantMap
from crmorg.text import STRICT, Id, Text

PermissionRef = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}:[a-z][a-z0-9_]{0,63}$")
]
"""``resource:action``."""

BUILTIN_ACTIONS: tuple[str, ...] = (
    "create", "read", "update", "delete", "assign", "share", "export", "import", "approve",
)  # fmt: skip


class Resource(BaseModel):
    """A CRM record type that permissions cover."""

    model_config = STRICT

    name: Text | None = None
    description: Text | None = None
    sensitive: bool = False
    grants_roles: bool = Field(
        default=False, description="Assigning this record gives people roles (user accounts)."
    )
    actions: list[Id] | None = Field(
        default=None, description="The actions that apply; default: the built-in ones."
    )


class SeparationOfDuties(BaseModel):
    """No role, and no person, may hold all of these permissions."""

    model_config = STRICT

    id: Id
    kind: Literal["separation_of_duties"]
    name: Text | None = None
    description: Text | None = None
    permissions: list[PermissionRef] = Field(min_length=2)


class ExclusiveRoles(BaseModel):
    """No person holds more than ``max`` of these roles."""

    model_config = STRICT

    id: Id
    kind: Literal["exclusive_roles"]
    name: Text | None = None
    description: Text | None = None
    roles: list[Id] = Field(min_length=2)
    max: int = Field(default=1, ge=1)


class RoleCardinality(BaseModel):
    """The number of people holding ``role`` lies between ``min`` and ``max``."""

    model_config = STRICT

    id: Id
    kind: Literal["role_cardinality"]
    name: Text | None = None
    description: Text | None = None
    role: Id
    min: int = Field(default=0, ge=0)
    max: int | None = Field(default=None, ge=0)


Constraint = Annotated[
    SeparationOfDuties | ExclusiveRoles | RoleCardinality, Field(discriminator="kind")
]
