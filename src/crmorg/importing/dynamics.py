"""``crmorg import dynamics``: a Dataverse solution (and the organisation's Web API data)
read back into a crmorg model.

What it reads, from a folder or a ``solution.zip``:

- the solution: ``solution.zip`` or its unpacked parts (``customizations.xml``,
  ``solution.xml``; also the SolutionPackager layout ``Other/Customizations.xml`` with
  ``Roles/*.xml``): security roles (``Roles/Role/RolePrivileges/RolePrivilege``), field
  security profiles (``FieldSecurityProfiles``) and secured columns (``IsSecured``);
- the organisation, when given (``webapi/*.json``): the request bodies crmorg's export
  writes, or saved responses of ``GET businessunits``, ``teams``, ``systemusers``,
  ``systemuserroles_association`` (and ``teammembership_association``,
  ``systemuserprofiles_association``), each ``{"value": [...]}``.

How it maps (docs/crm-systems.md, "Importing"):

- ``prv<Verb><Table>`` -> a grant of ``create read update delete assign share`` on the
  table's resource (``Write`` is ``update``); Basic -> ``own``, Deep -> ``department``,
  Global -> ``organization``, Local -> ``department`` with a finding (crmorg has no
  "this business unit without the ones below": it over-grants to the units below);
  ``Append``/``AppendTo`` are carried by ``update`` (a finding where they reach further);
  ``prvExportToExcel`` -> ``export`` on what the role reads, at its read scope;
- business units -> departments (the root unit crmorg writes as a placeholder is the
  organisation itself, no department); owner teams -> teams; users -> people with
  their security roles; a role held in several business units becomes an abstract role
  with one role per unit inheriting it (a person's department is their role's);
- field security profiles -> field grants (``read``/``edit``) of the role held by
  exactly the profile's users, or a role of their own.

Everything else it meets is an ``import-unmapped`` finding at its file, line and column.
Files are parsed, never evaluated: XML by lxml without entities or network, JSON by the
standard library, sizes bounded, zip members read by name only (never extracted).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from crmorg.export.dynamics.mapping import LEVELS, ORGANIZATION_OWNED, SCHEMA_NAMES, Depth
from crmorg.findings import Finding
from crmorg.importing.core import Imported, Importer, ImportFailed, unmapped
from crmorg.importing.xml import parse_xml

MAX_FILE = 32 * 1024 * 1024
"""The largest file (or zip member, uncompressed) read: a solution of thousands of roles
stays far below it."""
MAX_MEMBERS = 20_000
MAX_JSON_FILES = 64

SCOPE_OF_DEPTH: Mapping[Depth, str] = {
    Depth.BASIC: "own",
    Depth.LOCAL: "department",
    Depth.DEEP: "department",
    Depth.GLOBAL: "organization",
}
ACTION_OF_VERB: Mapping[str, str] = {
    "Create": "create",
    "Read": "read",
    "Write": "update",
    "Delete": "delete",
    "Assign": "assign",
    "Share": "share",
}
LINKING = ("Append", "AppendTo")
_PRIVILEGE = re.compile(r"^prv(Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(\w+)$")

RESOURCE_OF_TABLE: Mapping[str, str] = {
    "lead": "lead",
    "opportunity": "opportunity",
    "account": "account",
    "contact": "contact",
    "incident": "case",
    "quote": "quote",
    "salesorder": "order",
    "invoice": "invoice",
    "product": "product",
    "campaign": "campaign",
    "systemuser": "user",
    "role": "security_role",
}
"""Standard table logical name -> the crmorg resource it becomes."""
EXTRA_SCHEMA: Mapping[str, str] = {"SystemUser": "systemuser", "Role": "role"}
TABLE_OF_SCHEMA: Mapping[str, str] = {
    **{schema: table for table, schema in SCHEMA_NAMES.items()},
    **EXTRA_SCHEMA,
}
ROLE_GRANTING = frozenset({"role"})
"""Tables whose ``Assign`` gives roles (``grants_roles``): security roles themselves."""
SENSITIVE = frozenset({"role", "systemuser"})

NOT_RECORDS: frozenset[str] = frozenset(
    {
        "Workflow", "SdkMessage", "SdkMessageProcessingStep", "PluginAssembly", "PluginType",
        "Solution", "Publisher", "Entity", "Attribute", "Relationship", "EntityKey",
        "SystemForm", "SavedQuery", "UserQuery", "WebResource", "SiteMap", "AppModule",
        "CustomControl", "Report", "Template", "ImportMap", "Import", "ImportFile",
        "DuplicateRule", "BusinessUnit", "Team", "Organization", "OptionSet", "Query",
        "FieldSecurityProfile", "FieldPermission", "RibbonCustomization", "AsyncOperation",
        "ConnectionRole", "MailMergeTemplate", "Dashboard", "Visualization", "KbArticle",
        "Customization", "ProcessSession", "BulkOperation", "TeamTemplate",
    }
)  # fmt: skip
"""Schema names of system and customization tables: their privileges say who may change
the app, not who may reach a business record, and crmorg carries no such thing."""

OWNER_TEAM = 0
ROOT_PLACEHOLDER = "{root-business-unit-id}"
ALLOWED = "4"
_GUID = re.compile(r"[{(]?([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})[})]?")
_BIND = re.compile(r"^/?(\w+)\(([^)]+)\)(?:/(\w+))?(?:/\$ref)?$")

SUMMARY = (
    "a Dataverse solution (solution.zip or unpacked: security roles, field security "
    "profiles) with webapi/*.json (business units, teams, users, their roles)"
)


# Reading files, safely ---------------------------------------------------------------------
def _parse_xml(data: bytes, shown: str) -> Any:
    return parse_xml(data, shown, hint="give the file as exported")


def _read_bytes(path: Path, shown: str) -> bytes:
    if path.stat().st_size > MAX_FILE:
        raise ImportFailed(f"{shown}: larger than {MAX_FILE // (1024 * 1024)} MB; not read")
    return path.read_bytes()


class _Source:
    """The files of one import, by their name relative to the source (``shown``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, Path] = {}
        self.members: dict[str, tuple[zipfile.ZipFile, zipfile.ZipInfo]] = {}

    def read(self, name: str) -> bytes:
        if name in self.members:
            archive, info = self.members[name]
            if info.file_size > MAX_FILE:
                raise ImportFailed(f"{name}: larger than {MAX_FILE // (1024 * 1024)} MB; not read")
            with archive.open(info) as stream:
                data = stream.read(MAX_FILE + 1)
            if len(data) > MAX_FILE:
                raise ImportFailed(f"{name}: larger than declared in the zip; not read")
            return data
        return _read_bytes(self.files[name], name)


def _open_zip(path: Path, shown: str, source: _Source) -> None:
    """Index the parts of a solution zip as ``<shown>/<member>`` (never extracted)."""
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as bad:
        raise ImportFailed(
            f"{shown}: not a zip file ({bad}); give the solution.zip that "
            "`pac solution export` wrote, or its unpacked folder"
        ) from bad
    if len(infos) > MAX_MEMBERS:
        raise ImportFailed(f"{shown}: more than {MAX_MEMBERS} entries; not read")
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if info.is_dir() or name.startswith("/") or ".." in parts or ":" in name:
            continue  # never a path outside the archive
        source.members[f"{shown}/{name}"] = (archive, info)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


# The solution --------------------------------------------------------------------------------
@dataclass
class _Privilege:
    name: str
    depth: Depth
    file: str
    line: int
    column: int


@dataclass
class _Role:
    guid: str
    name: str
    file: str
    line: int
    privileges: list[_Privilege] = field(default_factory=list)


@dataclass
class _Permission:
    table: str
    column: str
    read: bool
    update: bool
    create: bool
    file: str
    line: int
    at: int
    """The column of the element."""
    extra: str | None = None


@dataclass
class _Profile:
    guid: str
    name: str
    file: str
    line: int
    permissions: list[_Permission] = field(default_factory=list)


@dataclass
class _Solution:
    unique_name: str = ""
    title: str = ""
    prefix: str = "new"
    roles: list[_Role] = field(default_factory=list)
    profiles: list[_Profile] = field(default_factory=list)
    secured: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)


def _guid(value: str | None) -> str:
    found = _GUID.fullmatch((value or "").strip())
    return found.group(1).lower() if found else (value or "").strip().lower()


def _line(element: Any) -> int:
    return int(element.sourceline or 1)


def _column(data: bytes, line: int, needle: str) -> int:
    """The column (1-based) of ``needle`` on ``line`` of a file, else 1."""
    lines = data.decode("utf-8", "replace").splitlines()
    if 0 < line <= len(lines):
        found = lines[line - 1].find(needle)
        if found >= 0:
            return found + 1
    return 1


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    for child in element:
        if _local(child.tag) == name:
            yield child


def _child(element: Any, name: str) -> Any:
    return next(_children(element, name), None)


def _text_of(element: Any, name: str) -> str:
    found = _child(element, name)
    return (found.text or "").strip() if found is not None else ""


def _read_role(element: Any, file: str, data: bytes, solution: _Solution) -> None:
    role = _Role(_guid(element.get("id")), element.get("name") or "", file, _line(element))
    for holder in _children(element, "RolePrivileges"):
        for privilege in _children(holder, "RolePrivilege"):
            name = privilege.get("name") or ""
            level = privilege.get("level") or ""
            line = _line(privilege)
            depth = LEVELS.get(level.capitalize())
            if depth is None:
                raise ImportFailed(
                    f"{file}:{line}: RolePrivilege {name!r} has level {level!r}, not one of "
                    "Basic, Local, Deep, Global; give the customizations.xml as exported"
                )
            role.privileges.append(_Privilege(name, depth, file, line, _column(data, line, name)))
    solution.roles.append(role)


def _read_profiles(container: Any, file: str, data: bytes, solution: _Solution) -> None:
    for element in _children(container, "FieldSecurityProfile"):
        profile = _Profile(
            _guid(element.get("fieldsecurityprofileid")),
            element.get("name") or "",
            file,
            _line(element),
        )
        for holder in _children(element, "FieldPermissions"):
            for permission in _children(holder, "FieldPermission"):
                unmasked = permission.get("canreadunmasked")
                profile.permissions.append(
                    _Permission(
                        (permission.get("entityname") or "").lower(),
                        (permission.get("attributelogicalname") or "").lower(),
                        permission.get("canread") == ALLOWED,
                        permission.get("canupdate") == ALLOWED,
                        permission.get("cancreate") == ALLOWED,
                        file,
                        _line(permission),
                        _column(data, _line(permission), "<FieldPermission"),
                        f"canreadunmasked={unmasked}" if unmasked not in (None, "0") else None,
                    )
                )
        solution.profiles.append(profile)


_READ_SECTIONS = frozenset({"Roles", "FieldSecurityProfiles", "Entities", "Languages"})


def _read_customizations(
    data: bytes, file: str, solution: _Solution, findings: list[Finding]
) -> None:
    root = _parse_xml(data, file)
    if _local(root.tag) != "ImportExportXml":
        raise ImportFailed(
            f"{file}: the root element is <{_local(root.tag)}>, not <ImportExportXml>; give "
            "the customizations.xml of a Dataverse solution"
        )
    for section in root:
        name = _local(section.tag)
        if name == "Roles":
            for role in _children(section, "Role"):
                _read_role(role, file, data, solution)
        elif name == "FieldSecurityProfiles":
            _read_profiles(section, file, data, solution)
        elif name == "Entities":
            _read_secured(section, file, solution)
        elif name and name not in _READ_SECTIONS and len(section):
            findings.append(
                unmapped(
                    f"Dataverse <{name}> ({len(section)} entries) is not access design; "
                    "crmorg does not import it",
                    file,
                    _line(section),
                    _column(data, _line(section), f"<{name}"),
                )
            )


def _read_secured(entities: Any, file: str, solution: _Solution) -> None:
    """Columns with ``IsSecured`` 1 in the tables the solution carries."""
    for entity in _children(entities, "Entity"):
        table = _text_of(entity, "Name").lower()
        for attribute in entity.iter("{*}attribute", "attribute"):
            secured = _text_of(attribute, "IsSecured")
            column = (attribute.get("PhysicalName") or _text_of(attribute, "LogicalName")).lower()
            if secured == "1" and table and column:
                solution.secured.setdefault((table, column), (file, _line(attribute)))


def _read_solution_xml(data: bytes, file: str, solution: _Solution) -> None:
    root = _parse_xml(data, file)
    manifest = _child(root, "SolutionManifest")
    if _local(root.tag) != "ImportExportXml" or manifest is None:
        raise ImportFailed(
            f"{file}: no <ImportExportXml><SolutionManifest>; give the solution.xml of a "
            "Dataverse solution"
        )
    solution.unique_name = _text_of(manifest, "UniqueName")
    names = _child(manifest, "LocalizedNames")
    if names is not None:
        for localized in _children(names, "LocalizedName"):
            solution.title = localized.get("description") or solution.title
            break
    publisher = _child(manifest, "Publisher")
    if publisher is not None:
        solution.prefix = _text_of(publisher, "CustomizationPrefix") or solution.prefix


def _find_part(names: Iterable[str], *wanted: str) -> str | None:
    """The shortest name ending with one of ``wanted`` (case-insensitive)."""
    found = sorted(
        (n for n in names if any(n.lower().endswith(w.lower()) for w in wanted)),
        key=lambda n: (n.count("/"), n),
    )
    return found[0] if found else None


def _read_the_solution(source: _Source, findings: list[Finding]) -> _Solution | None:
    names = list(source.members) + list(source.files)
    customizations = _find_part(names, "/customizations.xml")
    if customizations is None:
        customizations = next((n for n in names if n.lower() == "customizations.xml"), None)
    role_files = sorted(n for n in names if re.search(r"(^|/)Roles/[^/]+\.xml$", n, re.IGNORECASE))
    if customizations is None and not role_files:
        return None
    solution = _Solution()
    manifest = _find_part(names, "/solution.xml") or next(
        (n for n in names if n.lower() == "solution.xml"), None
    )
    if manifest is not None:
        _read_solution_xml(source.read(manifest), manifest, solution)
    if customizations is not None:
        _read_customizations(source.read(customizations), customizations, solution, findings)
    for name in role_files:  # SolutionPackager: one file per role
        data = source.read(name)
        root = _parse_xml(data, name)
        if _local(root.tag) == "Role":
            _read_role(root, name, data, solution)
    return solution


# The organisation (Web API) ----------------------------------------------------------------
@dataclass
class _Unit:
    guid: str
    name: str
    parent: str | None
    file: str
    line: int


@dataclass
class _User:
    guid: str
    employee: str
    name: str
    email: str | None
    unit: str | None
    file: str
    line: int
    disabled: bool = False


@dataclass
class _Team:
    guid: str
    name: str
    unit: str | None
    kind: int
    file: str
    line: int


@dataclass
class _Organisation:
    units: dict[str, _Unit] = field(default_factory=dict)
    users: dict[str, _User] = field(default_factory=dict)
    teams: dict[str, _Team] = field(default_factory=dict)
    user_roles: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    """(user, role id, role name, file, line)"""
    members: list[tuple[str, str]] = field(default_factory=list)
    """(team, user)"""
    profile_users: list[tuple[str, str]] = field(default_factory=list)
    """(profile, user)"""
    given: bool = False


class _Json:
    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.text = data.decode("utf-8-sig", "replace")
        self.lines = self.text.splitlines()
        try:
            self.value = json.loads(self.text)
        except json.JSONDecodeError as bad:
            raise ImportFailed(
                f"{name}:{bad.lineno}: not JSON ({bad.msg}); give the saved Web API response"
            ) from bad

    def line_of(self, needle: str, start: int = 1) -> int:
        """The first line at or after ``start`` holding ``needle``, else ``start``."""
        for number in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start


def _bound(value: Any) -> str | None:
    """The GUID a ``@odata.bind`` names, :data:`ROOT_PLACEHOLDER` kept as is."""
    if not isinstance(value, str):
        return None
    found = _BIND.match(value)
    inner = found.group(2) if found else value
    return inner if inner == ROOT_PLACEHOLDER else _guid(inner)


def _entries(document: _Json) -> list[tuple[dict[str, Any], int, str]]:
    """(record, line, url) of a crmorg requests file or a saved ``{"value": [...]}``."""
    value = document.value
    found: list[tuple[dict[str, Any], int, str]] = []
    line = 1
    if isinstance(value, dict) and isinstance(value.get("requests"), list):
        for request in value["requests"]:
            if isinstance(request, dict) and isinstance(request.get("body"), dict):
                url = str(request.get("url", ""))
                line = document.line_of(f'"url": {json.dumps(url, ensure_ascii=False)}', line)
                found.append((request["body"], line, url))
                line += 1
        return found
    if isinstance(value, dict) and isinstance(value.get("value"), list):
        items = value["value"]
    elif isinstance(value, list):
        items = value
    else:
        raise ImportFailed(
            f"{document.name}: neither crmorg's Web API requests nor a saved response "
            '{"value": [...]}; give the JSON a GET of the Web API returned'
        )
    for item in items:
        if not isinstance(item, dict):
            continue
        strings = [v for v in item.values() if isinstance(v, str) and v]
        key = next((v for v in strings if _GUID.fullmatch(v)), strings[0] if strings else "")
        line = document.line_of(key, line) if key else line
        found.append((item, line, ""))
        line += 1
    return found


def _kind(document: _Json) -> str | None:
    stem = PurePosixPath(document.name).name.lower()
    context = ""
    if isinstance(document.value, dict):
        context = str(document.value.get("@odata.context", "")).lower()
    for kind in (
        "teamroles",
        "systemuserroles",
        "teammembership",
        "systemuserprofiles",
        "fieldsecurityprofiles",
        "field-profile",
        "role-association",
        "team-membership",
        "businessunits",
        "systemusers",
        "teams",
    ):
        if kind in stem or f"#{kind}" in context:
            return {
                "role-association": "systemuserroles",
                "team-membership": "teammembership",
                "field-profile": "systemuserprofiles",
            }.get(kind, kind)
    return None


def _read_organisation(
    source: _Source, findings: list[Finding], documents: list[_Json]
) -> _Organisation:
    org = _Organisation()
    for document in documents:
        kind = _kind(document)
        if kind is None:
            findings.append(
                unmapped(
                    "this JSON is none of businessunits, teams, systemusers, "
                    "fieldsecurityprofiles, systemuserroles_association, "
                    "teammembership_association, systemuserprofiles_association: not read",
                    document.name,
                )
            )
            continue
        org.given = True
        for record, line, url in _entries(document):
            _read_record(kind, record, line, url, document, org, findings)
    return org


def _read_record(
    kind: str,
    record: Mapping[str, Any],
    line: int,
    url: str,
    document: _Json,
    org: _Organisation,
    findings: list[Finding],
) -> None:
    name = document.name
    unit: str | None
    if kind == "businessunits":
        unit = _guid(str(record.get("businessunitid", "")))
        parent = _bound(record.get("parentbusinessunitid@odata.bind"))
        if parent is None and record.get("_parentbusinessunitid_value"):
            parent = _guid(str(record["_parentbusinessunitid_value"]))
        org.units[unit] = _Unit(unit, str(record.get("name") or ""), parent, name, line)
    elif kind == "teams":
        team = _guid(str(record.get("teamid", "")))
        unit = _bound(record.get("businessunitid@odata.bind"))
        if unit is None and record.get("_businessunitid_value"):
            unit = _guid(str(record["_businessunitid_value"]))
        kind_value = record.get("teamtype", OWNER_TEAM)
        org.teams[team] = _Team(
            team,
            str(record.get("name") or ""),
            unit,
            kind_value if isinstance(kind_value, int) else OWNER_TEAM,
            name,
            line,
        )
        for member in record.get("teammembership_association") or ():
            if isinstance(member, dict) and member.get("systemuserid"):
                org.members.append((team, _guid(str(member["systemuserid"]))))
        for role in record.get("teamroles_association") or ():
            if isinstance(role, dict):
                _team_role(str(role.get("name") or role.get("roleid") or ""), name, line, findings)
    elif kind == "teamroles":
        role_name = str(record.get("name") or record.get("roleid") or "")
        _team_role(role_name, name, line, findings)
    elif kind == "systemusers":
        user = _guid(str(record.get("systemuserid", "")))
        unit = _bound(record.get("businessunitid@odata.bind"))
        if unit is None and record.get("_businessunitid_value"):
            unit = _guid(str(record["_businessunitid_value"]))
        full = record.get("fullname") or " ".join(
            str(record[k]) for k in ("firstname", "lastname") if record.get(k)
        )
        email = record.get("internalemailaddress")
        if not isinstance(email, str) or email.endswith("@change-me.invalid"):
            email = None
        org.users[user] = _User(
            user,
            str(record.get("employeeid") or ""),
            str(full or ""),
            email,
            unit,
            name,
            line,
            record.get("isdisabled") is True,
        )
        for role in record.get("systemuserroles_association") or ():
            if isinstance(role, dict) and role.get("roleid"):
                rid = _guid(str(role.get("_parentrootroleid_value") or role["roleid"]))
                org.user_roles.append((user, rid, str(role.get("name") or ""), name, line))
    elif kind == "fieldsecurityprofiles":  # ?$expand=systemuserprofiles_association
        profile = _guid(str(record.get("fieldsecurityprofileid", "")))
        for member in record.get("systemuserprofiles_association") or ():
            if isinstance(member, dict) and member.get("systemuserid"):
                org.profile_users.append((profile, _guid(str(member["systemuserid"]))))
    elif kind in ("systemuserroles", "teammembership", "systemuserprofiles"):
        left, right = _pair(kind, record, url)
        if left is None or right is None:
            findings.append(unmapped(f"an association this import cannot read: {url}", name, line))
        elif kind == "systemuserroles":
            role_name = str(record.get("name") or "")
            org.user_roles.append((left, right, role_name, name, line))
        elif kind == "teammembership":
            org.members.append((left, right))
        else:
            org.profile_users.append((left, right))


def _team_role(role: str, file: str, line: int, findings: list[Finding]) -> None:
    findings.append(
        unmapped(
            f"security role {role!r} is given to a team: its members hold its privileges "
            "through the team, which crmorg does not carry; give the role to the users",
            file,
            line,
            subjects=[role],
        )
    )


def _pair(kind: str, record: Mapping[str, Any], url: str) -> tuple[str | None, str | None]:
    """(first, second) ids of an association: (user, role), (team, user), (profile, user)."""
    if url:
        found = _BIND.match(url.split("?", 1)[0])
        target = _BIND.match(str(record.get("@odata.id", "")))
        if not found or not target:
            return None, None
        return _guid(found.group(2)), _guid(target.group(2))
    columns = {
        "systemuserroles": ("systemuserid", "roleid"),
        "teammembership": ("teamid", "systemuserid"),
        "systemuserprofiles": ("fieldsecurityprofileid", "systemuserid"),
    }[kind]
    first, second = (record.get(c) for c in columns)
    return (_guid(str(first)) if first else None), (_guid(str(second)) if second else None)


# Ids ------------------------------------------------------------------------------------------
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _slug(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:48].strip("_")
    if not slug:
        return fallback
    return slug if slug[0].isalpha() else f"{fallback.split('_')[0]}_{slug}"


class _Ids:
    """Unique ids in one section, handed out in a fixed order."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        candidate, number = wanted, 2
        while candidate in self.used:
            candidate = f"{wanted}_{number}"
            number += 1
        self.used.add(candidate)
        return candidate


# Building the model -----------------------------------------------------------------------
@dataclass
class _Table:
    resource: str
    table: str
    label: str
    fields: dict[str, str] = field(default_factory=dict)
    """column -> field id (restricted fields)."""


class _Builder:
    def __init__(self, solution: _Solution, org: _Organisation, overrides: Mapping[str, Any]):
        self.solution = solution
        self.org = org
        self.findings: list[Finding] = []
        self.origins: dict[tuple[str, str], str] = {}
        self.tables: dict[str, _Table] = {}
        self.resource_ids = _Ids()
        self.ids: dict[str, str] = {}
        self.basic: dict[str, set[tuple[str, str]]] = {}
        """Role GUID -> the (resource, action) it holds at Basic."""
        self.first_basic: dict[str, _Privilege] = {}
        self.overrides = overrides
        """From crmorg's secured-columns.json: table -> resource, (table, column) -> field."""

    # Tables and columns ---------------------------------------------------------------------
    def table(self, table: str, label: str | None = None) -> _Table:
        found = self.tables.get(table)
        if found is None:
            wanted = self.overrides.get("tables", {}).get(table)
            if wanted is None:
                wanted = RESOURCE_OF_TABLE.get(table)
            if wanted is None:
                prefix = f"{self.solution.prefix.lower()}_"
                bare = table[len(prefix) :] if table.startswith(prefix) else table
                wanted = _slug(bare, "table")
            shown = label or SCHEMA_NAMES.get(table) or EXTRA_SCHEMA_LABEL.get(table) or table
            found = self.tables[table] = _Table(self.resource_ids.take(wanted), table, shown)
        return found

    def column(self, table: str, column: str) -> str:
        entry = self.table(table)
        found = entry.fields.get(column)
        if found is None:
            wanted = self.overrides.get("fields", {}).get((table, column))
            if wanted is None:
                prefix = f"{self.solution.prefix.lower()}_"
                bare = column[len(prefix) :] if column.startswith(prefix) else column
                wanted = _slug(bare, "field")
            taken = set(entry.fields.values())
            candidate, number = wanted, 2
            while candidate in taken:
                candidate, number = f"{wanted}_{number}", number + 1
            found = entry.fields[column] = candidate
        return found

    # Privileges -------------------------------------------------------------------------------
    def grants(self, role: _Role) -> dict[str, dict[str, str]]:
        grants: dict[str, dict[str, str]] = {}
        depths: dict[tuple[str, str], tuple[Depth, _Privilege]] = {}
        linking: dict[tuple[str, str], tuple[Depth, _Privilege]] = {}
        not_records: dict[str, list[_Privilege]] = {}
        export: _Privilege | None = None
        for privilege in role.privileges:
            found = _PRIVILEGE.match(privilege.name)
            if privilege.name == "prvExportToExcel":
                export = privilege
                continue
            if found is None:
                self.finding(
                    f"security role {role.name!r}: miscellaneous privilege {privilege.name} "
                    f"({privilege.depth.level}) has no crmorg equivalent",
                    privilege,
                    role,
                )
                continue
            verb, schema = found.group(1), found.group(2)
            if schema in NOT_RECORDS:
                not_records.setdefault(schema, []).append(privilege)
                continue
            table = TABLE_OF_SCHEMA.get(schema, schema.lower())
            key = (table, verb)
            target = linking if verb in LINKING else depths
            if key not in target or target[key][0] < privilege.depth:
                target[key] = (privilege.depth, privilege)
        for schema, privileges in not_records.items():
            verbs = ", ".join(f"{p.name} ({p.depth.level})" for p in privileges)
            self.finding(
                f"security role {role.name!r}: {schema} is a system table, not business "
                f"records; its privileges have no crmorg equivalent: {verbs}",
                privileges[0],
                role,
            )
        local: list[_Privilege] = []
        for (table, verb), (depth, privilege) in sorted(
            depths.items(), key=lambda item: (item[1][1].line, item[0])
        ):
            if table in ORGANIZATION_OWNED and depth is not Depth.GLOBAL:
                self.finding(
                    f"security role {role.name!r}: {privilege.name} at {depth.level} on a table "
                    "the organisation owns reaches no record (only Global does): not granted",
                    privilege,
                    role,
                )
                continue
            if depth is Depth.LOCAL:
                local.append(privilege)
            resource = self.table(table).resource
            grants.setdefault(resource, {})[ACTION_OF_VERB[verb]] = SCOPE_OF_DEPTH[depth]
            if depth is Depth.BASIC:
                self.basic.setdefault(role.guid, set()).add((resource, ACTION_OF_VERB[verb]))
                self.first_basic.setdefault(role.guid, privilege)
        if local:
            self.finding(
                f"security role {role.name!r}: Local (this business unit only) has no crmorg "
                "scope; imported as department, which also reaches the business units below: "
                + ", ".join(p.name for p in local),
                local[0],
                role,
            )
        beyond = [
            privilege
            for (table, verb), (depth, privilege) in sorted(linking.items())
            if depth > depths.get((table, "Write"), (Depth.NONE, privilege))[0]
        ]
        if beyond:
            self.finding(
                f"security role {role.name!r}: Append/AppendTo (setting and being a lookup) "
                "reach further than Write, and crmorg carries them only within update: "
                + ", ".join(f"{p.name} ({p.depth.level})" for p in beyond),
                min(beyond, key=lambda p: p.line),
                role,
            )
        if export is not None:
            export_scope = SCOPE_OF_DEPTH[export.depth]
            for actions in grants.values():
                if "read" in actions:
                    actions["export"] = _narrower(actions["read"], export_scope)
        return grants

    def finding(self, message: str, privilege: _Privilege, role: _Role) -> None:
        self.findings.append(
            unmapped(message, privilege.file, privilege.line, privilege.column, [role.name])
        )


EXTRA_SCHEMA_LABEL: Mapping[str, str] = {"systemuser": "User", "role": "Security role"}
_ORDER = ("own", "department", "organization")


def _narrower(first: str, second: str) -> str:
    return min(first, second, key=_ORDER.index)


# The import ---------------------------------------------------------------------------------
def _collect(path: Path) -> tuple[_Source, list[_Json]]:
    source = _Source(path if path.is_dir() else path.parent)
    documents: list[_Json] = []
    if path.is_file():
        if path.suffix.lower() == ".zip":
            _open_zip(path, path.name, source)
        else:
            raise ImportFailed(
                f"{path}: not a solution.zip; give the solution.zip that `pac solution "
                "export` wrote, its unpacked folder, or the folder `crmorg export --target "
                "dynamics` wrote"
            )
        return source, documents
    root = path
    unpacked = root / "solution"
    if (root / "solution.zip").is_file() and not (unpacked / "customizations.xml").is_file():
        _open_zip(root / "solution.zip", "solution.zip", source)
    zips = sorted(p for p in root.glob("*.zip") if p.name != "solution.zip")
    seen = 0
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders.sort()
        seen += len(names)
        if seen > MAX_MEMBERS:
            raise ImportFailed(f"{root}: more than {MAX_MEMBERS} files; give the solution only")
        for file_name in sorted(names):
            candidate = Path(folder) / file_name
            if file_name.lower().endswith(".xml") and not candidate.is_symlink():
                source.files[_relative(candidate, root)] = candidate
    if not source.members and not any(
        n.lower().endswith("customizations.xml") for n in source.files
    ):
        for candidate in zips[:1]:
            _open_zip(candidate, candidate.name, source)
    webapi = root / "webapi"
    json_files = sorted(webapi.glob("*.json")) if webapi.is_dir() else []
    json_files += sorted(p for p in root.glob("*.json") if _kind_of_name(p.name) and p.is_file())
    if len(json_files) > MAX_JSON_FILES:
        raise ImportFailed(f"{root}: more than {MAX_JSON_FILES} Web API files; not read")
    for candidate in json_files:
        if candidate.is_symlink():
            continue
        name = _relative(candidate, root)
        documents.append(_Json(name, _read_bytes(candidate, name)))
    return source, documents


def _kind_of_name(name: str) -> bool:
    lowered = name.lower()
    return any(k in lowered for k in ("businessunits", "teams", "systemuser", "teammembership"))


def _overrides(path: Path) -> dict[str, Any]:
    """crmorg's ``secured-columns.json``: the resource and field ids of secured columns."""
    found: dict[str, Any] = {"tables": {}, "fields": {}, "secured": []}
    columns = path / "secured-columns.json" if path.is_dir() else None
    if columns is None or not columns.is_file():
        return found
    try:
        document = json.loads(_read_bytes(columns, columns.name))
    except json.JSONDecodeError as bad:
        raise ImportFailed(f"secured-columns.json:{bad.lineno}: not JSON ({bad.msg})") from bad
    for entry in document.get("columns", []) if isinstance(document, dict) else ():
        if not isinstance(entry, dict):
            continue
        table, column = str(entry.get("table", "")), str(entry.get("column", ""))
        resource, field_id = str(entry.get("resource", "")), str(entry.get("field", ""))
        if _ID.match(resource):
            found["tables"][table] = resource
        if _ID.match(field_id):
            found["fields"][(table, column)] = field_id
        if table and column:
            found["secured"].append((table.lower(), column.lower()))
    return found


def read(path: Path) -> Imported:
    """Read a Dataverse solution (and its Web API data) at ``path`` into a model."""
    return read_with_ids(path)[0]


def read_with_ids(path: Path) -> tuple[Imported, dict[str, str]]:
    """:func:`read`, and the crmorg id given to each thing the files name: a GUID
    (business unit, team, user, role) -> its id, ``table:<logical name>`` -> resource,
    ``column:<table>/<column>`` -> field."""
    path = Path(path)
    source, documents = _collect(path)
    findings: list[Finding] = []
    solution = _read_the_solution(source, findings)
    if solution is None:
        raise ImportFailed(
            f"{path}: no Dataverse solution here (no customizations.xml, no Roles/*.xml, no "
            "solution.zip); give the solution.zip from `pac solution export`, its unpacked "
            "folder, or the folder `crmorg export --target dynamics` wrote"
        )
    org = _read_organisation(source, findings, documents)
    builder = _Builder(solution, org, _overrides(path))
    document = _build(builder)
    findings.extend(builder.findings)
    texts = {document.name: document.lines for document in documents}
    findings = [_placed(finding, texts) for finding in findings]
    findings.sort(key=lambda f: f.sort_key())
    imported = Imported("dynamics", str(path), document, tuple(findings), builder.origins)
    ids = dict(builder.ids)
    for table in builder.tables.values():
        ids[f"table:{table.table}"] = table.resource
        for column, field_id in table.fields.items():
            ids[f"column:{table.table}/{column}"] = field_id
    return imported, ids


def _build(builder: _Builder) -> dict[str, Any]:
    solution, org = builder.solution, builder.org
    findings = builder.findings
    origins = builder.origins

    # Business units -> departments. The root unit crmorg's export names by a placeholder
    # (every environment has one) is a department named after the organisation, so that
    # a user in it reaches, at Deep, every unit below, as in Dataverse.
    root_units = [u for u in org.units.values() if u.parent is None]
    organisation = solution.title.removeprefix("crmorg: ") if solution.title else ""
    if len(root_units) == 1:
        organisation = root_units[0].name or organisation
    organisation = organisation or solution.unique_name or "Dataverse organisation"
    units = dict(org.units)
    mentions = [(u.file, u.line) for u in org.units.values() if u.parent == ROOT_PLACEHOLDER]
    mentions += [(u.file, u.line) for u in org.users.values() if u.unit == ROOT_PLACEHOLDER]
    mentions += [(t.file, t.line) for t in org.teams.values() if t.unit == ROOT_PLACEHOLDER]
    root_unit = root_units[0].guid if len(root_units) == 1 else None
    if mentions:
        file, line = min(mentions)
        units[ROOT_PLACEHOLDER] = _Unit(ROOT_PLACEHOLDER, organisation, None, file, line)
        root_unit = ROOT_PLACEHOLDER
    department_ids = _Ids()
    departments: dict[str, dict[str, Any]] = {}
    dept_of_unit: dict[str, str] = {}
    for unit in _tree_order(units):
        unit_dept = department_ids.take(_slug(unit.name, "department"))
        dept_of_unit[unit.guid] = unit_dept
        builder.ids[unit.guid] = unit_dept
        entry: dict[str, Any] = {"name": unit.name or unit_dept}
        parent = dept_of_unit.get(unit.parent or "")
        if parent is not None:
            entry["parent"] = parent
        departments[unit_dept] = entry
        origins[("departments", unit_dept)] = f"{unit.file}:{unit.line}"

    # Users -> people (their roles come below).
    people_ids = _Ids()
    person_of_user: dict[str, str] = {}
    users = sorted(org.users.values(), key=lambda u: (u.file, u.line, u.guid))
    for account in users:
        if account.disabled:
            findings.append(
                unmapped(
                    f"user {account.name!r} is disabled: crmorg has no disabled person; "
                    "not imported",
                    account.file,
                    account.line,
                    subjects=[account.name],
                )
            )
            continue
        wanted = account.employee if _ID.match(account.employee) else _slug(account.name, "user")
        person_of_user[account.guid] = builder.ids[account.guid] = people_ids.take(wanted)

    # Roles of users, matched to the solution's roles by id, else by name.
    by_guid = {role.guid: role for role in solution.roles}
    by_name: dict[str, list[_Role]] = {}
    for role in solution.roles:
        by_name.setdefault(role.name, []).append(role)
    holders: dict[str, list[str]] = {role.guid: [] for role in solution.roles}
    for user, role_id, role_name, file, line in org.user_roles:
        held = by_guid.get(role_id)
        if held is None and len(by_name.get(role_name, ())) == 1:
            held = by_name[role_name][0]
        if held is None:
            findings.append(
                unmapped(
                    f"a user holds security role {role_name or role_id!r}, which is not in "
                    "the solution: its privileges are unknown here; export the solution "
                    "that holds it",
                    file,
                    line,
                )
            )
            continue
        if user in person_of_user and user not in holders[held.guid]:
            holders[held.guid].append(user)

    # Users who share an owner team with nobody: Basic is exactly crmorg's `team` for them.
    owner_teams = {t.guid for t in org.teams.values() if t.kind == OWNER_TEAM}
    team_users: dict[str, set[str]] = {}
    for team_guid, user in org.members:
        if team_guid in owner_teams and user in person_of_user:
            team_users.setdefault(team_guid, set()).add(user)
    shared_teams = any(len(members) > 1 for members in team_users.values())
    alone = {
        user
        for user in person_of_user
        if all(members <= {user} for members in team_users.values() if user in members)
    }

    # Security roles -> roles (one per business unit of their holders).
    role_ids = _Ids()
    roles: dict[str, dict[str, Any]] = {}
    role_of_guid: dict[str, str] = {}
    person_roles: dict[str, list[str]] = {}
    for role in solution.roles:
        base = role_ids.take(_slug(role.name, "role"))
        role_of_guid[role.guid] = builder.ids[role.guid] = base
        entry = {"name": role.name or base}
        grants = builder.grants(role)
        basic = builder.basic.get(role.guid, set())
        # Basic reaches the user's records and their owner teams' records: crmorg's
        # `team` for a user with no teammates, `own` (and a finding) for one with some.
        groups: dict[tuple[str | None, bool], list[str]] = {}
        for user in holders.get(role.guid, []):
            dept = dept_of_unit.get(org.users[user].unit or "")
            groups.setdefault((dept, bool(basic) and user in alone), []).append(user)
        origin = f"{role.file}:{role.line}"
        if len(groups) <= 1:
            dept, solo = next(iter(groups), (None, False))
            if dept is not None:
                entry["department"] = dept
            chosen = _with_team(grants, basic) if solo else grants
            if chosen:
                entry["grants"] = chosen
            roles[base] = entry
            origins[("roles", base)] = origin
            for user in groups.get((dept, solo), []):
                person_roles.setdefault(user, []).append(base)
            _note_shared_basic(builder, role, groups, shared_teams)
            continue
        entry["abstract"] = True
        if grants:
            entry["grants"] = grants
        roles[base] = entry
        origins[("roles", base)] = origin
        for (dept, solo), group_users in sorted(
            groups.items(), key=lambda g: (g[0][0] or "", g[0][1])
        ):
            suffix = (dept or "organization") + ("_solo" if solo else "")
            variant = role_ids.take(f"{base}_{suffix}")
            shown = departments[dept]["name"] if dept else organisation
            variant_entry: dict[str, Any] = {"name": f"{role.name} ({shown})", "inherits": [base]}
            if dept is not None:
                variant_entry["department"] = dept
            if solo:
                variant_entry["grants"] = _with_team({}, basic)
            roles[variant] = variant_entry
            origins[("roles", variant)] = origin
            for user in group_users:
                person_roles.setdefault(user, []).append(variant)
        _note_shared_basic(builder, role, groups, shared_teams)

    # Field security profiles -> field grants.
    profile_users: dict[str, set[str]] = {}
    for profile_id, user in org.profile_users:
        if user in person_of_user:
            profile_users.setdefault(profile_id, set()).add(user)
    holder_sets = {guid: frozenset(users) for guid, users in holders.items() if users}
    for profile in solution.profiles:
        fields = _field_grants(builder, profile)
        if not fields:
            continue
        users_of = frozenset(profile_users.get(profile.guid, ()))
        matching = [g for g, held in holder_sets.items() if held == users_of]
        if len(matching) == 1:
            target = roles[role_of_guid[matching[0]]]
            _merge_fields(target.setdefault("fields", {}), fields)
            continue
        profile_role = role_ids.take(_slug(profile.name, "profile"))
        roles[profile_role] = {"name": f"Field security profile: {profile.name}", "fields": fields}
        origins[("roles", profile_role)] = f"{profile.file}:{profile.line}"
        for user in users_of:
            person_roles.setdefault(user, []).append(profile_role)
    secured = set(solution.secured) | set(builder.overrides.get("secured", ()))
    for secured_table, secured_column in sorted(secured):
        builder.column(secured_table, secured_column)

    # A user's business unit is their department through their roles (crmorg has no
    # other way to say it); a user whose roles do not say it holds a role that grants
    # nothing and places them there, as Dataverse places the records they own.
    members: dict[str, str] = {}
    for account in users:
        account_dept = dept_of_unit.get(account.unit or "")
        if account.guid not in person_of_user or account_dept is None:
            continue
        if any(
            roles[r].get("department") == account_dept for r in person_roles.get(account.guid, [])
        ):
            continue
        member = members.get(account_dept)
        if member is None:
            member = members[account_dept] = role_ids.take(f"{account_dept}_member")
            roles[member] = {
                "name": f"Member of {departments[account_dept]['name']}",
                "department": account_dept,
            }
            origins[("roles", member)] = origins[("departments", account_dept)]
        person_roles.setdefault(account.guid, []).append(member)

    # Owner teams -> teams; others are findings.
    team_ids = _Ids()
    teams: dict[str, dict[str, Any]] = {}
    team_of_guid: dict[str, str] = {}
    for team in sorted(org.teams.values(), key=lambda t: (t.file, t.line, t.guid)):
        if team.kind != OWNER_TEAM:
            kinds = {
                1: "an access team",
                2: "a Microsoft Entra security group team",
                3: "an Entra Office group team",
            }
            findings.append(
                unmapped(
                    f"team {team.name!r} is {kinds.get(team.kind, f'teamtype {team.kind}')}: "
                    "crmorg teams are owner teams; not imported",
                    team.file,
                    team.line,
                    subjects=[team.name],
                )
            )
            continue
        team_id = team_ids.take(_slug(team.name, "team"))
        team_of_guid[team.guid] = builder.ids[team.guid] = team_id
        entry = {"name": team.name or team_id}
        # A team in the root unit gives its members no department: in Dataverse a team
        # does not move its members into its unit, and in crmorg it would.
        dept = dept_of_unit.get(team.unit or "") if team.unit != root_unit else None
        if dept is not None:
            entry["department"] = dept
        teams[team_id] = entry
        origins[("teams", team_id)] = f"{team.file}:{team.line}"
    person_teams: dict[str, list[str]] = {}
    for team_guid, user in org.members:
        member_of = team_of_guid.get(team_guid)
        if member_of is not None and user in person_of_user:
            person_teams.setdefault(user, [])
            if member_of not in person_teams[user]:
                person_teams[user].append(member_of)

    people: dict[str, dict[str, Any]] = {}
    for account in users:
        person = person_of_user.get(account.guid)
        if person is None:
            continue
        entry = {"name": account.name or person}
        if account.email:
            entry["email"] = account.email
        if person_roles.get(account.guid):
            entry["roles"] = sorted(person_roles[account.guid])
        if person_teams.get(account.guid):
            entry["teams"] = sorted(person_teams[account.guid])
        people[person] = entry
        origins[("people", person)] = f"{account.file}:{account.line}"

    resources: dict[str, dict[str, Any]] = {}
    for table in sorted(builder.tables.values(), key=lambda t: t.resource):
        resource: dict[str, Any] = {"name": table.label}
        if table.table in SENSITIVE:
            resource["sensitive"] = True
        if table.table in ROLE_GRANTING:
            resource["grants_roles"] = True
        if table.fields:
            resource["fields"] = {
                field_id: {"name": column, "restricted": True}
                for column, field_id in sorted(table.fields.items(), key=lambda c: c[1])
            }
        resources[table.resource] = resource

    document: dict[str, Any] = {"version": 1, "organization": {"name": organisation}}
    document["resources"] = resources
    if departments:
        document["departments"] = departments
    document["roles"] = roles
    if teams:
        document["teams"] = teams
    if people:
        document["people"] = people
    return document


def _note_shared_basic(
    builder: _Builder,
    role: _Role,
    groups: Mapping[tuple[str | None, bool], list[str]],
    shared_teams: bool,
) -> None:
    """The finding for a role whose Basic privileges crmorg cannot carry exactly."""
    first = builder.first_basic.get(role.guid)
    if first is None or not shared_teams or (groups and all(solo for _, solo in groups)):
        return
    builder.finding(
        f"security role {role.name!r}: Basic reaches the user's own records and those of "
        "the owner teams they belong to; crmorg's `own` stops at the first, its `team` "
        "also reaches teammates' records: imported as `own` for holders who share an owner "
        "team (under-grants on team-owned records), as `team` for the others",
        first,
        role,
    )


def _placed(finding: Finding, texts: Mapping[str, list[str]]) -> Finding:
    """A finding in a JSON file at the column its line's content starts."""
    lines = texts.get(finding.file)
    if lines is None or finding.column != 1 or not 0 < finding.line <= len(lines):
        return finding
    text = lines[finding.line - 1]
    column = len(text) - len(text.lstrip()) + 1
    return unmapped(finding.message, finding.file, finding.line, column, finding.subjects)


def _with_team(
    grants: Mapping[str, Mapping[str, str]], basic: Iterable[tuple[str, str]]
) -> dict[str, dict[str, str]]:
    """``grants`` with every Basic (resource, action) at ``team``."""
    found = {resource: dict(actions) for resource, actions in grants.items()}
    for resource, action in basic:
        found.setdefault(resource, {})[action] = "team"
    return found


def _tree_order(units: Mapping[str, _Unit]) -> list[_Unit]:
    """Business units parents first; a unit whose parent is unknown (or the placeholder
    of the environment's root) is a top one; a cycle is broken at the first unit met."""
    children: dict[str | None, list[_Unit]] = {}
    for unit in units.values():
        parent = unit.parent if unit.parent in units and unit.parent != unit.guid else None
        children.setdefault(parent, []).append(unit)
    order: list[_Unit] = []
    seen: set[str] = set()
    pending = sorted(children.get(None, []), key=lambda u: (u.file, u.line), reverse=True)
    while pending:
        unit = pending.pop()
        if unit.guid in seen:
            continue
        seen.add(unit.guid)
        order.append(unit)
        pending.extend(
            sorted(children.get(unit.guid, []), key=lambda u: (u.file, u.line), reverse=True)
        )
    for unit in sorted(units.values(), key=lambda u: (u.file, u.line)):
        if unit.guid not in seen:  # in a cycle: a top unit
            seen.add(unit.guid)
            order.append(unit)
    return order


def _field_grants(builder: _Builder, profile: _Profile) -> dict[str, dict[str, str]]:
    fields: dict[str, dict[str, str]] = {}
    for permission in profile.permissions:
        if not permission.table or not permission.column:
            continue
        resource = builder.table(permission.table).resource
        field_id = builder.column(permission.table, permission.column)
        if permission.extra:
            builder.findings.append(
                unmapped(
                    f"field security profile {profile.name!r}: {permission.extra} on "
                    f"{permission.table}.{permission.column} (masking) has no crmorg equivalent",
                    permission.file,
                    permission.line,
                    permission.at,
                    subjects=[profile.name],
                )
            )
        if permission.create != permission.update:
            builder.findings.append(
                unmapped(
                    f"field security profile {profile.name!r}: create and update differ on "
                    f"{permission.table}.{permission.column}; crmorg's edit is both, imported "
                    "as update's",
                    permission.file,
                    permission.line,
                    permission.at,
                    subjects=[profile.name],
                )
            )
        if permission.update and not permission.read:
            builder.findings.append(
                unmapped(
                    f"field security profile {profile.name!r}: update without read on "
                    f"{permission.table}.{permission.column} has no crmorg level; not granted",
                    permission.file,
                    permission.line,
                    permission.at,
                    subjects=[profile.name],
                )
            )
            continue
        if permission.read:
            fields.setdefault(resource, {})[field_id] = "edit" if permission.update else "read"
    return fields


def _merge_fields(
    target: dict[str, dict[str, str]], fields: Mapping[str, Mapping[str, str]]
) -> None:
    for resource, levels in fields.items():
        merged = target.setdefault(resource, {})
        for field_id, level in levels.items():
            if merged.get(field_id) != "edit":
                merged[field_id] = level


IMPORTER = Importer("dynamics", SUMMARY, read)
