"""What the addon cannot carry exactly (format section 16), each with the people it
affects and the way it errs.

Every loss's ``written`` starts with ``resource.action`` (``lead.approve``, or
``lead.{approve,assign}``): the permissions whose decisions differ, so that a reader,
and the tests, can match a difference in Odoo's decisions to the loss that explains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from crmorg.export.fidelity import Direction, Loss, holders
from crmorg.export.odoo.plan import PERMS, Plan, role_scopes
from crmorg.model import Model
from crmorg.roles.scopes import COVERED, Scope, maximal

_NOTHING = COVERED[Scope.NONE]

NO_ACTION = "nothing: Odoo's access rights are read, write, create and delete only"


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
        if people or construct in ("grant", "baseline", "field-permission"):
            self.found.append(Loss(construct, path, written, carried, direction, people))

    def covered(self, person: str, resource: str, action: str) -> int:
        return self.model.access.index.person_covered(person, resource, action)

    def scopes(self, person: str, resource: str, action: str) -> tuple[Scope, ...]:
        """The person's maximal scopes for the permission (none: no grant of it)."""
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


def permissions(resource: str, actions: list[str]) -> str:
    """``lead.read``, or ``lead.{approve,assign}`` for several actions."""
    if len(actions) == 1:
        return f"{resource}.{actions[0]}"
    return f"{resource}.{{{','.join(actions)}}}"


def find_losses(model: Model, plan: Plan) -> tuple[Loss, ...]:
    losses = Losses(model, plan)
    _actions(losses)
    _departments(losses)
    _merged(losses)
    _sharing(losses)
    _fields(losses)
    return tuple(losses.found)


def _actions(losses: Losses) -> None:
    """Grants and baselines of actions Odoo has no access right for."""
    model, plan = losses.model, losses.plan
    own_grants = model.access.own_grants
    for role_id, scopes in role_scopes(plan.compiled).items():
        # One loss per role, resource and scopes: ``lead.{approve,assign} at own``.
        grouped: dict[tuple[str, str], list[str]] = {}
        paths: dict[tuple[str, str], tuple[str | int, ...]] = {}
        for (resource, action), held in sorted(scopes.items()):
            source = own_grants[role_id].get((resource, action))
            if source is None or action in PERMS:
                continue
            key = (resource, ", ".join(s.label for s in sorted(held)))
            grouped.setdefault(key, []).append(action)
            paths.setdefault(key, source.path)
        for (resource, shown), actions in grouped.items():
            losses.add("grant", paths[(resource, shown)],
                       f"{permissions(resource, actions)} at {shown} (role {role_id})",
                       NO_ACTION, Direction.UNDER, holders(model, [role_id]))  # fmt: skip
    for (resource, action), scope in sorted(plan.compiled.baselines.items()):
        if action in PERMS:
            continue
        people = [p for p in model.people if losses.scopes(p, resource, action)]
        losses.add("baseline", ("resources", resource, "baseline"),
                   f"{resource}.{action} baseline at {scope.label}", NO_ACTION, Direction.UNDER,
                   people)  # fmt: skip


class _People:
    """Where people sit, as crmorg reads it and as the addon's records hold it."""

    def __init__(self, plan: Plan) -> None:
        compiled = plan.compiled
        assert compiled.access is not None
        org = compiled.access.org
        self.compiled = compiled
        self.teams = {p: frozenset(f.teams) for p, f in compiled.people.items()}
        self.reach = {p: org.reach(p) for p in compiled.people}
        below = org.department_below
        self.odoo_department = plan.employee_department
        self.odoo_reach = {
            p: (below.get(d, frozenset({d})) if d is not None else frozenset())
            for p, d in plan.employee_department.items()
        }
        self.departments = {p: frozenset(f.departments) for p, f in compiled.people.items()}
        self.reports = {p: org.reports(p) for p in compiled.people}
        self._misses: dict[tuple[str, bool, frozenset[str]], bool] = {}
        self.outside_a_team = {
            p: any(p not in team.members for team in compiled.teams.values())
            for p in compiled.people
        }

    def shares_team(self, person: str, owner: str) -> bool:
        return bool(self.teams[person] & self.teams[owner])

    def misses(self, person: str, with_reports: bool, shared: frozenset[str]) -> bool:
        """Whether Odoo's one department per employee reaches less for the person at
        department scope: some department of theirs, or some owner's whose records are
        not ``shared`` with them anyway (kept once made)."""
        key = (person, with_reports, shared)
        found = self._misses.get(key)
        if found is None:
            found = self.reach[person] != self.odoo_reach[person] or any(
                self.missed_owner(person, owner, with_reports)
                for owner in self.compiled.people
                if owner not in shared
            )
            self._misses[key] = found
        return found

    def shared_with(self, person: str, resource: str, action: str) -> frozenset[str]:
        """The owners whose records a sharing rule opens to the person for the action."""
        owners: set[str] = set()
        for rule in self.compiled.sharing:
            applies = rule.resource == resource and action in rule.actions
            if applies and person in self.compiled.group_members(rule.to):
                owners |= self.compiled.group_members(rule.from_)
        return frozenset(owners)

    def missed_owner(self, person: str, owner: str, with_reports: bool) -> bool:
        """Whether crmorg reaches ``owner``'s records through their departments where
        Odoo, reading one department each, does not, on a record neither own, team nor
        reports reaches (one naming a team the person is not in, if need be)."""
        if owner == person or not self.departments[owner] & self.reach[person]:
            return False
        if self.odoo_department[owner] in self.odoo_reach[person]:
            return False
        if with_reports and owner in self.reports[person]:
            return False
        return not self.shares_team(person, owner) or self.outside_a_team[person]


def _departments(losses: Losses) -> None:
    """An employee holds one department; crmorg's people hold those of their teams and
    roles. Odoo then reaches less: the person's other departments (a record naming one,
    or owned by someone there), and an owner's other departments."""
    plan = losses.plan
    where = _People(plan)
    people = list(plan.compiled.people)
    for resource in sorted(plan.mapping.models):
        by_people: dict[tuple[str, ...], list[str]] = {}
        for action in plan.compiled.applicable[resource]:
            if action not in PERMS:
                continue
            under: set[str] = set()
            for person in people:
                scopes = losses.scopes(person, resource, action)
                if Scope.DEPARTMENT not in scopes or losses.everywhere_in_odoo(
                    person, resource, action
                ):
                    continue
                shared = where.shared_with(person, resource, action)
                if where.misses(person, Scope.SUBORDINATES in scopes, shared):
                    under.add(person)
            if under:
                by_people.setdefault(tuple(sorted(under)), []).append(action)
        for affected, actions in sorted(by_people.items()):
            losses.add("structure", ("resources", resource),
                       f"{permissions(resource, sorted(actions))} at department, as crmorg "
                       "reads people's departments (of their teams and roles)",
                       "the one department of each person's employee record (hr.employee)",
                       Direction.UNDER, affected)  # fmt: skip


def _merged(losses: Losses) -> None:
    """Resources on one Odoo model that no field tells apart: their grants add up."""
    plan = losses.plan
    compiled = plan.compiled
    for resource in sorted(plan.mapping.models):
        merged = plan.mapping.merged(resource)
        if not merged:
            continue
        for action in compiled.applicable[resource]:
            if action not in PERMS:
                continue
            people = set()
            for person in compiled.people:
                mine = losses.covered(person, resource, action)
                for other in merged:
                    applies = action in compiled.applicable.get(other, ())
                    if applies and losses.covered(person, other, action) & ~mine:
                        people.add(person)
            for rule in compiled.sharing:
                if rule.resource in merged and action in rule.actions:
                    people |= compiled.group_members(rule.to)
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
            if action not in PERMS:
                gated = [p for p in receivers if losses.scopes(p, rule.resource, action)]
                losses.add("sharing-rule", path, f"{rule.resource}.{action} shared by {rule.id}",
                           NO_ACTION, Direction.UNDER, gated)  # fmt: skip
                continue
            # Odoo's gate is an access right to the model, whichever resource gave it.
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
    named = model.settings.export.odoo.fields
    for resource, fields in plan.compiled.restricted_fields.items():
        odoo = plan.mapping.models[resource].name
        for field_id in fields:
            where = f"{odoo}.{named.get(resource, {}).get(field_id, field_id)}"
            for action, needs in (("read", ("read", "edit")), ("update", ("edit",))):
                if action not in plan.compiled.applicable[resource]:
                    continue
                people = [
                    p
                    for p in model.people
                    if losses.scopes(p, resource, action)
                    and model.field_access(p, resource, field_id) not in needs
                ]
                verb = "read" if action == "read" else "edited"
                losses.add("field-permission", ("resources", resource, "fields", field_id),
                           f"{resource}.{action} of field {field_id}: restricted",
                           f"{where} {verb} by whoever may {action} the record (a field's "
                           "groups= is Python code)", Direction.OVER, people)  # fmt: skip
