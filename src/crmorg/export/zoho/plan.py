"""The plan of Zoho CRM API v8 requests for a model, and the facts it puts in Zoho.

Mapping (docs/crm-systems/zoho.md):

- **person -> user and position.** Each person becomes a Zoho user with a role of their
  own (a *position*) that reports to their manager's position; people without a manager
  report to the organisation's root role (``CEO``). Zoho lets a superior act on the
  records of every user below them, which is crmorg's ``subordinates`` reach exactly.
- **held roles -> profile.** A Zoho user has one profile, so each set of roles held
  together becomes a profile (cloned from ``Standard``) whose module permissions are the
  union of the roles' effective grants. Each role alone gets a profile too.
- **baselines -> data sharing defaults.** ``read`` (and ``update``, ``delete``) at
  ``organization`` for everyone with the permission is Zoho's Public Read Only (Public
  Read/Write, Public Read/Write/Delete); any other module stays Private.
- **team, department and organization reach -> sharing rules.** Records owned by the
  members of a team (by the people at or below a department, by all users) are shared
  with a user group of exactly the people whose grants reach them there.
- **sharing rules -> sharing rules** between user groups of the same people.
- **field permissions -> profile field permissions** (read/write, read only, hidden).

Ids are not known until deploy time: a body names what it refers to, and its step lists
where the id goes (``resolve``) and which step or existing object gives it (``ref``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.zoho.mapping import (
    API,
    BASE_PROFILE,
    OWNED_ACTIONS,
    RECORD_ACTIONS,
    ROOT_ROLE,
    field_of,
    module_of,
    permission_name,
)
from crmorg.model import Model
from crmorg.roles.scopes import Scope

Body = dict[str, Any]
ALL_USERS = "*"
"""A sharing rule's ``from`` of every user."""

READ = "read"
READ_WRITE_DELETE = "read_write_delete"
SHARE_TYPES = {
    frozenset(): "private",
    frozenset({"read"}): "public_read_only",
    frozenset({"read", "update"}): "public_read_write",
    frozenset({"read", "update", "delete"}): "public",
}
"""Actions at ``organization`` for everyone with the permission -> Zoho's share type."""
SHARE_TYPE_ACTIONS = {share_type: actions for actions, share_type in SHARE_TYPES.items()}
LEVEL_ACTIONS = {READ: frozenset({"read"}), READ_WRITE_DELETE: frozenset(OWNED_ACTIONS)}
"""What a Zoho sharing rule's ``permission_type`` lets its receivers do."""


@dataclass(frozen=True)
class Resolve:
    """Where an id goes in a step's body, and what gives it."""

    at: tuple[str | int, ...]
    ref: str
    """A step's name (``role:alice``) or something the organisation has already:
    ``existing-role:CEO``, ``existing-profile:Standard``,
    ``permission:Leads:Crm_Implied_View_Leads``, ``field:Deals:Margin``."""


@dataclass(frozen=True)
class Step:
    """One request of phase 2."""

    name: str
    method: str
    path: str
    """May hold ``{ref}`` placeholders, resolved like ``resolve``."""
    body: Body
    sdk: str
    """The SDK class of the body, under ``zohocrmsdk.src.com.zoho.crm.api``."""
    params: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    resolve: tuple[Resolve, ...] = ()
    creates: tuple[str, str] | None = None
    """(kind, name) of the object the step creates; deploying reuses one of that name."""
    resolve_permissions: bool = False
    """Each of the body's ``permissions_details`` gets the id of the organisation's
    permission of its ``module`` and ``name`` (``permission:<module>:<name>``)."""
    blocked: str | None = None
    """Why the step cannot run yet (a person without an email), or None."""


@dataclass(frozen=True)
class Read:
    """One request of phase 1: what the organisation has already."""

    name: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ZohoRule:
    """A sharing rule as Zoho applies it: records of ``resource`` owned by ``sources``
    (or every user) are shared with ``receivers`` at ``level``."""

    name: str
    resource: str
    sources: frozenset[str] | None
    """People whose records are shared; None for every user."""
    receivers: frozenset[str]
    level: str
    origin: tuple[str, str]
    """("sharing", rule id) for a crmorg sharing rule, or (kind, id) of the reach it
    draws: ("organization", ""), ("team", id), ("department", id)."""


@dataclass(frozen=True)
class Plan:
    """The requests, and the access they give in Zoho (read by the fidelity report)."""

    reads: tuple[Read, ...]
    steps: tuple[Step, ...]
    manager: Mapping[str, str | None]
    """Person -> the person their position reports to (None: the root role)."""
    profile_of: Mapping[str, tuple[str, ...]]
    """Person -> the roles of their profile."""
    profile_permissions: Mapping[tuple[str, ...], frozenset[tuple[str, str]]]
    """Profile (its roles) -> the (resource, action) record permissions it enables."""
    share_type: Mapping[str, str]
    """Resource -> its data sharing default."""
    rules: tuple[ZohoRule, ...]
    field_permissions: Mapping[tuple[tuple[str, ...], str, str], str]
    """(profile, resource, field) -> read_write, read_only or hidden."""
    compiled: CompiledModel = field(repr=False, compare=False)


def position_name(compiled: CompiledModel, person: str) -> str:
    return f"{compiled.people[person].name} [{person}]"


def profile_name(compiled: CompiledModel, roles: tuple[str, ...]) -> str:
    if not roles:
        return "crmorg: no access"
    if len(roles) == 1:
        return f"{compiled.roles[roles[0]].name} [{roles[0]}]"
    return "crmorg: " + " + ".join(roles)


def profile_step(roles: tuple[str, ...]) -> str:
    return "profile:" + ("+".join(roles) or "-")


def _clone_step(roles: tuple[str, ...]) -> str:
    return "clone-" + profile_step(roles)


def _kept_managers(compiled: CompiledModel) -> dict[str, str | None]:
    """Each person's manager, unless that closes a loop (Zoho's roles are a tree): a
    reporting cycle is cut at its person with the smallest id."""
    raw = {p: facts.manager for p, facts in compiled.people.items()}
    kept: dict[str, str | None] = {}
    for person, manager in raw.items():
        walk: list[str] = []
        above = manager
        while above is not None and above not in walk and above != person:
            walk.append(above)
            above = raw[above]
        in_cycle = above == person
        kept[person] = None if in_cycle and person == min([person, *walk]) else manager
    return kept


def _position_order(manager: Mapping[str, str | None]) -> list[str]:
    """Managers before the people who report to them, otherwise by id."""
    order: list[str] = []
    placed: set[str] = set()

    def place(person: str) -> None:
        if person in placed:
            return
        above = manager[person]
        if above is not None:
            place(above)
        placed.add(person)
        order.append(person)

    for person in sorted(manager):
        place(person)
    return order


def _reach(model: Model, person: str, resource: str, action: str, scope: str) -> bool:
    return model.allows(person, action, resource, scope)


def build_plan(model: Model) -> Plan:
    compiled = compile_model(model)
    people = compiled.people
    resources = compiled.resources
    applicable = compiled.applicable
    modules = {r: module_of(model, r) for r in resources}
    record_actions = {r: tuple(a for a in RECORD_ACTIONS if a in applicable[r]) for r in resources}
    reads: list[Read] = [
        Read("roles", f"{API}/settings/roles"),
        Read("profiles", f"{API}/settings/profiles"),
        Read("permissions", f"{API}/settings/profiles/{{existing-profile:{BASE_PROFILE}}}"),
        Read("users", f"{API}/users", {"type": "AllUsers"}),
        Read("user_groups", f"{API}/settings/user_groups"),
    ]
    steps: list[Step] = []

    # Positions: one role per person, in the reporting tree.
    manager = _kept_managers(compiled)
    for person in _position_order(manager):
        above = manager[person]
        ref = f"role:{above}" if above is not None else f"existing-role:{ROOT_ROLE}"
        reporting_name = position_name(compiled, above) if above is not None else ROOT_ROLE
        steps.append(
            Step(
                name=f"role:{person}",
                method="POST",
                path=f"{API}/settings/roles",
                body={
                    "roles": [
                        {
                            "name": position_name(compiled, person),
                            "description": f"crmorg position of {person}",
                            "reporting_to": {"name": reporting_name},
                            "share_with_peers": False,
                        }
                    ]
                },
                sdk="roles.BodyWrapper",
                depends_on=(ref,) if above is not None else (),
                resolve=(Resolve(("roles", 0, "reporting_to", "id"), ref),),
                creates=("role", position_name(compiled, person)),
            )
        )

    # Profiles: each role alone, and each set of roles held together.
    assignable = tuple(r for r in compiled.roles if not model.roles[r].abstract)
    profile_of = {p: tuple(r for r in people[p].roles) for p in people}
    keys = sorted({(r,) for r in assignable} | set(profile_of.values()))
    profile_permissions: dict[tuple[str, ...], frozenset[tuple[str, str]]] = {}
    for key in keys:
        enabled = frozenset(
            (r, a)
            for r in resources
            for a in record_actions[r]
            if any(model.allows(role, a, r, "own") for role in key)
        )
        profile_permissions[key] = enabled
        name = profile_name(compiled, key)
        description = "; ".join(compiled.roles[r].name for r in key) or "no crmorg role"
        steps.append(
            Step(
                name=_clone_step(key),
                method="POST",
                path=f"{API}/settings/profiles/{{existing-profile:{BASE_PROFILE}}}/actions/clone",
                body={"profiles": [{"name": name, "description": description}]},
                sdk="profiles.BodyWrapper",
                creates=("profile", name),
            )
        )
        details: list[Body] = []
        for r in resources:
            for a in RECORD_ACTIONS:
                permission = permission_name(modules[r], a)
                details.append(
                    {"name": permission, "module": modules[r], "enabled": (r, a) in enabled}
                )
        steps.append(
            Step(
                name=profile_step(key),
                method="PUT",
                path=f"{API}/settings/profiles/{{{_clone_step(key)}}}",
                body={"profiles": [{"name": name, "permissions_details": details}]},
                sdk="profiles.BodyWrapper",
                depends_on=(_clone_step(key),),
                resolve_permissions=True,
            )
        )

    # Users: each with their position and profile.
    for person in sorted(people):
        facts = people[person]
        email = model.people[person].email
        user: Body = {
            "last_name": facts.name[:50],
            "role": {"name": position_name(compiled, person)},
            "profile": {"name": profile_name(compiled, profile_of[person])},
        }
        if email:
            user["email"] = email
        steps.append(
            Step(
                name=f"user:{person}",
                method="POST",
                path=f"{API}/users",
                body={"users": [user]},
                sdk="users.BodyWrapper",
                depends_on=(f"role:{person}", _clone_step(profile_of[person])),
                resolve=(
                    Resolve(("users", 0, "role", "id"), f"role:{person}"),
                    Resolve(("users", 0, "profile", "id"), _clone_step(profile_of[person])),
                ),
                creates=("user", email or person),
                blocked=None
                if email
                else f"person {person} has no email in the model (Zoho invites users by email)",
            )
        )

    # Data sharing defaults, from the baselines at organization.
    share_type: dict[str, str] = {}
    for r in resources:
        public = {
            a
            for a in OWNED_ACTIONS
            if a not in applicable[r] or compiled.baselines.get((r, a)) is Scope.ORGANIZATION
        }
        share_type[r] = max(
            (t for actions, t in SHARE_TYPES.items() if actions <= public),
            key=lambda t: len(SHARE_TYPE_ACTIONS[t]),
        )
    steps.append(
        Step(
            name="data-sharing",
            method="PUT",
            path=f"{API}/settings/data_sharing",
            body={
                "data_sharing": [
                    {"module": {"api_name": modules[r]}, "share_type": share_type[r]}
                    for r in resources
                ]
            },
            sdk="data_sharing.BodyWrapper",
        )
    )

    # Rules: what each person's team, department and organization reach needs, and the
    # model's sharing rules. Their groups are made first.
    groups: dict[str, tuple[frozenset[str], str]] = {}
    rules: list[tuple[ZohoRule, str | None, str]] = []

    def members_group(kind: str, group_id: str) -> str:
        name = f"crmorg {kind} {group_id}"
        if name not in groups:
            members = compiled.group_members((kind, group_id))
            label = {
                "team": lambda i: compiled.teams[i].name,
                "department": lambda i: compiled.departments[i].name,
                "role": lambda i: compiled.roles[i].name,
            }[kind](group_id)
            groups[name] = (frozenset(members), f"members of {kind} {group_id}: {label}")
        return name

    def receivers_of(person_ok: Mapping[str, frozenset[str]], level: str) -> frozenset[str]:
        return frozenset(p for p, levels in person_ok.items() if level in levels)

    default = {r: SHARE_TYPE_ACTIONS[share_type[r]] for r in resources}
    for r in resources:
        owned = tuple(a for a in OWNED_ACTIONS if a in applicable[r])
        kinds: list[tuple[str, str, frozenset[str]]] = [("organization", "", frozenset(people))]
        kinds += [("team", t, frozenset(f.members)) for t, f in compiled.teams.items()]
        kinds += [
            ("department", d, frozenset(p for p in people if d in people[p].departments))
            for d in compiled.departments
        ]
        for kind, kind_id, candidates in kinds:
            scope = kind
            levels: dict[str, frozenset[str]] = {}
            for person in sorted(candidates):
                need = {
                    a for a in owned if a not in default[r] and _reach(model, person, r, a, scope)
                }
                have = need | set(default[r])
                if need & {"update", "delete"} and set(owned) <= have:
                    levels[person] = frozenset({READ_WRITE_DELETE})
                elif "read" in need:
                    levels[person] = frozenset({READ})
            for level in (READ, READ_WRITE_DELETE):
                receivers = receivers_of(levels, level)
                if not receivers:
                    continue
                if kind == "organization":
                    sources: frozenset[str] | None = None
                    source_group = None
                else:
                    source_group = members_group(kind, kind_id)
                    sources = groups[source_group][0]
                    if not sources:
                        continue
                to_name = f"crmorg {r} {level} {kind} {kind_id}".rstrip()
                groups[to_name] = (receivers, f"who reaches {r} at {kind} {kind_id}".rstrip())
                rule = ZohoRule(
                    f"crmorg {r} {level} {kind} {kind_id}".rstrip(),
                    r,
                    sources,
                    receivers,
                    level,
                    (kind, kind_id),
                )
                rules.append((rule, source_group, to_name))
    for shared_rule in compiled.sharing:
        actions = set(shared_rule.actions)
        owned = tuple(a for a in OWNED_ACTIONS if a in applicable[shared_rule.resource])
        if "read" in actions and set(owned) <= actions and len(owned) > 1:
            level = READ_WRITE_DELETE
        elif "read" in actions:
            level = READ
        else:
            continue
        source_group = members_group(*shared_rule.from_)
        to_group = members_group(*shared_rule.to)
        sources, receivers = groups[source_group][0], groups[to_group][0]
        if not sources or not receivers:
            continue
        rule = ZohoRule(
            f"crmorg sharing {shared_rule.id}",
            shared_rule.resource,
            sources,
            receivers,
            level,
            ("sharing", shared_rule.id),
        )
        rules.append((rule, source_group, to_group))

    for name, (members, description) in sorted(groups.items()):
        if not members:
            continue
        ordered = sorted(members)
        steps.append(
            Step(
                name=f"group:{name}",
                method="POST",
                path=f"{API}/settings/user_groups",
                body={
                    "user_groups": [
                        {
                            "name": name,
                            "description": description,
                            "sources": [
                                {
                                    "type": "users",
                                    "source": {"name": people[p].name},
                                    "subordinates": False,
                                }
                                for p in ordered
                            ],
                        }
                    ]
                },
                sdk="user_groups.BodyWrapper",
                depends_on=tuple(f"user:{p}" for p in ordered),
                resolve=tuple(
                    Resolve(("user_groups", 0, "sources", i, "source", "id"), f"user:{p}")
                    for i, p in enumerate(ordered)
                ),
                creates=("group", name),
            )
        )

    def shared(group: str | None, at: tuple[str | int, ...]) -> tuple[Body, list[Resolve]]:
        if group is None:
            return {"type": "all_users", "subordinates": False}, []
        return (
            {"type": "groups", "resource": {"name": group}, "subordinates": False},
            [Resolve((*at, "resource", "id"), f"group:{group}")],
        )

    for rule, source_group, to_group in sorted(rules, key=lambda item: item[0].name):
        shared_from, from_refs = shared(source_group, ("sharing_rules", 0, "shared_from"))
        shared_to, to_refs = shared(to_group, ("sharing_rules", 0, "shared_to"))
        steps.append(
            Step(
                name=f"rule:{rule.name}",
                method="POST",
                path=f"{API}/settings/data_sharing/rules",
                params={"module": modules[rule.resource]},
                body={
                    "sharing_rules": [
                        {
                            "name": rule.name,
                            "type": "Record_Owner_Based",
                            "module": {"api_name": modules[rule.resource]},
                            "shared_from": shared_from,
                            "shared_to": shared_to,
                            "permission_type": rule.level,
                            "superiors_allowed": False,
                        }
                    ]
                },
                sdk="sharing_rules.BodyWrapper",
                depends_on=tuple(r.ref for r in (*from_refs, *to_refs)),
                resolve=(*from_refs, *to_refs),
            )
        )

    # Field permissions, per profile.
    field_permissions: dict[tuple[tuple[str, ...], str, str], str] = {}
    holders: dict[tuple[str, ...], str] = {}
    for person in sorted(people):
        holders.setdefault(profile_of[person], person)
    for r in resources:
        declared = model.resources[r].fields
        for field_id in sorted(declared):
            api_name = field_of(model, r, field_id)
            entries: list[Body] = []
            resolve_fields: list[Resolve] = []
            for key in keys:
                if declared[field_id].restricted:
                    # A person's field access is not their roles' widest: a role's own
                    # counts where the person may act on the record (format v1.1 §12).
                    holder = holders.get(key)
                    access = (
                        model.field_access(holder, r, field_id)
                        if holder is not None
                        else max(
                            (model.field_access(role, r, field_id) for role in key),
                            key=("none", "read", "edit").index,
                            default="none",
                        )
                    )
                else:
                    access = "edit"
                permission = {"edit": "read_write", "read": "read_only", "none": "hidden"}[access]
                field_permissions[(key, r, field_id)] = permission
                resolve_fields.append(
                    Resolve(("fields", 0, "profiles", len(entries), "id"), _clone_step(key))
                )
                entries.append({"name": profile_name(compiled, key), "permission_type": permission})
            module = modules[r]
            reads_name = f"fields:{module}"
            if all(read.name != reads_name for read in reads):
                reads.append(Read(reads_name, f"{API}/settings/fields", {"module": module}))
            steps.append(
                Step(
                    name=f"field:{r}.{field_id}",
                    method="PUT",
                    path=f"{API}/settings/fields/{{field:{module}:{api_name}}}",
                    params={"module": module},
                    body={"fields": [{"api_name": api_name, "profiles": entries}]},
                    sdk="fields.BodyWrapper",
                    depends_on=tuple(_clone_step(k) for k in keys),
                    resolve=tuple(resolve_fields),
                )
            )

    return Plan(
        reads=tuple(reads),
        steps=tuple(steps),
        manager=manager,
        profile_of=profile_of,
        profile_permissions=profile_permissions,
        share_type=share_type,
        rules=tuple(rule for rule, _, _ in sorted(rules, key=lambda item: item[0].name)),
        field_permissions=field_permissions,
        compiled=compiled,
    )
