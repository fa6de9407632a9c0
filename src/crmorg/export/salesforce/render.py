"""The files of an SFDX source project, written from a :class:`~.plan.Plan`.

Every XML file is built with ElementTree (so every user string is escaped by a real serializer,
after :func:`~.names.label` has shown hidden characters as escapes), its elements in the
order the Metadata API's XML Schema requires; the CSV files go through the product's
one CSV dialect and formula guard; ``sfdx-project.json`` through ``json.dumps``.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.export.salesforce.org import API_VERSION, ObjectAccess, PermissionSet, Plan

NAMESPACE = "http://soap.sforce.com/2006/04/metadata"
SOURCE = "force-app/main/default"
PROJECT_FILE = "sfdx-project.json"
MANIFEST = "manifest/package.xml"
DATA = "data"
TOP_DIRECTORIES = ("data", "force-app", "manifest")
PROFILE = "Crmorg_Minimum"
MAPPING = f"{DATA}/crmorg-mapping.json"
"""Which Salesforce name each crmorg id became: for people and tools that read both."""

Node = tuple[str, object]
"""An element: (tag, text) or (tag, list of children)."""


def _append(parent: ET.Element, tag: str, value: object) -> None:
    node = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if isinstance(value, list):
        for child_tag, child_value in value:
            _append(node, child_tag, child_value)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def _xml(root: str, children: Iterable[Node]) -> str:
    node = ET.Element(f"{{{NAMESPACE}}}{root}")
    for tag, value in children:
        _append(node, tag, value)
    ET.indent(node, space="    ")
    text = ET.tostring(node, encoding="unicode", default_namespace=NAMESPACE)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def render_files(plan: Plan) -> dict[str, str]:
    files: dict[str, str] = {}
    members: dict[str, set[str]] = {}

    def add(kind: str, member: str, path: str, root: str, children: Iterable[Node]) -> None:
        files[f"{SOURCE}/{path}"] = _xml(root, children)
        members.setdefault(kind, set()).add(member)

    for sobject in plan.objects.values():
        children: list[Node] = []
        if sobject.custom:
            children += [
                ("deploymentStatus", "Deployed"),
                *([("description", sobject.description)] if sobject.description else []),
                ("externalSharingModel", sobject.sharing_model),
                ("label", sobject.label),
                ("nameField", [("label", "Name"), ("type", "Text")]),
                ("pluralLabel", sobject.label),
                ("sharingModel", sobject.sharing_model),
            ]
        else:
            children += [
                ("externalSharingModel", sobject.sharing_model),
                ("sharingModel", sobject.sharing_model),
            ]
        add(
            "CustomObject",
            sobject.api,
            f"objects/{sobject.api}/{sobject.api}.object-meta.xml",
            "CustomObject",
            children,
        )
        for sfield in sobject.fields:
            if not sfield.custom:
                continue
            add(
                "CustomField",
                f"{sobject.api}.{sfield.api}",
                f"objects/{sobject.api}/fields/{sfield.api}.field-meta.xml",
                "CustomField",
                [
                    ("fullName", sfield.api),
                    *([("description", sfield.description)] if sfield.description else []),
                    ("label", sfield.label),
                    ("length", 255),
                    ("required", False),
                    ("type", "Text"),
                ],
            )
    for permission in plan.custom_permissions.values():
        add(
            "CustomPermission",
            permission.name,
            f"customPermissions/{permission.name}.customPermission-meta.xml",
            "CustomPermission",
            [("isLicensed", False), ("label", permission.label)],
        )
    for ps in plan.permission_sets.values():
        add(
            "PermissionSet",
            ps.name,
            f"permissionsets/{ps.name}.permissionset-meta.xml",
            "PermissionSet",
            _permission_set(ps),
        )
    for group in plan.permission_set_groups.values():
        add(
            "PermissionSetGroup",
            group.name,
            f"permissionsetgroups/{group.name}.permissionsetgroup-meta.xml",
            "PermissionSetGroup",
            [
                ("description", f"crmorg role {group.role} with the roles it inherits"),
                ("label", group.label),
                *(("permissionSets", name) for name in group.sets),
            ],
        )
    for role in {r.name: r for r in plan.user_roles.values()}.values():
        add(
            "Role",
            role.name,
            f"roles/{role.name}.role-meta.xml",
            "Role",
            [
                ("caseAccessLevel", "None"),
                ("contactAccessLevel", "None"),
                (
                    "description",
                    f"The place of crmorg person {role.person} in reports_to"
                    if role.person
                    else "Everybody: the role hierarchy is flat (crmorg)",
                ),
                ("mayForecastManagerShare", False),
                ("name", role.label),
                ("opportunityAccessLevel", "None"),
                *([("parentRole", role.parent)] if role.parent else []),
            ],
        )
    for public in plan.groups.values():
        add(
            "Group",
            public.name,
            f"groups/{public.name}.group-meta.xml",
            "Group",
            [
                ("description", public.description),
                ("doesIncludeBosses", False),
                ("name", public.label),
            ],
        )
    by_object: dict[str, list[Node]] = {}
    for rule in sorted(plan.rules, key=lambda r: (r.object, r.name)):
        source: list[Node] = (
            [("allInternalUsers", "")]
            if rule.shared_from is None
            else [("group", rule.shared_from)]
        )
        by_object.setdefault(rule.object, []).append(
            (
                "sharingOwnerRules",
                [
                    ("fullName", rule.name),
                    ("accessLevel", rule.access),
                    *(
                        [
                            (
                                "accountSettings",
                                [
                                    ("caseAccessLevel", "None"),
                                    ("contactAccessLevel", "None"),
                                    ("opportunityAccessLevel", "None"),
                                ],
                            )
                        ]
                        if rule.object == "Account"
                        else []
                    ),
                    ("label", rule.label),
                    ("sharedTo", [("group", rule.shared_to)]),
                    ("sharedFrom", source),
                ],
            )
        )
        members.setdefault("SharingOwnerRule", set()).add(f"{rule.object}.{rule.name}")
    for obj, rules in sorted(by_object.items()):
        files[f"{SOURCE}/sharingRules/{obj}.sharingRules-meta.xml"] = _xml("SharingRules", rules)
        members.setdefault("SharingRules", set()).add(obj)
    add(
        "Profile",
        PROFILE,
        f"profiles/{PROFILE}.profile-meta.xml",
        "Profile",
        [
            ("custom", True),
            ("description", "crmorg: minimal access, permissions come from permission set groups"),
            ("userLicense", "Salesforce"),
        ],
    )
    files[MANIFEST] = _package(members)
    files[PROJECT_FILE] = _project(plan)
    files.update(_data(plan))
    return dict(sorted(files.items()))


def _permission_set(ps: PermissionSet) -> list[Node]:
    children: list[Node] = [
        ("customPermissions", [("enabled", True), ("name", name)])
        for name in sorted(ps.custom_permissions)
    ]
    children.append(("description", ps.description or f"crmorg role {ps.role}: its own grants"))
    children += [
        ("fieldPermissions", [("editable", editable), ("field", name), ("readable", readable)])
        for name, (readable, editable) in sorted(ps.fields.items())
    ]
    children += [("hasActivationRequired", False), ("label", ps.label)]
    children += [
        ("objectPermissions", _object_permission(name, access))
        for name, access in sorted(ps.objects.items())
    ]
    return children


def _object_permission(name: str, access: ObjectAccess) -> list[Node]:
    return [
        ("allowCreate", access.create),
        ("allowDelete", access.delete),
        ("allowEdit", access.edit),
        ("allowRead", access.read),
        ("modifyAllRecords", access.modify_all),
        ("object", name),
        ("viewAllRecords", access.view_all),
    ]


def _package(members: Mapping[str, set[str]]) -> str:
    types: list[Node] = [
        ("types", [*(("members", m) for m in sorted(names)), ("name", kind)])
        for kind, names in sorted(members.items())
    ]
    return _xml("Package", [*types, ("version", API_VERSION)])


def _project(plan: Plan) -> str:
    document = {
        "packageDirectories": [{"path": "force-app", "default": True}],
        "name": "crmorg-access",
        "namespace": "",
        "sourceApiVersion": API_VERSION,
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _csv(header: list[str], rows: Iterable[Iterable[str]]) -> str:
    stream = io.StringIO(newline="")
    writer = csv_writer(stream)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return stream.getvalue()


def _mapping(plan: Plan) -> str:
    document = {
        "objects": {
            resource: {
                "object": sobject.api,
                "fields": {f.field: f.api for f in sobject.fields},
                "customPermissions": {
                    action: permission.name
                    for (r, action), permission in plan.custom_permissions.items()
                    if r == resource
                },
            }
            for resource, sobject in plan.objects.items()
        },
        "permissionSets": {role: ps.name for role, ps in plan.permission_sets.items()},
        "permissionSetGroups": {
            role: group.name for role, group in plan.permission_set_groups.items()
        },
        "userRoles": {person: role.name for person, role in plan.user_roles.items()},
    }
    return json.dumps(document, indent=2, ensure_ascii=True, sort_keys=True) + "\n"


def _data(plan: Plan) -> dict[str, str]:
    roles = {person: role.name for person, role in plan.user_roles.items()}
    return {
        MAPPING: _mapping(plan),
        f"{DATA}/User.csv": _csv(
            ["FederationIdentifier", "Name", "Email", "UserRoleDeveloperName", "ProfileName"],
            ([u.person, u.name, u.email, roles[u.person], PROFILE] for u in plan.users),
        ),
        f"{DATA}/PermissionSetAssignment.csv": _csv(
            ["FederationIdentifier", "PermissionSetGroupDeveloperName"],
            ([person, group] for person, group in plan.assignments),
        ),
        f"{DATA}/GroupMember.csv": _csv(
            ["GroupDeveloperName", "FederationIdentifier"],
            (
                [name, person]
                for name, group in sorted(plan.groups.items())
                for person in sorted(group.members)
            ),
        ),
    }
