"""Reporting lines that change what a ``subordinates`` grant reaches (format v1.1, §9).

A person's scopes depend only on their roles, but a grant at ``subordinates`` reaches the
records of the people who report to them, directly or not. When ``reports_to`` lines
move, each person above a moved person (on either side) may gain or lose reports; for
every permission the person holds at ``subordinates`` (and not at ``organization``,
which reaches everything anyway) that is a change of aspect ``reach``, its values the
number of reports before and after, caused by the moved lines.
"""

from __future__ import annotations

from crmorg.diff.access import SideAccess
from crmorg.diff.results import AccessChange, Cause, ChangeKind
from crmorg.roles.scopes import BIT, Scope

_SUBORDINATES = BIT[Scope.SUBORDINATES]
_ORGANIZATION = BIT[Scope.ORGANIZATION]


def reach_changes(old: SideAccess, new: SideAccess) -> dict[str, list[AccessChange]]:
    """Person (on both sides) -> their reach changes, permission by permission."""
    before_people, after_people = old.people, new.people
    moved = [
        person
        for person in (*before_people, *(p for p in after_people if p not in before_people))
        if _manager(old, person) != _manager(new, person)
    ]
    above: dict[str, None] = {}
    for person in moved:
        above[person] = None  # on a reporting cycle a person is among their own reports
        for side in (old, new):
            if person in side.people:
                above.update(dict.fromkeys(side.version.model.org.chain(person)))
    found: dict[str, list[AccessChange]] = {}
    for person in above:
        if person not in before_people or person not in after_people:
            continue  # added or removed: all their access is gained or lost already
        then = old.version.model.org.reports(person)
        now = new.version.model.org.reports(person)
        if then == now:
            continue
        changes = _changes(old, new, person, then, now, moved)
        if changes:
            found[person] = changes
    return found


def _manager(side: SideAccess, person: str) -> str | None:
    found = side.people.get(person)
    return found.reports_to if found is not None else None


def _subordinate_permissions(side: SideAccess, person: str) -> set[tuple[str, str]]:
    row = side.index.person_row(person)
    return {
        permission
        for permission, covered in side.held(row).items()
        if covered & _SUBORDINATES and not covered & _ORGANIZATION
    }


def _changes(
    old: SideAccess,
    new: SideAccess,
    person: str,
    then: frozenset[str],
    now: frozenset[str],
    moved: list[str],
) -> list[AccessChange]:
    gained, lost = now - then, then - now
    before = _subordinate_permissions(old, person) if lost else set()
    after = _subordinate_permissions(new, person) if gained else set()
    causes = {
        "new": tuple(_cause(new, p) for p in moved if p in gained),
        "old": tuple(_cause(old, p) for p in moved if p in lost),
    }
    changes = []
    for permission in sorted(before | after):
        kind: ChangeKind = (
            "changed" if permission in before and permission in after
            else "narrowed" if permission in before else "widened"
        )  # fmt: skip
        chosen = (causes["new"] if permission in after else ()) + (
            causes["old"] if permission in before else ()
        )
        if not chosen:  # moved further down: the first moved person names the line
            chosen = _indirect(old, new, person, moved, permission in after)
        changes.append(
            AccessChange(
                "reach",
                permission[0],
                permission[1],
                kind,
                (f"{len(then)} reports",),
                (f"{len(now)} reports",),
                chosen,
            )
        )
    return changes


def _cause(side: SideAccess, moved: str) -> Cause:
    """``moved``'s reporting line on ``side``: where it starts (NEW) or ends (OLD) the reach."""
    manager = _manager(side, moved) or "nobody"
    verb = "now reports to" if side.side == "new" else "reported to"
    where = side.version.where(("people", moved, "reports_to"))
    return Cause("membership", side.side, f"{moved} {verb} {manager}", where, None)


def _indirect(
    old: SideAccess, new: SideAccess, person: str, moved: list[str], gained: bool
) -> tuple[Cause, ...]:
    side = new if gained else old
    under = [p for p in moved if p in side.people and person in side.version.model.org.chain(p)]
    return tuple(_cause(side, p) for p in under[:3])
