"""Zoho CRM's record access, as its documentation describes it, read from the files of
a ``zoho`` export (``plan.json`` and the bodies under ``requests/``), never from the
exporter's own objects.

A user may act on a record of a module when their **profile** enables the permission
(View, Create, Edit, Delete) on the module, **and** one of:
- they own the record;
- the module's data sharing default allows the action to everyone (Public Read Only:
  view; Public Read/Write: view and edit; Public Read/Write/Delete: all three);
- the owner's role is below theirs in the role hierarchy (a superior has the access
  their profile allows to the records of the users below them), or their role shares
  data with peers and the owner has the same role;
- a sharing rule shares the owner's records (owner in ``shared_from``: all users, a
  group, a role, or a role and its subordinates) with them (in ``shared_to``, or a
  superior of someone in it when ``superiors_allowed``): ``read`` gives view,
  ``read_write_delete`` view, edit and delete.
Create needs only the profile's Create permission: the creator picks any owner. A field
is read when the record is viewed and the profile's field permission is not hidden, and
edited when the record is edited and it is read/write.

People are matched to users through the plan's step names (``user:<person id>``) and
the ids each step resolves (``resolve``), as deploying does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

VERBS = {"read": "View", "create": "Create", "update": "Edit", "delete": "Delete"}
SHARE_TYPES = {
    "private": frozenset(),
    "public_read_only": frozenset({"read"}),
    "public_read_write": frozenset({"read", "update"}),
    "public": frozenset({"read", "update", "delete"}),
}
LEVELS = {"read": frozenset({"read"}), "read_write_delete": frozenset({"read", "update", "delete"})}


@dataclass
class SharingRule:
    module: str
    from_all: bool
    from_: frozenset[str]
    to: frozenset[str]
    actions: frozenset[str]
    superiors: bool


@dataclass
class Zoho:
    """The organisation the plan builds."""

    role_parent: dict[str, str | None] = field(default_factory=dict)
    """Role step -> the role step it reports to (None: an existing role)."""
    peers: dict[str, bool] = field(default_factory=dict)
    user_role: dict[str, str] = field(default_factory=dict)
    """Person -> their role step."""
    user_profile: dict[str, str] = field(default_factory=dict)
    """Person -> their profile (its clone step)."""
    profile_permissions: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    """Profile -> the (module, permission name) enabled."""
    share_type: dict[str, str] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    rules: list[SharingRule] = field(default_factory=list)
    field_permission: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(profile, module, field API name) -> read_write, read_only or hidden."""
    modules: dict[str, str] = field(default_factory=dict)
    """crmorg resource -> its module (the plan's ``modules``)."""
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    """(resource, field) -> its field API name."""

    @classmethod
    def read(cls, files: Mapping[str, str | bytes]) -> Zoho:
        def text(name: str) -> str:
            content = files[name]
            return content.decode("utf-8") if isinstance(content, bytes) else content

        plan = json.loads(text("plan.json"))
        zoho = cls()
        for entry in plan["modules"]:
            zoho.modules[entry["resource"]] = entry["module"]
            for field_id, api_name in entry["fields"].items():
                zoho.fields[(entry["resource"], field_id)] = api_name
        for step in plan["steps"]:
            body: dict[str, Any] = json.loads(text(step["body"]))
            refs = {tuple(r["at"]): r["ref"] for r in step["resolve"]}
            zoho._apply(step, body, refs)
        return zoho

    def _apply(self, step: dict[str, Any], body: dict[str, Any], refs: dict[Any, str]) -> None:
        path, name = step["path"], step["name"]
        if path.endswith("/settings/roles") and step["method"] == "POST":
            (role,) = body["roles"]
            parent = refs.get(("roles", 0, "reporting_to", "id"))
            self.role_parent[name] = (
                None if parent is None or parent.startswith("existing-") else parent
            )
            self.peers[name] = bool(role.get("share_with_peers"))
        elif "/settings/profiles/" in path and step["method"] == "PUT":
            profile = path.rsplit("{", 1)[1].rstrip("}")
            (entry,) = body["profiles"]
            self.profile_permissions[profile] = {
                (d["module"], d["name"]) for d in entry["permissions_details"] if d["enabled"]
            }
        elif path.endswith("/users"):
            person = name.split(":", 1)[1]
            self.user_role[person] = refs[("users", 0, "role", "id")]
            self.user_profile[person] = refs[("users", 0, "profile", "id")]
        elif path.endswith("/settings/data_sharing"):
            for entry in body["data_sharing"]:
                self.share_type[entry["module"]["api_name"]] = entry["share_type"]
        elif path.endswith("/settings/user_groups"):
            (group,) = body["user_groups"]
            members = set()
            for index, source in enumerate(group["sources"]):
                assert source["type"] == "users", source
                members.add(
                    refs[("user_groups", 0, "sources", index, "source", "id")].split(":", 1)[1]
                )
            self.groups[name] = frozenset(members)
        elif path.endswith("/settings/data_sharing/rules"):
            (rule,) = body["sharing_rules"]
            assert rule["type"] == "Record_Owner_Based"
            self.rules.append(
                SharingRule(
                    module=rule["module"]["api_name"],
                    from_all=rule["shared_from"]["type"] == "all_users",
                    from_=self._members(rule["shared_from"], refs, "shared_from"),
                    to=self._members(rule["shared_to"], refs, "shared_to"),
                    actions=LEVELS[rule["permission_type"]],
                    superiors=bool(rule["superiors_allowed"]),
                )
            )
        elif "/settings/fields/" in path:
            module = step["params"]["module"]
            (entry,) = body["fields"]
            for index, profile in enumerate(entry["profiles"]):
                clone = refs[("fields", 0, "profiles", index, "id")]
                self.field_permission[(clone, module, entry["api_name"])] = profile[
                    "permission_type"
                ]

    def _members(self, shared: dict[str, Any], refs: dict[Any, str], key: str) -> frozenset[str]:
        kind = shared["type"]
        if kind == "all_users":
            return frozenset(self.user_role)
        ref = refs[("sharing_rules", 0, key, "resource", "id")]
        if kind == "groups":
            return self.groups[ref]
        roles = {ref} | (self._below(ref) if shared.get("subordinates") else set())
        return frozenset(p for p, r in self.user_role.items() if r in roles)

    def _below(self, role: str) -> set[str]:
        return {r for r in self.role_parent if role in self._above(r)}

    def _above(self, role: str) -> list[str]:
        found: list[str] = []
        parent = self.role_parent.get(role)
        while parent is not None and parent not in found:
            found.append(parent)
            parent = self.role_parent.get(parent)
        return found

    # Decisions -----------------------------------------------------------------------
    def permitted(self, person: str, module: str, action: str) -> bool:
        profile = self.user_profile[person]
        return (module, f"Crm_Implied_{VERBS[action]}_{module}") in self.profile_permissions.get(
            profile, set()
        )

    def decide(self, person: str, action: str, module: str, owner: str) -> bool:
        if action not in VERBS or not self.permitted(person, module, action):
            return False
        if action == "create" or owner == person:
            return True
        if action in SHARE_TYPES[self.share_type.get(module, "private")]:
            return True
        mine, theirs = self.user_role[person], self.user_role[owner]
        if mine in self._above(theirs) or (mine == theirs and self.peers.get(mine)):
            return True
        for rule in self.rules:
            if rule.module != module or action not in rule.actions:
                continue
            if not (rule.from_all or owner in rule.from_):
                continue
            if person in rule.to or (
                rule.superiors and any(mine in self._above(self.user_role[p]) for p in rule.to)
            ):
                return True
        return False

    def decide_field(
        self, person: str, action: str, module: str, owner: str, field_api_name: str
    ) -> bool:
        if not self.decide(person, action, module, owner):
            return False
        permission = self.field_permission.get(
            (self.user_profile[person], module, field_api_name), "read_write"
        )
        return permission == "read_write" if action == "update" else permission != "hidden"
