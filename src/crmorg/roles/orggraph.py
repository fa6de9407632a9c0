"""The organisation as one set of derived facts: inheritance, holders, departments, teams.

Rules, exporters, the handbook, charts and decisions ask the same questions of a model:
which roles a role inherits, who holds a role, what lies below a department, which
teams and departments a person is in, whom a person has reporting to them, and where
the cycles are. :class:`OrgGraph` answers each from one linear pass over the model,
made the first time the question is asked, so a model of 10,000 roles and 100,000
people pays only for the facets it uses, and nothing walks people x people.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from operator import attrgetter
from typing import Any

from crmorg.roles import graphs
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.roles.raci import duties_of

_Facts = tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, frozenset[str]]]
"""(person -> teams, person -> departments, team -> members)."""


class OrgGraph:
    """Derived organisational facts of one model; every facet is computed once.

    It keeps the sections it was built from (``roles``, ``people``, ...) for those
    building on it, such as :class:`~crmorg.permissions.access.AccessModel`.
    """

    def __init__(
        self,
        roles: Mapping[str, Role],
        people: Mapping[str, Person],
        departments: Mapping[str, Department],
        teams: Mapping[str, Team],
        responsibilities: Mapping[str, Responsibility],
    ) -> None:
        self.roles = roles
        self.people = people
        self.departments = departments
        self.teams = teams
        self.responsibilities = responsibilities
        self._reach: dict[str, frozenset[str]] = {}
        self._one_person: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    # Role inheritance ----------------------------------------------------------------
    @cached_property
    def lineage(self) -> Mapping[str, frozenset[str]]:
        """Role id -> the role itself and every role it inherits, transitively.

        One walk per role, so the cost is the size of the result (inheritance is
        shallow); a cycle, which inheritance-cycle reports, ends the walk.
        """
        return {role_id: frozenset(self._inherited(role_id)) for role_id in self.roles}

    @cached_property
    def heirs(self) -> Mapping[str, frozenset[str]]:
        """Role id -> the role itself and every role that inherits it, transitively."""
        found: dict[str, set[str]] = {role_id: set() for role_id in self.roles}
        for role_id, ancestors in self.lineage.items():
            for ancestor in ancestors:
                found[ancestor].add(role_id)
        return {role_id: frozenset(roles) for role_id, roles in found.items()}

    def ancestors(self, role_id: str) -> list[str]:
        """Every role ``role_id`` inherits from, nearest first, each once.

        Unknown inherited ids are listed too (an ``unknown-reference`` finding), as
        the handbook shows what the role says it inherits.
        """
        roles = self.roles
        found: list[str] = []
        seen = {role_id}
        queue = list(roles[role_id].inherits) if role_id in roles else []
        for current in queue:  # the queue grows while it is read: breadth first
            if current in seen:
                continue
            seen.add(current)
            found.append(current)
            role = roles.get(current)
            if role is not None:
                queue.extend(role.inherits)
        return found

    @cached_property
    def parents_first(self) -> tuple[str, ...] | None:
        """Roles ordered so every inherited role comes before its heirs; None on a cycle."""
        order, remaining = graphs.parents_first(self.roles)
        return None if remaining else tuple(order)

    def _inherited(self, role_id: str) -> set[str]:
        roles = self.roles
        reach = {role_id}
        pending = [role_id]
        while pending:
            for parent in roles[pending.pop()].inherits:
                if parent in roles and parent not in reach:
                    reach.add(parent)
                    pending.append(parent)
        return reach

    # Holders -----------------------------------------------------------------------------
    @cached_property
    def direct_holders(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the people given it, in model order."""
        held: dict[str, list[str]] = {role_id: [] for role_id in self.roles}
        for person_id, person in self.people.items():
            given = person.roles
            if len(given) == 1:  # the common case, with nothing to deduplicate
                holders = held.get(given[0])
                if holders is not None:
                    holders.append(person_id)
                continue
            for role_id in dict.fromkeys(given):
                if role_id in held:
                    held[role_id].append(person_id)
        return {role_id: tuple(people) for role_id, people in held.items()}

    @cached_property
    def effective_holders(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the people who hold it, given it or a role inheriting it; model order."""
        found: dict[str, list[str]] = {role_id: [] for role_id in self.roles}
        lineage = self.lineage
        for person_id, person in self.people.items():
            roles: set[str] = set()
            for given in person.roles:
                roles |= lineage.get(given, frozenset())
            for role_id in roles:
                found[role_id].append(person_id)
        return {role_id: tuple(people) for role_id, people in found.items()}

    @cached_property
    def held_roles(self) -> frozenset[str]:
        """Roles someone holds, directly or through a held role that inherits them."""
        roles = self.roles
        # Roles given to someone: the holders' index, which other checks build anyway.
        stack = [role_id for role_id, people in self.direct_holders.items() if people]
        held: set[str] = set()
        while stack:
            role_id = stack.pop()
            if role_id not in held:
                held.add(role_id)
                stack.extend(p for p in roles[role_id].inherits if p in roles)
        return frozenset(held)

    def roles_of(self, person: str) -> dict[str, str]:
        """Role id -> the role the person was given that brings it (itself, or an heir).

        A person holds a role when they are given it or a role that inherits it: a
        sales manager who inherits ``sales_rep`` is a sales rep too.
        """
        given_roles = [r for r in self.people[person].roles if r in self.roles]
        held = {given: given for given in given_roles}
        lineage = self.lineage
        for given in given_roles:
            for role_id in sorted(lineage[given]):
                held.setdefault(role_id, given)
        return held

    # RACI --------------------------------------------------------------------------------
    @cached_property
    def duties(self) -> Mapping[str, tuple[str, ...]]:
        """Role id -> the responsibilities it *has*: it is their Accountable or Responsible."""
        return duties_of(self.roles, self.responsibilities)

    # Departments ---------------------------------------------------------------------------
    @cached_property
    def department_children(self) -> Mapping[str | None, tuple[str, ...]]:
        """Department id -> its children in model order; ``None`` -> the top departments.

        A department whose parent is unknown is a top one (``unknown-reference`` says so).
        """
        departments = self.departments
        children: dict[str | None, list[str]] = {}
        for dept_id, dept in departments.items():
            parent = dept.parent if dept.parent in departments else None
            children.setdefault(parent, []).append(dept_id)
        return {parent: tuple(ids) for parent, ids in children.items()}

    @cached_property
    def department_order(self) -> tuple[tuple[str, int], ...]:
        """Departments in tree order (parents before children), with their depth."""
        children = self.department_children
        order: list[tuple[str, int]] = []
        seen: set[str] = set()
        stack = [(dept_id, 0) for dept_id in reversed(children.get(None, ()))]
        while stack:
            dept_id, depth = stack.pop()
            if dept_id in seen:
                continue
            seen.add(dept_id)
            order.append((dept_id, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(dept_id, ())))
        # Departments caught in a cycle (a department-cycle finding) still get listed.
        order.extend((dept_id, 0) for dept_id in self.departments if dept_id not in seen)
        return tuple(order)

    @cached_property
    def department_below(self) -> Mapping[str, frozenset[str]]:
        """Each department with every department below it (and on a cycle, what a
        search below it reaches)."""
        return graphs.departments_below(self.departments)

    @cached_property
    def department_roles(self) -> Mapping[str, tuple[str, ...]]:
        """Department id -> the roles that name it, in model order."""
        found: dict[str, list[str]] = {dept_id: [] for dept_id in self.departments}
        for role_id, role in self.roles.items():
            if role.department in found:
                found[role.department].append(role_id)
        return {dept_id: tuple(roles) for dept_id, roles in found.items()}

    @cached_property
    def department_people(self) -> Mapping[str, tuple[str, ...]]:
        """Department id -> the people in it (see :attr:`person_departments`), model order."""
        found: dict[str, list[str]] = {dept_id: [] for dept_id in self.departments}
        for person_id, departments in self.person_departments.items():
            for dept_id in departments:
                found[dept_id].append(person_id)
        return {dept_id: tuple(people) for dept_id, people in found.items()}

    # People: teams, departments, reach, reports ----------------------------------------------
    @cached_property
    def person_teams(self) -> Mapping[str, frozenset[str]]:
        """Person id -> the teams they list, and the teams they lead."""
        return self._people_facts[0]

    @cached_property
    def person_departments(self) -> Mapping[str, frozenset[str]]:
        """Person id -> the departments of their teams and of their roles."""
        return self._people_facts[1]

    @cached_property
    def team_members(self) -> Mapping[str, frozenset[str]]:
        """Team id -> the people who list it, plus its lead."""
        return self._people_facts[2]

    def reach(self, person: str) -> frozenset[str]:
        """The person's departments and every department below them (kept once made)."""
        found = self._reach.get(person)
        if found is None:
            below = self.department_below
            reach: set[str] = set()
            for dept in self.departments_of(person):
                reach |= below.get(dept, frozenset({dept}))
            found = self._reach[person] = frozenset(reach)
        return found

    @cached_property
    def direct_reports(self) -> Mapping[str, tuple[str, ...]]:
        """Person id -> the people whose ``reports_to`` names them, in model order."""
        found: dict[str, list[str]] = {person_id: [] for person_id in self.people}
        for person_id, person in self.people.items():
            manager = person.reports_to
            if manager is not None and manager in found and manager != person_id:
                found[manager].append(person_id)
        return {person_id: tuple(people) for person_id, people in found.items()}

    def reports(self, person: str) -> frozenset[str]:
        """The people whose ``reports_to`` chain reaches ``person``, directly or not.

        A search down the direct reports: its cost is the size of the answer. On a
        reporting cycle the person is among their own reports.
        """
        direct = self.direct_reports
        found: set[str] = set()
        pending = list(direct.get(person, ()))
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(direct[current])
        return frozenset(found)

    def manages(self, person: str, other: str) -> bool:
        """Whether ``other``'s ``reports_to`` chain reaches ``person`` (format v1.1, §9).

        Constant time at any depth: a person's reports are the interval of a depth-first
        numbering of the reporting forest inside their own. People on or below a
        reporting cycle (an error the rules report) are answered by a walk up the chain.
        """
        entry, leave = self._report_intervals
        start, inside = entry.get(person), entry.get(other)
        if start is not None and inside is not None:
            return start < inside < leave[person]
        return (person != other and person in self.chain(other)) or self._on_cycle(person, other)

    def report_interval(self, person: str) -> tuple[int, int] | None:
        """The person's (entry, leave) numbers in the reporting forest, as :meth:`manages`
        reads them: ``other`` reports to ``person`` when ``other``'s entry lies strictly
        between the two. ``None`` for people on or below a reporting cycle."""
        entry, leave = self._report_intervals
        start = entry.get(person)
        return None if start is None else (start, leave[person])

    def chain(self, person: str) -> tuple[str, ...]:
        """The people above ``person``: their manager, the manager's manager, and so on.

        It stops at the top, at an unknown id, or where it would repeat someone.
        """
        people = self.people
        seen = {person}
        above: list[str] = []
        manager = people[person].reports_to if person in people else None
        while manager is not None and manager in people and manager not in seen:
            above.append(manager)
            seen.add(manager)
            manager = people[manager].reports_to
        return tuple(above)

    def _on_cycle(self, person: str, other: str) -> bool:
        """On a reporting cycle everyone on it reports to everyone on it, themselves too."""
        if person != other:
            return False
        manager = self.people[person].reports_to if person in self.people else None
        return manager is not None and person in (manager, *self.chain(manager))

    @cached_property
    def _report_intervals(self) -> tuple[dict[str, int], dict[str, int]]:
        """(person -> entry number, person -> leave number) over the reporting forest.

        The roots are people who report to nobody known; people on a cycle, and those
        below one, are not reached from a root and have no interval.
        """
        direct = self.direct_reports
        people = self.people
        entry: dict[str, int] = {}
        leave: dict[str, int] = {}
        clock = 0
        for root, person in people.items():
            if person.reports_to is not None and person.reports_to in people:
                continue
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                current, done = stack.pop()
                if done:
                    leave[current] = clock
                    clock += 1
                    continue
                if current in entry:
                    continue
                entry[current] = clock
                clock += 1
                stack.append((current, True))
                stack.extend((report, False) for report in reversed(direct[current]))
        return entry, leave

    def teams_of(self, person: str) -> frozenset[str]:
        """``person_teams[person]``, for one person alone until everyone's are made.

        A decision asks about two people; it should not wait for every person's facts.
        """
        return self._facts_of(person)[0]

    def departments_of(self, person: str) -> frozenset[str]:
        """``person_departments[person]``, for one person alone (see :meth:`teams_of`)."""
        return self._facts_of(person)[1]

    def _facts_of(self, person: str) -> tuple[frozenset[str], frozenset[str]]:
        facts: _Facts | None = self.__dict__.get("_people_facts")
        if facts is not None:
            return facts[0].get(person, frozenset()), facts[1].get(person, frozenset())
        found = self._one_person.get(person)
        if found is None:
            found = self._one_person[person] = self._person_facts(person)
        return found

    def _person_facts(self, person_id: str) -> tuple[frozenset[str], frozenset[str]]:
        person = self.people.get(person_id)
        if person is None:
            return frozenset(), frozenset()
        teams = self.teams
        member_of = frozenset(t for t in person.teams if t in teams)
        member_of = member_of.union(self._led.get(person_id, ()))
        depts = {teams[t].department for t in member_of}
        roles = self.roles
        depts.update(roles[r].department for r in person.roles if r in roles)
        return member_of, frozenset(d for d in depts if d is not None and d in self.departments)

    @cached_property
    def _led(self) -> dict[str, list[str]]:
        """Person id -> the teams they lead."""
        led: dict[str, list[str]] = {}
        for team_id, team in self.teams.items():
            if team.lead is not None and team.lead in self.people:
                led.setdefault(team.lead, []).append(team_id)
        return led

    @cached_property
    def _people_facts(self) -> _Facts:
        """(person -> teams, person -> departments, team -> members) in one pass."""
        people, teams, departments = self.people, self.teams, self.departments
        led = self._led
        team_department = {t: team.department for t, team in teams.items()}
        role_department = {r: role.department for r, role in self.roles.items()}
        person_teams: dict[str, frozenset[str]] = {}
        person_departments: dict[str, frozenset[str]] = {}
        members: dict[str, list[str]] = {team_id: [] for team_id in teams}
        known_teams, known_departments = frozenset(teams), frozenset(departments)
        for person_id, person in people.items():
            member_of = frozenset(person.teams)
            if not member_of <= known_teams:
                member_of &= known_teams
            if person_id in led:
                member_of = member_of.union(led[person_id])
            person_teams[person_id] = member_of
            depts = {team_department[team_id] for team_id in member_of}
            depts.update(map(role_department.get, person.roles))
            for team_id in member_of:
                members[team_id].append(person_id)
            depts.discard(None)
            found: frozenset[str] = frozenset(depts)  # type: ignore[arg-type]
            person_departments[person_id] = (
                found if found <= known_departments else found & known_departments
            )
        team_members = {t: frozenset(m) for t, m in members.items()}
        return person_teams, person_departments, team_members

    # Cycles, as data -------------------------------------------------------------------------
    @cached_property
    def inheritance_cycles(self) -> list[list[str]]:
        """Each cycle of role inheritance, from its smallest id (see :func:`graphs.cycles`)."""
        return graphs.inheritance_cycles(self.roles)

    @cached_property
    def department_cycles(self) -> list[list[str]]:
        return graphs.parent_cycles(_column(self.departments, "parent"))

    @cached_property
    def reporting_cycles(self) -> list[list[str]]:
        """Cycles of people's ``reports_to``."""
        return graphs.parent_cycles(_column(self.people, "reports_to"))

    @cached_property
    def role_reporting_cycles(self) -> list[list[str]]:
        """Cycles of roles' ``reports_to``."""
        return graphs.parent_cycles(_column(self.roles, "reports_to"))


def _column(entries: Mapping[str, Any], field: str) -> dict[str, Any]:
    """Entry id -> one field of each entry, read in one C-level pass."""
    return dict(zip(entries, map(attrgetter(field), entries.values()), strict=True))
