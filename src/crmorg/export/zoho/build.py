"""Builds the plan (:mod:`crmorg.export.zoho.plan`) from a model, one kind of request
per method, in the order they run: positions, profiles, users, data sharing defaults,
user groups, sharing rules, field permissions."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.zoho.mapping import (
    API,
    BASE_PROFILE,
    OWNED_ACTIONS,
    RECORD_ACTIONS,
    ROOT_ROLE,
    field_of,
    modules_of,
    permission_name,
)
from crmorg.export.zoho.plan import (
    FIELD_PERMISSIONS,
    READ,
    READ_WRITE_DELETE,
    SHARE_TYPE_ACTIONS,
    SHARE_TYPES,
    Body,
    Plan,
    Read,
    Resolve,
    Step,
    ZohoRule,
    clone_step,
    position_name,
    profile_name,
    profile_step,
)
from crmorg.model import Model
from crmorg.roles.scopes import Scope


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


class _Builder:
    """Builds the plan's steps, one kind of request per method, in the order they run."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.compiled = compiled = compile_model(model)
        self.people = compiled.people
        self.resources = compiled.resources
        self.applicable = compiled.applicable
        every_module = modules_of(model)
        self.modules = {r: every_module[r] for r in self.resources}
        self.reads: list[Read] = [
            Read("roles", f"{API}/settings/roles"),
            Read("profiles", f"{API}/settings/profiles"),
            Read("permissions", f"{API}/settings/profiles/{{existing-profile:{BASE_PROFILE}}}"),
            Read("users", f"{API}/users", {"type": "AllUsers"}),
            Read("user_groups", f"{API}/settings/user_groups"),
        ]
        self.steps: list[Step] = []
        self.manager = _kept_managers(compiled)
        self.profile_of = {p: facts.roles for p, facts in self.people.items()}
        assignable = {(r,) for r in compiled.roles if not model.roles[r].abstract}
        self.profiles = sorted(assignable | set(self.profile_of.values()))
        self.profile_permissions: dict[tuple[str, ...], frozenset[tuple[str, str]]] = {}
        self.share_type: dict[str, str] = {}
        self.groups: dict[str, tuple[frozenset[str], str]] = {}
        """Group name -> its members and its description."""
        self.rules: list[tuple[ZohoRule, str | None, str]] = []
        """Each rule with the names of its source group (None: all users) and receivers."""
        self.field_permissions: dict[tuple[tuple[str, ...], str, str], str] = {}
        self._receivers: dict[tuple[str, str], dict[frozenset[str], str]] = {}
        """(kind, id) -> each set of people a reach rule shares with -> its group."""

    def plan(self) -> Plan:
        self.positions()
        self.profile_steps()
        self.users()
        self.data_sharing()
        self.reach_rules()
        self.sharing_rules()
        self.group_steps()
        self.rule_steps()
        self.field_steps()
        return Plan(
            reads=tuple(self.reads),
            steps=tuple(self.steps),
            modules=self.modules,
            fields={
                r: {f: field_of(self.model, r, f) for f in sorted(self.model.resources[r].fields)}
                for r in self.resources
                if self.model.resources[r].fields
            },
            manager=self.manager,
            profile_of=self.profile_of,
            profile_permissions=self.profile_permissions,
            share_type=self.share_type,
            rules=tuple(rule for rule, _, _ in sorted(self.rules, key=lambda r: r[0].name)),
            field_permissions=self.field_permissions,
            compiled=self.compiled,
        )

    def positions(self) -> None:
        """One role per person, in the reporting tree."""
        compiled = self.compiled
        for person in _position_order(self.manager):
            above = self.manager[person]
            ref = f"role:{above}" if above is not None else f"existing-role:{ROOT_ROLE}"
            reporting_name = position_name(compiled, above) if above is not None else ROOT_ROLE
            role: Body = {
                "name": position_name(compiled, person),
                "description": f"crmorg position of {person}",
                "reporting_to": {"name": reporting_name},
                "share_with_peers": False,
            }
            self.steps.append(
                Step(
                    name=f"role:{person}",
                    method="POST",
                    path=f"{API}/settings/roles",
                    body={"roles": [role]},
                    sdk="roles.BodyWrapper",
                    depends_on=(ref,) if above is not None else (),
                    resolve=(Resolve(("roles", 0, "reporting_to", "id"), ref),),
                    creates=("role", position_name(compiled, person)),
                    update_path=f"{API}/settings/roles/{{existing}}",
                )
            )

    def profile_steps(self) -> None:
        """Each role alone, and each set of roles held together: cloned from Standard,
        then every module's four record permissions set."""
        model, compiled = self.model, self.compiled
        for key in self.profiles:
            enabled = frozenset(
                (r, a)
                for r in self.resources
                for a in RECORD_ACTIONS
                if a in self.applicable[r] and any(model.allows(role, a, r, "own") for role in key)
            )
            self.profile_permissions[key] = enabled
            name = profile_name(compiled, key)
            description = "; ".join(compiled.roles[r].name for r in key) or "no crmorg role"
            self.steps.append(
                Step(
                    name=clone_step(key),
                    method="POST",
                    path=f"{API}/settings/profiles/{{existing-profile:{BASE_PROFILE}}}/actions/clone",
                    body={"profiles": [{"name": name, "description": description}]},
                    sdk="profiles.BodyWrapper",
                    creates=("profile", name),
                )
            )
            details = [
                {
                    "name": permission_name(self.modules[r], a),
                    "module": self.modules[r],
                    "enabled": (r, a) in enabled,
                }
                for r in self.resources
                for a in RECORD_ACTIONS
            ]
            self.steps.append(
                Step(
                    name=profile_step(key),
                    method="PUT",
                    path=f"{API}/settings/profiles/{{{clone_step(key)}}}",
                    body={"profiles": [{"name": name, "permissions_details": details}]},
                    sdk="profiles.BodyWrapper",
                    depends_on=(clone_step(key),),
                    resolve_permissions=True,
                )
            )

    def users(self) -> None:
        """Each person with their position and profile; blocked without an email."""
        for person, facts in self.people.items():
            email = self.model.people[person].email
            profile = clone_step(self.profile_of[person])
            user: Body = {
                "last_name": facts.name[:50],
                "role": {"name": position_name(self.compiled, person)},
                "profile": {"name": profile_name(self.compiled, self.profile_of[person])},
            }
            if email:
                user["email"] = email
            blocked = f"person {person} has no email in the model (Zoho invites users by email)"
            self.steps.append(
                Step(
                    name=f"user:{person}",
                    method="POST",
                    path=f"{API}/users",
                    body={"users": [user]},
                    sdk="users.BodyWrapper",
                    depends_on=(f"role:{person}", profile),
                    resolve=(
                        Resolve(("users", 0, "role", "id"), f"role:{person}"),
                        Resolve(("users", 0, "profile", "id"), profile),
                    ),
                    creates=("user", email or person),
                    update_path=f"{API}/users/{{existing}}",
                    blocked=None if email else blocked,
                )
            )

    def data_sharing(self) -> None:
        """Each module's default, from its baselines at organization."""
        for r in self.resources:
            public = {
                a
                for a in OWNED_ACTIONS
                if a not in self.applicable[r]
                or self.compiled.baselines.get((r, a)) is Scope.ORGANIZATION
            }
            self.share_type[r] = max(
                (t for actions, t in SHARE_TYPES.items() if actions <= public),
                key=lambda t: len(SHARE_TYPE_ACTIONS[t]),
            )
        entries = [
            {"module": {"api_name": self.modules[r]}, "share_type": self.share_type[r]}
            for r in self.resources
        ]
        self.steps.append(
            Step(
                name="data-sharing",
                method="PUT",
                path=f"{API}/settings/data_sharing",
                body={"data_sharing": entries},
                sdk="data_sharing.BodyWrapper",
            )
        )

    def members_group(self, kind: str, group_id: str) -> str:
        """The user group of a sharing rule's group (format v1.1 §11), by name."""
        name = f"crmorg {kind} {group_id}"
        if name not in self.groups:
            compiled = self.compiled
            members = compiled.group_members((kind, group_id))
            label = {
                "team": lambda i: compiled.teams[i].name,
                "department": lambda i: compiled.departments[i].name,
                "role": lambda i: compiled.roles[i].name,
            }[kind](group_id)
            self.groups[name] = (frozenset(members), f"members of {kind} {group_id}: {label}")
        return name

    def reach_rules(self) -> None:
        """For each module and each team, department and the organization, a rule to the
        people whose grants reach there: Read/Write/Delete when they reach edit or delete
        and all three are theirs there (or by default), Read when they reach read."""
        people = self.people
        for r in self.resources:
            default = SHARE_TYPE_ACTIONS[self.share_type[r]]
            owned = tuple(a for a in OWNED_ACTIONS if a in self.applicable[r])
            reaches: list[tuple[str, str, frozenset[str]]] = [
                ("organization", "", frozenset(people))
            ]
            reaches += [("team", t, frozenset(f.members)) for t, f in self.compiled.teams.items()]
            reaches += [
                ("department", d, frozenset(p for p in people if d in people[p].departments))
                for d in self.compiled.departments
            ]
            for kind, kind_id, candidates in reaches:
                level_of: dict[str, str] = {}
                for person in sorted(candidates):
                    need = {
                        a
                        for a in owned
                        if a not in default and self.model.allows(person, a, r, kind)
                    }
                    if need & {"update", "delete"} and set(owned) <= need | default:
                        level_of[person] = READ_WRITE_DELETE
                    elif "read" in need:
                        level_of[person] = READ
                for level in (READ, READ_WRITE_DELETE):
                    receivers = frozenset(p for p, found in level_of.items() if found == level)
                    if receivers:
                        self._reach_rule(r, kind, kind_id, level, receivers)

    def _reach_rule(
        self, resource: str, kind: str, kind_id: str, level: str, receivers: frozenset[str]
    ) -> None:
        sources: frozenset[str] | None = None
        source_group = None
        if kind != "organization":
            source_group = self.members_group(kind, kind_id)
            sources = self.groups[source_group][0]
            if not sources:
                return
        name = f"crmorg {resource} {level} {kind} {kind_id}".rstrip()
        rule = ZohoRule(name, resource, sources, receivers, level, (kind, kind_id))
        self.rules.append((rule, source_group, self._receivers_group(kind, kind_id, receivers)))

    def _receivers_group(self, kind: str, kind_id: str, receivers: frozenset[str]) -> str:
        """The user group of the people a reach rule shares with: the team's (the
        department's) own group when it is all of them, otherwise one group per set of
        people, shared by every module's rules that reach them there (Zoho limits the
        number of groups)."""
        if kind != "organization" and self.groups[self.members_group(kind, kind_id)][0] == (
            receivers
        ):
            return self.members_group(kind, kind_id)
        where = f"{kind} {kind_id}".rstrip()
        found = self._receivers.setdefault((kind, kind_id), {})
        if receivers not in found:
            found[receivers] = f"crmorg reach {where} {len(found) + 1}"
            description = f"people whose grants reach records at {where}"
            self.groups[found[receivers]] = (receivers, description)
        return found[receivers]

    def sharing_rules(self) -> None:
        """The model's sharing rules: Read/Write/Delete when they give every record
        action, Read when they give read, and nothing without read."""
        for shared in self.compiled.sharing:
            actions = set(shared.actions)
            owned = tuple(a for a in OWNED_ACTIONS if a in self.applicable[shared.resource])
            if "read" in actions and set(owned) <= actions and len(owned) > 1:
                level = READ_WRITE_DELETE
            elif "read" in actions:
                level = READ
            else:
                continue
            source_group = self.members_group(*shared.from_)
            to_group = self.members_group(*shared.to)
            sources, receivers = self.groups[source_group][0], self.groups[to_group][0]
            if sources and receivers:
                rule = ZohoRule(
                    f"crmorg sharing {shared.id}",
                    shared.resource,
                    sources,
                    receivers,
                    level,
                    ("sharing", shared.id),
                )
                self.rules.append((rule, source_group, to_group))

    def group_steps(self) -> None:
        for name, (members, description) in sorted(self.groups.items()):
            if not members:
                continue
            ordered = sorted(members)
            sources = [
                {"type": "users", "source": {"name": self.people[p].name}, "subordinates": False}
                for p in ordered
            ]
            self.steps.append(
                Step(
                    name=f"group:{name}",
                    method="POST",
                    path=f"{API}/settings/user_groups",
                    body={
                        "user_groups": [
                            {"name": name, "description": description, "sources": sources}
                        ]
                    },
                    sdk="user_groups.BodyWrapper",
                    depends_on=tuple(f"user:{p}" for p in ordered),
                    resolve=tuple(
                        Resolve(("user_groups", 0, "sources", i, "source", "id"), f"user:{p}")
                        for i, p in enumerate(ordered)
                    ),
                    creates=("group", name),
                    update_path=f"{API}/settings/user_groups/{{existing}}",
                )
            )

    def rule_steps(self) -> None:
        def shared(group: str | None, key: str) -> tuple[Body, list[Resolve]]:
            if group is None:
                return {"type": "all_users", "subordinates": False}, []
            at = ("sharing_rules", 0, key, "resource", "id")
            return (
                {"type": "groups", "resource": {"name": group}, "subordinates": False},
                [Resolve(at, f"group:{group}")],
            )

        for rule, source_group, to_group in sorted(self.rules, key=lambda item: item[0].name):
            shared_from, from_refs = shared(source_group, "shared_from")
            shared_to, to_refs = shared(to_group, "shared_to")
            module = self.modules[rule.resource]
            body = {
                "name": rule.name,
                "type": "Record_Owner_Based",
                "module": {"api_name": module},
                "shared_from": shared_from,
                "shared_to": shared_to,
                "permission_type": rule.level,
                "superiors_allowed": False,
            }
            self.steps.append(
                Step(
                    name=f"rule:{rule.name}",
                    method="POST",
                    path=f"{API}/settings/data_sharing/rules",
                    params={"module": module},
                    body={"sharing_rules": [body]},
                    sdk="sharing_rules.BodyWrapper",
                    depends_on=tuple(r.ref for r in (*from_refs, *to_refs)),
                    resolve=(*from_refs, *to_refs),
                    creates=("rule", rule.name),
                    update_path=f"{API}/settings/data_sharing/rules/{{existing}}",
                )
            )
            read_name = f"sharing_rules:{module}"
            if all(read.name != read_name for read in self.reads):
                self.reads.append(
                    Read(read_name, f"{API}/settings/data_sharing/rules", {"module": module})
                )

    def field_access(self, key: tuple[str, ...], resource: str, field_id: str) -> str:
        """A profile's access to a restricted field: a holder's (a person's field access
        is not their roles' widest: a role's own counts where the person may act on the
        record, format v1.1 §12), or for a profile nobody holds, its roles' widest."""
        holder = self._holders.get(key)
        if holder is not None:
            return self.model.field_access(holder, resource, field_id)
        return max(
            (self.model.field_access(role, resource, field_id) for role in key),
            key=("none", "read", "edit").index,
            default="none",
        )

    @cached_property
    def _holders(self) -> dict[tuple[str, ...], str]:
        found: dict[tuple[str, ...], str] = {}
        for person in sorted(self.people):
            found.setdefault(self.profile_of[person], person)
        return found

    def field_steps(self) -> None:
        """Each declared field's permission in every profile."""
        for r in self.resources:
            declared = self.model.resources[r].fields
            module = self.modules[r]
            for field_id in sorted(declared):
                api_name = field_of(self.model, r, field_id)
                entries: list[Body] = []
                refs: list[Resolve] = []
                for key in self.profiles:
                    restricted = declared[field_id].restricted
                    access = self.field_access(key, r, field_id) if restricted else "edit"
                    permission = FIELD_PERMISSIONS[access]
                    self.field_permissions[(key, r, field_id)] = permission
                    at = ("fields", 0, "profiles", len(entries), "id")
                    refs.append(Resolve(at, clone_step(key)))
                    entries.append(
                        {"name": profile_name(self.compiled, key), "permission_type": permission}
                    )
                read_name = f"fields:{module}"
                if all(read.name != read_name for read in self.reads):
                    self.reads.append(Read(read_name, f"{API}/settings/fields", {"module": module}))
                self.steps.append(
                    Step(
                        name=f"field:{r}.{field_id}",
                        method="PUT",
                        path=f"{API}/settings/fields/{{field:{module}:{api_name}}}",
                        params={"module": module},
                        body={"fields": [{"api_name": api_name, "profiles": entries}]},
                        sdk="fields.BodyWrapper",
                        depends_on=tuple(clone_step(k) for k in self.profiles),
                        resolve=tuple(refs),
                    )
                )


def build_plan(model: Model) -> Plan:
    """The plan for ``model``: its steps, and the access they give in Zoho."""
    return _Builder(model).plan()
