"""``crmorg import salesforce``: a retrieved Salesforce project read into a crmorg model.

What maps (``docs/crm-systems.md``, "Importing", has the whole table):

- an object -> a resource, its ``sharingModel`` -> baselines (``Read``: read at
  organization; ``ReadWrite``: read and update), its fields -> fields (restricted unless
  every permission set that reads or edits the object reads or edits the field);
- a permission set or profile -> a role: ``allowCreate`` -> create at organization;
  ``allowRead``/``allowEdit``/``allowDelete`` -> read/update/delete at ``subordinates``
  (the owner, and the people above the owner in the role hierarchy), at ``organization``
  with View All (read) or Modify All; field permissions -> field grants; custom
  permissions -> custom actions;
- a permission set group -> ``inherits`` (the role of its own set, or a role of its own);
- user roles -> ``reports_to`` (each user reports to a holder of the nearest role above);
- a public group -> a team, ``GroupMember.csv`` its members;
- an owner-based sharing rule -> a crmorg sharing rule (from all internal users: a role
  granting every record, held by the rule's recipients who hold the object permission);
- ``User.csv`` and ``PermissionSetAssignment.csv`` -> people and their roles.

Everything else (criteria-based rules, system permissions, login hours, IP ranges, tab,
app, Apex, Visualforce and record type settings, muting sets, ...) is an
``import-unmapped`` finding at its file, line and column.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from crmorg.export.salesforce.names import STANDARD_OBJECTS
from crmorg.findings import Finding
from crmorg.importing.core import Imported, Importer, unmapped
from crmorg.importing.salesforce.files import (
    Row,
    Source,
    XmlFile,
    children,
    flag,
    line,
    local,
    text,
)
from crmorg.importing.xml import Element

BUILT_IN_ACTIONS = (
    "create", "read", "update", "delete", "assign", "share", "export", "import", "approve",
)  # fmt: skip
RECORD_FLAGS = {"read": "allowRead", "update": "allowEdit", "delete": "allowDelete"}
CUSTOM_RESOURCE = "custom_permissions"
"""The resource that holds custom permissions that belong to no object."""
_STANDARD_BY_OBJECT = {api: resource for resource, api in reversed(list(STANDARD_OBJECTS.items()))}
_PERMISSION_KNOWN = {
    "objectPermissions", "fieldPermissions", "customPermissions", "label", "description",
    "hasActivationRequired", "license", "custom", "userLicense", "fullName",
}  # fmt: skip
_OBJECT_KNOWN = {
    "label", "pluralLabel", "description", "sharingModel", "externalSharingModel", "fields",
    "fullName", "nameField", "deploymentStatus", "enableFeeds", "enableHistory",
    "enableReports", "enableActivities", "enableSearch", "enableBulkApi", "enableSharing",
    "enableStreamingApi", "enableLicensing", "enableEnhancedLookup", "enableDivisions",
    "allowInChatterGroups", "compactLayoutAssignment", "visibility",
}  # fmt: skip
"""An object's own settings: carried, or what it is rather than who may see it."""
_OBJECT_PARTS = {
    "searchLayouts", "actionOverrides", "listViews", "compactLayouts", "webLinks",
    "validationRules", "recordTypes", "fieldSets", "businessProcesses", "indexes",
}  # fmt: skip
"""An object's parts that are not access design (presentation, behaviour): one finding
per object names them all."""
_OWD = {"Private": (), "Read": ("read",), "ReadWrite": ("read", "update")}
_NAME_CHILDREN = (
    "name", "apexClass", "apexPage", "tab", "application", "recordType", "layout", "flow",
    "externalDataSourceAccess", "startAddress", "object", "field", "dataspaceScope",
)  # fmt: skip


def _snake(name: str) -> str:
    name = re.sub(r"__c$|__r$|__mdt$", "", name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return name


class Ids:
    """Valid, distinct crmorg ids made deterministically from vendor names."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(reserved)

    def take(self, wanted: str, fallback: str = "x") -> str:
        base = wanted if re.fullmatch(r"[a-z][a-z0-9_]{0,63}", wanted) else _snake(wanted)
        if not base:
            base = fallback
        if not base[0].isalpha():
            base = f"{fallback}_{base}"
        if len(base) > 64:
            base = base[:55].rstrip("_") + "_" + hashlib.sha256(base.encode()).hexdigest()[:8]
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base[: 60 - len(str(number))]}_{number}"
        self.taken.add(candidate)
        return candidate


@dataclass
class SObject:
    api: str
    resource: str
    label: str
    where: str
    sharing_model: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    """Field API name -> label."""


@dataclass
class PermSet:
    name: str
    kind: str
    label: str
    where: str
    description: str = ""
    objects: dict[str, dict[str, bool]] = field(default_factory=dict)
    fields: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    custom: list[str] = field(default_factory=list)
    role: str = ""


@dataclass
class _Build:
    source: Source
    findings: list[Finding] = field(default_factory=list)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    objects: dict[str, SObject] = field(default_factory=dict)
    sets: dict[str, PermSet] = field(default_factory=dict)
    """Permission sets and profiles, by (kind-prefixed) name."""
    mapping: dict[str, Any] = field(default_factory=dict)
    field_ids: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(object, field API name) -> (resource, field id)."""
    group_role: dict[str, str] = field(default_factory=dict)
    """Permission set group -> its role."""
    team_ids: Ids = field(default_factory=Ids)
    person_role: dict[str, str] = field(default_factory=dict)
    """Person -> their user role."""
    person_sets: dict[str, list[str]] = field(default_factory=dict)
    """Person -> the permission sets (and profile) they hold."""
    every: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    """(resource, actions) -> the role that grants every record."""
    group_sets: dict[str, list[str]] = field(default_factory=dict)
    """Permission set group -> its permission sets."""

    def note(self, message: str, file: XmlFile, node: Element, *subjects: str) -> None:
        self.findings.append(unmapped(message, file.path, line(node), file.column(node), subjects))

    def note_row(self, message: str, row: Row, *subjects: str) -> None:
        self.findings.append(unmapped(message, row.path, row.line, 1, subjects))


def _reverse(mapping: Mapping[str, Any], key: str) -> dict[str, str]:
    found = mapping.get(key)
    if not isinstance(found, dict):
        return {}
    return {str(v): str(k) for k, v in sorted(found.items()) if isinstance(v, str)}


def read(path: Path) -> Imported:
    """Read a retrieved Salesforce project (source or metadata format) at ``path``."""
    build = _Build(Source(Path(path)))
    build.mapping = build.source.mapping()
    document = _document(build)
    findings = tuple(sorted(build.findings, key=lambda f: f.sort_key()))
    return Imported("salesforce", str(path), document, findings, dict(build.origins))


def _document(build: _Build) -> dict[str, Any]:
    source = build.source
    object_files = source.files("objects")
    set_files = [("permissionset", f) for f in source.files("permissionsets")]
    set_files += [("profile", f) for f in source.files("profiles")]
    group_set_files = source.files("permissionsetgroups")
    role_files = source.files("roles")
    group_files = source.files("groups")
    rule_files = source.files("sharingRules")
    custom_files = source.files("customPermissions")
    for kind, first in source.other_kinds():
        build.findings.append(
            unmapped(
                f"the `{kind}` metadata is not access design crmorg carries; not read",
                first,
                1,
                1,
                (kind,),
            )
        )

    resources = _resources(build, object_files, set_files)
    actions: list[str] = []
    custom = _custom_permissions(build, custom_files, set_files, resources)
    for resource, action in custom.values():
        spec = resources[resource]
        if action not in spec.setdefault("actions", ["create", "read", "update", "delete"]):
            spec["actions"].append(action)
        if action not in BUILT_IN_ACTIONS and action not in actions:
            actions.append(action)

    roles = _roles(build, set_files, group_set_files, custom, resources, Ids())
    teams, team_of_group = _teams(build, group_files)
    user_roles = _user_roles(build, role_files)
    people = _people(build, roles, teams, team_of_group, user_roles)
    sharing = _sharing(build, rule_files, roles, teams, team_of_group, user_roles, people)
    document: dict[str, Any] = {
        "version": 1,
        "organization": {"name": "Salesforce org"},
    }
    if actions:
        document["actions"] = sorted(actions)
    document["resources"] = resources
    document["roles"] = roles
    if teams:
        document["teams"] = teams
    if people:
        document["people"] = people
    if sharing:
        document["sharing"] = sharing
    return document


# Objects -> resources -------------------------------------------------------------------


def _resources(
    build: _Build, object_files: list[XmlFile], set_files: list[tuple[str, XmlFile]]
) -> dict[str, dict[str, Any]]:
    source = build.source
    by_object: dict[str, str] = {}
    mapped = build.mapping.get("objects")
    field_ids: dict[str, dict[str, str]] = {}
    if isinstance(mapped, dict):
        for resource, entry in sorted(mapped.items()):
            if isinstance(entry, dict) and isinstance(entry.get("object"), str):
                by_object[entry["object"]] = resource
                fields = entry.get("fields")
                if isinstance(fields, dict):
                    field_ids[entry["object"]] = {str(api): str(fid) for fid, api in fields.items()}
    ids = Ids()

    def resource_id(api: str) -> str:
        wanted = by_object.get(api) or _STANDARD_BY_OBJECT.get(api) or api
        return ids.take(wanted, "object")

    for file in object_files:
        api = file.stem
        sobject = SObject(api, resource_id(api), text(file.root, "label") or api, file.path)
        sobject.where = f"{file.path}:{line(file.root)}"
        sharing = text(file.root, "sharingModel")
        sobject.sharing_model = sharing or None
        external = text(file.root, "externalSharingModel")
        if external and sharing and external != sharing:
            node = next(children(file.root, "externalSharingModel"))
            build.note(
                f"object {api}: the external sharing model {external} (for portal and "
                "community users) has no crmorg equivalent",
                file,
                node,
                api,
            )
        parts: dict[str, int] = {}
        first: tuple[str, int, int] | None = None
        for node in children(file.root):
            tag = local(node)
            if tag == "fields":
                name = text(node, "fullName")
                if name:
                    sobject.fields[name] = text(node, "label") or name
            elif tag in _OBJECT_PARTS:
                parts[tag] = parts.get(tag, 0) + 1
                first = first or (file.path, line(node), file.column(node))
            elif tag not in _OBJECT_KNOWN:
                build.note(f"object {api}: `{tag}` has no crmorg equivalent", file, node, api)
        if source.layout == "source":
            for field_file in source.field_files(api):
                sobject.fields[field_file.stem] = text(field_file.root, "label") or field_file.stem
            for kind, part in source.object_parts(api):
                parts[kind] = parts.get(kind, 0) + 1
                first = first or (part, 1, 1)
        if first is not None:
            shown = ", ".join(f"{count} {kind}" for kind, count in sorted(parts.items()))
            build.findings.append(
                unmapped(
                    f"object {api}: {shown} are not access design crmorg carries; not read",
                    *first,
                    (api,),
                )
            )
        build.objects[api] = sobject
    # Objects that only permission sets name.
    for _, file in set_files:
        for node in children(file.root, "objectPermissions"):
            api = text(node, "object")
            if api and api not in build.objects:
                build.objects[api] = SObject(api, resource_id(api), api, file.path)
        for node in children(file.root, "fieldPermissions"):
            api, _, name = text(node, "field").partition(".")
            if api and api not in build.objects:
                build.objects[api] = SObject(api, resource_id(api), api, file.path)
            if api and name and name not in build.objects[api].fields:
                build.objects[api].fields[name] = name
    resources: dict[str, dict[str, Any]] = {}
    for api in sorted(build.objects, key=lambda a: build.objects[a].resource):
        sobject = build.objects[api]
        spec: dict[str, Any] = {"name": sobject.label}
        for action in _baseline(build, sobject, object_files):
            spec.setdefault("baseline", {})[action] = "organization"
        fids = Ids()
        known = field_ids.get(api, {})
        fields = {
            fname: fids.take(known.get(fname) or fname, "field") for fname in sorted(sobject.fields)
        }
        if fields:
            spec["fields"] = {fid: {"name": sobject.fields[fname]} for fname, fid in fields.items()}
        for fname, fid in fields.items():
            build.field_ids[(api, fname)] = (sobject.resource, fid)
        resources[sobject.resource] = spec
        build.origins[("resources", sobject.resource)] = sobject.where
    return resources


def _baseline(build: _Build, sobject: SObject, object_files: list[XmlFile]) -> tuple[str, ...]:
    model = sobject.sharing_model
    if model in _OWD:
        return _OWD[model]
    file = next((f for f in object_files if f.stem == sobject.api), None)
    if model in ("ReadWriteTransfer", "FullAccess") and file is not None:
        node = next(children(file.root, "sharingModel"))
        build.note(
            f"object {sobject.api}: the sharing model {model} is carried as ReadWrite "
            "(read and update every record); transferring records has no crmorg equivalent",
            file,
            node,
            sobject.api,
        )
        return _OWD["ReadWrite"]
    if file is None:
        return ()  # the object was not retrieved: a finding below
    nodes = list(children(file.root, "sharingModel"))
    build.note(
        f"object {sobject.api}: the sharing model {model or '(not retrieved)'} has no crmorg "
        "equivalent; taken as Private",
        file,
        nodes[0] if nodes else file.root,
        sobject.api,
    )
    return ()


# Custom permissions -> actions -----------------------------------------------------------


def _custom_permissions(
    build: _Build,
    custom_files: list[XmlFile],
    set_files: list[tuple[str, XmlFile]],
    resources: dict[str, dict[str, Any]],
) -> dict[str, tuple[str, str]]:
    """Custom permission name -> (resource, action)."""
    found: dict[str, tuple[str, str]] = {}
    mapped = build.mapping.get("objects")
    if isinstance(mapped, dict):
        for resource, entry in sorted(mapped.items()):
            permissions = entry.get("customPermissions") if isinstance(entry, dict) else None
            if isinstance(permissions, dict) and resource in resources:
                for action, name in sorted(permissions.items()):
                    found[str(name)] = (resource, str(action))
    names = {f.stem: text(f.root, "label") or f.stem for f in custom_files}
    for _, file in set_files:
        for node in children(file.root, "customPermissions"):
            if flag(node, "enabled"):
                names.setdefault(text(node, "name"), text(node, "name"))
    others = sorted(n for n in names if n and n not in found)
    if others:
        taken = Ids(BUILT_IN_ACTIONS)
        for spec in resources.values():
            taken.taken.update(spec.get("actions", ()))
        resources[CUSTOM_RESOURCE] = {"name": "Custom permissions", "actions": []}
        for name in others:
            action = taken.take(name, "permission")
            found[name] = (CUSTOM_RESOURCE, action)
            resources[CUSTOM_RESOURCE]["actions"].append(action)
    return found


# Permission sets and profiles -> roles ---------------------------------------------------


def _permission_set(build: _Build, kind: str, file: XmlFile) -> PermSet:
    name = file.stem
    ps = PermSet(
        name,
        kind,
        text(file.root, "label")
        or (unquote(name) if kind == "permissionset" else _PROFILE_NAMES.get(name, unquote(name))),
        f"{file.path}:{line(file.root)}",
        text(file.root, "description"),
    )
    what = "permission set" if kind == "permissionset" else "profile"
    for node in children(file.root):
        tag = local(node)
        if tag == "objectPermissions":
            flags = {
                key: flag(node, key)
                for key in (
                    "allowCreate", "allowRead", "allowEdit", "allowDelete",
                    "viewAllRecords", "modifyAllRecords",
                )
            }  # fmt: skip
            ps.objects[text(node, "object")] = flags
            if flag(node, "viewAllFields"):
                build.note(
                    f"{what} {name}: View All Fields on {text(node, 'object')} has no crmorg "
                    "equivalent (the field permissions are carried one by one)",
                    file,
                    node,
                    name,
                )
        elif tag == "fieldPermissions":
            ps.fields[text(node, "field")] = (flag(node, "readable"), flag(node, "editable"))
        elif tag == "customPermissions":
            if flag(node, "enabled"):
                ps.custom.append(text(node, "name"))
        elif tag in _PERMISSION_KNOWN:
            continue
        elif _granted(node):
            detail = next((text(node, c) for c in _NAME_CHILDREN if text(node, c)), "")
            shown = f"`{tag}` {detail}".strip() if detail else f"`{tag}`"
            if tag == "userPermissions":
                shown = f"the system permission {detail}"
            build.note(f"{what} {name}: {shown} has no crmorg equivalent", file, node, name)
    return ps


def _granted(node: Element) -> bool:
    """Whether a setting grants or shows anything (a disabled one is no construct)."""
    for key in ("enabled", "visible", "default"):
        value = text(node, key)
        if value and key != "default":
            return value.lower() == "true"
    visibility = text(node, "visibility")
    return visibility not in ("Hidden", "DefaultOff") if visibility else True


def _roles(
    build: _Build,
    set_files: list[tuple[str, XmlFile]],
    group_set_files: list[XmlFile],
    custom: Mapping[str, tuple[str, str]],
    resources: dict[str, dict[str, Any]],
    ids: Ids,
) -> dict[str, dict[str, Any]]:
    mapped_sets = _reverse(build.mapping, "permissionSets")
    mapped_groups = _reverse(build.mapping, "permissionSetGroups")
    for kind, file in set_files:
        ps = _permission_set(build, kind, file)
        key = ps.name if kind == "permissionset" else f"profile:{ps.name}"
        build.sets[key] = ps
    # Which fields are restricted: those some reading or editing set does not open.
    restricted: set[tuple[str, str]] = set()
    for sobject in build.objects.values():
        for fname in sobject.fields:
            full = f"{sobject.api}.{fname}"
            for ps in build.sets.values():
                flags = ps.objects.get(sobject.api, {})
                readable, editable = ps.fields.get(full, (False, False))
                if (flags.get("allowRead") and not readable) or (
                    flags.get("allowEdit") and not editable
                ):
                    restricted.add((sobject.api, fname))
                    break
    for (api, fname), (resource, fid) in build.field_ids.items():
        if (api, fname) in restricted:
            resources[resource]["fields"][fid]["restricted"] = True
    field_id = build.field_ids

    roles: dict[str, dict[str, Any]] = {}
    for key in sorted(build.sets, key=lambda k: (build.sets[k].kind != "permissionset", k)):
        ps = build.sets[key]
        grants: dict[str, dict[str, str]] = {}
        for api, flags in sorted(ps.objects.items()):
            if api not in build.objects:
                continue
            wanted: dict[str, str] = {}
            if flags["allowCreate"]:
                wanted["create"] = "organization"
            for action, name in RECORD_FLAGS.items():
                if flags[name]:
                    everything = flags["modifyAllRecords"] or (
                        action == "read" and flags["viewAllRecords"]
                    )
                    wanted[action] = "organization" if everything else "subordinates"
            if wanted:
                grants.setdefault(build.objects[api].resource, {}).update(wanted)
        for name in sorted(set(ps.custom)):
            if name in custom:
                resource, action = custom[name]
                grants.setdefault(resource, {})[action] = "organization"
        fields: dict[str, dict[str, str]] = {}
        for full, (readable, editable) in sorted(ps.fields.items()):
            api, _, fname = full.partition(".")
            if (api, fname) not in restricted or not (readable or editable):
                continue
            resource, fid = field_id[(api, fname)]
            fields.setdefault(resource, {})[fid] = "edit" if editable else "read"
        role: dict[str, Any] = {"name": ps.label}
        if ps.description:
            role["description"] = ps.description
        if grants:
            role["grants"] = grants
        if fields:
            role["fields"] = fields
        if ps.kind == "profile" and not grants and not fields:
            continue  # a profile that opens nothing crmorg carries: its people keep none
        wanted_id = mapped_sets.get(ps.name) or ps.name
        ps.role = ids.take(wanted_id if ps.kind == "permissionset" else f"profile_{ps.name}")
        roles[ps.role] = role
        build.origins[("roles", ps.role)] = ps.where
    # Permission set groups -> inherits.
    groups: dict[str, tuple[XmlFile, list[str]]] = {}
    for file in group_set_files:
        names = [(n.text or "").strip() for n in children(file.root, "permissionSets")]
        groups[file.stem] = (file, names)
        build.group_sets[file.stem] = names
        for node in children(file.root, "mutingPermissionSets"):
            build.note(
                f"permission set group {file.stem}: the muting permission set "
                f"{(node.text or '').strip()} removes permissions; crmorg grants only add",
                file,
                node,
                file.stem,
            )
        for node in children(file.root, "permissionSets"):
            if (node.text or "").strip() not in build.sets:
                build.note(
                    f"permission set group {file.stem}: the permission set "
                    f"{(node.text or '').strip()} was not retrieved",
                    file,
                    node,
                    file.stem,
                )
    for name in sorted(groups):
        file, members = groups[name]
        known = [m for m in members if m in build.sets and build.sets[m].role]
        own = next(
            (
                m
                for m in known
                if name == f"{m}_Group"
                or (mapped_groups.get(name) and mapped_groups.get(name) == mapped_sets.get(m))
            ),
            None,
        )
        if own is not None and all(
            own not in other or set(known) <= set(other_members)
            for other, (_, other_members) in groups.items()
            if other != name
        ):
            role_id = build.sets[own].role
            inherits = [build.sets[m].role for m in known if m != own]
            if inherits:
                roles[role_id]["inherits"] = sorted(set(inherits))
            build.group_role[name] = role_id
            continue
        role_id = ids.take(mapped_groups.get(name) or name)
        label = text(file.root, "label") or name
        roles[role_id] = {"name": label}
        if known:
            roles[role_id]["inherits"] = sorted({build.sets[m].role for m in known})
        build.group_role[name] = role_id
        build.origins[("roles", role_id)] = f"{file.path}:{line(file.root)}"
    return roles


# Public groups -> teams -------------------------------------------------------------------


def _teams(
    build: _Build, group_files: list[XmlFile]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    ids = build.team_ids
    teams: dict[str, dict[str, Any]] = {}
    by_group: dict[str, str] = {}
    for file in group_files:
        team = ids.take(file.stem, "group")
        teams[team] = {"name": text(file.root, "name") or file.stem}
        by_group[file.stem] = team
        build.origins[("teams", team)] = f"{file.path}:{line(file.root)}"
        for node in children(file.root, "doesIncludeBosses"):
            if flag(file.root, "doesIncludeBosses"):
                build.note(
                    f"group {file.stem}: 'grant access using hierarchies' (records shared "
                    "with members are shared with their managers) has no crmorg equivalent",
                    file,
                    node,
                    file.stem,
                )
    return teams, by_group


# User roles -> reports_to -----------------------------------------------------------------


@dataclass
class URole:
    name: str
    label: str
    parent: str | None
    where: str
    parent_at: tuple[str, int, int] = ("", 1, 1)
    """The file, line and column of its ``parentRole``."""
    holders: list[str] = field(default_factory=list)


def _user_roles(build: _Build, role_files: list[XmlFile]) -> dict[str, URole]:
    found: dict[str, URole] = {}
    for file in role_files:
        parent = text(file.root, "parentRole") or None
        found[file.stem] = URole(
            file.stem,
            text(file.root, "name") or file.stem,
            parent,
            f"{file.path}:{line(file.root)}",
        )
        for node in children(file.root, "parentRole"):
            found[file.stem].parent_at = (file.path, line(node), file.column(node))
        for node in children(file.root):
            tag = local(node)
            if tag.endswith("AccessLevel") and (node.text or "").strip() not in ("", "None"):
                build.note(
                    f"role {file.stem}: `{tag}` {(node.text or '').strip()} (access to the "
                    "records of accounts its users own) has no crmorg equivalent",
                    file,
                    node,
                    file.stem,
                )
            elif tag == "mayForecastManagerShare" and flag(file.root, tag):
                build.note(
                    f"role {file.stem}: forecast manager sharing has no crmorg equivalent",
                    file,
                    node,
                    file.stem,
                )
    return found


# People -------------------------------------------------------------------------------------


_PROFILE_NAMES = {
    "Admin": "System Administrator",
    "Standard": "Standard User",
    "ReadOnly": "Read Only",
    "ContractManager": "Contract Manager",
    "MarketingProfile": "Marketing User",
    "SolutionManager": "Solution Manager",
    "StandardAul": "Standard Platform User",
}
"""The file names of standard profiles -> their names (``Profile.Name`` in the data)."""


def _profile(build: _Build, name: str) -> PermSet | None:
    """The profile a user's ``Profile.Name`` names: its file is the name URL-encoded
    (``Custom%3A Sales Profile``), a standard profile's its API name (``Admin``)."""
    for _, ps in sorted(build.sets.items()):
        if ps.kind == "profile" and name in (ps.name, unquote(ps.name), ps.label):
            return ps
    return None


def _cell(row: Row, *names: str) -> str:
    for name in names:
        value = row.cells.get(name)
        if value:
            return value.strip()
    return ""


_USER_KEYS = ("FederationIdentifier", "Username", "Id")


def _people(
    build: _Build,
    roles: dict[str, dict[str, Any]],
    teams: dict[str, dict[str, Any]],
    team_of_group: Mapping[str, str],
    user_roles: dict[str, URole],
) -> dict[str, dict[str, Any]]:
    source = build.source
    ids = Ids()
    people: dict[str, dict[str, Any]] = {}
    by_key: dict[str, str] = {}
    for row in source.data("User.csv"):
        key = _cell(row, *_USER_KEYS)
        if not key:
            build.note_row("a user row without FederationIdentifier, Username or Id", row)
            continue
        if _cell(row, "IsActive").lower() == "false":
            build.note_row(f"user {key} is inactive: not imported", row, key)
            continue
        person = ids.take(key.split("@")[0] if "@" in key else key, "user")
        for alias in {_cell(row, k) for k in _USER_KEYS} - {""}:
            by_key[alias] = person
        entry: dict[str, Any] = {"name": _cell(row, "Name") or key}
        email = _cell(row, "Email")
        if email:
            entry["email"] = email
        entry["roles"] = []
        profile = _cell(row, "ProfileName", "Profile.Name")
        held = _profile(build, profile) if profile else None
        if held is not None and held.role:
            entry["roles"].append(held.role)
            build.person_sets[person] = [f"profile:{held.name}"]
        elif profile and held is None:
            build.note_row(f"user {key}: the profile {profile} was not retrieved", row, key)
        user_role = _cell(row, "UserRoleDeveloperName", "UserRole.DeveloperName")
        if user_role:
            if user_role in user_roles:
                user_roles[user_role].holders.append(person)
                build.person_role[person] = user_role
            else:
                build.note_row(f"user {key}: the role {user_role} was not retrieved", row, key)
        people[person] = entry
        build.origins[("people", person)] = f"{row.path}:{row.line}"
    for row in source.data("PermissionSetAssignment.csv"):
        assignee = by_key.get(_cell(row, "FederationIdentifier", "Assignee.Username", "AssigneeId"))
        name = _cell(
            row,
            "PermissionSetGroupDeveloperName",
            "PermissionSetGroup.DeveloperName",
            "PermissionSetName",
            "PermissionSet.Name",
        )
        if assignee is None:
            build.note_row("an assignment to a user not in User.csv", row)
            continue
        person = assignee
        if name in build.group_role:
            role = build.group_role[name]
            group_sets = [m for m in build.group_sets.get(name, ()) if m in build.sets]
        elif name in build.sets and build.sets[name].role:
            role, group_sets = build.sets[name].role, [name]
        else:
            build.note_row(f"user {person}: the permission set {name} was not retrieved", row)
            continue
        if role not in people[person]["roles"]:
            people[person]["roles"].append(role)
        build.person_sets.setdefault(person, []).extend(group_sets)
    for row in source.data("GroupMember.csv"):
        group = _cell(row, "GroupDeveloperName", "Group.DeveloperName")
        member = by_key.get(_cell(row, "FederationIdentifier", "UserOrGroupId", "Username"))
        if group not in team_of_group or member is None:
            build.note_row(
                f"a member of group {group} that is no imported user (a nested group or "
                "role has no crmorg equivalent)",
                row,
            )
            continue
        listed = people[member].setdefault("teams", [])
        if team_of_group[group] not in listed:
            listed.append(team_of_group[group])
    # reports_to: the first holder of the nearest role above that anybody holds.
    shared: dict[str, tuple[str, list[str], list[str]]] = {}
    for person, entry in people.items():
        held_role = build.person_role.get(person)
        current = user_roles[held_role].parent if held_role else None
        seen: set[str] = set()
        while current is not None and current in user_roles and current not in seen:
            seen.add(current)
            holders = sorted(user_roles[current].holders)
            if holders:
                entry["reports_to"] = holders[0]
                if len(holders) > 1 and held_role is not None:
                    shared.setdefault(held_role, (current, holders, []))[2].append(person)
                break
            current = user_roles[current].parent
        if not entry["roles"]:
            del entry["roles"]
    for role, (above, holders, below) in sorted(shared.items()):
        file, number, column = user_roles[role].parent_at
        build.findings.append(
            unmapped(
                f"role {role}: its {len(below)} user(s) are below the role {above}, held by "
                f"{len(holders)} users; crmorg's reports_to names one manager ({holders[0]}), "
                f"so {', '.join(holders[1:])} do not see their records through the hierarchy",
                file or user_roles[role].where.rsplit(":", 1)[0],
                number,
                column,
                (role, *holders[1:]),
            )
        )
    return people


# Sharing rules ------------------------------------------------------------------------------


def _sharing(
    build: _Build,
    rule_files: list[XmlFile],
    roles: dict[str, dict[str, Any]],
    teams: dict[str, dict[str, Any]],
    team_of_group: dict[str, str],
    user_roles: dict[str, URole],
    people: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    ids = Ids()
    sharing: dict[str, dict[str, Any]] = {}
    role_ids = Ids(roles)

    def person_flag(person: str, api: str, name: str) -> bool:
        return any(
            build.sets[s].objects.get(api, {}).get(name, False)
            for s in build.person_sets.get(person, ())
        )

    def derived_team(kind: str, value: str, file: XmlFile, node: Element) -> str | None:
        """A team of the holders of a user role (and the roles below it), or everybody."""
        key = f"{kind}:{value}"
        if key in team_of_group:
            return team_of_group[key]
        if kind == "allInternalUsers":
            members = set(people)
            name = "All internal users"
        else:
            if value not in user_roles:
                build.note(f"sharing rule: the role {value} was not retrieved", file, node)
                return None
            wanted = {value}
            if kind == "roleAndSubordinates":
                changed = True
                while changed:
                    below = {r for r, u in user_roles.items() if u.parent in wanted}
                    changed = not below <= wanted
                    wanted |= below
            members = {p for p, r in build.person_role.items() if r in wanted}
            below_too = " and below" if kind == "roleAndSubordinates" else ""
            name = f"{user_roles[value].label} (role{below_too})"
        team = build.team_ids.take(f"{kind}_{value}" if value else kind, "group")
        teams[team] = {"name": name}
        build.origins[("teams", team)] = f"{file.path}:{line(node)}"
        for person in sorted(members):
            listed = people[person].setdefault("teams", [])
            listed.append(team)
        team_of_group[key] = team
        return team

    def group_of(file: XmlFile, holder: Element, rule: str) -> str | None:
        for node in children(holder):
            kind, value = local(node), (node.text or "").strip()
            if kind == "group" and value in team_of_group:
                return team_of_group[value]
            if kind == "group":
                build.note(
                    f"sharing rule {rule}: the group {value} was not retrieved", file, node, rule
                )
                return None
            if kind in ("role", "roleAndSubordinates", "allInternalUsers"):
                return derived_team(kind, value, file, node)
            build.note(
                f"sharing rule {rule}: sharing with or from `{kind}` {value} has no crmorg "
                "equivalent",
                file,
                node,
                rule,
            )
            return None
        build.note(f"sharing rule {rule}: no group", file, holder, rule)
        return None

    for file in rule_files:
        api = file.stem
        for node in children(file.root):
            tag = local(node)
            rule = text(node, "fullName")
            if tag != "sharingOwnerRules":
                build.note(
                    f"{_RULE_KINDS.get(tag, tag)} {api}.{rule} has no crmorg equivalent "
                    "(crmorg shares records by their owner)",
                    file,
                    node,
                    rule,
                )
                continue
            if api not in build.objects:
                build.note(f"sharing rule {rule}: the object {api} was not retrieved", file, node)
                continue
            resource = build.objects[api].resource
            level = text(node, "accessLevel")
            actions = {"Read": ["read"], "Edit": ["read", "update"]}.get(level)
            if actions is None:
                build.note(
                    f"sharing rule {rule}: access level {level} has no crmorg equivalent",
                    file,
                    node,
                    rule,
                )
                continue
            for settings in children(node, "accountSettings"):
                for access in children(settings):
                    if (access.text or "").strip() not in ("", "None"):
                        build.note(
                            f"sharing rule {rule}: `{local(access)}` {(access.text or '').strip()} "
                            "has no crmorg equivalent",
                            file,
                            access,
                            rule,
                        )
            shared_from = next(children(node, "sharedFrom"), None)
            shared_to = next(children(node, "sharedTo"), None)
            if shared_from is None or shared_to is None:
                build.note(f"sharing rule {rule}: no sharedFrom or sharedTo", file, node, rule)
                continue
            to = group_of(file, shared_to, rule)
            if to is None:
                continue
            if next(children(shared_from, "allInternalUsers"), None) is not None:
                _every_record(
                    build,
                    file,
                    node,
                    api,
                    resource,
                    actions,
                    to,
                    roles,
                    role_ids,
                    people,
                    person_flag,
                )
                continue
            source = group_of(file, shared_from, rule)
            if source is None:
                continue
            rule_id = ids.take(rule or "rule", "rule")
            entry: dict[str, Any] = {
                "resource": resource,
                "from": {"team": source},
                "to": {"team": to},
                "actions": actions,
            }
            label = text(node, "label")
            if label:
                entry["name"] = label
            sharing[rule_id] = entry
            build.origins[("sharing", rule_id)] = f"{file.path}:{line(node)}"
    return sharing


_RULE_KINDS = {
    "sharingCriteriaRules": "the criteria-based sharing rule",
    "sharingGuestRules": "the guest user sharing rule",
    "sharingTerritoryRules": "the territory sharing rule",
}


def _every_record(
    build: _Build,
    file: XmlFile,
    node: Element,
    api: str,
    resource: str,
    actions: list[str],
    to: str,
    roles: dict[str, dict[str, Any]],
    role_ids: Ids,
    people: dict[str, dict[str, Any]],
    person_flag: Any,
) -> None:
    """A rule sharing every user's records: a role granting every record, held by the
    recipients who hold the object permission of each action (its gate)."""
    members = sorted(p for p, e in people.items() if to in e.get("teams", ()))
    for person in members:
        granted = tuple(a for a in actions if person_flag(person, api, RECORD_FLAGS[a]))
        if not granted:
            continue
        key = (resource, granted)
        role = build.every.get(key)
        if role is None:
            role = role_ids.take(f"every_{resource}_{'_'.join(granted)}")
            build.every[key] = role
            label = build.objects[api].label
            roles[role] = {
                "name": f"{label}: every record, {' and '.join(granted)} (sharing rules)",
                "grants": {resource: dict.fromkeys(granted, "organization")},
            }
            build.origins[("roles", role)] = f"{file.path}:{line(node)}"
        held = people[person].setdefault("roles", [])
        if role not in held:
            held.append(role)


IMPORTER = Importer(
    "salesforce",
    "a retrieved project (source or metadata format): permission sets, profiles, "
    "roles, groups, sharing rules, data/*.csv",
    read,
)
