"""The decision index: for each subject, every (resource, action) -> the scopes it may act at.

A subject's row is one integer: for every permission that applies, a field of
:data:`FIELD_WIDTH` bits holding the down-set of the subject's effective scopes (see
:mod:`crmorg.roles.scopes`). "May act at s" is one ``&`` with the bit of (permission,
s), and joining grants, inherited or from several roles, is one ``|`` of whole rows,
whatever the shape of the scope order (a partial one from format v1.1 too).

Every role's row is built in one pass the first time a decision is asked for, so that
loading a model never pays for it; a person's row, a few ``|`` of their roles' rows,
when the person is first asked about, shared by everyone holding the same roles. A
permission the subject does not hold is a field with scope ``none`` only, answered on
the hot path like any other.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.effective import Permission
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import BIT, COVERED, SCOPE_BY_NAME, SCOPES, Scope

FIELD_WIDTH = max(SCOPES) + 1
"""Bits per permission in a row: one per scope."""
FIELD = (1 << FIELD_WIDTH) - 1

Question = tuple[str, str, "str | Scope"]
"""(resource, action, scope), as :meth:`crmorg.Model.allows` is asked."""


class DecisionIndex:
    """Every role's and person's row, and the bit of every (resource, action, scope).

    ``rows`` (a role id read as the role) and ``bits`` are read directly by
    :meth:`crmorg.Model.allows`, the hot path; both are empty until :meth:`build`, and
    ``rows`` gains each person when first asked about.
    """

    def __init__(
        self,
        catalog: ActionCatalog,
        org: OrgGraph,
        baselines: Mapping[Permission, Scope] | None = None,
    ) -> None:
        self._catalog = catalog
        self._org = org
        self._baselines = baselines or {}
        self.rows: dict[str, int] = {}
        self.person_rows: dict[str, int] = {}
        self.bits: dict[Question, int] = {}
        self._shift: dict[Permission, int] = {}
        self._nothing = 0  # the row of no grant: scope `none` everywhere
        self._role_rows: dict[str, int] = {}
        self._by_roles: dict[frozenset[str], int] = {}  # people holding the same roles
        self.built = False

    def covered(self, subject: str, resource: str, action: str) -> int:
        """The down-set of ``subject``'s scopes on (resource, action); a role id means the role.

        Raises :class:`UnknownIdError` for an unknown subject, resource or action; an
        action that does not apply to the resource gives scope ``none`` only.
        """
        if not self.built:
            self.build()
        row = self.rows.get(subject)
        if row is None:
            if subject not in self._org.people:
                raise UnknownIdError(f"no role or person `{subject}` in the model")
            row = self.person_row(subject)
        return self.field(row, resource, action)

    def person_covered(self, person: str, resource: str, action: str) -> int:
        """Like :meth:`covered` for a person known to the model, even if a role shares the id."""
        return self.field(self.person_row(person), resource, action)

    def field(self, row: int, resource: str, action: str) -> int:
        shift = self._shift.get((resource, action))
        if shift is None:
            self.require_permission(resource, action)
            return COVERED[Scope.NONE]  # the action does not apply to the resource
        return row >> shift & FIELD

    def require_permission(self, resource: str, action: str) -> None:
        if resource not in self._catalog.resources:
            raise UnknownIdError(f"no resource `{resource}` in the model")
        if action not in self._catalog.actions:
            raise UnknownIdError(
                f"no action `{action}`; the actions are: {', '.join(self._catalog.actions)}"
            )

    def build(self) -> None:
        """Every role's row, in one pass: the roles' own grants, then inheritance."""
        catalog = self._catalog
        self._shift = {p: i * FIELD_WIDTH for i, p in enumerate(catalog.permissions())}
        for (resource, action), shift in self._shift.items():
            for scope, bit in BIT.items():
                self.bits[(resource, action, scope)] = bit << shift
        self._nothing = self._spread(list(self._shift.values()), COVERED[Scope.NONE])
        self._role_rows = self._with_baselines(self._inherit(self._own_rows(self._nothing)))
        self.rows.update(self._role_rows)  # a role id is read as the role
        self.built = True

    def person_row(self, person: str) -> int:
        """The join of the person's roles' rows, made once per set of roles.

        A few ``|`` of whole rows: made when the person is first asked about, so that
        a rule asking about one person (validation of 100,000) makes one, not all.
        """
        found = self.person_rows.get(person)
        if found is not None:
            return found
        if not self.built:
            self.build()
        roles = frozenset(self._org.people[person].roles)
        row = self._by_roles.get(roles)
        if row is None:
            row = self._nothing
            for role_id in roles:
                row |= self._role_rows.get(role_id, 0)
            self._by_roles[roles] = row
        self.person_rows[person] = row
        self.rows.setdefault(person, row)  # a role of the same id stays the subject
        return row

    def _own_rows(self, nothing: int) -> dict[str, int]:
        """Each role's grants as written, wildcards expanded: one row per role."""
        units: dict[tuple[str, str], int] = {}  # a grant's key pair -> its fields' lowest bits
        own: dict[str, int] = {}
        for role_id, role in self._org.roles.items():
            row = nothing
            for resource_key, actions in role.grants.items():
                for action_key, scope_name in actions.items():
                    unit = units.get((resource_key, action_key))
                    if unit is None:
                        pairs = self._catalog.expand(resource_key, action_key)
                        unit = self._spread([self._shift[p] for p in pairs], 1)
                        units[(resource_key, action_key)] = unit
                    # Fields do not overlap and a down-set fits its field: multiplying the
                    # lowest bits by the down-set writes it into every field at once.
                    row |= unit * COVERED[SCOPE_BY_NAME[scope_name]]
            own[role_id] = row
        return own

    def _inherit(self, own: Mapping[str, int]) -> dict[str, int]:
        """Each role's row joined with what it inherits, transitively (cycles tolerated)."""
        org = self._org
        order = org.parents_first
        if order is None:  # an inheritance cycle: join over each role's lineage
            rows: dict[str, int] = {}
            for role_id, lineage in org.lineage.items():
                row = 0
                for ancestor in lineage:
                    row |= own[ancestor]
                rows[role_id] = row
            return rows
        rows = {}
        roles = org.roles
        for role_id in order:
            row = own[role_id]
            for parent in roles[role_id].inherits:
                row |= rows.get(parent, 0)
            rows[role_id] = row
        return rows

    def _with_baselines(self, rows: dict[str, int]) -> dict[str, int]:
        """Each baseline joined into every row holding any grant of its permission."""
        none = COVERED[Scope.NONE]
        for permission, scope in self._baselines.items():
            shift = self._shift[permission]
            given = COVERED[scope] << shift
            for role_id, row in rows.items():
                if row >> shift & FIELD != none:
                    rows[role_id] = row | given
        return rows

    @staticmethod
    def _spread(shifts: list[int], value: int) -> int:
        row = 0
        for shift in shifts:
            row |= value << shift
        return row
