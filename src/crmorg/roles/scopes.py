"""The scopes of a grant, as one registry: each scope, what it includes, whom it reaches.

Each entry also carries the scope's words: why a record needs it, in a decision's
reason, and the handbook's sentence for a grant at it, in each language.

Every question about scopes is answered from :data:`SCOPES`: their names, their order
(a partial order: each scope lists the scopes it directly includes), widest-wins, and
which scopes reach a given record. A scope is one :class:`Scope` member and one
:class:`ScopeDefinition` entry; nothing else in crmorg restates the order.

The registry lives beside :class:`~crmorg.roles.orggraph.OrgGraph` because a scope's
reach is an organisational relation (owner, team, department) and because roles carry
grants, whose schema names the scopes; ``crmorg.permissions.scopes`` re-exports it.

Sets of scopes are bitmasks (one bit per scope): a subject's access to a permission is
the *down-set* of what its grants give (every scope they include), so that combining
grants is ``|``, and "may act at scope s" is one ``&``, whatever the order's shape.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from crmorg.roles.orggraph import OrgGraph


class Scope(IntEnum):
    """How far a grant reaches. The values order listings; the registry orders scopes."""

    NONE = 0
    OWN = 1
    SUBORDINATES = 5  # format v1.1; declared here so that iteration follows the order
    TEAM = 2
    DEPARTMENT = 3
    ORGANIZATION = 4

    @property
    def label(self) -> str:
        return SCOPES[self].name

    @classmethod
    def parse(cls, value: str | Scope) -> Scope:
        """``"team"`` -> ``Scope.TEAM``; raises ``ValueError`` naming the valid scopes."""
        if isinstance(value, Scope):
            return value
        found = SCOPE_BY_NAME.get(value)
        if found is None:
            raise ValueError(f"unknown scope {value!r}; expected one of: {', '.join(SCOPE_NAMES)}")
        return found


class Record(NamedTuple):
    """Where a record sits: its owner, and the teams and departments it belongs to."""

    owner: str | None
    teams: frozenset[str]
    departments: frozenset[str]


Reach = Callable[["OrgGraph", str, Record], bool]
"""Whether a grant at this scope, held by the person, reaches the record."""


@dataclass(frozen=True)
class ScopeDefinition:
    scope: Scope
    includes: tuple[Scope, ...]
    """The scopes directly below this one; the order is their transitive closure."""
    reaches: Reach
    why: str
    """Why this is the scope a record needs, for a decision's reason (``{person}``)."""
    words: Mapping[str, str]
    """The handbook's sentence for a grant at this scope (``{verbs}``, ``{things}``), per
    language; ``zh-object-first`` is the Chinese form for verbs that cannot lead."""

    @property
    def name(self) -> str:
        return self.scope.name.lower()


def _never(org: OrgGraph, person: str, record: Record) -> bool:
    return False


def _owner(org: OrgGraph, person: str, record: Record) -> bool:
    return record.owner is not None and record.owner == person


def _report_owns(org: OrgGraph, person: str, record: Record) -> bool:
    return record.owner is not None and org.manages(person, record.owner)


def _shared_team(org: OrgGraph, person: str, record: Record) -> bool:
    return not record.teams.isdisjoint(org.teams_of(person))


def _within_reach(org: OrgGraph, person: str, record: Record) -> bool:
    return not record.departments.isdisjoint(org.reach(person))


def _always(org: OrgGraph, person: str, record: Record) -> bool:
    return True


SCOPES: Mapping[Scope, ScopeDefinition] = {
    d.scope: d
    for d in (
        ScopeDefinition(
            Scope.NONE,
            (),
            _never,
            "nothing reaches it",
            {
                "en": "cannot {verbs} {things}",
                "zh": "不可{verbs}{things}",
                "zh-object-first": "不可对{things}执行{verbs}操作",
            },
        ),
        ScopeDefinition(
            Scope.OWN,
            (Scope.NONE,),
            _owner,
            "{person} owns it",
            {
                "en": "can {verbs} their own {things}",
                "zh": "可{verbs}本人的{things}",
                "zh-object-first": "可对本人的{things}执行{verbs}操作",
            },
        ),
        ScopeDefinition(
            Scope.SUBORDINATES,
            (Scope.OWN,),
            _report_owns,
            "its owner reports to {person}",
            {
                "en": "can {verbs} their own {things} and those of the people who report to them",
                "zh": "可{verbs}本人及下属的{things}",
                "zh-object-first": "可对本人及下属的{things}执行{verbs}操作",
            },
        ),
        ScopeDefinition(
            Scope.TEAM,
            (Scope.OWN,),
            _shared_team,
            "{person} shares its team",
            {
                "en": "can {verbs} {things} for their team",
                "zh": "可{verbs}本团队的{things}",
                "zh-object-first": "可对本团队的{things}执行{verbs}操作",
            },
        ),
        ScopeDefinition(
            Scope.DEPARTMENT,
            (Scope.TEAM,),
            _within_reach,
            "its department is within {person}'s departments",
            {
                "en": "can {verbs} {things} in their department",
                "zh": "可{verbs}本部门的{things}",
                "zh-object-first": "可对本部门的{things}执行{verbs}操作",
            },
        ),
        ScopeDefinition(
            Scope.ORGANIZATION,
            (Scope.SUBORDINATES, Scope.DEPARTMENT),
            _always,
            "it is outside {person}'s teams and departments",
            {
                "en": "can {verbs} all {things} across the organization",
                "zh": "可{verbs}全公司的{things}",
                "zh-object-first": "可对全公司的{things}执行{verbs}操作",
            },
        ),
    )
}
"""Narrowest first: every scope comes after the scopes it includes."""

SCOPE_NAMES: tuple[str, ...] = tuple(d.name for d in SCOPES.values())
SCOPE_BY_NAME: dict[str, Scope] = {d.name: scope for scope, d in SCOPES.items()}
RANK: Mapping[Scope, int] = {scope: rank for rank, scope in enumerate(SCOPES)}
"""Scope -> its place in the registry: a scope ranks above every scope it includes, so
listings sort by it (widest first: ``-RANK[s]``) whatever the values of the members."""

if TYPE_CHECKING:
    ScopeName = str
else:  # the schema's type: exactly the registry's names
    ScopeName = Literal[SCOPE_NAMES]


def _down_sets() -> dict[Scope, int]:
    covered: dict[Scope, int] = {}
    for scope, definition in SCOPES.items():  # included scopes come first
        mask = 1 << scope
        for narrower in definition.includes:
            mask |= covered[narrower]
        covered[scope] = mask
    return covered


COVERED: Mapping[Scope, int] = _down_sets()
"""Scope -> the bitmask of every scope it includes, itself too."""

BIT: Mapping[str | Scope, int] = {
    **{name: 1 << scope for name, scope in SCOPE_BY_NAME.items()},
    **{scope: 1 << scope for scope in SCOPES},
}
"""A scope, by name or member, -> its bit: ``covered & BIT[s]`` asks "may act at s"."""


def includes(scope: Scope, other: Scope) -> bool:
    """Whether ``scope`` is ``other`` or includes it."""
    return bool(COVERED[scope] & BIT[other])


def wider(candidate: Scope, current: Scope) -> bool:
    """Whether ``candidate`` strictly includes ``current``: widest-wins replaces it.

    Effective grants ask this per inherited permission, inlined: ``BELOW[a] >> b & 1``.
    """
    return BELOW[candidate] >> current & 1 == 1


@functools.cache
def maximal(mask: int) -> tuple[Scope, ...]:
    """The widest scopes of a down-set: those no other member of it includes."""
    members = [scope for scope in SCOPES if mask & BIT[scope]]
    return tuple(s for s in members if not any(wider(o, s) for o in members))


def widest(mask: int) -> Scope:
    """The widest scope of a down-set; of several incomparable ones, the last declared."""
    return maximal(mask)[-1]


def reaching(org: OrgGraph, person: str, record: Record) -> int:
    """The bitmask of the scopes whose grants, held by ``person``, reach ``record``.

    It is closed upwards; a subject may act on the record when its down-set meets it. A
    scope reached through a narrower one is not asked again (a record the person owns
    asks one question).
    """
    mask = 0
    for scope, reaches, above in _REACHES:
        if not mask & BIT[scope] and reaches(org, person, record):
            mask |= above
    return mask


@functools.cache
def least(mask: int) -> tuple[Scope, ...]:
    """The narrowest scopes of an upward-closed set: those including no other member."""
    return tuple(s for s in SCOPES if mask & BIT[s] and not mask & BELOW[s])


@functools.cache
def narrowest(mask: int) -> Scope:
    """One narrowest scope of an upward-closed set (see :func:`reaching`).

    Of several incomparable ones (a report's record in the same team reaches at both
    ``subordinates`` and ``team``), the last declared: format 1.0's answer where it has one.
    """
    return least(mask)[-1]


BELOW: tuple[int, ...] = tuple(COVERED[scope] & ~BIT[scope] for scope in sorted(SCOPES))
"""By scope value: the bitmask of the scopes strictly below it."""


def _up_sets() -> dict[Scope, int]:
    return {s: sum(BIT[o] for o in SCOPES if includes(o, s)) for s in SCOPES}


UP: Mapping[Scope, int] = _up_sets()
"""Scope -> the bitmask of every scope that includes it, itself too."""
_REACHES = tuple((s, d.reaches, UP[s]) for s, d in SCOPES.items() if d.reaches is not _never)


@functools.cache
def _checks(covered: int) -> tuple[Reach, ...]:
    """The reach of each scope in ``covered`` (a down-set), the widest first."""
    return tuple(reaches for scope, reaches, _ in reversed(_REACHES) if covered & BIT[scope])


def reaches_within(covered: int, org: OrgGraph, person: str, record: Record) -> bool:
    """Whether a subject whose scopes are the down-set ``covered`` reaches ``record``:
    ``covered & reaching(...) != 0``, asking only the scopes it holds, widest first."""
    for reaches in _checks(covered):  # noqa: SIM110 (no generator on the hot path)
        if reaches(org, person, record):
            return True
    return False
