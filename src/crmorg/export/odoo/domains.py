"""Odoo record-rule domains (``domain_force``), built as terms and written as text.

A domain is Odoo's prefix notation: a list of leaves ``(path, operator, value)`` and
the operators ``'|'``, ``'&'`` and ``'!'`` before their operands. Values are literals
(ids, names) or one of the few expressions over the rule's ``user`` that
:data:`USER_VALUES` lists, so that a reader (and the tests' evaluator) needs no
``eval``: every string in a domain is written with ``repr``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crmorg.export.odoo.mapping import MODULE, Discriminator, OdooModel
from crmorg.roles.scopes import Scope


@dataclass(frozen=True)
class UserValue:
    """An expression over the rule's ``user``, written as it is (``user.id``)."""

    text: str


USER_ID = UserValue("user.id")
USER_EMPLOYEES = UserValue("user.employee_ids.ids")
USER_TEAMS = UserValue("user.crm_team_ids.ids")
USER_DEPARTMENTS = UserValue("user.employee_ids.department_id.ids")


def ref_ids(xmlid: str) -> UserValue:
    """The ids of this module's record ``xmlid``: ``user.env.ref('crmorg_access.x').ids``."""
    return UserValue(f"user.env.ref({f'{MODULE}.{xmlid}'!r}).ids")


Value = str | int | bool | UserValue | tuple[str, ...]


@dataclass(frozen=True)
class Leaf:
    path: str | int
    operator: str
    value: Value

    def text(self) -> str:
        value = self.value
        if isinstance(value, UserValue):
            shown = value.text
        elif isinstance(value, tuple):
            shown = "[" + ", ".join(repr(v) for v in value) + "]"
        else:
            shown = repr(value)
        return f"({self.path!r}, {self.operator!r}, {shown})"


Domain = tuple[str | Leaf, ...]
"""Tokens in prefix notation."""

EVERY_RECORD: Domain = (Leaf(1, "=", 1),)


def any_of(*domains: Domain) -> Domain:
    """Records that match one of ``domains`` (``'|'`` before each pair)."""
    kept = [d for d in dict.fromkeys(domains) if d]
    if not kept:
        return ()
    return ("|",) * (len(kept) - 1) + tuple(token for d in kept for token in d)


def all_of(*domains: Domain) -> Domain:
    kept = [d for d in domains if d]
    return ("&",) * (len(kept) - 1) + tuple(token for d in kept for token in d)


def text(domain: Domain) -> str:
    return "[" + ", ".join(repr(t) if isinstance(t, str) else t.text() for t in domain) + "]"


def discriminated(domain: Domain, discriminator: Discriminator | None) -> Domain:
    if discriminator is None:
        return domain
    leaf = Leaf(discriminator.field, discriminator.operator, discriminator.value)
    if domain == EVERY_RECORD:
        return (leaf,)
    return all_of((leaf,), domain)


def _own(model: OdooModel) -> Domain:
    if model.owner_many:
        return (Leaf(model.owner, "in", USER_ID),)
    return (Leaf(model.owner, "=", USER_ID),)


def _teams(model: OdooModel) -> Domain:
    """The record's team is one of the user's; a record naming none: its owner's."""
    owners = (Leaf(f"{model.owner}.crm_team_ids", "in", USER_TEAMS),)
    return any_of(
        (Leaf(model.team, "in", USER_TEAMS),),
        all_of((Leaf(model.team, "=", False),), owners),
    )


def _departments(model: OdooModel) -> Domain:
    """The record's department is at or below one of the user's; a record naming none:
    its owner's employee's."""
    owners = (Leaf(f"{model.owner}.employee_ids.department_id", "child_of", USER_DEPARTMENTS),)
    return any_of(
        (Leaf(model.department, "child_of", USER_DEPARTMENTS),),
        all_of((Leaf(model.department, "=", False),), owners),
    )


def scope_domain(model: OdooModel, scope: Scope) -> Domain | None:
    """The records a grant at ``scope`` reaches (``None`` for ``none``)."""
    if scope is Scope.ORGANIZATION:
        return EVERY_RECORD
    if scope is Scope.NONE:
        return None
    if scope is Scope.OWN:
        return _own(model)
    if scope is Scope.SUBORDINATES:
        # child_of includes the user's own employee: the owner's manager chain reaches them.
        reports = (Leaf(f"{model.owner}.employee_ids", "child_of", USER_EMPLOYEES),)
        return any_of(_own(model), reports)
    if scope is Scope.TEAM:
        return any_of(_own(model), _teams(model))
    return any_of(_own(model), _teams(model), _departments(model))


def owners_in(model: OdooModel, path: str, value: Value) -> Domain:
    """Records whose owner's ``path`` is in ``value`` (a sharing rule's ``from``)."""
    return (Leaf(f"{model.owner}.{path}", "in", value),)


def logins(people: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(people))
