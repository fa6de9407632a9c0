"""Who belongs where: team members, a person's departments and their reach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from crmorg.roles.models import Department, Person, Role, Team


@dataclass(frozen=True)
class Membership:
    """Precomputed membership facts used by decisions and exports.

    A team's members are the people who list it, plus its lead. A person's
    departments are those of their teams and of their roles; their *reach* adds every
    department below those.
    """

    team_members: Mapping[str, frozenset[str]]
    person_teams: Mapping[str, frozenset[str]]
    person_departments: Mapping[str, frozenset[str]]
    department_below: Mapping[str, frozenset[str]]

    def reach(self, person: str) -> frozenset[str]:
        """The person's departments and every department below them."""
        reach: set[str] = set()
        for dept in self.person_departments.get(person, ()):
            reach |= self.department_below.get(dept, frozenset({dept}))
        return frozenset(reach)


def build_membership(
    people: Mapping[str, Person],
    teams: Mapping[str, Team],
    roles: Mapping[str, Role],
    departments: Mapping[str, Department],
    tree: nx.DiGraph[str],
) -> Membership:
    person_teams: dict[str, set[str]] = {person_id: set() for person_id in people}
    for person_id, person in people.items():
        person_teams[person_id].update(team for team in person.teams if team in teams)
    for team_id, team in teams.items():
        if team.lead is not None and team.lead in person_teams:
            person_teams[team.lead].add(team_id)
    team_members: dict[str, set[str]] = {team_id: set() for team_id in teams}
    for person_id, member_of in person_teams.items():
        for team_id in member_of:
            team_members[team_id].add(person_id)
    person_departments: dict[str, frozenset[str]] = {}
    for person_id, person in people.items():
        depts = {teams[t].department for t in person_teams[person_id]}
        depts |= {roles[r].department for r in person.roles if r in roles}
        person_departments[person_id] = frozenset(
            d for d in depts if d is not None and d in departments
        )
    below = {dept: frozenset({dept, *nx.descendants(tree, dept)}) for dept in departments}
    return Membership(
        team_members={t: frozenset(m) for t, m in team_members.items()},
        person_teams={p: frozenset(t) for p, t in person_teams.items()},
        person_departments=person_departments,
        department_below=below,
    )
