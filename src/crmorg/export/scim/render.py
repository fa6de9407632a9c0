"""Rendering the ``scim`` target: ``Users.json``, ``Groups.json`` and ``bulk.json``.

Every person is a SCIM 2.0 ``User`` (RFC 7643 §4.1) with the enterprise extension
(§4.3): ``department`` is the name of the person's first department in tree order,
``manager`` the person they report to. Every role, team and department is a ``Group``
(§4.2) whose members are people:

- a role's group: everyone who holds the role, given it or given a role that inherits
  it (``OrgGraph.effective_holders``);
- a team's group: the people who list the team, and its lead;
- a department's group: the people with a department at or below it (the group that a
  sharing rule's ``{department: D}`` names).

Ids are UUIDv5 of ``crmorg:<kind>:<id>``, so a resource keeps its id from one export to
the next. ``Users.json`` and ``Groups.json`` are ``ListResponse`` messages (RFC 7644
§3.4.2); ``bulk.json`` is a ``BulkRequest`` (§3.7) that POSTs every user, then every
group, each referring to the others by ``bulkId``. A user whose manager is on a
reporting cycle is POSTed before the manager and given the manager by a PATCH after the
users, since a bulk request may not hold circular references (§3.7.1).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.model import Model
from crmorg.text import json_text, localize

USERS = "Users.json"
GROUPS = "Groups.json"
BULK = "bulk.json"

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

NAMESPACE = uuid.NAMESPACE_URL
GROUP_KINDS = ("role", "team", "department")

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# Names that RFC 6761 and its successors reserve: no mailbox is there.
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def resource_id(kind: str, entity_id: str) -> str:
    """The SCIM ``id`` of a crmorg entity: ``uuid5(NAMESPACE_URL, "crmorg:<kind>:<id>")``."""
    return str(uuid.uuid5(NAMESPACE, f"crmorg:{kind}:{entity_id}"))


def bulk_id(kind: str, entity_id: str) -> str:
    """``<kind>-<id>``: ids never hold ``-``, so two entities never share one."""
    return f"{kind}-{entity_id}"


def email_address(text: str | None) -> str | None:
    """``text`` when it is an address a SCIM validator accepts (RFC 5322 dot-atom at a
    domain name), else ``None``."""
    if text is None:
        return None
    if not _EMAIL.fullmatch(text) or text.rsplit(".", 1)[-1].lower() in _SPECIAL_USE:
        return None
    return text


@dataclass(frozen=True)
class UserFacts:
    id: str
    name: str
    user_name: str
    email: str | None
    title: str | None
    department: str | None
    """The department named in the enterprise extension (its display name)."""
    manager: str | None


@dataclass(frozen=True)
class GroupFacts:
    kind: str
    id: str
    name: str
    members: tuple[str, ...]
    """Person ids, sorted."""


@dataclass(frozen=True)
class Directory:
    """The people and the groups that the identity targets write, resolved once."""

    users: tuple[UserFacts, ...]
    groups: tuple[GroupFacts, ...]

    @cached_property
    def user_names(self) -> Mapping[str, str]:
        return {user.id: user.name for user in self.users}

    @cached_property
    def user_ids(self) -> Mapping[str, str]:
        """Person id -> the User's SCIM id."""
        return {user.id: resource_id("user", user.id) for user in self.users}


def directory(model: Model, compiled: CompiledModel | None = None) -> Directory:
    """Users and groups of ``model``: people sorted by id; groups by kind, then id."""
    compiled = compiled or compile_model(model)
    org = model.org
    order = {dept_id: index for index, (dept_id, _) in enumerate(org.department_order)}
    emails = {p: email_address(model.people[p].email) for p in compiled.people}
    # userName is unique case-insensitively (RFC 7643 §4.1.1): an address two people
    # share, or one that is another person's id, falls back to the id.
    taken: dict[str, int] = {}
    for person_id, email in emails.items():
        taken[person_id] = taken.get(person_id, 0) + 1
        if email is not None:
            taken[email.lower()] = taken.get(email.lower(), 0) + 1
    users = []
    for person_id, person in compiled.people.items():
        email = emails[person_id]
        departments = sorted(person.departments, key=lambda d: (order.get(d, len(order)), d))
        title = model.people[person_id].title
        users.append(
            UserFacts(
                id=person_id,
                name=person.name,
                user_name=email if email is not None and taken[email.lower()] == 1 else person_id,
                email=email,
                title=localize(title) if title is not None else None,
                department=compiled.departments[departments[0]].name if departments else None,
                manager=person.manager,
            )
        )
    below = org.department_below
    person_departments = {p: set(f.departments) for p, f in compiled.people.items()}
    groups = [
        GroupFacts("role", role.id, role.name, tuple(sorted(set(org.effective_holders[role.id]))))
        for role in compiled.roles.values()
    ]
    groups += [
        GroupFacts("team", team.id, team.name, team.members) for team in compiled.teams.values()
    ]
    groups += [
        GroupFacts(
            "department",
            dept.id,
            dept.name,
            tuple(p for p, depts in person_departments.items() if depts & below[dept.id]),
        )
        for dept in compiled.departments.values()
    ]
    return Directory(tuple(users), tuple(groups))


def render(model: Model) -> dict[str, str]:
    found = directory(model)
    users = [_user(user, found) for user in found.users]
    groups = [_group(group, found) for group in found.groups]
    return {
        USERS: _json(_list_response(users)),
        GROUPS: _json(_list_response(groups)),
        BULK: _json(_bulk(found)),
    }


def _json(document: object) -> str:
    return json_text(document, ensure_ascii=False, indent=2) + "\n"


def _list_response(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def _user_data(
    user: UserFacts, found: Directory, manager: str | None, ref: str | None, response: bool
) -> dict[str, Any]:
    """A User's attributes: ``manager`` is the manager's ``value`` and ``ref`` its
    ``$ref``; a ``response`` (``Users.json``) also shows the manager's read-only
    ``displayName``, which a request may not send."""
    data: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "externalId": user.id,
        "userName": user.user_name,
        "name": {"formatted": user.name},
        "displayName": user.name,
    }
    if user.title:
        data["title"] = user.title
    if user.email is not None:
        data["emails"] = [{"value": user.email, "type": "work", "primary": True}]
    data["active"] = True
    enterprise: dict[str, Any] = {}
    if user.department is not None:
        enterprise["department"] = user.department
    if manager is not None and user.manager is not None:
        enterprise["manager"] = {"value": manager, "$ref": ref or manager}
        if response:
            enterprise["manager"]["displayName"] = found.user_names[user.manager]
    data[ENTERPRISE_SCHEMA] = enterprise
    return data


def _user(user: UserFacts, found: Directory) -> dict[str, Any]:
    manager = resource_id("user", user.manager) if user.manager is not None else None
    return {
        "id": resource_id("user", user.id),
        **_user_data(user, found, manager, _ref(manager), response=True),
        "meta": {"resourceType": "User"},
    }


def _ref(user_id: str | None) -> str | None:
    """A User's URI relative to another resource's location (RFC 7643 §2.3.7)."""
    return None if user_id is None else f"../Users/{user_id}"


def _group_data(
    group: GroupFacts, found: Directory, value: Mapping[str, str], refs: bool = False
) -> dict[str, Any]:
    names = found.user_names
    return {
        "schemas": [GROUP_SCHEMA],
        "externalId": f"{group.kind}:{group.id}",
        "displayName": group.name,
        "members": [
            {
                "value": value[person],
                **({"$ref": _ref(value[person])} if refs else {}),
                "type": "User",
                "display": names[person],
            }
            for person in group.members
        ],
    }


def _group(group: GroupFacts, found: Directory) -> dict[str, Any]:
    return {
        "id": resource_id(group.kind, group.id),
        **_group_data(group, found, found.user_ids, refs=True),
        "meta": {"resourceType": "Group"},
    }


def _managers_first(users: tuple[UserFacts, ...]) -> Iterator[UserFacts]:
    """Users with each manager before those who report to them, where no cycle is in the
    way; otherwise by id."""
    by_id = {user.id: user for user in users}
    done: set[str] = set()
    for user in users:
        chain: list[UserFacts] = []
        on_chain: set[str] = set()
        current: UserFacts | None = user
        while current is not None and current.id not in done and current.id not in on_chain:
            chain.append(current)
            on_chain.add(current.id)
            current = by_id.get(current.manager) if current.manager is not None else None
        for found in reversed(chain):
            done.add(found.id)
            yield found


def _bulk(found: Directory) -> dict[str, Any]:
    operations: list[dict[str, Any]] = []
    posted: set[str] = set()
    later: list[UserFacts] = []
    for user in _managers_first(found.users):
        manager = user.manager
        ready = manager is not None and manager in posted
        reference = f"bulkId:{bulk_id('user', manager)}" if ready and manager else None
        if manager is not None and not ready:
            later.append(user)
        operations.append(
            {
                "method": "POST",
                "path": "/Users",
                "bulkId": bulk_id("user", user.id),
                # A bulkId stands for the created resource's id, a URI relative to
                # the user's own location, as "$ref" too.
                "data": _user_data(user, found, reference, reference, response=False),
            }
        )
        posted.add(user.id)
    for user in sorted(later, key=lambda u: u.id):
        assert user.manager is not None
        manager_ref = f"bulkId:{bulk_id('user', user.manager)}"
        operations.append(
            {
                "method": "PATCH",
                "path": f"/Users/bulkId:{bulk_id('user', user.id)}",
                "data": {
                    "schemas": [PATCH_OP],
                    "Operations": [
                        {
                            "op": "add",
                            "path": f"{ENTERPRISE_SCHEMA}:manager",
                            "value": {"value": manager_ref, "$ref": manager_ref},
                        }
                    ],
                },
            }
        )
    refs = {user.id: f"bulkId:{bulk_id('user', user.id)}" for user in found.users}
    operations += [
        {
            "method": "POST",
            "path": "/Groups",
            "bulkId": bulk_id(group.kind, group.id),
            "data": _group_data(group, found, refs),
        }
        for group in found.groups
    ]
    return {"schemas": [BULK_REQUEST], "Operations": operations}
