"""What the Dataverse solution cannot carry, found by comparing it with the model.

Dataverse decides a record from the deepest privilege a user holds and where the
record's owner sits: Basic reaches the user's own records, Deep those owned in the
user's business unit and below, Global every record. crmorg's scopes map onto them
(:data:`~.mapping.DEPTH_OF_SCOPE`); where they differ, records one of the two reaches
and the other does not are a loss:

- ``team`` and ``subordinates`` become Basic: records a teammate or a report owns (or a
  team owns) are out of reach unless a Deep or Global privilege reaches them (under);
- a person in several departments that do not nest is one user in one business unit,
  so department-wide grants reach less, for them and for those who reach their records
  (under); a person in no department sits in the root unit, where Deep reaches all
  (over);
- actions without a per-table privilege (export, import, approve, a model's own) are
  not given (under); sharing rules have no equivalent (under).

The search is linear in practice: owners are grouped by (business unit, departments,
teams), and a person is compared with the groups their teams, departments and unit can
reach, once per distinct set of scopes they hold; only reports are visited one by one.
Every loss names exactly the people for whom a record shows the difference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from crmorg.export.dynamics.mapping import ORGANIZATION_OWNED, VERBS, Depth, depth_of
from crmorg.export.dynamics.plan import Plan
from crmorg.export.fidelity import Direction, Fidelity, Loss
from crmorg.roles.scopes import BIT, COVERED, Scope

TEAM = "team"
TEAM_OWNED = "team-owned"
ORGANIZATION_TABLE = "organization-owned"
SUBORDINATES = "subordinates"
UNIT_UNDER = "unit-under"
UNIT_OVER = "unit-over"

_NONE = COVERED[Scope.NONE]

OwnerClass = tuple[str, frozenset[str], frozenset[str]]
"""(business unit, departments, teams) of a record's owner: all that decides whether a
person other than the owner and the owner's managers reaches the record."""


@dataclass
class _Found:
    """People per kind of difference, per (resource, action); and per person the kinds of
    business-unit difference."""

    scoped: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    units: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(person, kind) -> the permissions ``resource.action`` where it shows."""
    unit_scopes: dict[tuple[str, str], int] = field(default_factory=dict)
    """(person, kind) -> the scopes held on the first of those permissions."""


class Comparison:
    """The model's decisions against the solution's, for every person and permission."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.model = plan.model
        org = self.model.org
        self.org = org
        unit = plan.unit_of_person
        self.classes: dict[OwnerClass, list[str]] = {}
        for person in sorted(self.model.people):
            key = (unit[person], org.departments_of(person), org.teams_of(person))
            self.classes.setdefault(key, []).append(person)
        self.by_team: dict[str, set[OwnerClass]] = {}
        self.by_department: dict[str, set[OwnerClass]] = {}
        self.by_unit: dict[str, set[OwnerClass]] = {}
        for key in self.classes:
            self.by_unit.setdefault(key[0], set()).add(key)
            for dept in key[1]:
                self.by_department.setdefault(dept, set()).add(key)
            for team in key[2]:
                self.by_team.setdefault(team, set()).add(key)
        self.team_records: dict[str, tuple[str, str | None]] = {
            team_id: (plan.unit_of_team(team_id), team.department)
            for team_id, team in self.model.teams.items()
        }
        """Team -> (business unit, department) of the records it owns."""
        self.teams_by_department: dict[str, set[str]] = {}
        self.teams_by_unit: dict[str, set[str]] = {}
        for team_id, (team_unit, team_dept) in self.team_records.items():
            self.teams_by_unit.setdefault(team_unit, set()).add(team_id)
            if team_dept is not None:
                self.teams_by_department.setdefault(team_dept, set()).add(team_id)
        self._memo: dict[tuple[object, ...], dict[str, list[OwnerClass | str]]] = {}

    # One person ------------------------------------------------------------------------------
    def kinds(self, person: str, covered: int) -> set[str]:
        """The kinds of difference a person holding ``covered`` (of an action with a
        privilege) meets on some record."""
        if covered == _NONE or covered & BIT[Scope.ORGANIZATION]:
            return set()  # nothing on either side; or every record on both
        depth = depth_of(covered)
        org, plan = self.org, self.plan
        teams, reach = org.teams_of(person), org.reach(person)
        unit = plan.unit_of_person[person]
        subordinates = bool(covered & BIT[Scope.SUBORDINATES])
        reports = org.reports(person) if subordinates else frozenset()
        found: set[str] = set()
        for kind, classes in self._general(teams, reach, unit, covered, depth).items():
            for owners in classes:
                if isinstance(owners, str) or any(
                    o != person and o not in reports for o in self.classes[owners]
                ):
                    found.add(kind)
                    break
        below = plan.below[unit]
        for report in reports:  # the kinds found do not depend on the order
            if report == person:
                continue
            owner_unit = plan.unit_of_person[report]
            if depth is Depth.DEEP and owner_unit in below:
                continue
            if covered & BIT[Scope.DEPARTMENT] and org.departments_of(report) & reach:
                found.add(UNIT_UNDER)
            elif covered & BIT[Scope.TEAM] and org.teams_of(report) & teams:
                found.add(TEAM)
            else:
                found.add(SUBORDINATES)
        return found

    def _general(
        self,
        teams: frozenset[str],
        reach: frozenset[str],
        unit: str,
        covered: int,
        depth: Depth,
    ) -> dict[str, list[OwnerClass | str]]:
        """Kind of difference -> the owner classes (or the team, for a team's record) that a
        person with these facts and scopes reaches on one side only; owners who are the
        person or their reports are left to :meth:`kinds`."""
        key = (teams, reach, unit, covered)
        known = self._memo.get(key)
        if known is not None:
            return known
        found: dict[str, list[OwnerClass | str]] = {}
        team_scope = bool(covered & BIT[Scope.TEAM])
        department_scope = bool(covered & BIT[Scope.DEPARTMENT])
        if team_scope or department_scope:
            below = self.plan.below[unit]
            candidates: set[OwnerClass] = set()
            if team_scope:
                for team in teams:
                    candidates |= self.by_team.get(team, set())
            if department_scope:
                for dept in reach:
                    candidates |= self.by_department.get(dept, set())
                for other in below:
                    candidates |= self.by_unit.get(other, set())
            for owners in candidates:  # the kinds found do not depend on the order
                kind = _difference(
                    team_scope and not owners[2].isdisjoint(teams),
                    department_scope and not owners[1].isdisjoint(reach),
                    depth is Depth.DEEP and owners[0] in below,
                )
                if kind is not None:
                    found.setdefault(kind, []).append(owners)
        below = self.plan.below[unit]
        # The teams whose records either side may reach: one's own (Basic reaches the
        # records the user owns directly or through a team they belong to), those in
        # one's reach (department scope) and those in one's units (Deep).
        owning = set(teams)
        if department_scope:
            for dept in reach:
                owning |= self.teams_by_department.get(dept, set())
            for other in below:
                owning |= self.teams_by_unit.get(other, set())
        for team_id in owning:
            team_unit, team_dept = self.team_records[team_id]
            member = team_id in teams
            kind = _team_record_difference(
                team_scope and member,
                department_scope and team_dept is not None and team_dept in reach,
                member,
                depth is Depth.DEEP and team_unit in below,
            )
            if kind is not None:
                found.setdefault(kind, []).append(team_id)
        self._memo[key] = found
        return found

    def witnesses(self, person: str, covered: int, kind: str, limit: int = 3) -> list[str]:
        """A few records (their owners, sorted) on which a person holding ``covered``
        meets a business-unit difference of ``kind``: what a reader can check."""
        org, plan = self.org, self.plan
        teams, reach = org.teams_of(person), org.reach(person)
        unit = plan.unit_of_person[person]
        depth = depth_of(covered)
        subordinates = bool(covered & BIT[Scope.SUBORDINATES])
        reports = org.reports(person) if subordinates else frozenset()
        owners: set[str] = set()
        teams_found: set[str] = set()
        for entry in self._general(teams, reach, unit, covered, depth).get(kind, []):
            if isinstance(entry, str):
                teams_found.add(entry)
            else:
                owners |= {o for o in self.classes[entry] if o != person and o not in reports}
        if kind == UNIT_UNDER:
            below = plan.below[unit]
            for report in reports:
                if report == person or (
                    depth is Depth.DEEP and plan.unit_of_person[report] in below
                ):
                    continue
                if covered & BIT[Scope.DEPARTMENT] and org.departments_of(report) & reach:
                    owners.add(report)
        shown = [f"{o} (in {plan.unit_of_person[o] or 'the root'})" for o in sorted(owners)]
        shown += [f"team {t}" for t in sorted(teams_found)]
        return shown[:limit]

    # Everything -------------------------------------------------------------------------------
    def run(self) -> _Found:
        found = _Found()
        index = self.model.access.index
        permissions = self.model.access.catalog.permissions()
        for person in sorted(self.model.people):
            by_mask: dict[int, set[str]] = {}
            for resource, action in permissions:
                covered = index.person_covered(person, resource, action)
                if covered == _NONE:
                    continue
                if action not in VERBS:
                    found.scoped.setdefault(("grant", resource, action), set()).add(person)
                    continue
                if self.plan.tables[resource] in ORGANIZATION_OWNED:
                    if not covered & BIT[Scope.ORGANIZATION]:  # not given at all
                        key = (ORGANIZATION_TABLE, resource, action)
                        found.scoped.setdefault(key, set()).add(person)
                    continue
                kinds = by_mask.get(covered)
                if kinds is None:
                    kinds = by_mask[covered] = self.kinds(person, covered)
                if UNIT_OVER in kinds:
                    shared = self.shared_owners(person, resource, action)
                    if shared and not self.over_beyond(person, covered, shared):
                        kinds = kinds - {UNIT_OVER}  # the model opens those records too
                for kind in kinds:
                    if kind in (TEAM, SUBORDINATES, TEAM_OWNED):
                        found.scoped.setdefault((kind, resource, action), set()).add(person)
                    else:
                        found.units.setdefault((person, kind), set()).add(f"{resource}.{action}")
                        found.unit_scopes.setdefault((person, kind), covered)
        return found

    @cached_property
    def _rules_by_permission(self) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = {}
        for rule_id, rule in self.model.sharing.items():
            for action in rule.actions:
                found.setdefault((rule.resource, action), []).append(rule_id)
        return found

    def shared_owners(self, person: str, resource: str, action: str) -> frozenset[str]:
        """The owners whose records sharing rules open to ``person`` (the gate aside: the
        person holds the permission)."""
        members = self.model.access.sharing.members
        owners: set[str] = set()
        for rule_id in self._rules_by_permission.get((resource, action), ()):
            rule = self.model.sharing[rule_id]
            if person in members(rule.to):
                owners |= members(rule.from_)
        return frozenset(owners)

    def over_beyond(self, person: str, covered: int, shared: frozenset[str]) -> bool:
        """Whether a business-unit over-grant shows on a record whose owner no sharing
        rule opens to the person (``shared``)."""
        org = self.org
        teams, reach = org.teams_of(person), org.reach(person)
        unit = self.plan.unit_of_person[person]
        reports = org.reports(person) if covered & BIT[Scope.SUBORDINATES] else frozenset()
        general = self._general(teams, reach, unit, covered, depth_of(covered))
        return any(
            isinstance(owners, str)
            or any(
                o != person and o not in reports and o not in shared for o in self.classes[owners]
            )
            for owners in general.get(UNIT_OVER, [])
        )

    def sharing(self, rule_id: str) -> tuple[str, ...]:
        """The people a sharing rule opens a record to that the solution keeps closed."""
        model, plan = self.model, self.plan
        rule = model.sharing[rule_id]
        members = model.access.sharing.members
        sources, targets = members(rule.from_), members(rule.to)
        unit = plan.unit_of_person
        units: dict[str, int] = {}
        for owner in sources:
            units[unit[owner]] = units.get(unit[owner], 0) + 1
        catalog, index = model.access.catalog, model.access.index
        affected = []
        for person in sorted(targets):
            for action in rule.actions:
                if not catalog.applies(rule.resource, action):
                    continue
                covered = index.person_covered(person, rule.resource, action)
                if covered == _NONE:
                    continue  # the object permission gates the rule
                depth = depth_of(covered) if action in VERBS else Depth.NONE
                if plan.tables[rule.resource] in ORGANIZATION_OWNED and depth < Depth.GLOBAL:
                    depth = Depth.NONE
                if depth is Depth.GLOBAL:
                    continue
                reached = plan.below[unit[person]] if depth is Depth.DEEP else frozenset()
                closed = sum(n for u, n in units.items() if u not in reached)
                if person in sources and unit[person] not in reached:
                    closed -= 1
                if closed > 0:
                    affected.append(person)
                    break
        return tuple(affected)


def _team_record_difference(
    by_team: bool, by_department: bool, member: bool, by_unit: bool
) -> str | None:
    """The kind of difference on a record a team owns: the model reaches it by team or
    department scope; the solution by Basic for the team's members, or Deep."""
    model, solution = by_team or by_department, member or by_unit
    if model and not solution:
        return UNIT_UNDER if by_department else TEAM
    if solution and not model:
        return TEAM_OWNED if member else UNIT_OVER
    return None


def _difference(by_team: bool, by_department: bool, by_unit: bool) -> str | None:
    """The kind of difference on a record reached by the model's team or department
    scope, or by the solution's Deep privilege (Global and organisation aside)."""
    if by_department and not by_unit:
        return UNIT_UNDER
    if by_team and not by_unit and not by_department:
        return TEAM
    if by_unit and not (by_team or by_department):
        return UNIT_OVER
    return None


def fidelity(plan: Plan) -> Fidelity:
    model = plan.model
    comparison = Comparison(plan)
    found = comparison.run()
    losses: list[Loss] = []
    for (kind, resource, action), people in sorted(found.scoped.items()):
        losses.append(_scoped_loss(plan, kind, resource, action, tuple(sorted(people))))
    for (person, kind), permissions in sorted(found.units.items()):
        witnesses = comparison.witnesses(person, found.unit_scopes[(person, kind)], kind)
        losses.append(_unit_loss(plan, person, kind, sorted(permissions), witnesses))
    for rule_id, rule in sorted(model.sharing.items()):
        shared_with = comparison.sharing(rule_id)
        if shared_with:
            losses.append(
                Loss(
                    "sharing-rule",
                    ("sharing", rule_id),
                    f"{rule.resource} records owned by {rule.from_.kind} {rule.from_.id} "
                    f"shared with {rule.to.kind} {rule.to.id} for {', '.join(rule.actions)}",
                    "not carried: Dataverse has no sharing rule; share the records by hand "
                    "or through an access team",
                    Direction.UNDER,
                    shared_with,
                )
            )
    privileges = sum(len(role.privileges) for role in plan.security_roles)
    carried = {
        "grant": privileges,
        "baseline": sum(len(r.baseline) for r in model.resources.values()),
        "field-permission": sum(len(p.permissions) for p in plan.field_profiles),
        "structure": len(plan.business_units) - 1 + len(plan.teams) + len(plan.users),
    }
    return Fidelity("dynamics", tuple(losses), manual_steps(plan), carried)


def _scoped_loss(
    plan: Plan, kind: str, resource: str, action: str, people: tuple[str, ...]
) -> Loss:
    table = plan.tables[resource]
    if kind == "grant":
        return Loss(
            "grant",
            ("resources", resource),
            f"{resource}.{action}",
            f"not given: {table} has no per-table privilege for {action}",
            Direction.UNDER,
            people,
        )
    if kind == ORGANIZATION_TABLE:
        return Loss(
            "scope",
            ("resources", resource),
            f"{resource}.{action} below organization scope",
            f"not given: {table} is owned by the organisation, so its privileges are "
            "Global or none",
            Direction.UNDER,
            people,
        )
    if kind == TEAM_OWNED:
        return Loss(
            "scope",
            ("resources", resource),
            f"{resource}.{action} below team scope: records the person (or a report) owns",
            f"Basic on {table}: also every record owned by a team the person is a member of",
            Direction.OVER,
            people,
        )
    if kind == TEAM:
        return Loss(
            "scope",
            ("resources", resource),
            f"{resource}.{action} at team: records owned by a teammate or by the team",
            f"Basic on {table} (own records; Deep where a department grant gives it): "
            "records of teammates and teams outside that are out of reach",
            Direction.UNDER,
            people,
        )
    return Loss(
        "scope",
        ("resources", resource),
        f"{resource}.{action} at subordinates: records owned by the person's reports",
        f"Basic on {table}: reports' records are out of reach (hierarchy security is "
        "not enabled: it would open them to every manager)",
        Direction.UNDER,
        people,
    )


def _unit_loss(
    plan: Plan, person: str, kind: str, permissions: Iterable[str], witnesses: list[str]
) -> Loss:
    unit = plan.unit_of_person[person]
    where = f"business unit {unit}" if unit else "the root business unit"
    listed = ", ".join(permissions)
    departments = sorted(plan.model.org.departments_of(person))
    if kind == UNIT_UNDER:
        return Loss(
            "structure",
            ("people", person),
            f"department-wide {listed}: records of the departments "
            f"{', '.join(departments) or '(none)'} and below",
            f"a user in {where}: Deep reaches the records owned in it and below, and a "
            "record's owner is in one business unit (of several departments, the one above "
            f"the others, or the first); out of reach: records of {', '.join(witnesses)}",
            Direction.UNDER,
            (person,),
        )
    return Loss(
        "structure",
        ("people", person),
        f"department-wide {listed}: records of the departments "
        f"{', '.join(departments) or '(none)'} and below",
        f"a user in {where}: Deep reaches every record owned in it and below, such as "
        f"those of {', '.join(witnesses)}",
        Direction.OVER,
        (person,),
    )


def manual_steps(plan: Plan) -> tuple[str, ...]:
    custom = sorted({t for t in plan.tables.values() if t.startswith(f"{plan.prefix}_")})
    steps = []
    if custom:
        steps.append(
            "Create the custom tables, owned by users or teams, before importing the "
            f"solution (its roles name their privileges): {', '.join(custom)}"
        )
    if plan.secured_columns:
        steps.append(
            "Enable column security on the columns listed in secured-columns.json before "
            "importing the solution"
        )
    steps += [
        "Import solution.zip (Power Apps > Solutions > Import, or "
        "`pac solution import --path solution.zip`) and publish",
        "Replace {root-business-unit-id} in webapi/01-businessunits.json with the id of the "
        "environment's root business unit, then send webapi/01 to 06 in order",
        "Users: each must exist in Microsoft Entra ID with a licence; set the domainname of "
        "people without an email (...@change-me.invalid)",
        "A role given to a user outside the root business unit must be the role's copy in "
        "the user's business unit: look it up by _parentrootroleid_value and "
        "_businessunitid_value before sending webapi/04",
        "Set each owner team's administrator (the team's lead) once the users exist",
        "Keep records user-owned: a record assigned to an owner team is open at Basic to "
        "every member (the over-grants listed for scopes below team)",
    ]
    if plan.model.sharing:
        steps.append(
            "Sharing rules have no Dataverse equivalent: share the records (or use access "
            "teams) as fidelity.json lists"
        )
    return tuple(steps)
