"""Facts several rules share, computed once per model and cached beside it.

Rules ask the same questions: which roles does a role hold through inheritance, who
holds a role, which responsibilities does a role have. Each answer is one linear pass
over the model, done on first use, so that no rule walks people x people or
roles x roles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from weakref import WeakKeyDictionary, ref

from crmorg.findings import Path
from crmorg.model import Model
from crmorg.permissions.effective import Permission, expand_grants
from crmorg.permissions.models import GrantMap
from crmorg.permissions.scopes import Scope
from crmorg.roles.models import Role

_CACHE: WeakKeyDictionary[Model, Facts] = WeakKeyDictionary()


def facts(model: Model) -> Facts:
    """The shared facts of ``model`` (computed lazily, cached while the model lives)."""
    found = _CACHE.get(model)
    if found is None:
        found = _CACHE[model] = Facts(model)
    return found


class Facts:
    """Derived indexes over one model; every property is computed once.

    The facts hold their model weakly, so the cache entry goes when the model does.
    """

    def __init__(self, model: Model) -> None:
        self._model = ref(model)

    @property
    def model(self) -> Model:
        model = self._model()
        if model is None:
            raise ReferenceError("the model of these facts no longer exists")
        return model

    @cached_property
    def lineage(self) -> Mapping[str, frozenset[str]]:
        """Role id -> the role itself and every role it inherits, transitively.

        One walk per role, so the cost is the size of the result (inheritance is
        shallow); a cycle, which inheritance-cycle reports, ends the walk.
        """
        roles = self.model.roles
        return {role_id: frozenset(_walk(role_id, roles)) for role_id in roles}

    @cached_property
    def heirs(self) -> Mapping[str, frozenset[str]]:
        """Role id -> the role itself and every role that inherits it, transitively."""
        found: dict[str, set[str]] = {role_id: set() for role_id in self.model.roles}
        for role_id, ancestors in self.lineage.items():
            for ancestor in ancestors:
                found[ancestor].add(role_id)
        return {role_id: frozenset(roles) for role_id, roles in found.items()}

    def held_roles(self, person: str) -> dict[str, str]:
        """Role id -> the role the person was given that brings it (itself, or an heir).

        A person holds a role when they are given it or a role that inherits it: a
        sales manager who inherits ``sales_rep`` is a sales rep too.
        """
        given_roles = [r for r in self.model.people[person].roles if r in self.model.roles]
        held = {given: given for given in given_roles}
        lineage = self.lineage
        for given in given_roles:
            for role_id in sorted(lineage[given]):
                held.setdefault(role_id, given)
        return held

    @cached_property
    def holders(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the people who hold it, directly or through inheritance; model order."""
        found: dict[str, list[str]] = {role_id: [] for role_id in self.model.roles}
        lineage = self.lineage
        for person_id, person in self.model.people.items():
            roles: set[str] = set()
            for given in person.roles:
                roles |= lineage.get(given, frozenset())
            for role_id in roles:
                found[role_id].append(person_id)
        return {role_id: tuple(people) for role_id, people in found.items()}

    @cached_property
    def duties(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the responsibilities it *has*: it is their Accountable or Responsible."""
        found: dict[str, list[str]] = {role_id: [] for role_id in self.model.roles}
        for resp_id, resp in self.model.responsibilities.items():
            for role_id in dict.fromkeys((resp.accountable, *resp.responsible)):
                if role_id is not None and role_id in found:
                    found[role_id].append(resp_id)
        return {role_id: tuple(resps) for role_id, resps in found.items()}

    @cached_property
    def permission_order(self) -> Mapping[Permission, int]:
        """(resource, action) -> its position in declaration order, for stable listings."""
        return {
            permission: index for index, permission in enumerate(self.model.catalog.permissions())
        }

    def sorted_permissions(self, permissions: Iterable[Permission]) -> list[Permission]:
        order = self.permission_order
        return sorted(permissions, key=lambda p: (order.get(p, len(order)), p))

    def requirements(self, requires: GrantMap) -> dict[Permission, Scope]:
        """A ``requires`` map with wildcards expanded: (resource, action) -> scope."""
        return {
            permission: scope
            for permission, (scope, _, _) in expand_grants(requires, self.model.catalog).items()
            if scope > Scope.NONE
        }

    def grant_path(self, role: str, permission: Permission) -> Path:
        """Where a role's effective grant is written: on the role itself, or its ``inherits``."""
        grant = self.model.role_grants[role].get(permission)
        if grant is not None and grant.source.role == role:
            return grant.source.path
        return ("roles", role, "inherits")

    def origin(self, role: str, permission: Permission) -> str:
        """How a role comes by a grant, in words: its own, or inherited along a path."""
        grant = self.model.role_grants[role].get(permission)
        if grant is None:
            return "not granted"
        if len(grant.via) <= 1:
            return "its own grant"
        return "inherited from " + " via ".join([grant.via[-1], *reversed(grant.via[1:-1])])


def _walk(role_id: str, roles: Mapping[str, Role]) -> set[str]:
    reach = {role_id}
    pending = [role_id]
    while pending:
        for parent in roles[pending.pop()].inherits:
            if parent in roles and parent not in reach:
                reach.add(parent)
                pending.append(parent)
    return reach
