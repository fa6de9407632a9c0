"""The ``scim`` target, loaded into a real SCIM server and checked by a SCIM validator.

``scim2-server`` (its WSGI application over its in-memory storage) receives
``bulk.json`` at ``/Bulk`` and then answers filter queries: each group's members, each
user's groups (``members.value eq``), groups by name, users by ``externalId``, and each
user's manager. ``scim2-models`` validates every resource of ``Users.json``,
``Groups.json`` and ``bulk.json``. Memberships are compared with an independent reading
of the model (:mod:`tests.export.identity_models`) over generated models.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from scim2_models import (
    BulkRequest,
    Context,
    EnterpriseUser,
    Group,
    ListResponse,
    User,
)
from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.memory import InMemoryStorage
from scim2_server.requests import ScimRequest
from scim2_server.utils import load_default_provider

import crmorg
from crmorg.export import EXPORTERS
from crmorg.model import Model

from ..conftest import FIXTURES
from ..identity_models import expected_groups, identity_models

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
BASE = "http://scim.localhost/v2"
PROVIDER = load_default_provider()


class Server:
    """scim2-server's WSGI application, asked through its own request objects."""

    def __init__(self) -> None:
        self.app = WSGIApplication(InMemoryStorage(), PROVIDER)

    def call(
        self, method: str, path: str, body: object = None, query: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        request = ScimRequest(
            method=method,
            base_url=BASE,
            path=path,
            query=query or {},
            headers={"Content-Type": "application/scim+json"} if body is not None else {},
            body=b"" if body is None else json.dumps(body).encode(),
        )
        response = self.app.serve(request)
        return response.status.value, response.body

    def search(self, endpoint: str, filter_: str) -> list[dict[str, Any]]:
        status, body = self.call("GET", endpoint, query={"filter": filter_, "count": "1000"})
        assert status == 200, (filter_, body)
        resources: list[dict[str, Any]] = body.get("Resources", [])
        return resources


def _quoted(text: str) -> str:
    """A SCIM filter's string literal (RFC 7644 §3.4.2.2: JSON string)."""
    return json.dumps(text)


def _files(model: Model) -> dict[str, Any]:
    files = EXPORTERS["scim"].render(model)
    assert sorted(files) == ["Groups.json", "Users.json", "bulk.json"]
    return {name: json.loads(content) for name, content in files.items()}


def validate_files(files: dict[str, Any]) -> None:
    """Every resource passes scim2-models, in the context it is sent in."""
    users = ListResponse[User[EnterpriseUser]].model_validate(
        files["Users.json"], scim_ctx=Context.SEARCH_RESPONSE
    )
    groups = ListResponse[Group].model_validate(
        files["Groups.json"], scim_ctx=Context.SEARCH_RESPONSE
    )
    assert users.total_results == len(files["Users.json"]["Resources"])
    assert groups.total_results == len(files["Groups.json"]["Resources"])
    for resource in files["Users.json"]["Resources"]:
        User[EnterpriseUser].model_validate(resource, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    for resource in files["Groups.json"]["Resources"]:
        Group.model_validate(resource, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    BulkRequest[User[EnterpriseUser] | Group].model_validate(
        files["bulk.json"], scim_ctx=Context.BULK_REQUEST
    )
    for operation in files["bulk.json"]["Operations"]:
        if operation["method"] == "POST":
            kind = User[EnterpriseUser] if operation["path"] == "/Users" else Group
            kind.model_validate(operation["data"], scim_ctx=Context.RESOURCE_CREATION_REQUEST)


def load_and_check(model: Model) -> int:
    """Bulk-load the export into a fresh server and compare its answers with the model.

    Returns how many filter queries were asked."""
    files = _files(model)
    validate_files(files)
    server = Server()
    status, body = server.call("POST", "/Bulk", files["bulk.json"])
    assert status == 200, body
    failed = [op for op in body["Operations"] if int(op["status"]) >= 300]
    assert not failed, failed
    users = {user["externalId"]: user for user in server.search("/Users", "userName pr")}
    assert set(users) == set(model.people)
    server_ids = {person: user["id"] for person, user in users.items()}
    person_of = {v: k for k, v in server_ids.items()}
    asked = 1

    expected = expected_groups(model)
    groups = {}
    for (kind, entity), members in expected.items():
        found = server.search("/Groups", f"externalId eq {_quoted(f'{kind}:{entity}')}")
        asked += 1
        assert len(found) == 1, (kind, entity, found)
        groups[(kind, entity)] = found[0]
        got = {person_of[m["value"]] for m in found[0].get("members", [])}
        assert got == members, (kind, entity)
    assert len(server.search("/Groups", "displayName pr")) == len(expected)
    asked += 1

    # Each user's groups, as the server finds them by member.
    for person, server_id in server_ids.items():
        found = server.search("/Groups", f"members.value eq {_quoted(server_id)}")
        asked += 1
        got = {tuple(g["externalId"].split(":", 1)) for g in found}
        assert got == {key for key, members in expected.items() if person in members}, person

    # Groups by their display name, quoted as a JSON string (hostile text included).
    names: dict[str, set[str]] = {}
    for group in groups.values():
        names.setdefault(group["displayName"], set()).add(group["id"])
    for name in sorted(names)[:10]:
        found = server.search("/Groups", f"displayName eq {_quoted(name)}")
        asked += 1
        # displayName is caseExact false (RFC 7643 §4.2): names differing by case meet.
        same = {i for n, s in names.items() if n.lower() == name.lower() for i in s}
        assert {g["id"] for g in found} == same, name

    # Each user's manager is the created user of the person they report to.
    for person, user in users.items():
        manager = model.people[person].reports_to
        expected_manager = (
            server_ids[manager] if manager in model.people and manager != person else None
        )
        got = user.get(ENTERPRISE, {}).get("manager", {}).get("value")
        assert got == expected_manager, person
    return asked


def test_small_model_loads_into_the_scim_server() -> None:
    model = crmorg.load(FIXTURES / "small")
    assert load_and_check(model) > len(model.people)


def test_ids_are_uuid5_and_stable() -> None:
    model = crmorg.load(FIXTURES / "small")
    first, second = _files(model), _files(crmorg.load(FIXTURES / "small"))
    assert first == second
    for resource in first["Users.json"]["Resources"]:
        expected = uuid.uuid5(uuid.NAMESPACE_URL, f"crmorg:user:{resource['externalId']}")
        assert resource["id"] == str(expected)
    for resource in first["Groups.json"]["Resources"]:
        expected = uuid.uuid5(uuid.NAMESPACE_URL, f"crmorg:{resource['externalId']}")
        assert resource["id"] == str(expected)
    # Users before groups, each group referring to users by bulkId.
    methods = [(op["method"], op["path"]) for op in first["bulk.json"]["Operations"]]
    assert methods == sorted(methods, key=lambda m: m[1] == "/Groups")


def _people_document(tmp_path: Path) -> Model:
    doc = {
        "version": 1,
        "organization": {"name": "Acme"},
        "resources": {"lead": {"name": "Lead"}},
        "departments": {"hq": {"name": "HQ"}, "ops": {"name": "Ops", "parent": "hq"}},
        "roles": {
            "boss": {"name": "Boss", "department": "hq"},
            "worker": {"name": "Worker", "department": "ops", "inherits": ["boss"]},
        },
        "teams": {"crew": {"name": "Crew", "department": "ops", "lead": "ann"}},
        "people": {
            # ann and bob report to each other: bulk.json POSTs one and PATCHes it.
            "ann": {
                "name": "Ann",
                "email": "ann@example.com",
                "roles": ["boss"],
                "reports_to": "bob",
            },
            "bob": {
                "name": "Bob",
                "email": "ANN@example.com",
                "roles": ["worker"],
                "reports_to": "ann",
            },
            "cy": {
                "name": "Cy",
                "email": "cy@example.com",
                "title": "Clerk",
                "roles": ["worker"],
                "teams": ["crew"],
                "reports_to": "ann",
            },
            "dee": {"name": "Dee", "email": "not an address", "reports_to": "cy"},
        },
    }
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return crmorg.load(tmp_path / "model.yaml")


def test_people_fields_and_a_reporting_cycle(tmp_path: Path) -> None:
    model = _people_document(tmp_path)
    load_and_check(model)
    users = {u["externalId"]: u for u in _files(model)["Users.json"]["Resources"]}
    # ann@ and ANN@ are one userName to SCIM: both people fall back to their ids.
    assert [users[p]["userName"] for p in ("ann", "bob", "cy", "dee")] == [
        "ann",
        "bob",
        "cy@example.com",
        "dee",
    ]
    assert users["cy"]["emails"] == [{"value": "cy@example.com", "type": "work", "primary": True}]
    assert "emails" not in users["dee"]
    assert users["cy"]["title"] == "Clerk"
    assert users["cy"][ENTERPRISE]["department"] == "Ops"
    assert users["ann"][ENTERPRISE]["department"] == "HQ"
    patches = [op for op in _files(model)["bulk.json"]["Operations"] if op["method"] == "PATCH"]
    assert len(patches) == 1


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(identity_models())
def test_generated_models_load_with_the_model_memberships(model: Model) -> None:
    load_and_check(model)


def _strip(resource: dict[str, Any]) -> dict[str, Any]:
    """A listed resource as a client POSTs it: no id, meta or read-only displayName."""
    data = {k: v for k, v in resource.items() if k not in ("id", "meta")}
    if ENTERPRISE in data:
        data[ENTERPRISE] = {k: v for k, v in data[ENTERPRISE].items() if k != "manager"}
    return data


@pytest.mark.parametrize("which", ["small", "people"])
def test_each_listed_resource_is_created_one_by_one(which: str, tmp_path: Path) -> None:
    """Users.json and Groups.json through POST /Users and POST /Groups (managers by
    PATCH, members by the server's ids): the server keeps what the files say."""
    model = crmorg.load(FIXTURES / "small") if which == "small" else _people_document(tmp_path)
    files = _files(model)
    server = Server()
    created: dict[str, str] = {}  # our id -> the server's
    for user in files["Users.json"]["Resources"]:
        status, body = server.call("POST", "/Users", _strip(user))
        assert status == 201, body
        created[user["id"]] = body["id"]
    for user in files["Users.json"]["Resources"]:
        manager = user[ENTERPRISE].get("manager")
        if manager is None:
            continue
        value = created[manager["value"]]
        patch = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {
                    "op": "add",
                    "path": f"{ENTERPRISE}:manager",
                    "value": {"value": value, "$ref": f"../Users/{value}"},
                }
            ],
        }
        status, body = server.call("PATCH", f"/Users/{created[user['id']]}", patch)
        assert status in (200, 204), body
    for group in files["Groups.json"]["Resources"]:
        data = _strip(group)
        data["members"] = [{"value": created[m["value"]], "type": "User"} for m in group["members"]]
        status, body = server.call("POST", "/Groups", data)
        assert status == 201, body
        created[group["id"]] = body["id"]
    ours = {v: k for k, v in created.items()}
    for endpoint, listed in (("/Users", "Users.json"), ("/Groups", "Groups.json")):
        expected = {r["id"]: r for r in files[listed]["Resources"]}
        for found in server.search(endpoint, "id pr"):
            mine = expected.pop(ours[found["id"]])
            assert found["externalId"] == mine["externalId"]
            assert found.get("displayName") == mine["displayName"]
            if endpoint == "/Users":
                assert found["userName"] == mine["userName"]
                assert found.get("emails") == mine.get("emails")
                got = found.get(ENTERPRISE, {}).get("manager", {}).get("value")
                want = mine[ENTERPRISE].get("manager", {}).get("value")
                assert got == (created[want] if want else None)
            else:
                got = {ours[m["value"]] for m in found.get("members", [])}
                assert got == {m["value"] for m in mine["members"]}
        assert not expected
