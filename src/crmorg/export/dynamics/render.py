"""The files of the ``dynamics`` target: the solution (zipped and unpacked) and the Web
API request bodies that create its business units, teams and users.

XML is written by ElementTree (a real serializer: ``&``, ``<``, quotes and line breaks
in attributes are escaped) from text that :func:`~.plan.display` has made one line with
every hidden character shown as an escape; JSON by :func:`crmorg.text.json_text`.
Everything is sorted and the zip has fixed timestamps, so that output is byte-identical
across runs.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from crmorg.export.dynamics.plan import ROOT, Plan
from crmorg.text import json_text

SOLUTION_ZIP = "solution.zip"
SOLUTION_DIR = "solution"
WEBAPI_DIR = "webapi"
SECURED_COLUMNS = "secured-columns.json"
CONTENT_TYPES = "[Content_Types].xml"
SOLUTION_XML = "solution.xml"
CUSTOMIZATIONS_XML = "customizations.xml"

BUSINESS_UNITS = f"{WEBAPI_DIR}/01-businessunits.json"
TEAMS = f"{WEBAPI_DIR}/02-teams.json"
SYSTEM_USERS = f"{WEBAPI_DIR}/03-systemusers.json"
ROLE_ASSOCIATIONS = f"{WEBAPI_DIR}/04-role-associations.json"
TEAM_MEMBERSHIPS = f"{WEBAPI_DIR}/05-team-memberships.json"
PROFILE_ASSOCIATIONS = f"{WEBAPI_DIR}/06-field-profile-associations.json"

ROOT_UNIT_PLACEHOLDER = "{root-business-unit-id}"
"""Every environment has its root business unit already; its id is known only there."""

ROLE_COMPONENT = 20
FIELD_SECURITY_PROFILE_COMPONENT = 70
"""Solution component types (``RootComponent type``) of a security role and a field
security profile."""
ALLOWED = "4"
NOT_ALLOWED = "0"
"""A field permission's ``canread``/``canupdate``/``cancreate`` values."""

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _sub(parent: ET.Element, tag: str, attributes: Mapping[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, tag, dict(attributes or {}))


def _braced(guid: str) -> str:
    return "{" + guid + "}"


def content_types() -> str:
    root = ET.Element(
        "Types", {"xmlns": "http://schemas.openxmlformats.org/package/2006/content-types"}
    )
    _sub(root, "Default", {"Extension": "xml", "ContentType": "application/octet-stream"})
    return _xml(root)


def solution_xml(plan: Plan) -> str:
    root = ET.Element(
        "ImportExportXml",
        {
            "version": "9.2.0.0",
            "SolutionPackageVersion": "9.2",
            "languagecode": "1033",
            "generatedBy": "crmorg",
            "xmlns:xsi": _XSI,
        },
    )
    manifest = _sub(root, "SolutionManifest")
    ET.SubElement(manifest, "UniqueName").text = plan.solution
    names = _sub(manifest, "LocalizedNames")
    title = plan.business_units[0].name
    _sub(names, "LocalizedName", {"description": f"crmorg: {title}", "languagecode": "1033"})
    _sub(manifest, "Descriptions")
    ET.SubElement(manifest, "Version").text = "1.0.0.0"
    ET.SubElement(manifest, "Managed").text = "0"
    publisher = _sub(manifest, "Publisher")
    ET.SubElement(publisher, "UniqueName").text = "crmorg"
    publisher_names = _sub(publisher, "LocalizedNames")
    _sub(publisher_names, "LocalizedName", {"description": "crmorg", "languagecode": "1033"})
    _sub(publisher, "Descriptions")
    ET.SubElement(publisher, "CustomizationPrefix").text = plan.prefix
    ET.SubElement(publisher, "CustomizationOptionValuePrefix").text = "10000"
    components = _sub(manifest, "RootComponents")
    for role in plan.security_roles:
        _sub(
            components,
            "RootComponent",
            {"type": str(ROLE_COMPONENT), "id": _braced(role.guid), "behavior": "0"},
        )
    for profile in plan.field_profiles:
        _sub(
            components,
            "RootComponent",
            {
                "type": str(FIELD_SECURITY_PROFILE_COMPONENT),
                "id": _braced(profile.guid),
                "behavior": "0",
            },
        )
    _sub(manifest, "MissingDependencies")
    return _xml(root)


def customizations_xml(plan: Plan) -> str:
    root = ET.Element(
        "ImportExportXml",
        {"OrganizationVersion": "9.2.0.0", "OrganizationSchemaType": "Standard", "xmlns:xsi": _XSI},
    )
    _sub(root, "Entities")
    roles = _sub(root, "Roles")
    for role in plan.security_roles:
        element = _sub(roles, "Role", {"id": _braced(role.guid), "name": role.name})
        privileges = _sub(element, "RolePrivileges")
        for privilege in role.privileges:
            _sub(
                privileges,
                "RolePrivilege",
                {"name": privilege.name, "level": privilege.depth.level},
            )
    _sub(root, "Workflows")
    profiles = _sub(root, "FieldSecurityProfiles")
    for profile in plan.field_profiles:
        element = _sub(
            profiles,
            "FieldSecurityProfile",
            {
                "fieldsecurityprofileid": _braced(profile.guid),
                "name": profile.name,
                "description": f"crmorg role {profile.role}: its restricted fields",
            },
        )
        permissions = _sub(element, "FieldPermissions")
        for permission in profile.permissions:
            update = ALLOWED if permission.update else NOT_ALLOWED
            _sub(
                permissions,
                "FieldPermission",
                {
                    "entityname": permission.table,
                    "attributelogicalname": permission.column,
                    "canread": ALLOWED if permission.read else NOT_ALLOWED,
                    "canupdate": update,
                    "cancreate": update,
                },
            )
    _sub(root, "Languages")
    languages = root.find("Languages")
    assert languages is not None
    ET.SubElement(languages, "Language").text = "1033"
    return _xml(root)


def solution_parts(plan: Plan) -> dict[str, str]:
    """The three parts of the solution, by their name in the zip."""
    return {
        CONTENT_TYPES: content_types(),
        CUSTOMIZATIONS_XML: customizations_xml(plan),
        SOLUTION_XML: solution_xml(plan),
    }


def zipped(parts: Mapping[str, str]) -> bytes:
    """The parts as a zip with sorted entries and fixed timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, parts[name].encode("utf-8"))
    return buffer.getvalue()


# Web API -------------------------------------------------------------------------------------
def _bind(collection: str, guid: str) -> str:
    return f"/{collection}({guid})"


def _unit_ref(plan: Plan, key: str) -> str:
    if key == ROOT:
        return _bind("businessunits", ROOT_UNIT_PLACEHOLDER)
    return _bind("businessunits", plan.guid("businessunit", key))


def _requests(description: str, requests: Iterable[dict[str, Any]]) -> str:
    document = {
        "description": description,
        "base": "/api/data/v9.2/",
        "requests": list(requests),
    }
    return json_text(document, indent=2, ensure_ascii=False) + "\n"


def _post(url: str, body: Mapping[str, Any]) -> dict[str, Any]:
    return {"method": "POST", "url": url, "body": dict(body)}


def _ref(url: str, target: str) -> dict[str, Any]:
    return _post(f"{url}/$ref", {"@odata.id": target})


def webapi_files(plan: Plan) -> dict[str, str]:
    """The Web API requests, one file per step, numbered in the order to send them."""
    units = [
        _post(
            "businessunits",
            {
                "businessunitid": unit.guid,
                "name": unit.name,
                "parentbusinessunitid@odata.bind": _unit_ref(plan, unit.parent or ROOT),
            },
        )
        for unit in plan.business_units
        if unit.key != ROOT
    ]
    teams = [
        _post(
            "teams",
            {
                "teamid": team.guid,
                "name": team.name,
                "teamtype": 0,
                "businessunitid@odata.bind": _unit_ref(plan, team.business_unit),
            },
        )
        for team in plan.teams
    ]
    users = [
        _post(
            "systemusers",
            {
                "systemuserid": user.guid,
                "employeeid": user.person,
                "lastname": user.name,
                "domainname": user.email or f"{user.person}@change-me.invalid",
                "internalemailaddress": user.email or f"{user.person}@change-me.invalid",
                "businessunitid@odata.bind": _unit_ref(plan, user.business_unit),
            },
        )
        for user in plan.users
    ]
    role_guids = {role.role: role.guid for role in plan.security_roles}
    associations = [
        _ref(
            f"systemusers({user.guid})/systemuserroles_association",
            f"roles({role_guids[role_id]})",
        )
        for user in plan.users
        for role_id in user.roles
    ]
    user_guids = {user.person: user.guid for user in plan.users}
    memberships = [
        _ref(f"teams({team.guid})/teammembership_association", f"systemusers({user_guids[p]})")
        for team in plan.teams
        for p in team.members
    ]
    profiles = [
        _ref(
            f"fieldsecurityprofiles({profile.guid})/systemuserprofiles_association",
            f"systemusers({user_guids[p]})",
        )
        for profile in plan.field_profiles
        for p in profile.users
    ]
    return {
        BUSINESS_UNITS: _requests(
            "Business units from the department tree, parents first; replace "
            f"{ROOT_UNIT_PLACEHOLDER} with the id of the environment's root business unit.",
            units,
        ),
        TEAMS: _requests("Owner teams (teamtype 0), each in its department's unit.", teams),
        SYSTEM_USERS: _requests(
            "Users, each in one business unit; employeeid is the crmorg person id.", users
        ),
        ROLE_ASSOCIATIONS: _requests(
            "Security roles of the imported solution given to users (after the import).",
            associations,
        ),
        TEAM_MEMBERSHIPS: _requests("Team members (a team's lead is a member).", memberships),
        PROFILE_ASSOCIATIONS: _requests(
            "Field security profiles of the imported solution given to users.", profiles
        ),
    }


def secured_columns(plan: Plan) -> str:
    columns = [
        {"resource": resource, "field": field, "table": table, "column": column}
        for resource, field, table, column in plan.secured_columns
    ]
    document = {
        "description": "Columns to secure (Enable column security) before importing the "
        "solution: the field security profiles name them.",
        "columns": columns,
    }
    return json_text(document, indent=2, ensure_ascii=False) + "\n"


def render_files(plan: Plan) -> dict[str, str | bytes]:
    parts = solution_parts(plan)
    files: dict[str, str | bytes] = {f"{SOLUTION_DIR}/{name}": text for name, text in parts.items()}
    files[SOLUTION_ZIP] = zipped(parts)
    files.update(webapi_files(plan))
    files[SECURED_COLUMNS] = secured_columns(plan)
    return files
