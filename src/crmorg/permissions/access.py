"""The access model: grants as written, effective access per subject, and decisions.

Built once from a model's roles, people and resources over its
:class:`~crmorg.roles.orggraph.OrgGraph`; every part is computed on first use.
:class:`crmorg.Model` is its public face and keeps the same methods.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import cached_property
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import Decision, UnknownIdError
from crmorg.permissions.effective import (
    EffectiveGrant,
    GrantSource,
    HeldGrant,
    baselines_of,
    effective_person_grants,
    effective_role_grants,
    own_role_grants,
)
from crmorg.permissions.effective import Permission as PermissionKey
from crmorg.permissions.fields import FIELD_ACTIONS, LEVEL, FieldGrant, FieldIndex
from crmorg.permissions.fields import NEEDS as FIELD_NEEDS
from crmorg.permissions.index import DecisionIndex
from crmorg.permissions.models import Resource, SharingRule
from crmorg.permissions.reasons import Finding, Outcome, Words
from crmorg.permissions.sharing import SharingIndex
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import (
    BIT,
    COVERED,
    SCOPE_BY_NAME,
    Record,
    Scope,
    maximal,
    narrowest,
    reaches_within,
    reaching,
    widest,
)

_NOTHING = COVERED[Scope.NONE]
"""A field of the index holding no grant: scope ``none`` only."""


class Permission(NamedTuple):
    """One permission: an action on a resource (a field of it, from format v1.1)."""

    resource: str
    action: str
    field: str | None = None

    @property
    def key(self) -> PermissionKey:
        """The (resource, action) pair the grant tables and the index are keyed by."""
        return (self.resource, self.action)


class AccessModel:
    """Who may do what: expanded grants, effective grants, the decision index."""

    def __init__(
        self,
        org: OrgGraph,
        resources: Mapping[str, Resource],
        actions: tuple[str, ...],
        locate: Callable[[Path], object],
        sharing: Mapping[str, SharingRule] | None = None,
    ) -> None:
        self._roles = org.roles
        self._people = org.people
        self.org = org
        self.catalog = ActionCatalog.build(resources, actions)
        self._locate = locate  # a grant's file position, for reasons
        self._person_grants: dict[str, dict[PermissionKey, HeldGrant]] = {}
        self._role_grant: dict[tuple[str, PermissionKey], EffectiveGrant | None] = {}
        self._found: dict[tuple[str, str, str, bool], Finding] = {}
        self._records: dict[str | None, Record] = {}
        written = {r: res.baseline for r, res in resources.items() if res.baseline}
        self.baselines: Mapping[PermissionKey, GrantSource] = baselines_of(written, self.catalog)
        """(resource, action) -> its baseline (format v1.1, section 10)."""
        self.index = DecisionIndex(
            self.catalog, org, {p: b.scope for p, b in self.baselines.items()}
        )
        self.fields = FieldIndex(resources, org)
        self.sharing = SharingIndex(sharing or {}, org)

    # Grants ------------------------------------------------------------------------------
    @cached_property
    def own_grants(self) -> Mapping[str, Mapping[PermissionKey, GrantSource]]:
        """Role id -> its grants as written (wildcards expanded), each with its source."""
        return own_role_grants(self._roles, self.catalog)

    @cached_property
    def role_grants(self) -> Mapping[str, Mapping[PermissionKey, EffectiveGrant]]:
        """Role id -> (resource, action) -> the winning effective grant."""
        return effective_role_grants(
            self._roles, self.own_grants, self.org.parents_first, self.baselines
        )

    def grants_of_roles(
        self, role_ids: Collection[str]
    ) -> Mapping[str, Mapping[PermissionKey, EffectiveGrant]]:
        """:attr:`role_grants` for ``role_ids`` at least, without building every role's
        grants: a rule about a few roles (the external ones) need not wait for 300,000.

        The roles and what they inherit are computed, in :attr:`OrgGraph.parents_first`
        order, by the functions that build the whole table, so each grant is the one the
        table holds. On an inheritance cycle (and once the table is built) it is the table.
        """
        order = self.org.parents_first
        if "role_grants" in self.__dict__ or order is None:
            return self.role_grants
        roles = self._roles
        needed = set(role_ids)
        pending = list(needed)
        while pending:
            for parent in roles[pending.pop()].inherits:
                if parent in roles and parent not in needed:
                    needed.add(parent)
                    pending.append(parent)
        if 2 * len(needed) > len(roles):
            return self.role_grants  # most roles: the table, which other questions reuse
        chosen = {role_id: roles[role_id] for role_id in order if role_id in needed}
        own = own_role_grants(chosen, self.catalog)
        return effective_role_grants(chosen, own, tuple(chosen), self.baselines)

    def held_permissions(self) -> frozenset[PermissionKey]:
        """Every (resource, action) some role holds: the keys of :attr:`role_grants`.

        Read off the grants as written when the table is not built: a role holds what it
        or a role it inherits grants above ``none`` (inheritance passes grants on, and a
        baseline joins only a permission held already), so the union over roles is that
        of their own grants.
        """
        if "role_grants" in self.__dict__:
            return frozenset(p for held in self.role_grants.values() for p in held)
        written = {
            (resource_key, action_key)
            for role in self._roles.values()
            for resource_key, actions in role.grants.items()
            for action_key, scope in actions.items()
            if SCOPE_BY_NAME[scope] is not Scope.NONE
        }
        expand = self.catalog.expand
        return frozenset(p for keys in written for p in expand(*keys))

    def person_grants(self, person: str) -> Mapping[PermissionKey, HeldGrant]:
        """(resource, action) -> the winning grant among the person's roles."""
        found = self._person_grants.get(person)
        if found is None:
            if person not in self._people:
                raise UnknownIdError(f"no person `{person}` in the model")
            found = effective_person_grants(tuple(self._people[person].roles), self.role_grants)
            self._person_grants[person] = found
        return found

    def held_grant(self, person: str, permission: PermissionKey) -> HeldGrant | None:
        """``person_grants(person).get(permission)``, for that permission alone if need be.

        Until the grant tables are built, a decision computes the winning grant of the
        one permission it is about, over the person's roles that grant it (the index
        says which), so that the first decisions after load do not wait for every
        grant of every role. The same functions pick the winner either way.
        """
        if "role_grants" in self.__dict__ or person in self._person_grants:
            return self.person_grants(person).get(permission)
        none = COVERED[Scope.NONE]
        if self.index.person_covered(person, *permission) == none:
            return None  # no role of theirs grants it
        given = tuple(self._people[person].roles)
        held = effective_person_grants(given, self._role_grants_of(given, permission))
        return held.get(permission)

    def role_grant(self, role: str, permission: PermissionKey) -> EffectiveGrant | None:
        """``role_grants[role].get(permission)``, for that permission alone if need be
        (as :meth:`held_grant` does for a person): a few questions need not build every
        role's grants."""
        if "role_grants" in self.__dict__:
            return self.role_grants.get(role, {}).get(permission)
        if not self.index.built:
            self.index.build()  # it says which roles grant the permission
        return self._role_grants_of((role,), permission).get(role, {}).get(permission)

    def _role_grants_of(
        self, given: tuple[str, ...], permission: PermissionKey
    ) -> dict[str, dict[PermissionKey, EffectiveGrant]]:
        """The effective grant of ``permission`` for each of ``given`` that has one."""
        memo, roles, index = self._role_grant, self._roles, self.index
        lineage = self.org.lineage
        todo = [r for r in given if r in roles and (r, permission) not in memo]
        if todo:
            none = COVERED[Scope.NONE]
            # A role that inherits a grant of it has a field above `none` too, so the
            # roles left out break no inheritance path to a grant.
            granting = {
                ancestor: roles[ancestor]
                for role_id in todo
                for ancestor in lineage[role_id]
                if index.field(index.rows[ancestor], *permission) != none
            }
            own = own_role_grants(granting, self._catalog_of(permission))
            order = self.org.parents_first
            if order is not None:
                order = tuple(sorted(granting, key=self._position.__getitem__))
            base = self.baselines.get(permission)
            effective = effective_role_grants(
                granting, own, order, {permission: base} if base is not None else None
            )
            for role_id in {a for r in todo for a in lineage[r]}:
                memo[(role_id, permission)] = effective.get(role_id, {}).get(permission)
        return {
            role_id: {permission: grant}
            for role_id in given
            if (grant := memo.get((role_id, permission))) is not None
        }

    def _catalog_of(self, permission: PermissionKey) -> ActionCatalog:
        """The catalog with ``permission`` alone: grants expand to it and nothing else."""
        resource, action = permission
        catalog = self.catalog
        return ActionCatalog(
            {resource: catalog.resources[resource]}, catalog.actions, {resource: (action,)}
        )

    @cached_property
    def _position(self) -> Mapping[str, int]:
        return {role_id: i for i, role_id in enumerate(self.org.parents_first or ())}

    def effective_grants(self, subject: str) -> Mapping[PermissionKey, Scope]:
        """(resource, action) -> effective scope for a role or a person."""
        if subject in self._roles:
            return {p: g.scope for p, g in self.role_grants[subject].items()}
        return {p: g.scope for p, g in self.person_grants(subject).items()}

    # Decisions ---------------------------------------------------------------------------
    def effective_scope(self, subject: str, action: str, resource: str) -> Scope:
        """The widest scope at which ``subject`` (role or person) may act."""
        return widest(self.index.covered(subject, resource, action))

    def allows(self, subject: str, action: str, resource: str, scope: str | Scope = "own") -> bool:
        """Whether ``subject`` (a role or person id) may ``action`` ``resource`` at ``scope``."""
        covered = self.index.covered(subject, resource, action)
        bit = BIT.get(scope)
        return covered & (bit if bit is not None else BIT[Scope.parse(scope)]) != 0

    def record(
        self, owner: str | None, team: str | None = None, department: str | None = None
    ) -> Record:
        """Where a record sits; where it names no team or department, the owner's.

        A record that names neither is its owner's alone: kept, one per owner.
        """
        if team is None and department is None:
            found = self._records.get(owner)
            if found is None:
                found = self._records[owner] = self._record(owner, None, None)
            return found
        return self._record(owner, team, department)

    def _record(self, owner: str | None, team: str | None, department: str | None) -> Record:
        org = self.org
        teams = {team} if team is not None else org.teams_of(owner or "")
        departments = {department} if department is not None else org.departments_of(owner or "")
        return Record(owner, frozenset(teams), frozenset(departments))

    def relation(self, person: str, record: Record) -> Scope:
        """The narrowest scope that reaches ``record`` for ``person`` (format-v1 section 3)."""
        return narrowest(reaching(self.org, person, record))

    def decide(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None,
        team: str | None = None,
        department: str | None = None,
        field: str | None = None,
    ) -> Decision:
        """May ``person`` do ``action`` to one ``resource`` record (or ``field`` of it), and why.

        The ids are known to be valid; the record's team and department default to
        its owner's. The layers of format v1.1 apply in order: grants (own, inherited,
        baselines, reports), then sharing rules, then a restricted field's grant.
        """
        if field is not None:
            self.require_field(action, resource, field)
        record = self.record(owner, team, department)
        covered = self.index.person_covered(person, resource, action)
        scope: Scope | None = None
        rule: str | None = None
        if covered != _NOTHING:
            scope = self._reached(covered, person, record)
            if scope is None:  # the object permission gates sharing rules
                rule = self.sharing.sharing(person, resource, action, owner)
        allowed = scope is not None or rule is not None
        field_grant: FieldGrant | None = None
        denied = False
        if allowed and field is not None and self.fields.restricted(resource, field):
            field_grant = self.fields.person_grant(person, resource, field)
            denied = field_grant is None or field_grant.level < FIELD_NEEDS[action]
        outcome = Outcome(
            None, scope, owner, team, department, True, None, rule, field_grant, denied, person,
            record,
        )  # fmt: skip
        question = (person, action, resource, True)
        return Decision(allowed and not denied, field, question, outcome, self.words)

    def require_field(self, action: str, resource: str, field: str) -> None:
        """Raises unless ``field`` is declared on ``resource`` and ``action`` reads or edits it."""
        self.fields.require(resource, field)
        if action not in FIELD_NEEDS:
            raise ValueError(
                f"a field is read (`read`) or edited (`update`); `{action}` acts on the whole "
                f"record: ask without a field"
            )

    def field_access(self, subject: str, resource: str, field: str) -> str:
        """``none``, ``read`` or ``edit``: what ``subject`` (role or person) may do to the
        field on the records it may read or update (format v1.1, section 12)."""
        self.fields.require(resource, field)
        may_read, may_edit = (
            self.catalog.applies(resource, action)
            and self.index.covered(subject, resource, action) != _NOTHING
            for action in FIELD_ACTIONS
        )
        granted = LEVEL["edit"]
        if self.fields.restricted(resource, field):
            if subject in self._roles:
                grant = self.fields.role_grant(subject, resource, field)
            else:
                grant = self.fields.person_grant(subject, resource, field)
            granted = grant.level if grant is not None else 0
        if may_edit and granted == LEVEL["edit"]:
            return "edit"
        return "read" if may_read and granted >= LEVEL["read"] else "none"

    @staticmethod
    def _reaching_member(found: Finding, reach: int) -> HeldGrant | None:
        """Of the subject's maximal grants, the first (narrowest) that includes ``reach``."""
        held = found.held
        if held is None:
            return None
        for member in held.members:
            if COVERED[member.scope] & reach:
                return member
        return None

    def _reached(self, covered: int, person: str, record: Record) -> Scope | None:
        """Of the maximal scopes of ``covered``, the first (narrowest) that reaches ``record``."""
        for scope in maximal(covered):
            if reaches_within(COVERED[scope], self.org, person, record):
                return scope
        return None

    def explain(
        self,
        subject: str,
        action: str,
        resource: str,
        scope: str | Scope = "own",
        field: str | None = None,
    ) -> Decision:
        """Like :meth:`allows` (of ``field``, when given), but with the reason."""
        required = Scope.parse(scope)
        if field is not None:
            self.require_field(action, resource, field)
        found = self.decision_finding(subject, action, resource)
        reach = BIT[required]
        outcome = Outcome(reach=reach, on_record=False)
        allowed = self.index.covered(subject, resource, action) & reach != 0
        if allowed:
            outcome.held = self._reaching_member(found, reach)
        if allowed and field is not None and self.fields.restricted(resource, field):
            if found.as_person:
                outcome.field_grant = self.fields.person_grant(subject, resource, field)
            else:
                outcome.field_grant = self.fields.role_grant(subject, resource, field)
            outcome.field_denied = (
                outcome.field_grant is None or outcome.field_grant.level < FIELD_NEEDS[action]
            )
            allowed = not outcome.field_denied
        return self.words.decision(found, allowed, outcome, field)

    @cached_property
    def words(self) -> Words:
        return Words(self.catalog, self.org, self.sharing, self._locate, self._find)

    def _find(self, subject: str, action: str, resource: str, as_person: bool) -> Finding:
        return self.decision_finding(subject, action, resource, as_person=as_person)

    def decision_finding(
        self, subject: str, action: str, resource: str, *, as_person: bool = False
    ) -> Finding:
        """The grant tables' :class:`Finding` for a subject and permission, kept for reuse.

        ``as_person``: ``subject`` is a person even if a role has the same id; otherwise
        (as in :meth:`allows`) a role id is read as the role.
        """
        person = as_person or subject not in self._roles
        key = (subject, resource, action, person)
        found = self._found.get(key)
        if found is None:
            if person and subject not in self._people:
                what = "person" if as_person else "role or person"
                raise UnknownIdError(f"no {what} `{subject}` in the model")
            found = self._found[key] = self.finding(subject, action, resource, as_person=person)
        return found

    def finding(self, subject: str, action: str, resource: str, *, as_person: bool) -> Finding:
        """What the grant tables say about a known ``subject`` and (resource, action)."""
        role: str | None = None
        grant: EffectiveGrant | None = None
        held: HeldGrant | None = None
        if as_person:
            self.index.require_permission(resource, action)
            held = self.held_grant(subject, (resource, action))
            if held is not None:
                role, grant = held.role, held.grant
            granted = held.scope if held is not None else Scope.NONE
        else:
            granted = self.effective_scope(subject, action, resource)
            grant = self.role_grants[subject].get((resource, action))
            role = subject if grant else None
            if grant is not None:
                held = _as_held(subject, grant)
        where = str(self._locate(grant.source.path)) if grant is not None else None
        searched = self.searched(subject, as_person)
        return Finding(
            subject, action, resource, granted, as_person, role, grant, where, searched, held
        )

    def searched(self, subject: str, as_person: bool) -> str:
        """Where a grant was looked for: the role and what it inherits, or the person's roles."""
        if not as_person:
            known = self._roles
            chain = sorted({p for p in known[subject].inherits if p in known})
            return f"role {subject}" + (
                f" or what it inherits ({', '.join(chain)})" if chain else ""
            )
        roles = self._people[subject].roles
        return (
            f"{subject}'s roles ({', '.join(roles)})" if roles else f"{subject} (who holds no role)"
        )


def _as_held(role_id: str, grant: EffectiveGrant) -> HeldGrant:
    """A role's effective grant as a held one, one member per maximal scope."""
    members = [HeldGrant(role_id, member) for member in grant.members]
    return members[-1]._replace(also=tuple(members[:-1]))
