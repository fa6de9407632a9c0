"""The OpenAPI payloads (``openapi/*.json``) and the order to send them (``plan.json``).

Each call is the body of one request to Fxiaoke's published OpenAPI. Ids are the
model's: where the API wants a Fxiaoke id (a department's ``parentId``, a user's
``mainDepartmentId``, a group's members) the body holds ``{"$ref": "department:sales"}``,
the call that creates it, which the loader replaces with the id that call returned.
"""

from __future__ import annotations

from typing import Any, Final

from crmorg.export.fxiaoke.mapping import ROOT_DEPARTMENT
from crmorg.export.fxiaoke.plan import Plan
from crmorg.text import json_text

PLAN: Final = "plan.json"
DIRECTORY: Final = "openapi"
FORMAT: Final = "crmorg.fxiaoke-openapi/1"

DEPARTMENTS: Final = "openapi/departments.json"
USERS: Final = "openapi/users.json"
LEADERS: Final = "openapi/user-leaders.json"
GROUPS: Final = "openapi/user-groups.json"
GROUP_MEMBERS: Final = "openapi/user-group-members.json"
ROLES: Final = "openapi/roles.json"
USER_ROLES: Final = "openapi/user-roles.json"

ENDPOINTS: Final = {
    DEPARTMENTS: "/cgi/department/add",
    USERS: "/cgi/user/add",
    LEADERS: "/cgi/user/update",
    GROUPS: "/cgi/crm/v2/special/usergroupInsert",
    GROUP_MEMBERS: "/cgi/crm/v2/special/usergroupMemberInsert",
    ROLES: "/cgi/crm/v2/special/roleAdd",
    USER_ROLES: "/cgi/crm/v2/special/batchAddUserRole",
}
"""Each file's endpoint, in the order the files are loaded."""

_AUTH: Final = {"corpAccessToken": "${corpAccessToken}", "corpId": "${corpId}"}
_CRM_APP: Final = {"AuthContext": {"appId": "CRM"}}


def _ref(kind: str, model_id: str) -> dict[str, str]:
    return {"$ref": f"{kind}:{model_id}"}


def _department_ref(department: str) -> dict[str, str] | int:
    return int(ROOT_DEPARTMENT) if department == ROOT_DEPARTMENT else _ref("department", department)


class _Calls:
    def __init__(self) -> None:
        self.by_file: dict[str, list[dict[str, Any]]] = {name: [] for name in ENDPOINTS}

    def add(self, file: str, call_id: str, depends: list[str], body: dict[str, Any]) -> None:
        self.by_file[file].append({"id": call_id, "dependsOn": sorted(set(depends)), "body": body})


def calls(plan: Plan) -> _Calls:
    out = _Calls()
    for dept in plan.departments:
        parent = dept.parent
        out.add(
            DEPARTMENTS,
            f"department:{dept.id}",
            [f"department:{parent}"] if parent else [],
            {
                **_AUTH,
                "department": {
                    "name": dept.api_name,
                    "parentId": _department_ref(parent or ROOT_DEPARTMENT),
                },
            },
        )
    for user in plan.users:
        departments = [user.main_department, *user.other_departments]
        out.add(
            USERS,
            f"user:{user.id}",
            [f"department:{d}" for d in departments if d != ROOT_DEPARTMENT],
            {
                **_AUTH,
                "user": {
                    "name": user.name,
                    "fullName": user.name,
                    "employeeNumber": user.id,
                    "mainDepartmentId": _department_ref(user.main_department),
                    "attachingDepartmentIds": [_department_ref(d) for d in user.other_departments],
                },
            },
        )
    for user in plan.users:
        if user.leader is not None:
            out.add(
                LEADERS,
                f"leader:{user.id}",
                [f"user:{user.id}", f"user:{user.leader}"],
                {
                    **_AUTH,
                    "user": {
                        "openUserId": _ref("user", user.id),
                        "leaderId": _ref("user", user.leader),
                    },
                },
            )
    for group in plan.groups:
        out.add(
            GROUPS,
            f"group:{group.id}",
            [],
            {"data": {"name": group.name, "description": f"crmorg team {group.id}"}},
        )
        if group.members:
            out.add(
                GROUP_MEMBERS,
                f"group-members:{group.id}",
                [f"group:{group.id}", *(f"user:{m}" for m in group.members)],
                {
                    "data": {
                        "groupId": _ref("group", group.id),
                        "employeeIds": [_ref("user", m) for m in group.members],
                    }
                },
            )
    for role in plan.roles:
        out.add(
            ROLES,
            f"role:{role.id}",
            [],
            {
                "data": {
                    **_CRM_APP,
                    "roleName": role.name,
                    "description": f"crmorg role {role.id}"
                    + (f" (inherits {', '.join(role.inherits)})" if role.inherits else ""),
                }
            },
        )
    holders: dict[str, list[str]] = {}
    for user in plan.users:
        for role_id in user.roles:
            holders.setdefault(role_id, []).append(user.id)
    for role_id, people in sorted(holders.items()):
        out.add(
            USER_ROLES,
            f"user-roles:{role_id}",
            [f"role:{role_id}", *(f"user:{p}" for p in people)],
            {
                "data": {
                    **_CRM_APP,
                    "roleCodes": [_ref("role", role_id)],
                    "userIds": [_ref("user", p) for p in people],
                }
            },
        )
    return out


def _text(value: object) -> str:
    return json_text(value, indent=2, ensure_ascii=False) + "\n"


def render_payloads(plan: Plan) -> dict[str, str]:
    found = calls(plan)
    files = {
        name: _text({"format": FORMAT, "endpoint": ENDPOINTS[name], "calls": entries})
        for name, entries in found.by_file.items()
    }
    steps = [
        {
            "step": number,
            "call": entry["id"],
            "file": name,
            "endpoint": ENDPOINTS[name],
            "dependsOn": entry["dependsOn"],
        }
        for number, (name, entry) in enumerate(
            ((name, entry) for name, entries in found.by_file.items() for entry in entries),
            start=1,
        )
    ]
    files[PLAN] = _text(
        {
            "format": FORMAT,
            "organization": plan.organization,
            "ids": (
                'Every id here is the crmorg model\'s. A {"$ref": "kind:id"} stands for the '
                "Fxiaoke id that the call of that id returned (departmentId, openUserId, "
                "groupId, roleCode); the loader maps them as it goes. "
                f"{ROOT_DEPARTMENT} is 全公司, the root department."
            ),
            "credentials": "${corpAccessToken} and ${corpId}: the loader's, never stored here",
            "steps": steps,
        }
    )
    return files
