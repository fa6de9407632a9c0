"""Departments, roles, responsibilities (RACI), teams and people as written in a model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from crmorg.roles.scopes import ScopeName
from crmorg.text import STRICT, Described, Id, Text

WILDCARD = "*"
IdOrWildcard = Annotated[str, StringConstraints(pattern=r"^([a-z][a-z0-9_]{0,63}|\*)$")]
GrantMap = dict[IdOrWildcard, dict[IdOrWildcard, ScopeName]]
"""resource (or ``*``) -> action (or ``*``) -> scope, as written on a role."""

FIELD_ACCESS: tuple[str, ...] = ("none", "read", "edit")
"""Field access, narrowest first (format v1.1, section 12)."""
FieldAccess = Literal["none", "read", "edit"]
FieldGrantMap = dict[Id, dict[Id, FieldAccess]]
"""resource -> field -> access, as written on a role."""


class Department(BaseModel):
    """A unit of the organisation; departments form a tree through ``parent``."""

    model_config = STRICT

    name: Text
    description: Text | None = None
    parent: Id | None = None
    head: Id | None = Field(default=None, description="The role that heads the department.")


class Role(Described):
    """A job a person can hold, with the grants that come with it."""

    department: Id | None = None
    inherits: list[Id] = Field(default_factory=list)
    reports_to: Id | None = Field(default=None, description="A role id: role-level reporting.")
    external: bool = False
    grants: GrantMap = Field(default_factory=dict)
    fields: FieldGrantMap = Field(
        default_factory=dict,
        description="Access to restricted fields: resource -> field -> access.",
    )
    abstract: bool = Field(
        default=False, description="A building block other roles inherit; nobody holds it."
    )
    assignable: list[Id] | None = Field(
        default=None,
        description="The roles this role may give to people; default: every role (1.0).",
    )


class Responsibility(Described):
    """A piece of work with its RACI parts and the permissions it needs."""

    department: Id | None = None
    accountable: Id | None = None
    responsible: list[Id] = Field(default_factory=list)
    consulted: list[Id] = Field(default_factory=list)
    informed: list[Id] = Field(default_factory=list)
    requires: GrantMap = Field(default_factory=dict)
    critical: bool = False


class Team(Described):
    """A group of people inside a department, led by a person."""

    department: Id | None = None
    lead: Id | None = Field(default=None, description="A person id.")


class Person(BaseModel):
    """Someone who holds roles and belongs to teams."""

    model_config = STRICT

    name: Text | None = None
    email: str | None = Field(default=None, max_length=320)
    title: Text | None = None
    roles: list[Id] = Field(default_factory=list)
    teams: list[Id] = Field(default_factory=list)
    reports_to: Id | None = Field(default=None, description="A person id.")
