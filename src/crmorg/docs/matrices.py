"""The data behind the handbook's two matrices: RACI and permissions.

Both are computed from the model alone, in the model's own order (sections keep the
order of the YAML, files merged in sorted path order), so the output is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, NamedTuple

from crmorg.model import Model
from crmorg.permissions.scopes import Scope
from crmorg.roles.raci import RACI_LETTERS as RACI_LETTERS
from crmorg.roles.raci import letters
from crmorg.roles.scopes import RANK

__all__ = [
    "PERMISSION_COLUMNS",
    "RACI_COLUMNS",
    "RACI_LETTERS",
    "PermissionCell",
    "PermissionMatrix",
    "RaciMatrix",
    "ScopeActions",
    "column_groups",
    "permission_matrix",
    "permission_tables",
    "raci_matrix",
    "raci_tables",
]


@dataclass(frozen=True)
class RaciMatrix:
    """Responsibilities (rows) x roles (columns); a cell holds RACI letters."""

    responsibilities: tuple[str, ...]
    roles: tuple[str, ...]
    cells: dict[tuple[str, str], str]

    def cell(self, responsibility: str, role: str) -> str:
        return self.cells.get((responsibility, role), "")


RACI_COLUMNS: Final = 30
"""The most role columns one RACI table has: a wider model's matrix is one table per
department (its responsibilities against the roles taking part in them), and a
department's table wider still is cut into parts of at most this many columns. One table
of every role against every responsibility grows with their product, unreadable long
before 2,000 roles, and would make the handbook quadratic in the model. Thirty columns of
about 37 px (one RACI letter under an upright header) and the 12 rem row headers fit a
screen 1,400 px wide; the print stylesheet narrows them to fit an A4 landscape page."""

PERMISSION_COLUMNS: Final = 8
"""The most record types (columns) one permission table has. A permission cell holds a
few lines of scopes and actions (about 7 rem), so eight of them and the role column fit
1,400 px on screen and an A4 landscape page in print; a model with more record types
gets several tables, each with every role, in the resources section's order."""


def column_groups(items: tuple[str, ...], limit: int) -> list[tuple[str, ...]]:
    """``items`` cut into the fewest runs of at most ``limit``, as even as possible
    (30 record types in eights: 8, 8, 7, 7), in their order."""
    if len(items) <= limit:
        return [items]
    parts = -(-len(items) // limit)
    size, extra = divmod(len(items), parts)
    groups: list[tuple[str, ...]] = []
    start = 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


def raci_matrix(model: Model, responsibilities: Iterable[str] | None = None) -> RaciMatrix:
    """``responsibilities`` (by default every one) against every role that takes part
    in one of them.

    Columns follow the roles section; a role named in RACI but not declared (an
    ``unknown-reference`` finding) still gets a column, after the declared ones.
    """
    rows = tuple(model.responsibilities if responsibilities is None else responsibilities)
    cells: dict[tuple[str, str], str] = {}
    involved: set[str] = set()
    for responsibility_id in rows:
        for role_id, held in letters(model.responsibilities[responsibility_id]).items():
            cells[(responsibility_id, role_id)] = held
            involved.add(role_id)
    declared = [role_id for role_id in model.roles if role_id in involved]
    undeclared = sorted(involved - set(model.roles))
    return RaciMatrix(rows, tuple(declared + undeclared), cells)


def raci_tables(model: Model) -> list[tuple[str | None, RaciMatrix]]:
    """The RACI matrix as the handbook shows it: one table ``(None, matrix)`` of up to
    :data:`RACI_COLUMNS` roles, or else one per department in the department tree's
    order (responsibilities without a declared department last, under ``None``); a
    department's table of more roles than that is several in a row, the same
    department each, every one with all its responsibilities."""
    whole = raci_matrix(model)
    if len(whole.roles) <= RACI_COLUMNS:
        return [(None, whole)]
    return [
        (department, RaciMatrix(table.responsibilities, roles, table.cells))
        for department, table in _raci_by_department(model)
        for roles in column_groups(table.roles, RACI_COLUMNS)
    ]


def _raci_by_department(model: Model) -> list[tuple[str | None, RaciMatrix]]:
    by_department: dict[str | None, list[str]] = {}
    for responsibility_id, responsibility in model.responsibilities.items():
        department = responsibility.department
        key = department if department in model.departments else None
        by_department.setdefault(key, []).append(responsibility_id)
    order: list[str | None] = [d for d, _ in model.org.department_order if d in by_department]
    order += [d for d in by_department if d is not None and d not in order]
    if None in by_department:
        order.append(None)
    return [(d, raci_matrix(model, by_department[d])) for d in order]


class ScopeActions(NamedTuple):
    """The actions a role may do at one scope, and whether the resource's baseline gives
    them (format v1.1, section 10) rather than a grant."""

    scope: Scope
    actions: tuple[str, ...]
    baseline: bool = False


@dataclass(frozen=True)
class PermissionCell:
    """One role's effective grants on one resource.

    ``by_scope`` lists, widest scope first, the actions allowed at each scope, in
    the catalogue's action order; an action with grants at incomparable scopes
    (``subordinates`` and ``team``) is listed at each.
    """

    widest: Scope
    by_scope: tuple[ScopeActions, ...]
    applicable: tuple[str, ...] = ()
    """Every action that applies to the resource (to say "all" when all are granted)."""

    def is_all(self, actions: tuple[str, ...]) -> bool:
        """Whether ``actions`` are every action that applies to the resource."""
        return bool(self.applicable) and set(actions) == set(self.applicable)

    @property
    def actions(self) -> tuple[tuple[str, Scope, bool], ...]:
        """(action, scope, from the baseline) triples, widest scope first."""
        return tuple(
            (action, group.scope, group.baseline)
            for group in self.by_scope
            for action in group.actions
        )


@dataclass(frozen=True)
class PermissionMatrix:
    """Roles (rows) x resources (columns); empty cells are absent."""

    roles: tuple[str, ...]
    resources: tuple[str, ...]
    cells: dict[tuple[str, str], PermissionCell]

    def cell(self, role: str, resource: str) -> PermissionCell | None:
        return self.cells.get((role, resource))


def role_resource_cell(model: Model, role_id: str, resource_id: str) -> PermissionCell | None:
    """The role's effective grants on one resource, grouped by scope (and baseline)."""
    grants = model.role_grants.get(role_id, {})
    applicable = tuple(model.catalog.applicable.get(resource_id, ()))
    per_scope: dict[tuple[Scope, bool], list[str]] = {}
    for action in applicable:
        grant = grants.get((resource_id, action))
        for member in grant.members if grant is not None else ():
            if member.scope is not Scope.NONE:
                per_scope.setdefault((member.scope, member.source.baseline), []).append(action)
    if not per_scope:
        return None
    ordered = tuple(
        ScopeActions(scope, tuple(per_scope[(scope, baseline)]), baseline)
        for scope, baseline in sorted(per_scope, key=lambda key: (-RANK[key[0]], key[1]))
    )
    return PermissionCell(ordered[0].scope, ordered, applicable)


def permission_matrix(model: Model) -> PermissionMatrix:
    """Every role against every resource, with the effective (inherited) grants."""
    cells: dict[tuple[str, str], PermissionCell] = {}
    for role_id in model.roles:
        for resource_id in model.resources:
            cell = role_resource_cell(model, role_id, resource_id)
            if cell is not None:
                cells[(role_id, resource_id)] = cell
    return PermissionMatrix(tuple(model.roles), tuple(model.resources), cells)


def permission_tables(matrix: PermissionMatrix) -> list[PermissionMatrix]:
    """``matrix`` as the handbook shows it: every role against at most
    :data:`PERMISSION_COLUMNS` record types per table (all of them share the cells)."""
    return [
        PermissionMatrix(matrix.roles, resources, matrix.cells)
        for resources in column_groups(matrix.resources, PERMISSION_COLUMNS)
    ]
