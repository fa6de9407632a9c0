"""Who belongs where: team members, a person's departments and their reach."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from crmorg.roles.models import Department, Person, Role, Team


class Membership:
    """Membership facts used by decisions and exports, computed on first use.

    A team's members are the people who list it, plus its lead. A person's
    departments are those of their teams and of their roles; their *reach* adds every
    department below those. ``department_below`` is cheap and built at once; the
    per-person facts take one pass over the people when first asked for.
    """

    def __init__(
        self,
        people: Mapping[str, Person],
        teams: Mapping[str, Team],
        roles: Mapping[str, Role],
        departments: Mapping[str, Department],
        department_below: Mapping[str, frozenset[str]],
    ) -> None:
        self._people = people
        self._teams = teams
        self._roles = roles
        self._departments = departments
        self.department_below = department_below

    @cached_property
    def person_teams(self) -> Mapping[str, frozenset[str]]:
        return self._people_facts[0]

    @cached_property
    def person_departments(self) -> Mapping[str, frozenset[str]]:
        return self._people_facts[1]

    @cached_property
    def team_members(self) -> Mapping[str, frozenset[str]]:
        return self._people_facts[2]

    def reach(self, person: str) -> frozenset[str]:
        """The person's departments and every department below them."""
        reach: set[str] = set()
        for dept in self.person_departments.get(person, ()):
            reach |= self.department_below.get(dept, frozenset({dept}))
        return frozenset(reach)

    @cached_property
    def _people_facts(
        self,
    ) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """(person -> teams, person -> departments, team -> members) in one pass."""
        people, teams, departments = self._people, self._teams, self._departments
        led: dict[str, list[str]] = {}
        for team_id, team in teams.items():
            if team.lead is not None and team.lead in people:
                led.setdefault(team.lead, []).append(team_id)
        team_department = {t: team.department for t, team in teams.items()}
        role_department = {r: role.department for r, role in self._roles.items()}
        person_teams: dict[str, frozenset[str]] = {}
        person_departments: dict[str, frozenset[str]] = {}
        members: dict[str, list[str]] = {team_id: [] for team_id in teams}
        for person_id, person in people.items():
            member_of = frozenset(t for t in person.teams if t in team_department)
            if person_id in led:
                member_of = member_of.union(led[person_id])
            person_teams[person_id] = member_of
            depts: set[str | None] = set()
            for team_id in member_of:
                members[team_id].append(person_id)
                depts.add(team_department[team_id])
            for role_id in person.roles:
                depts.add(role_department.get(role_id))
            person_departments[person_id] = frozenset(
                d for d in depts if d is not None and d in departments
            )
        team_members = {t: frozenset(m) for t, m in members.items()}
        return person_teams, person_departments, team_members


def build_membership(
    people: Mapping[str, Person],
    teams: Mapping[str, Team],
    roles: Mapping[str, Role],
    departments: Mapping[str, Department],
) -> Membership:
    """Memberships of a model; the per-person part is computed when first used."""
    return Membership(people, teams, roles, departments, _departments_below(departments))


def _departments_below(departments: Mapping[str, Department]) -> dict[str, frozenset[str]]:
    """Each department with every department below it, children before parents.

    Works from the ``parent`` links directly (no graph library); departments on a cycle
    (reported by ``department-cycle``) get what a plain search below them reaches.
    """
    children: dict[str, list[str]] = {dept: [] for dept in departments}
    roots: list[str] = []
    for dept_id, department in departments.items():
        parent = department.parent
        if parent is not None and parent in departments and parent != dept_id:
            children[parent].append(dept_id)
        else:
            roots.append(dept_id)
    below: dict[str, frozenset[str]] = {}
    for root in roots:  # iterative post-order: children are done before their parent
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            dept, expanded = stack.pop()
            if expanded:
                gathered = {dept}
                for child in children[dept]:
                    gathered |= below[child]
                below[dept] = frozenset(gathered)
            elif dept not in below:
                stack.append((dept, True))
                stack.extend((child, False) for child in children[dept] if child not in below)
    for dept in departments:
        if dept not in below:  # on or under a cycle
            seen = {dept}
            frontier = [dept]
            while frontier:
                current = frontier.pop()
                for child in children[current]:
                    if child not in seen:
                        seen.add(child)
                        frontier.append(child)
            below[dept] = frozenset(seen)
    return below
