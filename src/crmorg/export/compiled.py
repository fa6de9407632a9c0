"""What every policy target compiles, resolved once from a model and sorted.

The policy targets (Cedar, Casbin, Rego) keep the model's structure: each role's own
grants (wildcards expanded), the roles it inherits, and where people sit. They render
from this one object, so they agree on what the model says and on its order. It reads
the model's :class:`~crmorg.roles.orggraph.OrgGraph` (``model.org``) and the grants of
its :class:`~crmorg.permissions.access.AccessModel` (``model.access``); it only sorts.

What can outgrow the model is read only when a target asks for it: a role's
``ancestors`` (a chain of n roles has n²/2 of them), its ``effective`` scopes (bounded by
the permission catalogue) and a person's department ``reach``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import PurePosixPath
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.model import Model
from crmorg.permissions.access import AccessModel
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import COVERED, Scope, maximal
from crmorg.text import localize


@dataclass(frozen=True)
class OwnGrant:
    """One permission written on a role (after wildcard expansion), and where."""

    role: str
    resource: str
    action: str
    scope: Scope
    written: str
    """The keys as written, e.g. ``lead.*`` for ``lead: {"*": own}``."""
    source: str
    """``file:line`` of the scope in the model, relative to the model's root."""


_maximal = cache(maximal)
"""A down-set's widest scopes: a few dozen down-sets, asked once per role and permission."""


class EffectiveScopes(NamedTuple):
    """A role's effective access to one permission: its maximal scopes (format-v1.1 §9)."""

    resource: str
    action: str
    scopes: tuple[Scope, ...]


@dataclass(frozen=True)
class RoleFacts:
    id: str
    name: str
    source: str
    grants: tuple[OwnGrant, ...]
    inherits: tuple[str, ...]
    """Roles inherited directly (known ones, sorted)."""
    inherits_source: str
    access: AccessModel = field(repr=False, compare=False)
    permissions: tuple[tuple[str, str], ...] = field(repr=False, compare=False)
    """Every (resource, action) that applies, sorted (one tuple shared by every role)."""

    @cached_property
    def ancestors(self) -> tuple[str, ...]:
        """Every role inherited, transitively (sorted; never the role itself)."""
        known = self.access.org.roles
        return tuple(sorted({a for a in self.access.org.ancestors(self.id) if a in known}))

    @cached_property
    def effective(self) -> tuple[EffectiveScopes, ...]:
        """Each permission the role holds, own or inherited, with its maximal scopes.

        Read from the decision index, so it is what ``Model.allows`` answers; at most one
        entry per permission of the catalogue, however deep the inheritance.
        """
        index, nothing = self.access.index, COVERED[Scope.NONE]
        found = []
        for resource, action in self.permissions:
            covered = index.covered(self.id, resource, action)
            if covered != nothing:
                found.append(EffectiveScopes(resource, action, _maximal(covered)))
        return tuple(found)


@dataclass(frozen=True)
class PersonFacts:
    id: str
    name: str
    source: str
    roles: tuple[str, ...]
    """Roles held directly (known ones, sorted)."""
    teams: tuple[str, ...]
    """Teams the person lists, and the teams they lead."""
    departments: tuple[str, ...]
    """Departments of their teams and roles."""
    org: OrgGraph = field(repr=False, compare=False)

    @cached_property
    def reach(self) -> tuple[str, ...]:
        """Their departments and every department below them."""
        return tuple(sorted(self.org.reach(self.id)))


@dataclass(frozen=True)
class TeamFacts:
    id: str
    name: str
    department: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentFacts:
    id: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class CompiledModel:
    organization: str
    resources: tuple[str, ...]
    actions: tuple[str, ...]
    applicable: dict[str, tuple[str, ...]]
    roles: dict[str, RoleFacts]
    people: dict[str, PersonFacts]
    teams: dict[str, TeamFacts]
    departments: dict[str, DepartmentFacts]

    @property
    def grant_count(self) -> int:
        return sum(len(role.grants) for role in self.roles.values())


def source_of(model: Model, path: Path) -> str:
    """``file:line`` of a model path, the file relative to the model's root.

    Relative names keep exports identical wherever the command runs from.
    """
    location = model.locate(path)
    file = PurePosixPath(location.file)
    root = PurePosixPath(model.root) if model.root else None
    if root is not None:
        if file == root:
            file = PurePosixPath(file.name)
        elif root in file.parents:
            file = file.relative_to(root)
    return f"{file.as_posix()}:{location.line}"


def compile_model(model: Model) -> CompiledModel:
    org, catalog = model.org, model.access.catalog
    own_grants = model.access.own_grants
    permissions = tuple(sorted(catalog.permissions()))
    roles: dict[str, RoleFacts] = {}
    for role_id in sorted(model.roles):
        role = model.roles[role_id]
        grants = tuple(
            OwnGrant(
                role_id,
                resource,
                action,
                source.scope,
                f"{source.resource_key}.{source.action_key}",
                source_of(model, source.path),
            )
            for (resource, action), source in sorted(own_grants[role_id].items())
        )
        roles[role_id] = RoleFacts(
            id=role_id,
            name=localize(role.name, fallback=role_id),
            source=source_of(model, ("roles", role_id)),
            grants=grants,
            # A role inheriting itself changes nothing, so it is never listed.
            inherits=tuple(sorted({p for p in role.inherits if p in model.roles} - {role_id})),
            inherits_source=source_of(model, ("roles", role_id, "inherits")),
            access=model.access,
            permissions=permissions,
        )
    people = {
        person_id: PersonFacts(
            id=person_id,
            name=localize(person.name, fallback=person_id),
            source=source_of(model, ("people", person_id)),
            roles=tuple(sorted({r for r in person.roles if r in model.roles})),
            teams=tuple(sorted(org.person_teams[person_id])),
            departments=tuple(sorted(org.person_departments[person_id])),
            org=org,
        )
        for person_id, person in sorted(model.people.items())
    }
    teams = {
        team_id: TeamFacts(
            id=team_id,
            name=localize(team.name, fallback=team_id),
            department=team.department if team.department in model.departments else None,
            members=tuple(sorted(org.team_members[team_id])),
        )
        for team_id, team in sorted(model.teams.items())
    }
    departments = {
        dept_id: DepartmentFacts(
            id=dept_id,
            name=localize(dept.name, fallback=dept_id),
            parent=dept.parent
            if dept.parent in model.departments and dept.parent != dept_id
            else None,
        )
        for dept_id, dept in sorted(model.departments.items())
    }
    return CompiledModel(
        organization=model.name,
        resources=tuple(sorted(catalog.applicable)),
        actions=tuple(sorted(catalog.actions)),
        applicable={r: tuple(sorted(a)) for r, a in sorted(catalog.applicable.items())},
        roles=roles,
        people=people,
        teams=teams,
        departments=departments,
    )
