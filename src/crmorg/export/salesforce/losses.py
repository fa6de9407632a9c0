"""What the Salesforce org decides differently from the model: the fidelity report.

For each person and permission, the records each side reaches are compared as bitmasks
over the record owners (every person, and "no owner"): the model's by format-v1
sections 3 and 9-11, Salesforce's from the :class:`~.plan.Plan` by its documented rule
(the object permission, and ownership, the role hierarchy, the organisation-wide
default, a sharing rule, View All or Modify All; Delete only through ownership, the
hierarchy or Modify All; Create and custom permissions on every record). Each
difference is named by the mechanism that causes it and becomes one :class:`Loss`
with the people it affects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from crmorg.export.fidelity import Direction, Fidelity, Loss
from crmorg.export.salesforce.org import EDIT, OBJECT_ACTIONS, RECORD_ACTIONS, Plan
from crmorg.findings import Path
from crmorg.model import Model
from crmorg.roles.scopes import BIT, COVERED, Scope

TARGET = "salesforce"
OWNER_RULE_LIMIT = 300
"""Salesforce's default limit of owner-based sharing rules per object."""
ROLE_LIMIT = 500
"""Salesforce's default limit of user roles in an org."""
_NOTHING = COVERED[Scope.NONE]
IMPLYING: Mapping[str, tuple[str, ...]] = {
    "read": ("create", "update", "delete"),
    "update": ("delete",),
}
"""The object permissions that Salesforce gives an action with: Create, Edit and Delete
need Read; Delete needs Edit."""


@dataclass(frozen=True)
class _Cause:
    construct: str
    path: Path
    written: str
    carried: str


class _Owners:
    """Bitmasks over record owners: bit i for the i-th person (sorted), the last bit
    for a record without an owner."""

    def __init__(self, model: Model) -> None:
        self.people = sorted(model.people)
        self.bit = {p: 1 << i for i, p in enumerate(self.people)}
        self.all = (1 << (len(self.people) + 1)) - 1

    def mask(self, people: Iterable[str]) -> int:
        found = 0
        for person in people:
            found |= self.bit.get(person, 0)
        return found


class Comparison:
    """Both sides' reach for every person and permission."""

    def __init__(self, model: Model, plan: Plan) -> None:
        self.model, self.plan = model, plan
        self.owners = owners = _Owners(model)
        org = model.org
        self.team_mask = {t: owners.mask(m) for t, m in org.team_members.items()}
        dept_people: dict[str, set[str]] = {}
        for person, depts in org.person_departments.items():
            for dept in depts:
                dept_people.setdefault(dept, set()).add(person)
        self.dept_mask = {d: owners.mask(m) for d, m in dept_people.items()}
        self.group_mask = {name: owners.mask(g.members) for name, g in plan.groups.items()}
        children: dict[str, list[str]] = {}
        for person, role in plan.user_roles.items():
            if role.parent is not None:
                children.setdefault(role.parent, []).append(person)
        self._children = children
        self._below: dict[str, int] = {}

    # The model ---------------------------------------------------------------------------
    def model_kinds(self, person: str, resource: str, action: str) -> dict[object, int]:
        """Each way the model reaches records, with the owners it reaches."""
        model, owners, org = self.model, self.owners, self.model.org
        covered = model.access.index.person_covered(person, resource, action)
        if covered == _NOTHING:
            return {}
        kinds: dict[object, int] = {}
        if covered & BIT[Scope.ORGANIZATION]:
            kinds["organization"] = owners.all
        if covered & BIT[Scope.OWN]:
            kinds["own"] = owners.bit[person]
        if covered & BIT[Scope.SUBORDINATES]:
            kinds["subordinates"] = owners.mask(org.reports(person))
        if covered & BIT[Scope.TEAM]:
            kinds["team"] = self._union(self.team_mask, org.teams_of(person))
        if covered & BIT[Scope.DEPARTMENT]:
            kinds["department"] = self._union(self.dept_mask, org.reach(person))
        sharing = model.access.sharing
        for rule_id in sharing.by_permission.get((resource, action), ()):
            rule = sharing.rule(rule_id)
            if person in sharing.members(rule.to):
                kinds[("sharing", rule_id)] = owners.mask(sharing.members(rule.from_))
        return kinds

    @staticmethod
    def _union(masks: Mapping[str, int], keys: Iterable[str]) -> int:
        found = 0
        for key in keys:
            found |= masks.get(key, 0)
        return found

    def at_grants(
        self, cause: _Cause, person: str, resource: str, action: str, granted: bool
    ) -> list[_Cause]:
        """A cause about the resource as a whole, placed at each grant of the person's
        roles that it is about: the grants of the action (or, for an action granted by
        none but implied, the grants that imply it); any other cause as it is."""
        if cause.path != ("resources", resource):
            return [cause]
        actions = (action,) if granted else IMPLYING.get(action, ())
        roles = self.model.org.lineage
        held = {r for role in self.model.people[person].roles for r in roles.get(role, ())}
        own = self.model.access.own_grants
        placed = {
            replace(
                cause,
                path=("roles", role, "grants", grant.resource_key, grant.action_key),
                written=_at_scope(cause.written, resource, action, wanted, grant.scope),
            )
            for role in held
            for wanted in actions
            if (grant := own.get(role, {}).get((resource, wanted))) is not None
            and grant.scope is not Scope.NONE
            and not grant.baseline
        }
        return sorted(placed, key=lambda c: c.path) or [cause]

    # Salesforce -------------------------------------------------------------------------
    def below(self, person: str) -> int:
        """The owners whose user role is below the person's."""
        found = self._below.get(person)
        if found is None:
            name = self.plan.user_roles[person].name
            found = 0
            for child in self._children.get(name, ()):
                found |= self.owners.bit[child] | self.below(child)
            self._below[person] = found
        return found

    def salesforce_kinds(self, person: str, resource: str, action: str) -> dict[object, int]:
        plan, owners = self.plan, self.owners
        sobject = plan.objects[resource]
        roles = self.model.people[person].roles
        if action not in OBJECT_ACTIONS:
            permission = plan.custom_permissions.get((resource, action))
            held = permission is not None and any(
                permission.name in plan.sets_by_name[s].custom_permissions
                for role in roles
                if (group := plan.permission_set_groups.get(role)) is not None
                for s in group.sets
            )
            return {"custom permission": owners.all} if held else {}
        access = plan.person_access(roles, sobject.api)
        if not access.allows(action):
            return {}
        if action == "create":
            return {"create": owners.all}
        kinds: dict[object, int] = {"owner": owners.bit[person]}
        if self.below(person):
            kinds["hierarchy"] = self.below(person)
        if access.modify_all:
            kinds["modify all"] = owners.all
        if action == "delete":
            return kinds
        if sobject.sharing_model == "ReadWrite":
            kinds["default"] = owners.all
        for rule in plan.rules:
            if rule.object != sobject.api or person not in plan.groups[rule.shared_to].members:
                continue
            if rule.access == EDIT or action == "read":
                source = (
                    owners.all if rule.shared_from is None else self.group_mask[rule.shared_from]
                )
                kinds[(rule.origin, rule.access)] = (
                    kinds.get((rule.origin, rule.access), 0) | source
                )
        if action == "read":
            if sobject.sharing_model == "Read":
                kinds["default"] = owners.all
            if access.view_all:
                kinds["view all"] = owners.all
        return kinds


def _at_scope(written: str, resource: str, action: str, granted: str, scope: Scope) -> str:
    """``written`` with the grant it is placed at: ``lead.create at own: ...``, or for an
    implied action the grant that implies it."""
    subject = f"{resource}.{action}"
    if granted != action:
        return f"{written} (implied by {resource}.{granted} at {scope.label})"
    if written.startswith(subject + " at "):
        return written
    return f"{subject} at {scope.label}{written[len(subject) :]}"


def _covering(kinds: Mapping[object, int], bits: int) -> list[object]:
    """The ways of reaching records that account for ``bits``, widest first, leaving
    out a way whose part of ``bits`` the ones before it already account for."""
    chosen: list[object] = []
    covered = 0
    ranked = sorted(kinds.items(), key=lambda item: (-(item[1] & bits).bit_count(), str(item[0])))
    for kind, mask in ranked:
        part = mask & bits
        if part & ~covered:
            chosen.append(kind)
            covered |= part
    return chosen


def _union(kinds: Mapping[object, int]) -> int:
    found = 0
    for mask in kinds.values():
        found |= mask
    return found


def questions(model: Model) -> list[tuple[str, str]]:
    """Every (resource, action) to compare: those that apply, and the object permissions
    that do not (Salesforce may still give them: Edit needs Read)."""
    catalog = model.access.catalog
    found = dict.fromkeys(catalog.permissions())
    for resource in model.resources:
        for action in OBJECT_ACTIONS:
            found.setdefault((resource, action))
    return list(found)


def compare(model: Model, plan: Plan) -> Fidelity:
    """The fidelity report of ``plan`` for ``model``."""
    comparison = Comparison(model, plan)
    found: dict[tuple[_Cause, Direction], set[str]] = {}
    lossy: set[tuple[str, str]] = set()
    named_under: set[str] = set()
    named_over: set[str] = set()
    for resource, action in questions(model):
        if resource not in plan.objects:
            continue
        for person in comparison.owners.people:
            mine = comparison.model_kinds(person, resource, action)
            theirs = comparison.salesforce_kinds(person, resource, action)
            model_reach, sf_reach = _union(mine), _union(theirs)
            if action in RECORD_ACTIONS:
                _named_groups(comparison, person, mine, sf_reach, named_under, named_over)
            if model_reach == sf_reach:
                continue
            lossy.add((resource, action))
            over, under = sf_reach & ~model_reach, model_reach & ~sf_reach
            causes: list[tuple[_Cause, Direction]] = []
            causes += [
                (_over(plan, resource, action, kind, bool(mine)), Direction.OVER)
                for kind in _covering(theirs, over)
            ]
            causes += [
                (_under(plan, resource, action, kind), Direction.UNDER)
                for kind in _covering(mine, under)
            ]
            for cause, direction in causes:
                for placed in comparison.at_grants(cause, person, resource, action, bool(mine)):
                    found.setdefault((placed, direction), set()).add(person)
    losses = [
        Loss(
            cause.construct,
            cause.path,
            cause.written,
            cause.carried,
            direction,
            tuple(sorted(people)),
        )
        for (cause, direction), people in found.items()
    ]
    losses += _record_groups(model, comparison, named_under, named_over)
    manual = _manual(model, plan, losses)
    return Fidelity(TARGET, tuple(losses), manual, _carried(model, plan, lossy, found))


def _over(plan: Plan, resource: str, action: str, kind: object, granted: bool) -> _Cause:
    at = ("resources", resource)
    if not granted:
        return _Cause(
            "grant",
            at,
            f"{resource}.{action}: not granted",
            "granted: Salesforce's object permissions require it (Create, Edit and View All "
            "need Read, Delete needs Edit)",
        )
    if kind == "create":
        return _Cause(
            "scope",
            at,
            f"{resource}.create: on some records only",
            "the Create object permission: any record",
        )
    if kind == "custom permission":
        name = plan.custom_permissions[(resource, action)].name
        return _Cause(
            "scope",
            at,
            f"{resource}.{action}: on some records only",
            f"the custom permission {name}: any record",
        )
    if kind == "hierarchy":
        return _Cause(
            "structure",
            at,
            f"{resource}.{action}: not on the records of one's reports",
            "the role hierarchy (reports_to) gives a manager the owner's access to the "
            "records of their reports",
        )
    if kind == "default":
        return _Cause(
            "baseline",
            (*at, "baseline"),
            f"{resource}.{action}: narrower",
            f"the organisation-wide default {plan.objects[resource].sharing_model}",
        )
    if isinstance(kind, tuple) and kind and isinstance(kind[0], tuple):
        origin, level = kind
        why = "Edit access (for update) includes Read" if level == EDIT else f"shared at {level}"
        if origin[0] == "sharing":
            return _Cause(
                "sharing-rule",
                ("sharing", origin[1]),
                f"{resource}.{action}: not shared by this rule",
                why,
            )
        return _Cause(
            "scope",
            at,
            f"{resource}.{action}: narrower than {origin[0]}",
            f"{why}, through the {origin[0]} sharing rule",
        )
    return _Cause("grant", at, f"{resource}.{action}: narrower", f"{kind}: every record")


def _under(plan: Plan, resource: str, action: str, kind: object) -> _Cause:
    at = ("resources", resource)
    if isinstance(kind, tuple):
        return _Cause(
            "sharing-rule",
            ("sharing", str(kind[1])),
            f"{resource}.{action}: shared by this rule",
            "not shared: Salesforce's sharing rules give Read or Edit, never Delete",
        )
    if kind == "subordinates":
        carried = (
            "the role hierarchy is flat (--salesforce-hierarchy flat)"
            if plan.hierarchy == "flat"
            else "the role hierarchy cannot hold a reporting cycle"
        )
        return _Cause("structure", at, f"{resource}.{action} at subordinates", carried)
    if action == "delete":
        how = (
            "no Modify All (it would also give Read and Edit on every record)"
            if kind == "organization"
            else "Salesforce's sharing never gives Delete"
        )
        return _Cause(
            "scope",
            at,
            f"{resource}.delete at {kind}",
            f"delete on one's own records and one's reports' only: {how}",
        )
    return _Cause("scope", at, f"{resource}.{action} at {kind}", "not carried")


def _record_groups(
    model: Model, comparison: Comparison, under: set[str], over: set[str]
) -> list[Loss]:
    """Salesforce shares by the owner's groups: a record that names a team or department
    of its own (not its owner's) is reached as its owner's."""
    written = "a record's own team or department, set apart from its owner's"
    losses = []
    if under:
        losses.append(
            Loss(
                "structure",
                ("teams",),
                written,
                "Salesforce shares by the owner's groups: a record naming one's team or "
                "department is not shared unless its owner is in it",
                Direction.UNDER,
                tuple(sorted(under)),
            )
        )
    if over:
        losses.append(
            Loss(
                "structure",
                ("teams",),
                written,
                "Salesforce shares by the owner's groups: a record is shared with its owner's "
                "team and department even when it names others",
                Direction.OVER,
                tuple(sorted(over)),
            )
        )
    return losses


def _named_groups(
    comparison: Comparison,
    person: str,
    mine: Mapping[object, int],
    sf_reach: int,
    under: set[str],
    over: set[str],
) -> None:
    """Whether a record naming a team or department (not its owner's) is decided
    differently for ``person``: the model reaches it by that team or department,
    Salesforce by the owner alone."""
    if "organization" in mine:
        return
    org, model = comparison.model.org, comparison.model
    teams, reach = org.teams_of(person), org.reach(person)
    model_reach = _union(mine)
    if (("team" in mine and teams) or ("department" in mine and reach)) and (
        comparison.owners.all & ~sf_reach & ~model_reach
    ):
        under.add(person)
    for kind, others in (
        ("team", set(model.teams) - teams),
        ("department", set(model.departments) - reach),
    ):
        rest = _union({k: m for k, m in mine.items() if k != kind})
        if kind in mine and others and sf_reach & model_reach & ~rest:
            over.add(person)


def _manual(model: Model, plan: Plan, losses: list[Loss]) -> tuple[str, ...]:
    steps = [
        "Deploy with `sf project deploy start --manifest manifest/package.xml`; Salesforce "
        "recalculates sharing after the rules and group members are in.",
        "Create the users (data/User.csv: add Username, Email, Alias, TimeZoneSidKey, "
        "LocaleSidKey, EmailEncodingKey, LanguageLocaleKey and ProfileId), then set each "
        "user's role from UserRoleDeveloperName.",
        "Assign the permission set groups (data/PermissionSetAssignment.csv) and add the "
        "group members (data/GroupMember.csv) after looking up the ids of users, groups "
        "and permission set groups by their developer names.",
    ]
    if plan.refused_names:
        steps.append(
            "settings.export.salesforce names that are not valid API names or are taken "
            f"were not used: {'; '.join(plan.refused_names)}. Rename them in the model."
        )
    if plan.dropped_reporting:
        steps.append(
            "The role hierarchy leaves out the reports_to of "
            f"{', '.join(plan.dropped_reporting)}: it would close a reporting cycle; break "
            "the cycle in the model."
        )
    if plan.custom_permissions:
        steps.append(
            "Make Flows, Apex (FeatureManagement.checkPermission) or component visibility "
            "check the custom permissions (customPermissions/): by themselves they do nothing."
        )
    hierarchy = {
        loss.written.split(".")[0]
        for loss in losses
        if loss.construct == "structure" and "role hierarchy" in loss.carried
    }
    covered = model.access.index.covered
    unchecked = sorted(
        plan.objects[resource].api
        for resource in hierarchy
        if resource in plan.objects
        and plan.objects[resource].custom
        and not any(
            covered(role, resource, action) & BIT[Scope.SUBORDINATES]
            and not covered(role, resource, action) & BIT[Scope.ORGANIZATION]
            for role in model.roles
            for action in RECORD_ACTIONS
            if model.access.catalog.applies(resource, action)
        )
    )
    if unchecked:
        steps.append(
            "Uncheck Grant Access Using Hierarchies (Setup, Sharing Settings) on "
            f"{', '.join(unchecked)}: no grant on them reaches subordinates, and the "
            "Metadata API cannot set it; that removes the role hierarchy's over-grants there."
        )
    standard = sorted(o.api for o in plan.objects.values() if not o.custom)
    if standard:
        steps.append(
            "Check the organisation-wide defaults of the standard objects "
            f"({', '.join(standard)}): Salesforce fixes some (Quote follows its opportunity, "
            "Product2 has none; Contact, Order and Contract may be controlled by their "
            "parent), and implicit sharing through Account ownership is not modelled: "
            "remove what the org refuses, and know that such objects' records are not "
            "decided as FIDELITY.md assumes."
        )
    per_object: dict[str, int] = {}
    for rule in plan.rules:
        per_object[rule.object] = per_object.get(rule.object, 0) + 1
    crowded = sorted(obj for obj, count in per_object.items() if count > OWNER_RULE_LIMIT)
    if crowded:
        steps.append(
            f"More than {OWNER_RULE_LIMIT} owner-based sharing rules on {', '.join(crowded)}: "
            "ask Salesforce to raise the limit, or merge teams or departments."
        )
    if len({role.name for role in plan.user_roles.values()}) > ROLE_LIMIT:
        steps.append(
            f"More than {ROLE_LIMIT} user roles (one per person): ask Salesforce to raise the "
            "limit, or export with --salesforce-hierarchy flat."
        )
    if any(rule.object == "Account" for rule in plan.rules):
        steps.append(
            "Account sharing rules share no related contacts, opportunities or cases "
            "(accountSettings None): widen them by hand if the model means to."
        )
    return tuple(steps)


def _carried(
    model: Model,
    plan: Plan,
    lossy: set[tuple[str, str]],
    found: Mapping[tuple[_Cause, Direction], set[str]],
) -> dict[str, int]:
    """What was carried exactly: the grants no loss is placed at (wildcards counted
    once per permission they expand to), the baselines and sharing rules of permissions
    without a difference, every field grant, and the structure (reporting lines in the
    role hierarchy, teams and departments as groups, inheritance as groups of sets)."""
    placed = {c.path for c, _ in found if c.path[0] == "roles"}
    grants = sum(
        1
        for role, grants in model.access.own_grants.items()
        for grant in grants.values()
        if grant.scope is not Scope.NONE
        and not grant.baseline
        and ("roles", role, "grants", grant.resource_key, grant.action_key) not in placed
    )
    baselines = sum(1 for permission in model.access.baselines if permission not in lossy)
    lost_rules = {c.path[1] for c, _ in found if c.construct == "sharing-rule"}
    field_grants = sum(
        1 for role in model.roles.values() for fields in role.fields.values() for _ in fields
    )
    structure = (
        sum(1 for role in plan.user_roles.values() if role.parent is not None)
        + len(model.teams)
        + len(model.departments)
        + len(plan.permission_set_groups)
    )
    return {
        "grant": grants,
        "baseline": baselines,
        "sharing-rule": sum(1 for rule_id in model.sharing if rule_id not in lost_rules),
        "field-permission": field_grants,
        "structure": structure,
    }
