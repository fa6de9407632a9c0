"""What the Zoho plan cannot carry: the model's decisions against Zoho's, person by person.

For each person, resource and action, the owners whose records the model lets the person
act on are compared with those Zoho lets them act on (format section 3 against Zoho's
documented access: the profile's permission, and then the owner, the role hierarchy,
the data sharing default or a sharing rule). Every difference becomes a :class:`Loss`
about the grant or sharing rule that causes it, with its direction and the people
affected, so every loss listed is one a person really meets. Records are the owner's:
a Zoho record has no team or department of its own (docs/crm-systems.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from crmorg.export.compiled import CompiledModel
from crmorg.export.fidelity import Direction, Loss
from crmorg.export.zoho.mapping import RECORD_ACTIONS
from crmorg.export.zoho.plan import LEVEL_ACTIONS, SHARE_TYPE_ACTIONS, Plan, ZohoRule
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
    def _rules(self) -> dict[str, list[ZohoRule]]:
        by_resource: dict[str, list[ZohoRule]] = {}
        for rule in self.plan.rules:
            by_resource.setdefault(rule.resource, []).append(rule)
        return by_resource

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
        for rule in self._rules.get(resource, ()):
            if action in LEVEL_ACTIONS[rule.level] and person in rule.receivers:
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


NOT_IN_PROFILE = "not carried: a Zoho profile has no per-module {action} permission"
CREATE_FOR_ANY_OWNER = "Zoho's Create permission lets the user create records for any owner"
HIERARCHY = (
    "Zoho's role hierarchy lets a superior {verb} every record of the people who report to them"
)
TOGETHER = "a Zoho sharing rule gives Read/Write/Delete together"
READ_ONLY_RULE = "not carried: a Zoho sharing rule gives Read, or Read/Write/Delete together"
PART_OF_REACH = (
    "not all of it is carried: Zoho sharing rules give Read, or Read/Write/Delete together"
)

_Key = tuple[str, Path, str, str, Direction]
"""A loss without its people: construct, path, written, carried, direction."""


def losses(model: Model, plan: Plan) -> tuple[Loss, ...]:
    """Every difference between the model's reach and Zoho's, person by person, as the
    losses of the grants and sharing rules that cause them."""
    reach = Reach(model, plan)
    compiled = plan.compiled
    rules = {rule.name: rule for rule in plan.rules}
    found: dict[_Key, set[str]] = {}
    for person in compiled.people:
        for resource in compiled.resources:
            for action in compiled.applicable[resource]:
                for key in _differences(model, reach, rules, person, resource, action):
                    found.setdefault(key, set()).add(person)
    return tuple(
        Loss(construct, path, written, carried, direction, tuple(sorted(people)))
        for (construct, path, written, carried, direction), people in sorted(
            found.items(), key=lambda item: (*item[0][:4], item[0][4].value)
        )
    )


def _differences(
    model: Model,
    reach: Reach,
    rules: dict[str, ZohoRule],
    person: str,
    resource: str,
    action: str,
) -> list[_Key]:
    expected = reach.in_model(person, resource, action)
    zoho = reach.in_zoho(person, resource, action) if action in RECORD_ACTIONS else {}
    if expected == frozenset(zoho):
        return []
    grant, scope = _written_at(model, person, resource, action)
    permission = f"{resource}.{action}"
    if action not in RECORD_ACTIONS:
        return [("grant", grant, permission, NOT_IN_PROFILE.format(action=action), Direction.UNDER)]
    written = f"{permission} at {_widest(reach.reaches(person, resource, action))}"
    keys: list[_Key] = []
    for how in sorted({zoho[owner] for owner in set(zoho) - expected}):
        rule = rules.get(how)
        if how == "create":
            keys.append((scope, grant, written, CREATE_FOR_ANY_OWNER, Direction.OVER))
        elif how == "hierarchy":
            carried = HIERARCHY.format(verb=_VERBS[action])
            keys.append((scope, grant, written, carried, Direction.OVER))
        elif rule is not None and rule.origin[0] == "sharing":
            path: Path = ("sharing", rule.origin[1])
            keys.append(("sharing-rule", path, permission, TOGETHER, Direction.OVER))
        else:
            keys.append((scope, grant, written, TOGETHER, Direction.OVER))
    missing = expected - set(zoho)
    if missing:
        rule_ids = _sharing_rules_giving(reach, person, resource, action)
        if rule_ids and missing <= _sharing_owners(reach, person, resource, action):
            # One loss per difference: the first of the rules that would give it.
            path = ("sharing", rule_ids[0])
            keys.append(("sharing-rule", path, permission, READ_ONLY_RULE, Direction.UNDER))
        else:
            keys.append((scope, grant, written, PART_OF_REACH, Direction.UNDER))
    return keys


def _written_at(model: Model, person: str, resource: str, action: str) -> tuple[Path, str]:
    """Where the person's winning grant of the permission is written, and what construct
    a loss of its reach is: the grant on a role (``scope``), or a resource's baseline."""
    held = model.access.held_grant(person, (resource, action))
    if held is None:
        return ("people", person), "scope"
    source = held.grant.source
    if source.baseline:
        return ("resources", source.resource_key, "baseline", source.action_key), "baseline"
    return ("roles", source.role, "grants", source.resource_key, source.action_key), "scope"


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
