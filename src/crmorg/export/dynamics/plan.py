"""What the Dataverse solution holds for a model: business units, users, owner teams,
security roles with their privileges, and field security profiles.

The plan is computed once and rendered by :mod:`.render`; :mod:`.losses` compares it
with the model. Dataverse has no role inheritance, so each security role carries its
role's *effective* grants (inherited ones and baselines included).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from crmorg.export.dynamics.mapping import (
    LINKING_VERBS,
    ORGANIZATION_OWNED,
    VERBS,
    Depth,
    column_of,
    depth_of,
    guid,
    privilege_name,
    table_of,
)
from crmorg.model import Model
from crmorg.permissions.fields import LEVEL
from crmorg.text import Text, clean_text, localize

ROOT = ""
"""The key of the root business unit: the organisation itself, which every Dataverse
environment already has."""

NAME_LIMIT = 100
"""Dataverse's length limit for a security role's name (the shortest of the names used)."""


@dataclass(frozen=True)
class BusinessUnit:
    key: str
    """The department id, or :data:`ROOT`."""
    guid: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class User:
    person: str
    guid: str
    name: str
    email: str | None
    business_unit: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class OwnerTeam:
    team: str
    guid: str
    name: str
    business_unit: str
    administrator: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Privilege:
    name: str
    table: str
    depth: Depth


@dataclass(frozen=True)
class SecurityRole:
    role: str
    guid: str
    name: str
    privileges: tuple[Privilege, ...]


@dataclass(frozen=True)
class ColumnPermission:
    table: str
    column: str
    read: bool
    update: bool


@dataclass(frozen=True)
class FieldProfile:
    role: str
    guid: str
    name: str
    permissions: tuple[ColumnPermission, ...]
    users: tuple[str, ...]


def display(text: str, limit: int = 160) -> str:
    """User text as a one-line Dataverse name: hidden characters shown as escapes
    (``\\u202e``), line breaks as spaces, cut to ``limit`` characters."""
    return " ".join(clean_text(text).split())[:limit]


def solution_name(model: Model) -> str:
    """The solution's unique name: ``crmorg_`` and the organisation's name in ASCII."""
    ascii_name = unicodedata.normalize("NFKD", model.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_").lower()[:40]
    return f"crmorg_{slug}" if slug else "crmorg_model"


class Plan:
    """The solution and Web API bodies for one model (``prefix``: the publisher's
    customization prefix of custom tables and columns)."""

    def __init__(self, model: Model, prefix: str = "new") -> None:
        self.model = model
        self.prefix = prefix
        self.solution = solution_name(model)
        # The GUIDs' seed: the unique name and the organisation's full name, so that two
        # models whose names reduce to the same ASCII do not share GUIDs.
        self._seed = f"{self.solution}/{model.name}"
        mapping = model.settings.export.dynamics
        self.tables: dict[str, str] = {
            resource: table_of(resource, mapping.objects, prefix) for resource in model.resources
        }
        self._fields = mapping.fields
        self.language = model.settings.default_language

    def guid(self, kind: str, local_id: str) -> str:
        return guid(self._seed, kind, local_id)

    def _text(self, text: Text | None, fallback: str, limit: int = 160) -> str:
        shown = display(localize(text, self.language, fallback), limit)
        return shown or fallback

    # Business units ------------------------------------------------------------------------
    @cached_property
    def parent_unit(self) -> Mapping[str, str]:
        """Department -> the business unit above it: its parent, or the root for a top
        department and for one whose parents go round a cycle (Dataverse needs a tree)."""
        departments = self.model.departments
        parents: dict[str, str] = {}
        for dept_id in departments:
            parent = departments[dept_id].parent
            seen = {dept_id}
            walk = parent
            while walk is not None and walk in departments and walk not in seen:
                seen.add(walk)
                walk = departments[walk].parent
            cyclic = walk is not None and walk in seen
            parents[dept_id] = (
                parent if parent is not None and parent in departments and not cyclic else ROOT
            )
        return parents

    @cached_property
    def business_units(self) -> tuple[BusinessUnit, ...]:
        """The root, then every department in tree order (parents first), by key."""
        units = [BusinessUnit(ROOT, "", self._text(self.model.name, "Organisation"), None)]
        children: dict[str, list[str]] = {}
        for dept_id, parent in self.parent_unit.items():
            children.setdefault(parent, []).append(dept_id)
        pending = sorted(children.get(ROOT, []), reverse=True)
        while pending:
            dept_id = pending.pop()
            units.append(
                BusinessUnit(
                    dept_id,
                    self.guid("businessunit", dept_id),
                    self._text(self.model.departments[dept_id].name, dept_id),
                    self.parent_unit[dept_id],
                )
            )
            pending.extend(sorted(children.get(dept_id, []), reverse=True))
        return tuple(units)

    @cached_property
    def below(self) -> Mapping[str, frozenset[str]]:
        """Business unit key -> itself and every unit below it (what Deep reaches)."""
        found: dict[str, set[str]] = {unit.key: {unit.key} for unit in self.business_units}
        for unit in reversed(self.business_units):
            if unit.parent is not None:
                found[unit.parent] |= found[unit.key]
        return {key: frozenset(keys) for key, keys in found.items()}

    def tops(self, departments: frozenset[str]) -> list[str]:
        """Of a person's departments, those not below another of them, sorted."""
        below = self.below
        return sorted(
            d for d in departments if not any(d in below[o] for o in departments if o != d)
        )

    @cached_property
    def unit_of_person(self) -> Mapping[str, str]:
        """A user has one business unit: the person's department that contains their
        others (the first of several that do not nest), or the root with none."""
        org = self.model.org
        found: dict[str, str] = {}
        for person_id in self.model.people:
            tops = self.tops(org.departments_of(person_id))
            found[person_id] = tops[0] if tops else ROOT
        return found

    def unit_of_team(self, team_id: str) -> str:
        department = self.model.teams[team_id].department
        return (
            department if department is not None and department in self.model.departments else ROOT
        )

    # People and teams ----------------------------------------------------------------------
    @cached_property
    def users(self) -> tuple[User, ...]:
        roles = self.model.roles
        return tuple(
            User(
                person_id,
                self.guid("systemuser", person_id),
                self._text(person.name, person_id),
                person.email,
                self.unit_of_person[person_id],
                tuple(sorted({r for r in person.roles if r in roles})),
            )
            for person_id, person in sorted(self.model.people.items())
        )

    @cached_property
    def teams(self) -> tuple[OwnerTeam, ...]:
        members = self.model.org.team_members
        people = self.model.people
        return tuple(
            OwnerTeam(
                team_id,
                self.guid("team", team_id),
                self._text(team.name, team_id),
                self.unit_of_team(team_id),
                team.lead if team.lead in people else None,
                tuple(sorted(members.get(team_id, ()))),
            )
            for team_id, team in sorted(self.model.teams.items())
        )

    # Roles and privileges ------------------------------------------------------------------
    @cached_property
    def security_roles(self) -> tuple[SecurityRole, ...]:
        """One role per crmorg role (abstract ones too), with its effective grants."""
        index = self.model.access.index
        permissions = [p for p in self.model.access.catalog.permissions() if p[1] in VERBS]
        shown = {r: self._text(role.name, r, NAME_LIMIT) for r, role in self.model.roles.items()}
        uses: dict[str, int] = {}
        for name in shown.values():
            uses[name] = uses.get(name, 0) + 1
        found = []
        for role_id in sorted(self.model.roles):
            privileges: dict[str, Privilege] = {}
            for resource, action in permissions:
                depth = depth_of(index.covered(role_id, resource, action))
                table = self.tables[resource]
                if depth is Depth.NONE or (
                    table in ORGANIZATION_OWNED and depth is not Depth.GLOBAL
                ):
                    continue
                for verb in (VERBS[action], *(LINKING_VERBS if action == "update" else ())):
                    name = privilege_name(verb, table)
                    privileges[name] = Privilege(name, table, depth)
            name = shown[role_id]
            if uses[name] > 1:  # Dataverse names a role in lists and pickers: keep them apart
                suffix = f" ({role_id})"
                name = name[: NAME_LIMIT - len(suffix)] + suffix
            found.append(
                SecurityRole(
                    role_id,
                    self.guid("role", role_id),
                    name,
                    tuple(privileges[n] for n in sorted(privileges)),
                )
            )
        return tuple(found)

    # Field security ------------------------------------------------------------------------
    @cached_property
    def secured_columns(self) -> tuple[tuple[str, str, str, str], ...]:
        """(resource, field, table, column) of every restricted field, sorted."""
        return tuple(
            sorted(
                (
                    resource_id,
                    field_id,
                    self.tables[resource_id],
                    self.column(resource_id, field_id),
                )
                for resource_id, resource in self.model.resources.items()
                for field_id, field in resource.fields.items()
                if field.restricted
            )
        )

    def column(self, resource: str, field: str) -> str:
        return column_of(resource, field, self._fields, self.prefix)

    @cached_property
    def field_profiles(self) -> tuple[FieldProfile, ...]:
        """One profile per role that grants a restricted field, given to the role's
        holders (a profile is given to users, not to roles)."""
        fields = self.model.access.fields
        found = []
        for role_id, role in sorted(self.model.roles.items()):
            permissions = []
            for resource_id, field_id, table, column in self.secured_columns:
                grant = fields.role_grant(role_id, resource_id, field_id)
                if grant is None or grant.level < LEVEL["read"]:
                    continue
                permissions.append(
                    ColumnPermission(table, column, True, grant.level >= LEVEL["edit"])
                )
            if not permissions:
                continue
            # Its direct holders: the grant already includes what the role inherits.
            users = tuple(sorted(self.model.org.direct_holders.get(role_id, ())))
            found.append(
                FieldProfile(
                    role_id,
                    self.guid("fieldsecurityprofile", role_id),
                    display(f"{self._text(role.name, role_id, NAME_LIMIT)} (crmorg {role_id})"),
                    tuple(permissions),
                    users,
                )
            )
        return tuple(found)
