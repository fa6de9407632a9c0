"""What the Zoho plan cannot carry: the model's decisions against Zoho's, person by person.

For each person, resource and action, the owners whose records the model lets the person
act on are compared with those Zoho lets them act on (format section 3 against Zoho's
documented access: the profile's permission, and then the owner, the role hierarchy,
the data sharing default or a sharing rule). Every difference becomes a :class:`Loss`
about the grant or sharing rule that causes it, with its direction and the people
affected, so every loss listed is one a person really meets. Records are the owner's:
a Zoho record has no team or department of its own (docs/crm-systems/zoho.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from crmorg.export.compiled import CompiledModel
from crmorg.export.fidelity import Direction, Loss
from crmorg.export.zoho.mapping import RECORD_ACTIONS
from crmorg.export.zoho.plan import LEVEL_ACTIONS, SHARE_TYPE_ACTIONS, Plan
from crmorg.findings import Path
from crmorg.model import Model

REACHES = ("own", "subordinates", "team", "department", "organization")
_VERBS = {"read": "read", "update": "edit", "delete": "delete", "create": "create"}


class Reach:
    """Who owns the records a person may act on, in the model and in Zoho."""

    def __init__(self, model: Model, plan: Plan) -> None:
        self.model = model
        self.plan = plan
        self.compiled: CompiledModel = plan.compiled
        self.everyone = frozenset(self.compiled.people)

    @cached_property
    def _team_mates(self) -> dict[str, frozenset[str]]:
        teams = self.compiled.teams
        return {
            p: frozenset(m for t in facts.teams for m in teams[t].members) | {p}
            for p, facts in self.compiled.people.items()
        }

    @cached_property
    def _department_owners(self) -> dict[str, frozenset[str]]:
        people = self.compiled.people
        in_department: dict[str, set[str]] = {}
        for p, facts in people.items():
            for d in facts.departments:
                in_department.setdefault(d, set()).add(p)
        return {
            p: frozenset(o for d in facts.reach for o in in_department.get(d, ()))
            for p, facts in people.items()
        }

    @cached_property
    def reports(self) -> dict[str, frozenset[str]]:
        """The model's reports of each person (their ``reports_to`` chains)."""
        found: dict[str, set[str]] = {p: set() for p in self.compiled.people}
        for p, facts in self.compiled.people.items():
            for above in facts.managers:
                if above != p and above in found:
                    found[above].add(p)
        return {p: frozenset(q) for p, q in found.items()}

    @cached_property
    def below(self) -> dict[str, frozenset[str]]:
        """The users whose positions are below each person's in Zoho's role tree."""
        children: dict[str, list[str]] = {p: [] for p in self.plan.manager}
        for p, above in self.plan.manager.items():
            if above is not None:
                children[above].append(p)
        found: dict[str, frozenset[str]] = {}

        def collect(p: str) -> frozenset[str]:
            if p not in found:
                found[p] = frozenset()  # a tree, but never loop
                below: set[str] = set()
                for child in children[p]:
                    below |= {child} | collect(child)
                found[p] = frozenset(below)
            return found[p]

        for p in sorted(children):
            collect(p)
        return found

    def reaches(self, person: str, resource: str, action: str) -> tuple[str, ...]:
        return tuple(s for s in REACHES if self.model.allows(person, action, resource, s))

    def in_model(self, person: str, resource: str, action: str) -> frozenset[str]:
        reaches = self.reaches(person, resource, action)
        if not reaches:
            return frozenset()
        if "organization" in reaches:
            return self.everyone
        owners = {person}
        if "subordinates" in reaches:
            owners |= self.reports[person]
        if "team" in reaches:
            owners |= self._team_mates[person]
        if "department" in reaches:
            owners |= self._department_owners[person]
        for rule in self.compiled.sharing:
            if (
                rule.resource == resource
                and action in rule.actions
                and person in self.compiled.group_members(rule.to)
            ):
                owners |= self.compiled.group_members(rule.from_)
        return frozenset(owners)

    def in_zoho(self, person: str, resource: str, action: str) -> dict[str, str]:
        """Owner -> how Zoho lets ``person`` act on their records: ``owner``,
        ``hierarchy``, ``default``, ``create`` or a sharing rule's name."""
        profile = self.plan.profile_permissions[self.plan.profile_of[person]]
        if (resource, action) not in profile:
            return {}
        if action == "create":
            return dict.fromkeys(self.everyone, "create")
        if action in SHARE_TYPE_ACTIONS[self.plan.share_type[resource]]:
            return dict.fromkeys(self.everyone, "default")
        how: dict[str, str] = {}
        for rule in self.plan.rules:
            if (
                rule.resource == resource
                and action in LEVEL_ACTIONS[rule.level]
                and person in rule.receivers
            ):
                for owner in rule.sources if rule.sources is not None else self.everyone:
                    how.setdefault(owner, rule.name)
        how.update(dict.fromkeys(self.below[person], "hierarchy"))
        how[person] = "owner"
        return how


def _widest(reaches: Iterable[str]) -> str:
    found = set(reaches)
    if "organization" in found:
        return "organization"
    if "department" in found:
        found -= {"team"}
    if len(found) > 1:
        found -= {"own"}
    return " and ".join(s for s in REACHES if s in found) or "none"


def losses(model: Model, plan: Plan) -> tuple[Loss, ...]:
    reach = Reach(model, plan)
    compiled = plan.compiled
    rules = {rule.name: rule for rule in plan.rules}
    found: dict[tuple[str, Path, str, str, Direction], set[str]] = {}

    def add(
        construct: str, path: Path, written: str, carried: str, direction: Direction, person: str
    ) -> None:
        found.setdefault((construct, path, written, carried, direction), set()).add(person)

    for person in compiled.people:
        for resource in compiled.resources:
            for action in compiled.applicable[resource]:
                expected = reach.in_model(person, resource, action)
                zoho = reach.in_zoho(person, resource, action) if action in RECORD_ACTIONS else {}
                if expected == frozenset(zoho):
                    continue
                held = model.access.held_grant(person, (resource, action))
                grant_path: Path = (
                    ("roles", held.role, "grants") if held is not None else ("people", person)
                )
                written = (
                    f"{resource}.{action} at {_widest(reach.reaches(person, resource, action))}"
                )
                if action not in RECORD_ACTIONS:
                    add(
                        "grant",
                        grant_path,
                        f"{resource}.{action}",
                        f"not carried: a Zoho profile has no per-module {action} permission",
                        Direction.UNDER,
                        person,
                    )
                    continue
                over = {zoho[o] for o in set(zoho) - expected}
                for how in sorted(over):
                    rule = rules.get(how)
                    if how == "create":
                        add(
                            "scope",
                            grant_path,
                            written,
                            "Zoho's Create permission lets the user create records for any owner",
                            Direction.OVER,
                            person,
                        )
                    elif how == "hierarchy":
                        add(
                            "scope",
                            grant_path,
                            written,
                            f"Zoho's role hierarchy lets a superior {_VERBS[action]} every record "
                            "of the people who report to them",
                            Direction.OVER,
                            person,
                        )
                    elif rule is not None and rule.origin[0] == "sharing":
                        add(
                            "sharing-rule",
                            ("sharing", rule.origin[1]),
                            f"{resource}.{action}",
                            "a Zoho sharing rule gives Read/Write/Delete together",
                            Direction.OVER,
                            person,
                        )
                    else:
                        add(
                            "scope",
                            grant_path,
                            written,
                            "a Zoho sharing rule gives Read/Write/Delete together",
                            Direction.OVER,
                            person,
                        )
                if expected - set(zoho):
                    shared_only = not (
                        expected - set(zoho) <= _sharing_owners(reach, person, resource, action)
                    )
                    rule_ids = _sharing_rules_giving(reach, person, resource, action)
                    if not shared_only and rule_ids:
                        for rule_id in rule_ids:
                            add(
                                "sharing-rule",
                                ("sharing", rule_id),
                                f"{resource}.{action}",
                                "not carried: a Zoho sharing rule gives Read, or "
                                "Read/Write/Delete together",
                                Direction.UNDER,
                                person,
                            )
                    else:
                        add(
                            "scope",
                            grant_path,
                            written,
                            "not all of it is carried: Zoho sharing rules give Read, or "
                            "Read/Write/Delete together",
                            Direction.UNDER,
                            person,
                        )
    return tuple(
        Loss(construct, path, written, carried, direction, tuple(sorted(people)))
        for (construct, path, written, carried, direction), people in sorted(
            found.items(),
            key=lambda item: (item[0][0], item[0][1], item[0][2], item[0][3], item[0][4].value),
        )
    )


def _sharing_rules_giving(reach: Reach, person: str, resource: str, action: str) -> list[str]:
    compiled = reach.compiled
    return [
        rule.id
        for rule in compiled.sharing
        if rule.resource == resource
        and action in rule.actions
        and person in compiled.group_members(rule.to)
    ]


def _sharing_owners(reach: Reach, person: str, resource: str, action: str) -> frozenset[str]:
    """The owners the model's sharing rules (alone) give ``person``."""
    compiled = reach.compiled
    owners: set[str] = set()
    for rule in compiled.sharing:
        if (
            rule.resource == resource
            and action in rule.actions
            and person in compiled.group_members(rule.to)
        ):
            owners |= compiled.group_members(rule.from_)
    return frozenset(owners)
