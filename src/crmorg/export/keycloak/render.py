"""Rendering the ``keycloak`` target: ``realm.json``, a realm to import.

- Each crmorg role is a realm role named by its id (``crmorg-<id>`` for the two that
  Keycloak builds into every realm, ``offline_access`` and ``uma_authorization``). Its
  composites are the realm roles it inherits
  (``composites.realm``) and the client roles of its own grants
  (``composites.client.crmorg``), so Keycloak's composite expansion gives a user the
  roles and the grants that crmorg's inheritance gives (format-v1 section 3).
- Each grant (after wildcard expansion) is a client role of the client ``crmorg``, named
  ``resource:action:scope``. A baseline (section 10) is a client role too, composed into
  every role that writes a grant of its permission: Keycloak then gives it to exactly the
  subjects that have a grant of that permission.
- Departments are groups, nested as the department tree (``subGroups``); each team is a
  group below its department (at the top without one). Group names are ids (a group path
  is ``/``-separated, and a name may hold a ``/``); team groups are ``team-<id>``, which
  no department id can be. The display names are in ``description`` and the
  ``crmorg.name`` attribute.
- Each person is a user with ``realmRoles`` (the roles they hold) and ``groups`` (the
  paths of their teams and departments); their manager and title are the
  ``crmorg.manager`` and ``crmorg.title`` attributes. An address two people share is
  nobody's ``email`` (a realm refuses duplicates by default).

Sharing rules, restricted fields and the reach of scopes on records are the CRM's to
enforce; the client role names carry the scopes for it to read.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.scim.render import directory
from crmorg.model import Model
from crmorg.roles.scopes import Scope
from crmorg.text import json_text

REALM = "realm.json"
CLIENT = "crmorg"
REALM_NAME = "crmorg"


BUILT_IN_ROLES = frozenset({"offline_access", "uma_authorization"})
"""The realm roles Keycloak makes in every realm, composed into its default role (which
every user holds): a crmorg role of that name would be everyone's."""


def realm_role(role_id: str) -> str:
    """A role's realm role: its id, or ``crmorg-<id>`` for a name Keycloak has built in
    (an id never holds ``-``, so no other role has that name)."""
    return f"crmorg-{role_id}" if role_id in BUILT_IN_ROLES else role_id


def client_role(resource: str, action: str, scope: Scope) -> str:
    """A grant's client role: ``resource:action:scope``."""
    return f"{resource}:{action}:{scope.label}"


def role_grants(compiled: CompiledModel) -> dict[str, list[str]]:
    """Role id -> the client roles of its own grants, baselines included, sorted."""
    found: dict[str, list[str]] = {}
    for role in compiled.roles.values():
        names = set()
        for grant in role.grants:
            if grant.scope is Scope.NONE:
                continue
            names.add(client_role(grant.resource, grant.action, grant.scope))
            baseline = compiled.baselines.get((grant.resource, grant.action))
            if baseline is not None:
                names.add(client_role(grant.resource, grant.action, baseline))
        found[role.id] = sorted(names)
    return found


def render(model: Model) -> dict[str, str]:
    compiled = compile_model(model)
    return {REALM: json_text(realm(model, compiled), ensure_ascii=False, indent=2) + "\n"}


def realm(model: Model, compiled: CompiledModel) -> dict[str, Any]:
    grants = role_grants(compiled)
    client_roles = sorted({name for names in grants.values() for name in names})
    realm_roles = []
    for role in compiled.roles.values():
        entry: dict[str, Any] = {
            "name": realm_role(role.id),
            "description": role.name,
            "composite": bool(role.inherits or grants[role.id]),
            "clientRole": False,
            "attributes": {"crmorg.id": [role.id], "crmorg.name": [role.name]},
        }
        if entry["composite"]:
            composites: dict[str, Any] = {}
            if role.inherits:
                composites["realm"] = [realm_role(r) for r in role.inherits]
            if grants[role.id]:
                composites["client"] = {CLIENT: grants[role.id]}
            entry["composites"] = composites
        realm_roles.append(entry)
    paths = group_paths(compiled)
    found = directory(model, compiled)
    # A realm refuses two users with one address (duplicateEmailsAllowed is off).
    shared = Counter(user.email.lower() for user in found.users if user.email is not None)
    users = []
    for user in found.users:
        person = compiled.people[user.id]
        entry = {
            "username": user.user_name.lower(),
            "enabled": True,
            "firstName": user.name,
            "attributes": {"crmorg.id": [user.id]},
            "realmRoles": [realm_role(r) for r in person.roles],
            "groups": sorted(
                {paths[("department", d)] for d in person.departments}
                | {paths[("team", t)] for t in person.teams}
            ),
        }
        if user.email is not None and shared[user.email.lower()] == 1:
            entry["email"] = user.email
            entry["emailVerified"] = False
        if user.title:
            entry["attributes"]["crmorg.title"] = [user.title]
        if user.manager is not None:
            entry["attributes"]["crmorg.manager"] = [user.manager]
        users.append(entry)
    return {
        "realm": REALM_NAME,
        "displayName": compiled.organization or REALM_NAME,
        "enabled": True,
        "roles": {
            "realm": realm_roles,
            "client": {
                CLIENT: [
                    {
                        "name": name,
                        "description": _describe(name),
                        "composite": False,
                        "clientRole": True,
                    }
                    for name in client_roles
                ]
            },
        },
        "clients": [
            {
                "clientId": CLIENT,
                "name": "crmorg",
                "description": "The CRM's permissions: resource:action:scope",
                "enabled": True,
                "protocol": "openid-connect",
                "publicClient": False,
                "bearerOnly": True,
                "standardFlowEnabled": False,
                "directAccessGrantsEnabled": False,
                "serviceAccountsEnabled": False,
            }
        ],
        "groups": _groups(compiled, None),
        "users": users,
    }


def _describe(name: str) -> str:
    resource, action, scope = name.split(":")
    return f"{action} {resource} at scope {scope}"


def _team_name(team_id: str) -> str:
    return f"team-{team_id}"


def group_paths(compiled: CompiledModel) -> dict[tuple[str, str], str]:
    """(``department`` or ``team``, id) -> the group's path, ``/hq/sales/team-east``."""
    paths: dict[tuple[str, str], str] = {}

    def department(dept_id: str) -> str:
        # Parents first, without recursion (the target refuses department cycles).
        chain: list[str] = []
        current: str | None = dept_id
        while current is not None and ("department", current) not in paths:
            if current in chain:
                break
            chain.append(current)
            current = compiled.departments[current].parent
        above = paths.get(("department", current), "") if current is not None else ""
        for below in reversed(chain):
            above = paths[("department", below)] = f"{above}/{below}"
        return paths[("department", dept_id)]

    for dept_id in compiled.departments:
        department(dept_id)
    for team in compiled.teams.values():
        above = department(team.department) if team.department is not None else ""
        paths[("team", team.id)] = f"{above}/{_team_name(team.id)}"
    return paths


def _groups(compiled: CompiledModel, parent: str | None) -> list[dict[str, Any]]:
    found = []
    for dept in compiled.departments.values():
        if dept.parent == parent:
            found.append(
                {
                    "name": dept.id,
                    "description": dept.name,
                    "attributes": {"crmorg.kind": ["department"], "crmorg.name": [dept.name]},
                    "subGroups": _groups(compiled, dept.id),
                }
            )
    for team in compiled.teams.values():
        if team.department == parent:
            found.append(
                {
                    "name": _team_name(team.id),
                    "description": team.name,
                    "attributes": {"crmorg.kind": ["team"], "crmorg.name": [team.name]},
                    "subGroups": [],
                }
            )
    return found
