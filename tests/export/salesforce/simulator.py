"""A simulator of Salesforce's record access, reading an exported SFDX project's files.

Written from Salesforce's documentation ("Salesforce Security Guide": object
permissions, organisation-wide defaults, role hierarchy, sharing rules, View All and
Modify All, field-level security), not from the exporter:

- A user may create a record of an object when a permission set assigned to them
  (here through a permission set group) has ``allowCreate``; a custom permission is
  held when a permission set enables it. Neither looks at a record.
- Otherwise the object permission (``allowRead``/``allowEdit``/``allowDelete``) is
  needed AND a record access level high enough:
  Full access for the owner, a user whose role is above the owner's role in the role
  hierarchy, and Modify All; Read/Write by the organisation-wide default ``ReadWrite``
  and by an ``Edit`` sharing rule; Read Only by the default ``Read``, View All and a
  ``Read`` sharing rule. Read needs Read Only, update Read/Write, delete Full access.
- An owner-based sharing rule shares the records owned by the members of
  ``sharedFrom`` (a public group, or all internal users) with the members of
  ``sharedTo``. Group members are data (``GroupMember``); groups that do not include
  bosses give managers nothing through the group.
- A field is readable when a permission set makes it readable (and the record is
  readable); editable when it is editable (and the record is editable).

A record without an owner is taken as owned by an internal user who holds no role.

Sources: Salesforce Help, "Who Sees What: Record Access via Roles" and Knowledge Article
000385525 (only the owner, a user above the owner in the role hierarchy, and a user with
Modify All may delete a record; Public Read/Write does not give Delete); the Metadata
API Developer Guide's Group (``doesIncludeBosses``: whether records shared with the
group's members are shared with their managers; members are not deployed), SharingRules
and PermissionSet pages; the object permission dependencies of the Security Guide
(Create, Edit, Delete and View All need Read; Delete needs Edit).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

NS = {"m": "http://soap.sforce.com/2006/04/metadata"}
SOURCE = "force-app/main/default/"
FLAGS = (
    "allowCreate",
    "allowRead",
    "allowEdit",
    "allowDelete",
    "viewAllRecords",
    "modifyAllRecords",
)


def _root(text: str | bytes) -> etree._Element:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return etree.fromstring(data)


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "") if found is not None else ""


def _rows(text: str | bytes) -> list[dict[str, str]]:
    data = text.decode("utf-8") if isinstance(text, bytes) else text
    return list(csv.DictReader(io.StringIO(data, newline="")))


@dataclass
class PermissionSet:
    objects: dict[str, dict[str, bool]] = field(default_factory=dict)
    fields: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    custom: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Rule:
    access: str
    shared_from: str | None
    shared_to: str


class Org:
    """What a deployed org holds, from the files of one export."""

    def __init__(self, files: Mapping[str, str | bytes]) -> None:
        self.mapping = json.loads(files["data/crmorg-mapping.json"])
        self.sharing_model: dict[str, str] = {}
        self.sets: dict[str, PermissionSet] = {}
        self.set_groups: dict[str, list[str]] = {}
        self.parent_role: dict[str, str] = {}
        self.rules: dict[str, list[Rule]] = {}
        for path, content in files.items():
            if not path.startswith(SOURCE):
                continue
            kind, _, name = path[len(SOURCE) :].partition("/")
            root = _root(content)
            stem = name.split("/")[-1].split(".")[0]
            if kind == "objects" and name.endswith(".object-meta.xml"):
                self.sharing_model[stem] = _text(root, "m:sharingModel") or "ReadWrite"
            elif kind == "permissionsets":
                self.sets[stem] = self._permission_set(root)
            elif kind == "permissionsetgroups":
                self.set_groups[stem] = [n.text or "" for n in root.findall("m:permissionSets", NS)]
            elif kind == "roles":
                parent = _text(root, "m:parentRole")
                if parent:
                    self.parent_role[stem] = parent
            elif kind == "sharingRules":
                self.rules[stem] = [
                    Rule(
                        _text(rule, "m:accessLevel"),
                        None
                        if rule.find("m:sharedFrom/m:allInternalUsers", NS) is not None
                        else _text(rule, "m:sharedFrom/m:group"),
                        _text(rule, "m:sharedTo/m:group"),
                    )
                    for rule in root.findall("m:sharingOwnerRules", NS)
                ]
        self.user_role = {
            row["FederationIdentifier"]: row["UserRoleDeveloperName"]
            for row in _rows(files["data/User.csv"])
        }
        self.assigned: dict[str, list[str]] = {}
        for row in _rows(files["data/PermissionSetAssignment.csv"]):
            self.assigned.setdefault(row["FederationIdentifier"], []).append(
                row["PermissionSetGroupDeveloperName"]
            )
        self.members: dict[str, set[str]] = {}
        for row in _rows(files["data/GroupMember.csv"]):
            self.members.setdefault(row["GroupDeveloperName"], set()).add(
                row["FederationIdentifier"]
            )

    @staticmethod
    def _permission_set(root: etree._Element) -> PermissionSet:
        ps = PermissionSet()
        for node in root.findall("m:objectPermissions", NS):
            ps.objects[_text(node, "m:object")] = {
                flag: _text(node, f"m:{flag}") == "true" for flag in FLAGS
            }
        for node in root.findall("m:fieldPermissions", NS):
            ps.fields[_text(node, "m:field")] = (
                _text(node, "m:readable") == "true",
                _text(node, "m:editable") == "true",
            )
        for node in root.findall("m:customPermissions", NS):
            if _text(node, "m:enabled") == "true":
                ps.custom.add(_text(node, "m:name"))
        return ps

    # The user's permissions --------------------------------------------------------------
    def permission_sets(self, user: str) -> list[PermissionSet]:
        return [
            self.sets[name]
            for group in self.assigned.get(user, ())
            for name in self.set_groups.get(group, ())
        ]

    def object_permission(self, user: str, obj: str, flag: str) -> bool:
        return any(ps.objects.get(obj, {}).get(flag, False) for ps in self.permission_sets(user))

    def above(self, user: str, owner: str | None) -> bool:
        """Whether the user's role is above the owner's in the role hierarchy."""
        if owner is None or owner not in self.user_role:
            return False
        mine = self.user_role.get(user)
        current = self.parent_role.get(self.user_role[owner])
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == mine:
                return True
            seen.add(current)
            current = self.parent_role.get(current)
        return False

    def shared(self, user: str, obj: str, owner: str | None, levels: tuple[str, ...]) -> bool:
        for rule in self.rules.get(obj, ()):
            if rule.access not in levels or user not in self.members.get(rule.shared_to, ()):
                continue
            if rule.shared_from is None or (
                owner is not None and owner in self.members.get(rule.shared_from, ())
            ):
                return True
        return False

    # Decisions ---------------------------------------------------------------------------
    def decide(self, user: str, action: str, resource: str, owner: str | None) -> bool:
        entry = self.mapping["objects"][resource]
        obj = entry["object"]
        if action not in ("create", "read", "update", "delete"):
            name = entry["customPermissions"].get(action)
            return name is not None and any(name in ps.custom for ps in self.permission_sets(user))
        if action == "create":
            return self.object_permission(user, obj, "allowCreate")
        flag = {"read": "allowRead", "update": "allowEdit", "delete": "allowDelete"}[action]
        if not self.object_permission(user, obj, flag):
            return False
        full = (
            owner == user
            or self.above(user, owner)
            or self.object_permission(user, obj, "modifyAllRecords")
        )
        if full or action == "delete":
            return full
        default = self.sharing_model.get(obj, "ReadWrite")  # a new object's default
        if default == "ReadWrite" or self.shared(user, obj, owner, ("Edit",)):
            return True
        if action == "update":
            return False
        return (
            default == "Read"
            or self.object_permission(user, obj, "viewAllRecords")
            or self.shared(user, obj, owner, ("Read",))
        )

    def decide_field(
        self, user: str, action: str, resource: str, owner: str | None, field_id: str
    ) -> bool:
        if not self.decide(user, action, resource, owner):
            return False
        entry = self.mapping["objects"][resource]
        name = f"{entry['object']}.{entry['fields'][field_id]}"
        wanted = 0 if action == "read" else 1
        return any(ps.fields.get(name, (False, False))[wanted] for ps in self.permission_sets(user))
