"""Access review: who may do what, for every role and person, and who can do one thing.

These are the questions an access review asks of the model; the ``matrix`` and
``who-can`` commands and the ``json`` and ``csv`` export targets render the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.effective import EffectiveGrant, HeldGrant, Permission
from crmorg.permissions.scopes import Scope
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import RANK, includes

SubjectKind = Literal["role", "person"]


class Grants(Protocol):
    """What a review reads: an :class:`~crmorg.permissions.access.AccessModel`, or the
    :class:`crmorg.Model` in front of it."""

    @property
    def org(self) -> OrgGraph: ...
    @property
    def catalog(self) -> ActionCatalog: ...
    @property
    def role_grants(self) -> Mapping[str, Mapping[Permission, EffectiveGrant]]: ...
    def person_grants(self, person: str) -> Mapping[Permission, HeldGrant]: ...


@dataclass(frozen=True)
class Access:
    """One subject's effective scope on one (resource, action), and where it comes from.

    ``role`` is the subject itself for a role, and for a person the role of theirs whose
    grant is widest; ``grant.via`` runs from ``role`` to the role the grant is written on.
    """

    kind: SubjectKind
    subject: str
    resource: str
    action: str
    scope: Scope
    role: str
    grant: EffectiveGrant

    @property
    def written_on(self) -> str:
        return self.grant.source.role

    @property
    def inherited_via(self) -> tuple[str, ...]:
        """The roles after ``role`` on the way to the grant; empty when written on it."""
        return self.grant.via[1:]


@dataclass(frozen=True)
class AccessMatrix:
    """Every role's and every person's effective grants (scope wider than ``none``)."""

    actions: tuple[str, ...]
    applicable: Mapping[str, tuple[str, ...]]
    roles: Mapping[str, Mapping[Permission, Access]]
    people: Mapping[str, Mapping[Permission, Access]]

    @property
    def resources(self) -> tuple[str, ...]:
        return tuple(self.applicable)

    def rows(self) -> list[Access]:
        """Every entry: roles first, then people; each sorted by subject, resource, action."""
        rows: list[Access] = []
        for section in (self.roles, self.people):
            for subject in sorted(section):
                entries = section[subject]
                rows += [entries[permission] for permission in sorted(entries)]
        return rows


def access_matrix(model: Grants) -> AccessMatrix:
    roles = {
        role_id: {
            permission: Access("role", role_id, *permission, grant.scope, role_id, grant)
            for permission, grant in grants.items()
        }
        for role_id, grants in model.role_grants.items()
    }
    people = {
        person_id: {
            permission: Access("person", person_id, *permission, held.scope, held.role, held.grant)
            for permission, held in model.person_grants(person_id).items()
        }
        for person_id in model.org.people
    }
    catalog = model.catalog
    return AccessMatrix(catalog.actions, catalog.applicable, roles, people)


@dataclass(frozen=True)
class WhoCan:
    """The roles and the people that may ``action`` ``resource`` at ``scope`` or wider."""

    action: str
    resource: str
    scope: Scope
    applies: bool
    roles: tuple[Access, ...]
    people: tuple[Access, ...]


_Grant = TypeVar("_Grant", EffectiveGrant, HeldGrant)


def reaching(grant: _Grant, required: Scope) -> _Grant | None:
    """Of a subject's maximal grants (``subordinates`` beside ``team``, say), the widest
    that includes ``required``; None when none does."""
    for member in sorted(grant.members, key=lambda g: RANK[g.scope], reverse=True):
        if includes(member.scope, required):
            return member
    return None


def who_can(model: Grants, action: str, resource: str, scope: str | Scope = "own") -> WhoCan:
    """Who may ``action`` ``resource`` at ``scope`` (or wider); widest scope first.

    Every subject may act at scope ``none``, so the question starts at ``own``. Of a
    subject's maximal grants at incomparable scopes, the entry shows the widest that
    includes ``scope``.
    """
    required = Scope.parse(scope)
    if required is Scope.NONE:
        raise ValueError("every role and person may act at scope none; ask about own or wider")
    if resource not in model.catalog.resources:
        raise UnknownIdError(f"no resource `{resource}` in the model")
    if action not in model.catalog.actions:
        raise UnknownIdError(
            f"no action `{action}`; the actions are: {', '.join(model.catalog.actions)}"
        )
    permission = (resource, action)
    roles = [
        Access("role", role_id, resource, action, grant.scope, role_id, grant)
        for role_id, grants in model.role_grants.items()
        if (found := grants.get(permission)) is not None
        and (grant := reaching(found, required)) is not None
    ]
    people = [
        Access("person", person_id, resource, action, held.scope, held.role, held.grant)
        for person_id in model.org.people
        if (found_held := model.person_grants(person_id).get(permission)) is not None
        and (held := reaching(found_held, required)) is not None
    ]

    def order(access: Access) -> tuple[int, str]:
        return (-RANK[access.scope], access.subject)

    return WhoCan(
        action,
        resource,
        required,
        model.catalog.applies(resource, action),
        tuple(sorted(roles, key=order)),
        tuple(sorted(people, key=order)),
    )
