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
from crmorg.permissions.models import Group
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


class FieldGrantFacts(NamedTuple):
    """A role's grant of a restricted field as written (format v1.1 §12), and where."""

    resource: str
    field: str
    access: str
    """``read`` or ``edit``."""
    source: str


class SharingFacts(NamedTuple):
    """A sharing rule (format v1.1 §11): groups as (kind, id), its applicable actions."""

    id: str
    resource: str
    from_: tuple[str, str]
    to: tuple[str, str]
    actions: tuple[str, ...]
    source: str


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
    field_grants: tuple[FieldGrantFacts, ...] = ()
    """Its own grants of restricted fields (sorted); ``none`` ones left out."""

    def field_access(self, resource: str, field_id: str) -> str | None:
        """Its widest access to a restricted field, over itself and what it inherits."""
        found = self.access.fields.role_grant(self.id, resource, field_id)
        return None if found is None else found.access

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
    manager: str | None
    """Whom they report to (a known person other than themselves)."""
    org: OrgGraph = field(repr=False, compare=False)

    @property
    def report_interval(self) -> tuple[int, int] | None:
        """Their numbers in the reporting forest (:meth:`OrgGraph.report_interval`)."""
        return self.org.report_interval(self.id)

    @property
    def managers(self) -> tuple[str, ...]:
        """Everyone above them, nearest first (:meth:`OrgGraph.chain`)."""
        return self.org.chain(self.id)

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
    baselines: dict[tuple[str, str], Scope] = field(default_factory=dict)
    """(resource, action) -> its baseline's scope (format v1.1 §10)."""
    sharing: tuple[SharingFacts, ...] = ()
    restricted_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Resource -> its restricted fields, sorted (those with none left out)."""

    access: AccessModel | None = field(default=None, repr=False, compare=False)

    def group_members(self, group: tuple[str, str]) -> frozenset[str]:
        """The people in a sharing rule's group, (kind, id), as the model reads it."""
        assert self.access is not None
        return self.access.sharing.members(Group.model_validate({group[0]: group[1]}))

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
    restricted = {
        resource_id: tuple(
            sorted(f for f, declared in resource.fields.items() if declared.restricted)
        )
        for resource_id, resource in sorted(model.resources.items())
    }
    restricted = {r: fields for r, fields in restricted.items() if fields}
    roles: dict[str, RoleFacts] = {}
    for role_id in sorted(model.roles):
        role = model.roles[role_id]
        grants = tuple(
            OwnGrant(
                role_id,
                resource,
                action,
                written.scope,
                f"{written.resource_key}.{written.action_key}",
                source_of(model, written.path),
            )
            for (resource, action), source in sorted(own_grants[role_id].items())
            # v1.1: grants at scopes beside each other (subordinates, team) are all kept.
            for written in (*source.also, source._replace(also=()))
        )
        field_grants = tuple(
            FieldGrantFacts(resource, field_id, access, source_of(model, path))
            for resource, fields in sorted(role.fields.items())
            for field_id, access in sorted(fields.items())
            if access != "none" and field_id in restricted.get(resource, ())
            for path in [("roles", role_id, "fields", resource, field_id)]
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
            field_grants=field_grants,
        )
    people = {
        person_id: PersonFacts(
            id=person_id,
            name=localize(person.name, fallback=person_id),
            source=source_of(model, ("people", person_id)),
            roles=tuple(sorted({r for r in person.roles if r in model.roles})),
            teams=tuple(sorted(org.person_teams[person_id])),
            departments=tuple(sorted(org.person_departments[person_id])),
            manager=person.reports_to
            if person.reports_to in model.people and person.reports_to != person_id
            else None,
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
    baselines = {p: b.scope for p, b in sorted(model.access.baselines.items())}
    sharing = tuple(
        SharingFacts(
            rule_id,
            rule.resource,
            (rule.from_.kind, rule.from_.id),
            (rule.to.kind, rule.to.id),
            tuple(sorted(a for a in set(rule.actions) if catalog.applies(rule.resource, a))),
            source_of(model, ("sharing", rule_id)),
        )
        for rule_id, rule in sorted(model.sharing.items())
        if rule.resource in catalog.applicable
    )
    return CompiledModel(
        organization=model.name,
        resources=tuple(sorted(catalog.applicable)),
        actions=tuple(sorted(catalog.actions)),
        applicable={r: tuple(sorted(a)) for r, a in sorted(catalog.applicable.items())},
        roles=roles,
        people=people,
        teams=teams,
        departments=departments,
        baselines=baselines,
        sharing=sharing,
        restricted_fields=restricted,
        access=model.access,
    )
