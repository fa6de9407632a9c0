"""RACI parts: which roles are Responsible, Accountable, Consulted or Informed.

Written against :class:`RaciAssignment`, the four fields a responsibility has, so that
anything else carrying them (a process step) reads its parts the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

RACI_LETTERS: tuple[str, ...] = ("R", "A", "C", "I")
"""The parts in the order RACI names them."""


class RaciAssignment(Protocol):
    @property
    def accountable(self) -> str | None: ...
    @property
    def responsible(self) -> Sequence[str]: ...
    @property
    def consulted(self) -> Sequence[str]: ...
    @property
    def informed(self) -> Sequence[str]: ...


def parts(assignment: RaciAssignment) -> dict[str, Sequence[str]]:
    """Letter -> the roles named in that part, as written."""
    accountable = assignment.accountable
    return {
        "R": assignment.responsible,
        "A": [accountable] if accountable else [],
        "C": assignment.consulted,
        "I": assignment.informed,
    }


def letters(assignment: RaciAssignment) -> dict[str, str]:
    """Role id -> its letters in R A C I order (``"RA"``), for each role taking part."""
    found: dict[str, str] = {}
    for letter, roles in parts(assignment).items():
        for role_id in roles:
            held = found.get(role_id, "")
            if letter not in held:
                found[role_id] = held + letter
    return found


def owners(assignment: RaciAssignment) -> tuple[str, ...]:
    """The roles that *have* the work: its Accountable, then its Responsible, each once."""
    return tuple(r for r in dict.fromkeys((assignment.accountable, *assignment.responsible)) if r)


def duties_of(
    roles: Mapping[str, object], assignments: Mapping[str, RaciAssignment]
) -> dict[str, tuple[str, ...]]:
    """Role id -> the assignments it owns (Accountable or Responsible), in their order."""
    owned: dict[str, list[str]] = {}
    for assignment_id, assignment in assignments.items():
        for role_id in owners(assignment):
            if role_id in roles:
                owned.setdefault(role_id, []).append(assignment_id)
    found: dict[str, tuple[str, ...]] = dict.fromkeys(roles, ())  # most roles own nothing
    found.update((role_id, tuple(ids)) for role_id, ids in owned.items())
    return found
