"""What the addon holds, worked out once from the model: groups, access rights, record
rules and the organisation's records. The renderers only write it out.

- Each role is a ``res.groups`` whose ``implied_ids`` are the roles it inherits; Odoo
  gives a user every implied group, so inherited grants hold as crmorg says.
- Each grant of ``create``/``read``/``update``/``delete`` is an access right
  (``ir.model.access``: create, read, write, unlink) and a record rule (``ir.rule``) of
  the role's group for the records its scope reaches. Rules of the groups a user is in
  are OR-ed, so every role's scopes add up; an access right never comes without a rule
  (a group with an access right and no rule would reach every record).
- A baseline is one more rule of each group that grants the action.
- A sharing rule is a rule of the receiving group: it has no access right of its own,
  so the object permission still gates it, as crmorg says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.odoo import domains
from crmorg.export.odoo.domains import Domain, Leaf, ref_ids
from crmorg.export.odoo.mapping import Mapping, OdooModel, resource_mapping
from crmorg.model import Model
from crmorg.roles.scopes import Scope

PERMS: dict[str, str] = {
    "read": "perm_read",
    "update": "perm_write",
    "create": "perm_create",
    "delete": "perm_unlink",
}
"""crmorg action -> the Odoo permission flag that carries it (in the order Odoo lists them)."""


def clean(text: str) -> str:
    """Free text as one line of visible characters (hidden ones shown as ``\\u202e``)."""
    from crmorg.text import clean_text

    return " ".join(clean_text(text).split())


class XmlIds:
    """External ids made from ids, each used once: a collision gets a number."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(self, *parts: str) -> str:
        base = "_".join(p.replace(".", "_") for p in parts)
        found, n = base, 2
        while found in self._used:
            found, n = f"{base}_{n}", n + 1
        self._used.add(found)
        return found


@dataclass(frozen=True)
class Group:
    xmlid: str
    name: str
    implied: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class Access:
    xmlid: str
    group: str
    model: OdooModel
    perms: frozenset[str]


@dataclass(frozen=True)
class Rule:
    xmlid: str
    name: str
    model: OdooModel
    groups: tuple[str, ...]
    domain: str
    perms: frozenset[str]


@dataclass(frozen=True)
class Department:
    xmlid: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class Team:
    xmlid: str
    name: str
    leader: str | None
    members: tuple[tuple[str, str], ...]
    """(crm.team.member xmlid, user xmlid)."""


@dataclass(frozen=True)
class Person:
    id: str
    user: str
    name: str
    groups: tuple[str, ...]
    employee: str
    manager: str | None
    department: str | None


@dataclass(frozen=True)
class Plan:
    compiled: CompiledModel
    mapping: Mapping
    version: str
    groups: tuple[Group, ...]
    accesses: tuple[Access, ...]
    rules: tuple[Rule, ...]
    departments: tuple[Department, ...]
    teams: tuple[Team, ...]
    people: tuple[Person, ...]
    custom_models: tuple[tuple[str, OdooModel], ...]
    """(resource, model) for each custom model the module declares."""
    models: tuple[OdooModel, ...]
    """Every Odoo model the resources map to, by name."""
    role_groups: dict[str, str] = field(default_factory=dict)
    employee_department: dict[str, str | None] = field(default_factory=dict)
    """Person -> the one department their employee record holds."""


def group_field(version: str) -> str:
    """``res.users``' field of groups: ``groups_id`` up to 18, ``group_ids`` in 19."""
    return "group_ids" if version == "19" else "groups_id"


def all_groups_field(version: str) -> str:
    """``res.users``' field of groups with the implied ones: ``all_group_ids`` in 19;
    up to 18 ``groups_id`` holds them too."""
    return "all_group_ids" if version == "19" else "groups_id"


def employee_department(compiled: CompiledModel, person: str) -> str | None:
    """The one department Odoo's employee record holds: of the person's departments,
    the first (sorted) of those with none of the others above it."""
    held = compiled.people[person].departments
    if not held:
        return None

    def above(dept: str) -> set[str]:
        found: set[str] = set()
        parent = compiled.departments[dept].parent
        while parent is not None and parent not in found:
            found.add(parent)
            parent = compiled.departments[parent].parent
        return found

    tops = [d for d in held if not (above(d) & set(held))]
    return sorted(tops or held)[0]


def role_scopes(compiled: CompiledModel) -> dict[str, dict[tuple[str, str], set[Scope]]]:
    """Role -> (resource, action) -> the scopes its own grants and the baselines give."""
    found: dict[str, dict[tuple[str, str], set[Scope]]] = {}
    for role_id, role in compiled.roles.items():
        scopes: dict[tuple[str, str], set[Scope]] = defaultdict(set)
        for grant in role.grants:
            if grant.scope is not Scope.NONE:
                scopes[(grant.resource, grant.action)].add(grant.scope)
        for permission in list(scopes):
            baseline = compiled.baselines.get(permission)
            if baseline is not None and baseline is not Scope.NONE:
                scopes[permission].add(baseline)
        found[role_id] = dict(scopes)
    return found


def build_plan(model: Model, version: str) -> Plan:
    compiled = compile_model(model)
    mapping = resource_mapping(model, compiled.resources)
    ids = XmlIds()
    role_groups = {role: ids.make("group_role", role) for role in compiled.roles}
    groups = [
        Group(
            role_groups[role_id],
            _group_name(role_id, role.name),
            tuple(role_groups[r] for r in role.inherits),
            f"role {role_id} ({role.source})",
        )
        for role_id, role in compiled.roles.items()
    ]
    accesses: dict[tuple[str, str], set[str]] = defaultdict(set)
    rule_perms: dict[tuple[tuple[str, ...], str, str], set[str]] = defaultdict(set)
    rule_names: dict[tuple[tuple[str, ...], str, str], tuple[str, tuple[str, ...]]] = {}
    """Each rule's name and the parts of its external id, from the first grant making it."""
    for role_id, scopes in role_scopes(compiled).items():
        group = role_groups[role_id]
        for (resource, action), held in sorted(scopes.items()):
            if action not in PERMS:
                continue
            odoo = mapping.models[resource]
            for scope in sorted(held):
                domain = scope_domain(mapping, resource, scope)
                if domain is None:
                    continue
                key = ((group,), odoo.name, domains.text(domain))
                rule_perms[key].add(PERMS[action])
                rule_names.setdefault(
                    key,
                    (f"{role_id}: {resource} at {scope.label}", (role_id, resource, scope.label)),
                )
                accesses[(group, odoo.name)].add(PERMS[action])
    sharing_groups: list[Group] = []
    for rule in compiled.sharing:
        odoo = mapping.models[rule.resource]
        perms = {PERMS[a] for a in rule.actions if a in PERMS}
        if not perms:
            continue
        kind, target = rule.to
        if kind == "role":
            receivers = role_groups[target]
        else:
            receivers = ids.make("group_sharing", rule.id)
            sharing_groups.append(
                Group(receivers, f"crmorg sharing {rule.id}", (), f"sharing rule {rule.id}")
            )
        domain = domains.discriminated(
            from_domain(compiled, odoo, rule.from_, role_groups, version),
            mapping.discriminators.get(rule.resource),
        )
        key = ((receivers,), odoo.name, domains.text(domain))
        rule_perms[key] |= perms
        rule_names.setdefault(key, (f"sharing {rule.id}: {rule.resource}", ("sharing", rule.id)))
    models = {m.name: m for m in mapping.models.values()}
    rules = tuple(
        Rule(
            ids.make("rule", *rule_names[key][1]),
            rule_names[key][0],
            models[name],
            rule_groups,
            domain,
            frozenset(perms),
        )
        for key in sorted(rule_perms)
        for rule_groups, name, domain in [key]
        for perms in [rule_perms[key]]
    )
    access = tuple(
        Access(ids.make("access", group, name), group, models[name], frozenset(perms))
        for (group, name), perms in sorted(accesses.items())
    )
    departments = tuple(
        Department(
            ids.make("department", d.id),
            clean(d.name) or d.id,
            None if d.parent is None else f"department_{d.parent}",
        )
        for d in compiled.departments.values()
    )
    users = {p: ids.make("user", p) for p in compiled.people}
    employees = {p: ids.make("employee", p) for p in compiled.people}
    receivers_of: dict[str, list[str]] = defaultdict(list)
    for rule in compiled.sharing:
        if rule.to[0] != "role" and any(a in PERMS for a in rule.actions):
            for person in compiled.group_members(rule.to):
                receivers_of[person].append(f"group_sharing_{rule.id}")
    chosen = {p: employee_department(compiled, p) for p in compiled.people}
    people = tuple(
        Person(
            person_id,
            users[person_id],
            clean(person.name) or person_id,
            tuple(sorted({*(role_groups[r] for r in person.roles), *receivers_of[person_id]})),
            employees[person_id],
            None if person.manager is None else employees[person.manager],
            None if chosen[person_id] is None else f"department_{chosen[person_id]}",
        )
        for person_id, person in compiled.people.items()
    )
    teams = tuple(
        Team(
            ids.make("team", team_id),
            clean(team.name) or team_id,
            _leader(model, team_id, users),
            tuple((ids.make("membership", team_id, p), users[p]) for p in team.members),
        )
        for team_id, team in compiled.teams.items()
    )
    custom = tuple(sorted(((r, m) for r, m in mapping.models.items() if m.custom),
                          key=lambda pair: pair[1].name))  # fmt: skip
    return Plan(
        compiled, mapping, version, (*groups, *sharing_groups), access, rules, departments,
        teams, people, custom, tuple(sorted(models.values(), key=lambda m: m.name)),
        role_groups, chosen,
    )  # fmt: skip


def _group_name(role_id: str, name: str) -> str:
    """A group's name, unique in its category as Odoo requires: the role's name and id."""
    shown = clean(name)
    return role_id if shown in ("", role_id) else f"{shown} ({role_id})"


def _leader(model: Model, team_id: str, users: dict[str, str]) -> str | None:
    lead = model.teams[team_id].lead
    return users.get(lead) if lead is not None else None


def scope_domain(mapping: Mapping, resource: str, scope: Scope) -> Domain | None:
    found = domains.scope_domain(mapping.models[resource], scope)
    if found is None:
        return None
    return domains.discriminated(found, mapping.discriminators.get(resource))


def from_domain(
    compiled: CompiledModel,
    odoo: OdooModel,
    group: tuple[str, str],
    role_groups: dict[str, str],
    version: str,
) -> Domain:
    """Records owned by a member of a sharing rule's ``from`` group."""
    kind, target = group
    if kind == "role":
        return domains.owners_in(odoo, all_groups_field(version), ref_ids(role_groups[target]))
    if kind == "team":
        return domains.owners_in(odoo, "crm_team_ids", ref_ids(f"team_{target}"))
    members = domains.logins(sorted(compiled.group_members(group)))
    if not members:
        return (Leaf(0, "=", 1),)
    return domains.owners_in(odoo, "login", members)
