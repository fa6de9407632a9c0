"""What the addon cannot carry exactly (format section 16), each with the people it
affects and the way it errs.

Every loss's ``written`` starts with ``resource.action`` (``lead.approve``): the
permission whose decisions differ, so that a reader, and the tests, can match a
difference in Odoo's decisions to the loss that explains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from crmorg.export.fidelity import Direction, Loss, holders
from crmorg.export.odoo.plan import PERMS, Plan, role_scopes
from crmorg.model import Model
from crmorg.roles.scopes import COVERED, Scope, maximal

_NOTHING = COVERED[Scope.NONE]
_TEAM_REACH = frozenset({Scope.TEAM, Scope.DEPARTMENT})

NO_ACTION = "nothing: Odoo's access rights are read, write, create and delete only"
NO_OWNER = "nothing: {model} has no owner field, so only every record can be granted"


@dataclass
class Losses:
    model: Model
    plan: Plan
    found: list[Loss] = field(default_factory=list)

    def add(
        self,
        construct: str,
        path: tuple[str | int, ...],
        written: str,
        carried: str,
        direction: Direction,
        people: Iterable[str],
    ) -> None:
        people = tuple(sorted(set(people)))
        if people or construct in ("grant", "field-permission"):
            self.found.append(Loss(construct, path, written, carried, direction, people))

    # What a person holds ------------------------------------------------------------------
    def covered(self, person: str, resource: str, action: str) -> int:
        return self.model.access.index.person_covered(person, resource, action)

    def scopes(self, person: str, resource: str, action: str) -> tuple[Scope, ...]:
        covered = self.covered(person, resource, action)
        return () if covered == _NOTHING else maximal(covered)

    def everywhere_in_odoo(self, person: str, resource: str, action: str) -> bool:
        """Whether Odoo lets the person reach every record, through this resource's
        grants or those of another resource on the same model that nothing tells apart."""
        applicable = self.plan.compiled.applicable
        return any(
            Scope.ORGANIZATION in self.scopes(person, r, action)
            for r in (resource, *self.plan.mapping.merged(resource))
            if action in applicable.get(r, ())
        )


def find_losses(model: Model, plan: Plan) -> tuple[Loss, ...]:
    losses = Losses(model, plan)
    _actions_and_owners(losses)
    _departments(losses)
    _record_places(losses)
    _merged(losses)
    _sharing(losses)
    _fields(losses)
    return tuple(losses.found)


def _actions_and_owners(losses: Losses) -> None:
    """Actions Odoo has no right for; scopes on a model without an owner field."""
    model, plan = losses.model, losses.plan
    own_grants = model.access.own_grants
    for role_id, scopes in role_scopes(plan.compiled).items():
        for (resource, action), held in sorted(scopes.items()):
            source = own_grants[role_id].get((resource, action))
            if source is None:
                continue
            path = source.path
            odoo = plan.mapping.models[resource]
            shown = ", ".join(s.label for s in sorted(held))
            if action not in PERMS:
                losses.add("grant", path, f"{resource}.{action} at {shown} (role {role_id})",
                           NO_ACTION, Direction.UNDER, holders(model, [role_id]))  # fmt: skip
            elif odoo.owner is None and held != {Scope.ORGANIZATION}:
                people = [
                    p
                    for p in holders(model, [role_id])
                    if Scope.ORGANIZATION not in losses.scopes(p, resource, action)
                ]
                losses.add("scope", path, f"{resource}.{action} at {shown} (role {role_id})",
                           NO_OWNER.format(model=odoo.name), Direction.UNDER, people)  # fmt: skip
    for (resource, action), scope in sorted(plan.compiled.baselines.items()):
        if action in PERMS and plan.mapping.models[resource].owner is not None:
            continue
        if action in PERMS and scope is Scope.ORGANIZATION:
            continue
        people = [
            p
            for p in model.people
            if losses.scopes(p, resource, action)
            and Scope.ORGANIZATION not in losses.scopes(p, resource, action)
        ]
        carried = (
            NO_ACTION
            if action not in PERMS
            else NO_OWNER.format(model=plan.mapping.models[resource].name)
        )
        losses.add("baseline", ("resources", resource, "baseline"),
                   f"{resource}.{action} baseline at {scope.label}", carried, Direction.UNDER,
                   people)  # fmt: skip


class _People:
    """Where people sit, as crmorg reads it and as the addon's records hold it."""

    def __init__(self, plan: Plan) -> None:
        compiled = plan.compiled
        self.compiled = compiled
        org = compiled.access.org if compiled.access is not None else None
        assert org is not None
        self.org = org
        self.teams = {p: frozenset(f.teams) for p, f in compiled.people.items()}
        self.every_team = frozenset(compiled.teams)
        self.reach = {p: org.reach(p) for p in compiled.people}
        below = org.department_below
        self.odoo_department = plan.employee_department
        self.odoo_reach = {
            p: (below.get(d, frozenset({d})) if d is not None else frozenset())
            for p, d in plan.employee_department.items()
        }
        self.departments = {p: frozenset(f.departments) for p, f in compiled.people.items()}
        self.reports = {p: org.reports(p) for p in compiled.people}

    def shares_team(self, person: str, owner: str) -> bool:
        return bool(self.teams[person] & self.teams[owner])

    def crmorg_department(self, person: str, owner: str) -> bool:
        return bool(self.departments[owner] & self.reach[person])

    def odoo_department_of(self, person: str, owner: str) -> bool:
        return self.odoo_department[owner] in self.odoo_reach[person]

    def unmasked(
        self, person: str, owner: str, scopes: tuple[Scope, ...], team_field: bool
    ) -> bool:
        """Whether some record of ``owner`` is reached by neither own, team nor reports,
        so that only the department decides."""
        if owner == person:
            return False
        if Scope.SUBORDINATES in scopes and owner in self.reports[person]:
            return False
        if not self.shares_team(person, owner):
            return True
        return team_field and any(
            person not in self.compiled.teams[t].members for t in self.every_team
        )


def _departments(losses: Losses) -> None:
    """An employee holds one department; crmorg's people hold those of their teams and
    roles."""
    plan = losses.plan
    where = _People(plan)
    people = list(plan.compiled.people)
    for resource, odoo in sorted(plan.mapping.models.items()):
        if odoo.owner is None:
            continue
        for action in plan.compiled.applicable[resource]:
            if action not in PERMS:
                continue
            under: set[str] = set()
            over: set[str] = set()
            for person in people:
                scopes = losses.scopes(person, resource, action)
                if Scope.DEPARTMENT not in scopes or losses.everywhere_in_odoo(
                    person, resource, action
                ):
                    continue
                for owner in people:
                    if not where.unmasked(person, owner, scopes, odoo.team is not None):
                        continue
                    said = where.crmorg_department(person, owner)
                    done = where.odoo_department_of(person, owner)
                    if said and not done:
                        under.add(person)
                    elif done and not said:
                        over.add(person)
            written = f"{resource}.{action} at department, as crmorg reads people's departments"
            carried = "the one department of each person's employee record (hr.employee)"
            path = ("resources", resource)
            losses.add("structure", path, written, carried, Direction.UNDER, under)
            losses.add("structure", path, written, carried, Direction.OVER, over)


def _record_places(losses: Losses) -> None:
    """A record naming its own department (Odoo's records have none), or its own team on
    a model without a sales-team field."""
    plan = losses.plan
    where = _People(plan)
    compiled = plan.compiled
    departments = frozenset(compiled.departments)
    for resource, odoo in sorted(plan.mapping.models.items()):
        if odoo.owner is None:
            continue
        for action in compiled.applicable[resource]:
            if action not in PERMS:
                continue
            dept_under, dept_over, team_under, team_over = set(), set(), set(), set()
            for person in compiled.people:
                scopes = losses.scopes(person, resource, action)
                if losses.everywhere_in_odoo(person, resource, action):
                    continue
                if Scope.DEPARTMENT in scopes:
                    if where.reach[person]:
                        dept_under.add(person)
                    if departments - where.reach[person] and any(
                        where.odoo_department_of(person, o)
                        and where.unmasked(person, o, scopes, odoo.team is not None)
                        for o in compiled.people
                    ):
                        dept_over.add(person)
                if odoo.team is None and _TEAM_REACH & set(scopes):
                    if where.teams[person]:
                        team_under.add(person)
                    others = [t for t in compiled.teams if person not in compiled.teams[t].members]
                    if others and any(
                        o != person
                        and where.shares_team(person, o)
                        and not (Scope.SUBORDINATES in scopes and o in where.reports[person])
                        and not (Scope.DEPARTMENT in scopes and where.odoo_department_of(person, o))
                        for o in compiled.people
                    ):
                        team_over.add(person)
            path = ("resources", resource)
            dept = f"{resource}.{action} on a record that names its own department"
            dept_carried = "the owner's employee's department (Odoo records hold none)"
            losses.add("structure", path, dept, dept_carried, Direction.UNDER, dept_under)
            losses.add("structure", path, dept, dept_carried, Direction.OVER, dept_over)
            team = f"{resource}.{action} on a record that names its own team"
            team_carried = f"the owner's sales teams ({odoo.name} has no crm.team field)"
            losses.add("structure", path, team, team_carried, Direction.UNDER, team_under)
            losses.add("structure", path, team, team_carried, Direction.OVER, team_over)


def _merged(losses: Losses) -> None:
    """Resources on one Odoo model that no field tells apart: their grants add up."""
    plan = losses.plan
    for resource in sorted(plan.mapping.models):
        merged = plan.mapping.merged(resource)
        if not merged:
            continue
        for action in plan.compiled.applicable[resource]:
            if action not in PERMS:
                continue
            people = set()
            for person in plan.compiled.people:
                mine = losses.covered(person, resource, action)
                for other in merged:
                    if (
                        plan.compiled.applicable.get(other)
                        and action in plan.compiled.applicable[other]
                    ) and losses.covered(person, other, action) & ~mine:
                        people.add(person)
            for rule in plan.compiled.sharing:
                if rule.resource in merged and action in rule.actions:
                    people |= plan.compiled.group_members(rule.to)
            odoo = plan.mapping.models[resource].name
            losses.add("structure", ("resources", resource),
                       f"{resource}.{action}: records of {', '.join(merged)} are the same {odoo}",
                       f"one {odoo}: the grants on {', '.join((resource, *merged))} add up",
                       Direction.OVER, people)  # fmt: skip


def _sharing(losses: Losses) -> None:
    plan = losses.plan
    for rule in plan.compiled.sharing:
        odoo = plan.mapping.models[rule.resource]
        receivers = plan.compiled.group_members(rule.to)
        path = ("sharing", rule.id)
        for action in rule.actions:
            gated = [p for p in receivers if losses.scopes(p, rule.resource, action)]
            if action not in PERMS or odoo.owner is None:
                carried = NO_ACTION if action not in PERMS else NO_OWNER.format(model=odoo.name)
                losses.add("sharing-rule", path, f"{rule.resource}.{action} shared by {rule.id}",
                           carried, Direction.UNDER, gated)  # fmt: skip
                continue
            siblings = plan.mapping.siblings(rule.resource)
            ungated = [
                p
                for p in receivers
                if not losses.scopes(p, rule.resource, action)
                and any(
                    action in plan.compiled.applicable[s] and losses.scopes(p, s, action)
                    for s in siblings
                )
            ]
            losses.add("sharing-rule", path, f"{rule.resource}.{action} shared by {rule.id}",
                       f"gated by any access right to {odoo.name}, also one given for "
                       f"{', '.join(siblings)}", Direction.OVER, ungated)  # fmt: skip


def _fields(losses: Losses) -> None:
    """Odoo restricts a field only in Python (``groups=`` on the field): the module
    cannot, so a restricted field follows its record."""
    model, plan = losses.model, losses.plan
    for resource, fields in plan.compiled.restricted_fields.items():
        odoo = plan.mapping.models[resource]
        for field_id in fields:
            for action, needs in (("read", ("read", "edit")), ("update", ("edit",))):
                if action not in plan.compiled.applicable[resource]:
                    continue
                people = [
                    p
                    for p in model.people
                    if (scopes := losses.scopes(p, resource, action))
                    and (odoo.owner is not None or Scope.ORGANIZATION in scopes)
                    and model.field_access(p, resource, field_id) not in needs
                ]
                verb = "read" if action == "read" else "edited"
                losses.add("field-permission", ("resources", resource, "fields", field_id),
                           f"{resource}.{action} of field {field_id}: restricted",
                           f"{verb} by whoever may {action} the record (field groups= are "
                           "Python code)", Direction.OVER, people)  # fmt: skip
