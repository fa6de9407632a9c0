"""A simulator of Dataverse's documented record access, loaded from the export's files.

Written from Microsoft's documentation of security roles and business units, not from
the exporter: it reads ``solution.zip`` (with zipfile and lxml) and the Web API request
bodies, and knows nothing of crmorg's model but the ids the files carry.

- A user holds the privileges of their security roles; of several roles, the deepest
  privilege wins ("the least restrictive access applies").
- A privilege's depth reaches, for a record: Basic, records the user owns, directly
  or through an owner team they are a member of; Local, records whose owning business
  unit is the user's; Deep, that unit and every unit below it; Global, every record. A
  record's owning business unit is its owner's (a user's, or an owner team's).
- A table owned by the organisation (``product``) has privileges at Global or none:
  its records have no owner, and a Global privilege reaches them all.
- Security roles given to teams are not modelled: the export gives teams none.
- A secured column is read (updated) only by users with a field security profile that
  allows read (update) on it, on records they may read (update).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from .conftest import lxml_etree

etree = lxml_etree()


LEVELS = {"Basic": 1, "Local": 2, "Deep": 3, "Global": 4}
ALLOWED = "4"
ROOT = "{root-business-unit-id}"
ORGANIZATION_OWNED = {"Product"}
"""Schema names of the standard tables the organisation owns (Microsoft's table
reference: OwnershipType OrganizationOwned)."""
_PRIVILEGE = re.compile(r"^prv(?:Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(\w+)$")
_BIND = re.compile(r"^/?(\w+)\(([^)]+)\)$")


@dataclass(frozen=True)
class Record:
    """A Dataverse record: owned by a user or by a team (``owner_kind``)."""

    owner_kind: str
    owner: str


@dataclass
class Dataverse:
    unique_name: str
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    role_names: dict[str, str] = field(default_factory=dict)
    profiles: dict[str, dict[tuple[str, str], tuple[bool, bool]]] = field(default_factory=dict)
    units: dict[str, str | None] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    """systemuserid -> business unit."""
    employees: dict[str, str] = field(default_factory=dict)
    """employeeid (the crmorg person) -> systemuserid."""
    teams: dict[str, str] = field(default_factory=dict)
    team_members: dict[str, set[str]] = field(default_factory=dict)
    user_roles: dict[str, set[str]] = field(default_factory=dict)
    user_profiles: dict[str, set[str]] = field(default_factory=dict)
    secured: set[tuple[str, str]] = field(default_factory=set)

    # Loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, files: Mapping[str, str | bytes]) -> Dataverse:
        archive = zipfile.ZipFile(io.BytesIO(_bytes(files["solution.zip"])))
        solution = etree.fromstring(archive.read("solution.xml"))
        found = cls(solution.findtext("SolutionManifest/UniqueName") or "")
        customizations = etree.fromstring(archive.read("customizations.xml"))
        for role in customizations.iterfind("Roles/Role"):
            role_id = role.get("id", "").strip("{}")
            found.role_names[role_id] = role.get("name", "")
            found.roles[role_id] = {
                p.get("name", ""): LEVELS[p.get("level", "")]
                for p in role.iterfind("RolePrivileges/RolePrivilege")
            }
        for profile in customizations.iterfind("FieldSecurityProfiles/FieldSecurityProfile"):
            profile_id = profile.get("fieldsecurityprofileid", "").strip("{}")
            found.profiles[profile_id] = {
                (p.get("entityname", ""), p.get("attributelogicalname", "")): (
                    p.get("canread") == ALLOWED,
                    p.get("canupdate") == ALLOWED,
                )
                for p in profile.iterfind("FieldPermissions/FieldPermission")
            }
        webapi = {
            name.split("/", 1)[1]: json.loads(_bytes(content))["requests"]
            for name, content in files.items()
            if name.startswith("webapi/")
        }
        found.units[ROOT] = None
        for request in webapi["01-businessunits.json"]:
            body = request["body"]
            found.units[body["businessunitid"]] = _bound(body["parentbusinessunitid@odata.bind"])
        for request in webapi["02-teams.json"]:
            body = request["body"]
            assert body["teamtype"] == 0  # an owner team
            found.teams[body["teamid"]] = _bound(body["businessunitid@odata.bind"])
        for request in webapi["03-systemusers.json"]:
            body = request["body"]
            found.users[body["systemuserid"]] = _bound(body["businessunitid@odata.bind"])
            found.employees[body["employeeid"]] = body["systemuserid"]
        for request in webapi["04-role-associations.json"]:
            user, role = _association(request, "systemusers", "systemuserroles_association")
            found.user_roles.setdefault(user, set()).add(role)
        for request in webapi["05-team-memberships.json"]:
            team, user = _association(request, "teams", "teammembership_association")
            found.team_members.setdefault(team, set()).add(user)
        for request in webapi["06-field-profile-associations.json"]:
            profile, user = _association(
                request, "fieldsecurityprofiles", "systemuserprofiles_association"
            )
            found.user_profiles.setdefault(user, set()).add(profile)
        columns = json.loads(_bytes(files["secured-columns.json"]))["columns"]
        found.secured = {(c["table"], c["column"]) for c in columns}
        return found

    # Deciding ----------------------------------------------------------------------------------
    def depth(self, user: str, privilege: str) -> int:
        return max(
            (self.roles[role].get(privilege, 0) for role in self.user_roles.get(user, ())),
            default=0,
        )

    def unit_of(self, record: Record) -> str:
        return self.users[record.owner] if record.owner_kind == "user" else self.teams[record.owner]

    def below(self, unit: str) -> set[str]:
        found = {unit}
        changed = True
        while changed:
            changed = False
            for child, parent in self.units.items():
                if parent in found and child not in found:
                    found.add(child)
                    changed = True
        return found

    def may(self, user: str, privilege: str, record: Record) -> bool:
        depth = self.depth(user, privilege)
        if depth == 0:
            return False
        if depth >= LEVELS["Global"]:
            return True
        named = _PRIVILEGE.match(privilege)
        if named and named.group(1) in ORGANIZATION_OWNED:
            return False  # no owner: only Global means anything
        if record.owner_kind == "user" and record.owner == user:
            return True  # Basic: the user's own records
        if record.owner_kind == "team" and user in self.team_members.get(record.owner, ()):
            return True  # Basic: the records of the user's owner teams
        unit = self.unit_of(record)
        if depth >= LEVELS["Deep"]:
            return unit in self.below(self.users[user])
        if depth >= LEVELS["Local"]:
            return unit == self.users[user]
        return False

    def may_column(self, user: str, table: str, column: str, update: bool) -> bool:
        if (table, column) not in self.secured:
            return True
        for profile in self.user_profiles.get(user, ()):
            read, write = self.profiles[profile].get((table, column), (False, False))
            if write if update else read:
                return True
        return False


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _bound(bind: str) -> str:
    found = _BIND.match(bind)
    assert found, bind
    return found.group(2)


def _association(request: Mapping[str, object], collection: str, relation: str) -> tuple[str, str]:
    assert request["method"] == "POST"
    url = str(request["url"])
    found = re.fullmatch(rf"{collection}\(([^)]+)\)/{relation}/\$ref", url)
    assert found, url
    body = request["body"]
    assert isinstance(body, dict)
    target = _BIND.match(body["@odata.id"])
    assert target, body
    return found.group(1), target.group(2)
