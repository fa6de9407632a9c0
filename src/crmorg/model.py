"""The loaded model: its sections, graphs, effective grants and access decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from crmorg.document import Document
from crmorg.findings import Finding, Location, Path
from crmorg.kpi.models import Kpi, Metric
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import Decision, UnknownIdError
from crmorg.permissions.effective import (
    EffectiveGrant,
    HeldGrant,
    Permission,
    effective_person_grants,
    effective_role_grants,
)
from crmorg.permissions.models import Constraint, Resource
from crmorg.permissions.scopes import SCOPE_BY_NAME, Scope
from crmorg.roles import graphs
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.roles.org import Membership, build_membership
from crmorg.settings import Organization, Settings
from crmorg.source import SourceMap
from crmorg.text import localize

if TYPE_CHECKING:
    import networkx as nx

_RANK: dict[Any, int] = {
    **{name: int(s) for name, s in SCOPE_BY_NAME.items()},
    **{s: int(s) for s in Scope},
}


class Model:
    """A crmorg model: what the YAML says, plus everything derived from it.

    Build one with :func:`crmorg.load`. Derived facts (graphs, effective grants,
    memberships) are computed on first use and cached; the model is immutable.
    """

    def __init__(
        self,
        document: Document,
        source: SourceMap | None = None,
        load_findings: Iterable[Finding] = (),
        root: str = "",
    ) -> None:
        self.document = document
        self.source = source if source is not None else SourceMap()
        self.load_findings: tuple[Finding, ...] = tuple(load_findings)
        self.root = root
        # The decision index: subject -> (resource, action) -> scope rank, for every
        # applicable permission. Role rows are built together on first use; a person's
        # row when first asked about, shared with everyone holding the same roles.
        self._rows: dict[str, dict[Permission, int]] = {}
        self._rows_by_roles: dict[tuple[str, ...], dict[Permission, int]] = {}
        self._roles_indexed = False
        self._person_grants: dict[str, dict[Permission, HeldGrant]] = {}

    def __repr__(self) -> str:
        return (
            f"<crmorg.Model {self.name!r}: {len(self.roles)} roles, "
            f"{len(self.people)} people, {len(self.resources)} resources>"
        )

    # Sections -----------------------------------------------------------------------
    @property
    def organization(self) -> Organization | None:
        return self.document.organization

    @property
    def name(self) -> str:
        org = self.document.organization
        return localize(org.name) if org is not None else ""

    @property
    def resources(self) -> Mapping[str, Resource]:
        return self.document.resources

    @property
    def departments(self) -> Mapping[str, Department]:
        return self.document.departments

    @property
    def roles(self) -> Mapping[str, Role]:
        return self.document.roles

    @property
    def responsibilities(self) -> Mapping[str, Responsibility]:
        return self.document.responsibilities

    @property
    def teams(self) -> Mapping[str, Team]:
        return self.document.teams

    @property
    def people(self) -> Mapping[str, Person]:
        return self.document.people

    @property
    def metrics(self) -> Mapping[str, Metric]:
        return self.document.metrics

    @property
    def kpis(self) -> Mapping[str, Kpi]:
        return self.document.kpis

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return self.document.constraints

    @property
    def settings(self) -> Settings:
        return self.document.settings

    def constraint_path(self, constraint_id: str) -> Path:
        """The document path of a constraint (constraints are a list in the YAML)."""
        return ("constraints", self.document.constraint_index.get(constraint_id, 0))

    def locate(self, path: Path) -> Location:
        """The file position of a path such as ``("roles", "sales_rep", "grants")``."""
        return self.source.value(path)

    # Derived structure ----------------------------------------------------------------
    @cached_property
    def catalog(self) -> ActionCatalog:
        return ActionCatalog.build(self.resources, self.document.actions)

    @cached_property
    def department_tree(self) -> nx.DiGraph[str]:
        return graphs.department_tree(self.departments)

    @cached_property
    def inheritance_graph(self) -> nx.DiGraph[str]:
        return graphs.inheritance_graph(self.roles)

    @cached_property
    def role_reporting_graph(self) -> nx.DiGraph[str]:
        return graphs.role_reporting_graph(self.roles)

    @cached_property
    def person_reporting_graph(self) -> nx.DiGraph[str]:
        return graphs.person_reporting_graph(self.people)

    @cached_property
    def membership(self) -> Membership:
        return build_membership(self.people, self.teams, self.roles, self.departments)

    @cached_property
    def holders(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the people who hold it directly, in model order."""
        held: dict[str, list[str]] = {role_id: [] for role_id in self.roles}
        for person_id, person in self.people.items():
            for role_id in dict.fromkeys(person.roles):
                if role_id in held:
                    held[role_id].append(person_id)
        return {role_id: tuple(people) for role_id, people in held.items()}

    @cached_property
    def held_roles(self) -> frozenset[str]:
        """Roles someone holds, directly or through a held role that inherits them."""
        stack = [r for person in self.people.values() for r in person.roles if r in self.roles]
        held: set[str] = set()
        while stack:
            role_id = stack.pop()
            if role_id not in held:
                held.add(role_id)
                stack.extend(p for p in self.roles[role_id].inherits if p in self.roles)
        return frozenset(held)

    @cached_property
    def role_grants(self) -> Mapping[str, Mapping[Permission, EffectiveGrant]]:
        """Role id -> (resource, action) -> the winning effective grant."""
        return effective_role_grants(self.roles, self.catalog)

    def person_grants(self, person: str) -> Mapping[Permission, HeldGrant]:
        """(resource, action) -> the winning grant among the person's roles."""
        found = self._person_grants.get(person)
        if found is None:
            if person not in self.people:
                raise UnknownIdError(f"no person `{person}` in the model")
            found = effective_person_grants(tuple(self.people[person].roles), self.role_grants)
            self._person_grants[person] = found
        return found

    def effective_grants(self, subject: str) -> Mapping[Permission, Scope]:
        """(resource, action) -> effective scope for a role or a person."""
        if subject in self.roles:
            return {p: g.scope for p, g in self.role_grants[subject].items()}
        return {p: g.scope for p, g in self.person_grants(subject).items()}

    # Decisions ------------------------------------------------------------------------
    def effective_scope(self, subject: str, action: str, resource: str) -> Scope:
        """The widest scope at which ``subject`` (role or person) may act."""
        return Scope(self._lookup(subject, resource, action))

    def allows(self, subject: str, action: str, resource: str, scope: str | Scope = "own") -> bool:
        """Whether ``subject`` (a role or person id) may ``action`` ``resource`` at ``scope``.

        Unknown ids raise :class:`UnknownIdError`; an action that does not apply to the
        resource is simply not allowed.
        """
        # The hot path: three dict lookups. Anything unusual (a subject not indexed yet,
        # an unknown id, an action that does not apply, a bad scope) takes the slow path.
        row = self._rows.get(subject)
        rank = _RANK.get(scope)
        if row is not None and rank is not None:
            value = row.get((resource, action))
            if value is not None:
                return value >= rank
        return self._lookup(subject, resource, action) >= Scope.parse(scope)

    def _lookup(self, subject: str, resource: str, action: str) -> int:
        row = self._rows.get(subject)
        if row is None:
            row = self._index_subject(subject)
        value = row.get((resource, action))
        if value is None:
            self._require_permission(resource, action)
            return 0  # the action does not apply to the resource
        return value

    def _require_permission(self, resource: str, action: str) -> None:
        if resource not in self.resources:
            raise UnknownIdError(f"no resource `{resource}` in the model")
        if action not in self.catalog.actions:
            raise UnknownIdError(
                f"no action `{action}`; the actions are: {', '.join(self.catalog.actions)}"
            )

    def _index_subject(self, subject: str) -> dict[Permission, int]:
        """The row of a subject not indexed yet; a role id means the role."""
        if not self._roles_indexed:
            self._index_roles()
            found = self._rows.get(subject)
            if found is not None:
                return found
        if subject not in self.people:
            raise UnknownIdError(f"no role or person `{subject}` in the model")
        # A person's row is the widest of their roles' rows, permission by permission:
        # what effective_person_grants() gives, without a HeldGrant per permission.
        # Rows for no role and for each single role are there already.
        roles = tuple(sorted({r for r in self.people[subject].roles if r in self.roles}))
        row = self._rows_by_roles.get(roles)
        if row is None:
            rows = [self._rows[r] for r in roles]  # all in the same key order
            row = dict(zip(rows[0], map(max, *(r.values() for r in rows)), strict=True))
            self._rows_by_roles[roles] = row
        self._rows[subject] = row
        return row

    def _index_roles(self) -> None:
        zero = dict.fromkeys(self.catalog.permissions(), 0)
        self._rows_by_roles[()] = zero
        for role_id, grants in self.role_grants.items():
            row = dict(zero)
            for permission, grant in grants.items():
                if permission in row:
                    row[permission] = int(grant.scope)
            self._rows[role_id] = row
            self._rows_by_roles[(role_id,)] = row
        self._roles_indexed = True

    def relation(
        self,
        person: str,
        owner: str | None = None,
        team: str | None = None,
        department: str | None = None,
    ) -> Scope:
        """The narrowest scope that reaches a record, as format-v1 section 3 defines it."""
        self._require(person, self.people, "person")
        if owner is not None:
            self._require(owner, self.people, "person")
        if team is not None:
            self._require(team, self.teams, "team")
        if department is not None:
            self._require(department, self.departments, "department")
        if owner is not None and owner == person:
            return Scope.OWN
        membership = self.membership
        record_teams = (
            {team} if team is not None else membership.person_teams.get(owner or "", frozenset())
        )
        if record_teams & membership.person_teams[person]:
            return Scope.TEAM
        record_departments = (
            {department}
            if department is not None
            else membership.person_departments.get(owner or "", frozenset())
        )
        if record_departments & membership.reach(person):
            return Scope.DEPARTMENT
        return Scope.ORGANIZATION

    def decide(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None = None,
        team: str | None = None,
        department: str | None = None,
    ) -> Decision:
        """May ``person`` do ``action`` to one ``resource`` record, and why.

        The record has an ``owner`` and may name a ``team`` and ``department``; where it
        does not, they are the owner's.
        """
        if person not in self.people:
            if person in self.roles:
                raise UnknownIdError(
                    f"`{person}` is a role; decide() is about a person acting on a record "
                    "(use allows() for roles)"
                )
            raise UnknownIdError(f"no person `{person}` in the model")
        required = self.relation(person, owner, team, department)
        return self._decision(
            person,
            action,
            resource,
            required,
            self._record_text(person, required, owner, team, department),
            as_person=True,
        )

    def explain(
        self, subject: str, action: str, resource: str, scope: str | Scope = "own"
    ) -> Decision:
        """Like :meth:`allows`, but with the reason."""
        required = Scope.parse(scope)
        return self._decision(subject, action, resource, required, f"at {required.label} scope")

    def _decision(
        self,
        subject: str,
        action: str,
        resource: str,
        required: Scope,
        context: str,
        *,
        as_person: bool = False,
    ) -> Decision:
        """``as_person``: ``subject`` is a person even if a role has the same id.

        Otherwise (as in :meth:`allows`) a role id is read as the role.
        """
        role: str | None = None
        grant: EffectiveGrant | None = None
        if as_person or subject not in self.roles:
            if subject not in self.people:
                what = "person" if as_person else "role or person"
                raise UnknownIdError(f"no {what} `{subject}` in the model")
            self._require_permission(resource, action)
            held = self.person_grants(subject).get((resource, action))
            if held is not None:
                role, grant = held.role, held.grant
            granted = held.scope if held is not None else Scope.NONE
            as_person = True
        else:
            granted = self.effective_scope(subject, action, resource)
            grant = self.role_grants[subject].get((resource, action))
            role = subject if grant else None
        allowed = granted >= required
        where = str(self.locate(grant.source.path)) if grant is not None else None
        verb = "may" if allowed else "may not"
        sentence = f"{subject} {verb} {action} {resource} {context}"
        if grant is None or role is None:
            if not self.catalog.applies(resource, action):
                reason = f"{sentence}: `{action}` does not apply to {resource}"
            else:
                holding = self._held_roles(subject, as_person)
                reason = f"{sentence}: no grant of {resource}.{action} in {holding}"
        else:
            source = grant.source
            written = (
                f"{source.resource_key}: {{{source.action_key}: {source.scope.label}}} "
                f"on role {source.role} at {where}"
            )
            path = " -> ".join(grant.via)
            inherited = f" (inherited {path})" if len(grant.via) > 1 else ""
            holder = f"{subject} holds {role}, which" if as_person else subject
            outcome = f"{holder} has {granted.label} scope{inherited}, from the grant {written}"
            if allowed:
                reason = f"{sentence}: needs {required.label} scope; {outcome}"
            else:
                reason = (
                    f"{sentence}: needs {required.label} scope, but {outcome}; "
                    f"grant {resource}.{action} at {required.label} scope or wider to allow it"
                )
        return Decision(
            allowed, subject, action, resource, required, granted, reason, role, grant, where
        )

    def _held_roles(self, subject: str, as_person: bool) -> str:
        if not as_person:
            chain = sorted(self.inheritance_graph.successors(subject))
            return f"role {subject}" + (
                f" or what it inherits ({', '.join(chain)})" if chain else ""
            )
        roles = self.people[subject].roles
        return (
            f"{subject}'s roles ({', '.join(roles)})" if roles else f"{subject} (who holds no role)"
        )

    def _record_text(
        self, person: str, required: Scope, owner: str | None, team: str | None, dept: str | None
    ) -> str:
        parts = [f"owner {owner}" if owner else "no owner"]
        if team:
            parts.append(f"team {team}")
        if dept:
            parts.append(f"department {dept}")
        record = ", ".join(parts)
        why = {
            Scope.OWN: f"{person} owns it",
            Scope.TEAM: f"{person} shares its team",
            Scope.DEPARTMENT: f"its department is within {person}'s departments",
            Scope.ORGANIZATION: f"it is outside {person}'s teams and departments",
        }[required]
        return f"on the record ({record}; {why})"

    @staticmethod
    def _require(value: str, section: Mapping[str, object], what: str) -> None:
        if value not in section:
            raise UnknownIdError(f"no {what} `{value}` in the model")
