"""The solution and the Web API bodies, read back as Dataverse would read them: the zip
and its parts, the rules Microsoft documents for them, GUIDs that do not move."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import EXPORTERS
from crmorg.model import Model

from ..strategies import load_document
from .compare import NAMESPACE, STANDARD
from .conftest import lxml_etree

etree = lxml_etree()

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
REFERENCE = HERE.parents[2] / "examples" / "reference"
PARTS = ("[Content_Types].xml", "customizations.xml", "solution.xml")
PRIVILEGE = re.compile(r"^prv(Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(\w+)$")
GUID = re.compile(r"^\{[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$")
LEVELS = {"Basic", "Local", "Deep", "Global"}
ROLE, FIELD_SECURITY_PROFILE = "20", "70"
RAW_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def _render(model: Model, **options: str) -> Mapping[str, str | bytes]:
    exporter = EXPORTERS["dynamics"]
    return exporter.rendering(model, options or None).files


def _archive(files: Mapping[str, str | bytes]) -> zipfile.ZipFile:
    content = files["solution.zip"]
    assert isinstance(content, bytes)
    return zipfile.ZipFile(io.BytesIO(content))


def _xml(files: Mapping[str, str | bytes], part: str) -> Any:
    return etree.fromstring(_archive(files).read(part))


@pytest.fixture(scope="module")
def small() -> Model:
    return crmorg.load(FIXTURES / "small")


@pytest.fixture(scope="module")
def reference() -> Model:
    return crmorg.load(REFERENCE)


@pytest.mark.parametrize("name", ["small", "reference"])
def test_the_zip_holds_the_three_parts_sorted_with_fixed_times_as_unpacked(
    name: str, request: pytest.FixtureRequest
) -> None:
    files = _render(request.getfixturevalue(name))
    archive = _archive(files)
    assert archive.testzip() is None
    assert archive.namelist() == sorted(PARTS)
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert archive.read(info) == str(files[f"solution/{info.filename}"]).encode("utf-8")
    types = _xml(files, "[Content_Types].xml")
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    assert types.tag == f"{ns}Types"
    assert [d.get("Extension") for d in types.iter(f"{ns}Default")] == ["xml"]


@pytest.mark.parametrize("name", ["small", "reference"])
def test_privileges_follow_the_documented_names_and_levels(
    name: str, request: pytest.FixtureRequest
) -> None:
    model = request.getfixturevalue(name)
    files = _render(model)
    customizations = _xml(files, "customizations.xml")
    mapped = {STANDARD.get(resource, f"new_{resource}") for resource in model.resources}
    roles = customizations.findall("Roles/Role")
    assert len(roles) == len(model.roles)
    seen_levels = set()
    for role in roles:
        assert GUID.match(role.get("id")), role.get("id")
        names = [p.get("name") for p in role.iterfind("RolePrivileges/RolePrivilege")]
        assert names == sorted(set(names))
        for privilege in role.iterfind("RolePrivileges/RolePrivilege"):
            found = PRIVILEGE.match(privilege.get("name"))
            assert found, privilege.get("name")
            assert found.group(2) in mapped, f"{found.group(2)} names no mapped table"
            assert privilege.get("level") in LEVELS
            if found.group(2) == "Product":  # owned by the organisation: Global or nothing
                assert privilege.get("level") == "Global", privilege.get("name")
            seen_levels.add(privilege.get("level"))
    assert seen_levels <= {"Basic", "Deep", "Global"}  # Local has no crmorg scope
    assert {"Basic", "Global"} <= seen_levels


def _role_guid(unique: str, model: Model, role_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{unique}/{model.name}/role/{role_id}"))


def test_root_components_are_the_roles_and_profiles_with_stable_guids(reference: Model) -> None:
    files = _render(reference)
    solution = _xml(files, "solution.xml")
    customizations = _xml(files, "customizations.xml")
    unique = solution.findtext("SolutionManifest/UniqueName")
    assert unique == "crmorg_hengtai_trading_co"
    assert solution.findtext("SolutionManifest/Managed") == "0"
    components = solution.findall("SolutionManifest/RootComponents/RootComponent")
    by_type: dict[str, set[str]] = {}
    for component in components:
        by_type.setdefault(component.get("type"), set()).add(component.get("id"))
    roles = {r.get("id") for r in customizations.iterfind("Roles/Role")}
    profiles = {
        p.get("fieldsecurityprofileid")
        for p in customizations.iterfind("FieldSecurityProfiles/FieldSecurityProfile")
    }
    assert profiles and by_type == {ROLE: roles, FIELD_SECURITY_PROFILE: profiles}
    # uuid5 of the solution, the organisation and the role id: the same in every run.
    assert roles == {"{" + _role_guid(unique, reference, r) + "}" for r in reference.roles}


def test_a_new_role_moves_no_other_roles_guid(tmp_path: Path) -> None:
    document = {
        "version": 1,
        "organization": {"name": "Acme"},
        "resources": {"lead": {"name": "Lead"}},
        "roles": {"rep": {"name": "Rep", "grants": {"lead": {"read": "own"}}}},
        "people": {"pat": {"roles": ["rep"]}},
    }
    before = _xml(_render(load_document(document)), "customizations.xml")
    document["roles"]["boss"] = {"name": "Boss", "grants": {"lead": {"read": "organization"}}}
    after = _xml(_render(load_document(document)), "customizations.xml")
    ids_before = {r.get("name"): r.get("id") for r in before.iterfind("Roles/Role")}
    ids_after = {r.get("name"): r.get("id") for r in after.iterfind("Roles/Role")}
    assert ids_after["Rep"] == ids_before["Rep"] and set(ids_after) == {"Rep", "Boss"}


def _requests(files: Mapping[str, str | bytes], name: str) -> list[dict[str, Any]]:
    requests: list[dict[str, Any]] = json.loads(files[f"webapi/{name}"])["requests"]
    return requests


def test_webapi_requests_bind_only_what_comes_before_them(reference: Model) -> None:
    files = _render(reference)
    webapi = sorted(name for name in files if name.startswith("webapi/"))
    assert webapi == [
        "webapi/01-businessunits.json",
        "webapi/02-teams.json",
        "webapi/03-systemusers.json",
        "webapi/04-role-associations.json",
        "webapi/05-team-memberships.json",
        "webapi/06-field-profile-associations.json",
    ]
    units = {"{root-business-unit-id}"}
    for request in _requests(files, "01-businessunits.json"):
        assert request["method"] == "POST" and request["url"] == "businessunits"
        parent = request["body"]["parentbusinessunitid@odata.bind"]
        assert parent.removeprefix("/businessunits(").removesuffix(")") in units  # parents first
        units.add(request["body"]["businessunitid"])
    assert len(units) == len(reference.departments) + 1

    def bound(body: Mapping[str, str]) -> str:
        return body["businessunitid@odata.bind"].removeprefix("/businessunits(").removesuffix(")")

    teams = {r["body"]["teamid"]: bound(r["body"]) for r in _requests(files, "02-teams.json")}
    users = {r["body"]["systemuserid"]: r["body"] for r in _requests(files, "03-systemusers.json")}
    assert set(teams.values()) <= units and {bound(u) for u in users.values()} <= units
    assert sorted(u["employeeid"] for u in users.values()) == sorted(reference.people)
    customizations = _xml(files, "customizations.xml")
    roles = {r.get("id").strip("{}") for r in customizations.iterfind("Roles/Role")}
    profiles = {
        p.get("fieldsecurityprofileid").strip("{}")
        for p in customizations.iterfind("FieldSecurityProfiles/FieldSecurityProfile")
    }
    for name, owners, targets in (
        ("04-role-associations.json", users, roles),
        ("05-team-memberships.json", teams, users),
        ("06-field-profile-associations.json", profiles, users),
    ):
        requests = _requests(files, name)
        assert requests, name
        for request in requests:
            owner = re.fullmatch(r"\w+\(([^)]+)\)/\w+/\$ref", request["url"])
            target = re.fullmatch(r"\w+\(([^)]+)\)", request["body"]["@odata.id"])
            assert owner and target, request
            assert owner.group(1) in owners and target.group(1) in targets, request
    held = sum(len(p.roles) for p in reference.people.values())
    assert len(_requests(files, "04-role-associations.json")) == held


def test_two_renders_are_byte_identical(reference: Model) -> None:
    first, second = _render(reference), _render(crmorg.load(REFERENCE))
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_the_publisher_prefix_and_the_settings_name_the_tables() -> None:
    document = {
        "version": 1,
        "organization": {"name": "Acme"},
        "settings": {
            "export": {
                "dynamics": {
                    "objects": {"lead": "cr_prospect"},
                    "fields": {"deal": {"margin": "cr_marginpct"}},
                }
            }
        },
        "resources": {
            "lead": {"name": "Lead"},
            "deal": {"name": "Deal", "fields": {"margin": {"name": "M", "restricted": True}}},
        },
        "roles": {
            "rep": {
                "name": "Rep",
                "grants": {"*": {"read": "own"}},
                "fields": {"deal": {"margin": "read"}},
            }
        },
        "people": {"pat": {"roles": ["rep"]}},
    }
    model = load_document(document)
    files = _render(model, **{"publisher-prefix": "cr"})
    customizations = _xml(files, "customizations.xml")
    names = {p.get("name") for p in customizations.iter("RolePrivilege")}
    assert {"prvReadcr_prospect", "prvReadcr_deal"} <= names
    (permission,) = customizations.iter("FieldPermission")
    assert (permission.get("entityname"), permission.get("attributelogicalname")) == (
        "cr_deal",
        "cr_marginpct",
    )
    assert (permission.get("canread"), permission.get("canupdate")) == ("4", "0")
    columns = json.loads(files["secured-columns.json"])["columns"]
    assert columns == [
        {"resource": "deal", "field": "margin", "table": "cr_deal", "column": "cr_marginpct"}
    ]
    solution = _xml(files, "solution.xml")
    assert solution.findtext("SolutionManifest/Publisher/CustomizationPrefix") == "cr"


def test_hostile_names_break_no_file() -> None:
    names = [
        'Say "hi"',
        "line one\nline two",
        "trailing\r\n",
        "\u202eevil",
        "销售代表",
        "a]]>b<c>&d'e\"",
        "\x1b]0;pwned\x07",
        "零宽\u200b空格",
        "=cmd|' /C calc'!A0",
        "tab\there",
    ]
    document = {
        "version": 1,
        "organization": {"name": names[0]},
        "departments": {f"d{i}": {"name": name} for i, name in enumerate(names)},
        "resources": {"lead": {"name": names[1]}},
        "roles": {
            f"r{i}": {"name": name, "grants": {"lead": {"read": "department"}}}
            for i, name in enumerate(names)
        },
        "teams": {f"t{i}": {"name": name, "department": f"d{i}"} for i, name in enumerate(names)},
        "people": {
            f"p{i}": {"name": name, "roles": [f"r{i}"], "teams": [f"t{i}"], "email": "a@b.c"}
            for i, name in enumerate(names)
        },
    }
    model = load_document(document)
    files = _render(model)
    for name, content in files.items():
        if name.endswith(".zip"):
            continue
        text = content if isinstance(content, str) else content.decode("utf-8")
        assert not RAW_HIDDEN.search(text), name
        if name.endswith(".xml"):
            etree.fromstring(text.encode("utf-8"))
        elif name.endswith(".json"):
            json.loads(text)
    customizations = _xml(files, "customizations.xml")
    shown = {role.get("name") for role in customizations.iterfind("Roles/Role")}
    assert "a]]>b<c>&d'e\"" in shown  # kept exactly, escaped by the serializer
    assert "\\x1b]0;pwned\\x07" in shown  # hidden characters shown, not hidden
    assert "零宽\\u200b空格" in shown
    assert "line one line two" in shown  # one line
    users = _requests(files, "03-systemusers.json")
    assert "=cmd|' /C calc'!A0" in {u["body"]["lastname"] for u in users}


def test_the_reference_model_exports_with_the_expected_losses(reference: Model) -> None:
    rendering = EXPORTERS["dynamics"].rendering(reference)
    fidelity = rendering.fidelity
    assert fidelity is not None
    assert fidelity.summary() == (
        "dynamics: 112 loss(es): 42 over-grant, 70 under-grant, affecting 24 people; "
        "see FIDELITY.md"
    )
    constructs: dict[str, int] = {}
    for loss in fidelity.losses:
        constructs[loss.construct] = constructs.get(loss.construct, 0) + 1
    assert constructs == {"grant": 44, "scope": 66, "sharing-rule": 1, "structure": 1}
    over = {loss.path[1] for loss in fidelity.losses if loss.direction.value == "over-grants"}
    assert "lead" in over  # own scopes on leads reach the records of one's owner teams
    document = json.loads(rendering.files["fidelity.json"])
    assert document["carried"] == {
        "baseline": 2,
        "field-permission": 6,
        "grant": 735,
        "structure": 43,
    }
    assert any("pac solution import" in step for step in document["manual"])


def test_the_command_line_takes_the_prefix_and_strict_refuses_the_losses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["export", str(REFERENCE), "-t", "dynamics", "-o", str(out)]
    assert main([*argv, "--publisher-prefix", "crmorg"]) == 0
    assert "fidelity: dynamics: 112 loss(es)" in capsys.readouterr().out
    names = {
        p.get("name")
        for p in etree.parse(str(out / "solution" / "customizations.xml")).iter("RolePrivilege")
    }
    assert "prvReadcrmorg_payment" in names and "prvReadnew_payment" not in names
    assert sorted(p.name for p in out.iterdir()) == sorted(
        {*EXPORTERS["dynamics"].files, *EXPORTERS["dynamics"].directories}
    )
    assert main([*argv, "--strict"]) == 1
    assert "refused by --strict" in capsys.readouterr().err
