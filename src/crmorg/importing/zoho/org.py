"""A Zoho CRM organisation's access design as read (from saved API responses or from
crmorg's own plan), and the crmorg document it becomes.

Zoho decides a record action when the user's **profile** enables it on the module and
the user owns the record, or the module's data sharing default allows it to everyone,
or the owner's role is below the user's (or the same, when the role shares data with
peers), or a sharing rule shares the owner's records with the user. So:

- a profile -> a crmorg role: View, Edit, Delete at ``subordinates`` (the role tree is
  the people's reporting line), Create at ``organization`` (the creator picks any
  owner); Export, Import and Change Owner -> ``export``, ``import``, ``assign``;
- a data sharing default -> the resource's baseline at ``organization``;
- a user -> a person holding their profile's role, reporting to the user of the role
  above theirs;
- a user group -> a team; a sharing rule -> a crmorg sharing rule between teams;
- a profile's field permission -> a restricted field and the role's field access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crmorg.findings import Finding
from crmorg.importing.core import unmapped
from crmorg.permissions.models import BUILTIN_ACTIONS

VERBS = {"View": "read", "Create": "create", "Edit": "update", "Delete": "delete"}
"""A profile's record permission -> the crmorg action."""
SHARE_TYPES = {
    "private": (),
    "public_read_only": ("read",),
    "public_read_write": ("read", "update"),
    "public": ("read", "update", "delete"),
    "public_read_write_delete": ("read", "update", "delete"),
}
LEVELS = {"read": ["read"], "read_write_delete": ["read", "update", "delete"]}
FIELD_ACCESS = {"read_write": "edit", "read_only": "read", "hidden": "none"}
_ID = re.compile(r"[^a-z0-9]+")
_VALID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class At:
    """A place in the source: a file (relative) and a line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Role:
    key: str
    name: str
    parent: str | None
    peers: bool
    at: At


@dataclass
class Profile:
    key: str
    name: str
    at: At
    hint: str = ""
    """A crmorg role id to prefer (crmorg's own plan names it)."""
    record: set[tuple[str, str]] = field(default_factory=set)
    """(module, crmorg action) enabled."""


@dataclass
class User:
    key: str
    name: str
    email: str
    role: str | None
    profile: str | None
    at: At
    hint: str = ""
    stated_manager: tuple[str, str, At] | None = None
    """The user's own ``Reporting_To`` (user key, name, where), which Zoho's access does
    not follow: reported when it is not the manager the role hierarchy gives."""


@dataclass
class Group:
    key: str
    name: str
    members: frozenset[str]
    at: At
    description: str = ""


@dataclass
class Side:
    """A sharing rule's ``shared_from`` or ``shared_to``: every user, or a set of them."""

    label: str
    members: frozenset[str] | None
    """None: every user."""
    group: str | None = None
    """The user group it is, exactly (its team is used)."""


@dataclass
class Rule:
    name: str
    module: str
    source: Side
    receivers: Side
    actions: list[str]
    at: At


@dataclass
class Module:
    api_name: str
    resource: str
    name: str
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Field API name -> (crmorg field id, label)."""


@dataclass
class Org:
    """Everything read, in the order read."""

    organization: str = "Zoho CRM organisation"
    roles: dict[str, Role] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    modules: dict[str, Module] = field(default_factory=dict)
    share_type: dict[str, str] = field(default_factory=dict)
    extra: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(profile, crmorg action: export, import, assign) -> the modules it is on for."""
    field_permission: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(profile, module, field API name) -> read_write, read_only or hidden."""
    findings: list[Finding] = field(default_factory=list)

    def lost(self, message: str, at: At, subjects: Iterable[str] = ()) -> None:
        self.findings.append(unmapped(message, at.file, at.line, at.column, subjects))

    def module(self, api_name: str, resource: str | None = None, name: str = "") -> Module:
        found = self.modules.get(api_name)
        if found is None:
            found = Module(api_name, resource or module_resource(api_name), name or api_name)
            self.modules[api_name] = found
        return found


def slug(text: str, fallback: str) -> str:
    """A crmorg id made of ``text``: lower case letters, digits and ``_``, starting with
    a letter (``fallback`` when nothing of it is left); a valid id stays as it is."""
    if _VALID.fullmatch(text):
        return text
    found = _ID.sub("_", text.lower()).strip("_")
    if not found or not found[0].isalpha():
        found = f"{fallback}_{found}".rstrip("_") if found else fallback
    return found[:60].rstrip("_")


def module_resource(api_name: str) -> str:
    """The crmorg resource of a Zoho module: the standard ones by meaning, the others by
    name (``Service_Ticket`` -> ``service_ticket``)."""
    from crmorg.export.zoho.mapping import STANDARD_MODULES

    for resource, module in STANDARD_MODULES.items():
        if module == api_name:
            return resource
    return slug(api_name, "module")


class _Ids:
    """Unique ids, deterministic: the first keeps the id, the next get ``_2``, ``_3``."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, wanted: str) -> str:
        found, n = wanted, 1
        while found in self.taken:
            n += 1
            found = f"{wanted}_{n}"
        self.taken.add(found)
        return found


def document(org: Org) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The crmorg document of ``org`` and the origin of each entry."""
    origins: dict[tuple[str, str], str] = {}
    resources: dict[str, Any] = {}
    resource_of: dict[str, str] = {}
    resource_ids = _Ids()
    for api_name, module in org.modules.items():
        resource = resource_ids.make(module.resource)
        resource_of[api_name] = resource
        entry: dict[str, Any] = {"name": module.name}
        public = SHARE_TYPES.get(org.share_type.get(api_name, "private"), ())
        if public:
            entry["baseline"] = dict.fromkeys(public, "organization")
        fields: dict[str, Any] = {}
        for api_field, (field_id, label) in module.fields.items():
            restricted = any(
                org.field_permission.get((p, api_name, api_field), "read_write") != "read_write"
                for p in org.profiles
            )
            fields[field_id] = {"name": label, **({"restricted": True} if restricted else {})}
        if fields:
            entry["fields"] = fields
        own_actions = sorted(
            action
            for (_, action), modules in org.extra.items()
            if api_name in modules and action not in BUILTIN_ACTIONS
        )
        if own_actions:  # a model-specific action applies only where a resource lists it
            entry["actions"] = [*BUILTIN_ACTIONS, *dict.fromkeys(own_actions)]
        resources[resource] = entry

    roles: dict[str, Any] = {}
    role_of: dict[str, str] = {}
    role_ids = _Ids()
    for key, profile in org.profiles.items():
        role_id = role_ids.make(slug(profile.hint or profile.name, "profile"))
        role_of[key] = role_id
        grants: dict[str, dict[str, str]] = {}
        for api_name, action in sorted(profile.record):
            scope = "organization" if action == "create" else "subordinates"
            grants.setdefault(resource_of[api_name], {})[action] = scope
        for (owner, action), modules in sorted(org.extra.items()):
            if owner != key:
                continue
            for api_name in sorted(modules):
                scope = "organization" if action == "import" else "subordinates"
                grants.setdefault(resource_of[api_name], {})[action] = scope
        role: dict[str, Any] = {"name": profile.name}
        if grants:
            role["grants"] = {r: dict(sorted(a.items())) for r, a in sorted(grants.items())}
        field_grants: dict[str, dict[str, str]] = {}
        for api_name, module in org.modules.items():
            for api_field, (field_id, _) in module.fields.items():
                if not resources[resource_of[api_name]]["fields"][field_id].get("restricted"):
                    continue
                # A profile the fields response does not list is not granted a
                # restricted field: what it may do there is unknown.
                access = FIELD_ACCESS.get(
                    org.field_permission.get((key, api_name, api_field), "hidden"), "none"
                )
                if access != "none":
                    field_grants.setdefault(resource_of[api_name], {})[field_id] = access
        if field_grants:
            role["fields"] = field_grants
        roles[role_id] = role
        origins[("roles", role_id)] = str(profile.at)

    person_of: dict[str, str] = {}
    person_ids = role_ids  # one namespace: `allows` takes a role or a person id
    for key, user in org.users.items():
        person_of[key] = person_ids.make(slug(user.hint, "user") if user.hint else _person_id(user))
    holders: dict[str, list[str]] = {}
    for key, user in org.users.items():
        if user.role is not None:
            holders.setdefault(user.role, []).append(key)
    manager_of = _managers(org, holders)

    teams: dict[str, Any] = {}
    team_ids = _Ids()
    members_of: dict[str, list[str]] = {}
    team_of_group: dict[str, str] = {}
    for key, group in org.groups.items():
        team_id = team_ids.make(slug(group.name, "group"))
        team_of_group[key] = team_id
        teams[team_id] = {"name": group.name}
        origins[("teams", team_id)] = str(group.at)
        for member in sorted(group.members):
            members_of.setdefault(member, []).append(team_id)

    made: dict[frozenset[str] | None, str] = {}

    def side_team(side: Side, at: At) -> str:
        if side.group is not None and side.group in team_of_group:
            return team_of_group[side.group]
        members = side.members
        if members in made:
            return made[members]
        team_id = team_ids.make(slug(side.label, "group"))
        made[members] = team_id
        teams[team_id] = {"name": side.label}
        origins[("teams", team_id)] = str(at)
        for member in sorted(org.users if members is None else members):
            members_of.setdefault(member, []).append(team_id)
        return team_id

    sharing: dict[str, Any] = {}
    rule_ids = _Ids()
    for rule in org.rules:
        if rule.module not in resource_of:
            continue
        rule_id = rule_ids.make(slug(rule.name, "rule"))
        sharing[rule_id] = {
            "name": rule.name,
            "resource": resource_of[rule.module],
            "from": {"team": side_team(rule.source, rule.at)},
            "to": {"team": side_team(rule.receivers, rule.at)},
            "actions": list(rule.actions),
        }
        origins[("sharing", rule_id)] = str(rule.at)

    people: dict[str, Any] = {}
    for key, user in org.users.items():
        person: dict[str, Any] = {"name": user.name or user.email or person_of[key]}
        if user.email:
            person["email"] = user.email
        if user.profile is not None and user.profile in role_of:
            person["roles"] = [role_of[user.profile]]
        manager = manager_of.get(key)
        if manager is not None:
            person["reports_to"] = person_of[manager]
        if key in members_of:
            person["teams"] = sorted(set(members_of[key]))
        people[person_of[key]] = person
        origins[("people", person_of[key])] = str(user.at)

    doc: dict[str, Any] = {"version": 1, "organization": {"name": org.organization}}
    custom = sorted({action for _, action in org.extra} - set(BUILTIN_ACTIONS))
    if custom:  # the mass permissions, as actions of their own (see api_reader)
        doc["actions"] = custom
    doc["resources"] = resources
    doc["roles"] = roles
    if teams:
        doc["teams"] = teams
    doc["people"] = people
    if sharing:
        doc["sharing"] = sharing
    return doc, origins


def _person_id(user: User) -> str:
    """From the name where it has Latin letters or digits, else from the email's local
    part (``王小明 <wang@...>`` -> ``wang``)."""
    for text in (user.name, user.email.split("@", 1)[0]):
        found = slug(text, "user")
        if found != "user":
            return found
    return "user"


def _managers(org: Org, holders: dict[str, list[str]]) -> dict[str, str]:
    """Each user's manager: the first user (in reading order) of the nearest role above
    theirs that someone holds. A superior role held by several users, and a role that
    shares data with its peers, is a finding: crmorg's reporting line names one manager
    per person and has no peer reach."""
    found: dict[str, str] = {}
    reported: set[str] = set()
    for key, user in org.users.items():
        if user.role is None:
            continue
        walk: list[str] = []
        above = org.roles[user.role].parent if user.role in org.roles else None
        while above is not None and above not in walk and above in org.roles:
            walk.append(above)
            if holders.get(above):
                break
            above = org.roles[above].parent
        if not walk or not holders.get(walk[-1]):
            continue
        superior = walk[-1]
        found[key] = holders[superior][0]
        if len(holders[superior]) > 1 and superior not in reported:
            reported.add(superior)
            role = org.roles[superior]
            org.lost(
                f"Zoho role {role.name!r} is held by {len(holders[superior])} users: the users "
                "below it report to its first user only in crmorg (one manager per person), "
                "so its other users lose their reach to the records below them "
                "(under-grants)",
                role.at,
                [role.name],
            )
    for key, user in org.users.items():
        stated = user.stated_manager
        if stated is not None and stated[0] != found.get(key):
            org.lost(
                f"user {user.name!r} reports to {stated[1]!r} (Reporting_To), not to the user "
                "of the role above theirs: crmorg's reporting line follows the role "
                "hierarchy, which Zoho's access follows; Reporting_To is not carried",
                stated[2],
                [user.name],
            )
    for key, role in org.roles.items():
        if role.peers and len(holders.get(key, [])) > 1:
            org.lost(
                f"Zoho role {role.name!r} shares data with peers: crmorg has no reach to the "
                "records of the people holding the same position (under-grants)",
                role.at,
                [role.name],
            )
    return found
