"""The decision index: for each subject, (resource, action) -> the scopes it may act at.

A cell is a bitmask, the down-set of the subject's effective scopes (see
:mod:`crmorg.roles.scopes`), so that "may act at s" is one ``&`` and a person's cell is
the ``|`` of their roles' cells, whatever the shape of the scope order.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import or_

from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.effective import EffectiveGrant, Permission
from crmorg.roles.models import Person
from crmorg.roles.scopes import COVERED, Scope

Row = dict[Permission, int]
RoleGrants = Mapping[str, Mapping[Permission, EffectiveGrant]]


class DecisionIndex:
    """Rows of the index, built on first use.

    Every role's row is built together on first use; a person's row when first asked
    about, shared with everyone holding the same roles. ``rows`` is read directly by
    :meth:`crmorg.Model.allows`, the hot path.
    """

    def __init__(self, catalog: ActionCatalog, people: Mapping[str, Person]) -> None:
        self._catalog = catalog
        self._people = people
        self.rows: dict[str, Row] = {}
        self._rows_by_roles: dict[tuple[str, ...], Row] = {}
        self._roles_indexed = False
        self._roles: frozenset[str] = frozenset()

    def covered(self, subject: str, resource: str, action: str, role_grants: RoleGrants) -> int:
        """The down-set of ``subject``'s scopes on (resource, action); a role id means the role.

        Raises :class:`UnknownIdError` for an unknown subject, resource or action; an
        action that does not apply to the resource gives scope ``none`` only.
        ``role_grants`` builds the role rows the first time.
        """
        row = self.rows.get(subject)
        if row is None:
            row = self._index_subject(subject, role_grants)
        value = row.get((resource, action))
        if value is None:
            self.require_permission(resource, action)
            return COVERED[Scope.NONE]  # the action does not apply to the resource
        return value

    def require_permission(self, resource: str, action: str) -> None:
        if resource not in self._catalog.resources:
            raise UnknownIdError(f"no resource `{resource}` in the model")
        if action not in self._catalog.actions:
            raise UnknownIdError(
                f"no action `{action}`; the actions are: {', '.join(self._catalog.actions)}"
            )

    def _index_subject(self, subject: str, role_grants: RoleGrants) -> Row:
        if not self._roles_indexed:
            self._index_roles(role_grants)
            found = self.rows.get(subject)
            if found is not None:
                return found
        if subject not in self._people:
            raise UnknownIdError(f"no role or person `{subject}` in the model")
        # A person's row joins their roles' rows, permission by permission: what
        # effective_person_grants() gives, without a HeldGrant per permission. Rows
        # for no role and for each single role are there already.
        roles = tuple(sorted({r for r in self._people[subject].roles if r in self._roles}))
        row = self._rows_by_roles.get(roles)
        if row is None:
            rows = [self.rows[r] for r in roles]  # two or more, all in the same key order
            cells = list(rows[0].values())
            for other in rows[1:]:
                cells = list(map(or_, cells, other.values()))
            row = dict(zip(rows[0], cells, strict=True))
            self._rows_by_roles[roles] = row
        self.rows[subject] = row
        return row

    def _index_roles(self, role_grants: RoleGrants) -> None:
        none = COVERED[Scope.NONE]
        zero = dict.fromkeys(self._catalog.permissions(), none)
        self._rows_by_roles[()] = zero
        self._roles = frozenset(role_grants)
        for role_id, grants in role_grants.items():
            row = dict(zero)
            for permission, grant in grants.items():
                if permission in row:
                    row[permission] = COVERED[grant.scope]
            self.rows[role_id] = row
            self._rows_by_roles[(role_id,)] = row
        self._roles_indexed = True
