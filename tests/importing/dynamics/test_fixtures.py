"""A Dataverse solution as the real system gives it (the SolutionPackager layout that
`pac solution unpack` writes, and saved Web API responses), written by hand from
Microsoft's documentation: it imports, validates, reports every construct crmorg cannot
carry at its line, keeps hostile names, and the audit finds what was planted."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import EXPORTERS
from crmorg.importing import ImportFailed, read, write_imported
from crmorg.importing.core import MODEL_FILE, REPORT_FILE
from crmorg.importing.dynamics import read_with_ids

HERE = Path(__file__).parent
CONTOSO = HERE.parent / "fixtures" / "dynamics" / "contoso"
SMALL = HERE.parents[1] / "export" / "fixtures" / "small"

HOSTILE_ROLE = '销售 "Rep" <b> & co\n# not a comment \u202eevil'
HOSTILE_PERSON = '王芳 "Fang" <it> & ops\u202e'

PLANTED = [
    ("Other/Customizations.xml", 33, 3, "<Workflows>"),
    ("Other/Customizations.xml", 43, 9, "canreadunmasked=1"),
    ("Other/Customizations.xml", 43, 9, "create and update differ"),
    ("Roles/Sales Manager.xml", 11, 26, "prvReadWorkflow (Global), prvWriteWorkflow (Basic)"),
    ("Roles/Sales Manager.xml", 13, 26, "prvBulkDelete"),
    ("Roles/Salesperson.xml", 4, 26, "Basic reaches"),
    ("Roles/Salesperson.xml", 5, 26, "Local (this business unit only)"),
    ("Roles/Salesperson.xml", 8, 26, "prvAppendToLead (Global)"),
    ("Roles/Salesperson.xml", 13, 26, "prvReadProduct at Basic"),
    ("webapi/systemuserroles_association.json", 9, 5, "'Marketing Professional'"),
    ("webapi/systemusers.json", 30, 7, "'Steven Buchanan' is disabled"),
    ("webapi/teams.json", 13, 7, "'Big deal review' is an access team"),
]


@pytest.fixture(scope="module")
def imported_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contoso") / "model"
    write_imported(read("dynamics", CONTOSO), out)
    return out


def test_every_construct_without_an_equivalent_is_one_finding_at_its_place() -> None:
    imported = read("dynamics", CONTOSO)
    found = [(f.file, f.line, f.column, f.message) for f in imported.findings]
    assert all(f.rule == "import-unmapped" for f in imported.findings)
    for file, line, column, text in PLANTED:
        hits = [f for f in found if f[:3] == (file, line, column) and text in f[3]]
        assert len(hits) == 1, (file, line, text, found)
    assert len(found) == len(PLANTED)


def test_the_model_maps_units_teams_users_roles_and_profiles(imported_dir: Path) -> None:
    model = crmorg.load(imported_dir)
    assert model.departments["sales_west"].parent == "sales"
    assert model.departments["sales"].parent == "contoso"
    assert set(model.teams) == {"west_deals"}  # the access team is a finding
    assert set(model.people) == {"nancy_davolio", "andrew_fuller", "fang_it_ops"}
    assert model.people["nancy_davolio"].roles == ("salesperson",) or list(
        model.people["nancy_davolio"].roles
    ) == ["salesperson"]
    assert model.roles["salesperson"].department == "sales_west"
    # Basic -> own, Local -> department (a finding), Deep -> department, Global -> org.
    assert model.allows("salesperson", "read", "opportunity", "own")
    assert not model.allows("salesperson", "read", "opportunity", "team")
    assert model.allows("salesperson", "read", "lead", "department")
    assert model.allows("sales_manager", "delete", "opportunity", "department")
    assert not model.allows("sales_manager", "delete", "opportunity", "organization")
    assert model.allows("salesperson", "read", "account", "organization")
    assert model.allows("salesperson", "read", "project", "department")  # a custom table
    assert "product" not in model.resources  # Basic on an organisation-owned table
    assert model.allows("salesperson", "export", "lead", "department")  # prvExportToExcel
    # The profile's one user holds Sales Manager alone: its field grants go there.
    assert model.field_access("andrew_fuller", "opportunity", "margin") == "edit"
    assert model.field_access("andrew_fuller", "opportunity", "discount") == "read"
    assert model.field_access("nancy_davolio", "opportunity", "margin") == "none"
    assert model.resources["opportunity"].fields["margin"].restricted
    assert not model.decide(
        "nancy_davolio", "read", "opportunity", owner="nancy_davolio", field="margin"
    )
    assert model.decide(
        "andrew_fuller", "read", "opportunity", owner="nancy_davolio", field="margin"
    )


def test_the_model_validates_and_the_audit_finds_the_planted_escalation(
    imported_dir: Path,
) -> None:
    model = crmorg.load(imported_dir)
    report = crmorg.validate(model)
    groups = {f.rule for f in report.findings}
    assert not any(f.rule.startswith(("schema", "unknown", "reference")) for f in report.findings)
    assert "privilege-escalation" in groups
    escalation = [f for f in report.findings if f.rule == "privilege-escalation"]
    assert [f.subjects[0] for f in escalation] == ["helpdesk"]


def test_hostile_names_survive(imported_dir: Path) -> None:
    text = (imported_dir / MODEL_FILE).read_text(encoding="utf-8")
    assert "\u202e" not in text  # written as an escape
    model = crmorg.load(imported_dir)
    names = {str(role.name) for role in model.roles.values()}
    assert HOSTILE_ROLE in names
    assert str(model.people["fang_it_ops"].name) == HOSTILE_PERSON
    report = (imported_dir / REPORT_FILE).read_text(encoding="utf-8")
    assert "\u202e" not in report


def test_output_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_imported(read("dynamics", CONTOSO), first)
    copy = tmp_path / "copy"
    shutil.copytree(CONTOSO, copy)
    write_imported(read("dynamics", copy), second)
    for name in (MODEL_FILE, REPORT_FILE):
        assert (first / name).read_text(encoding="utf-8").replace(str(CONTOSO), "SRC") == (
            second / name
        ).read_text(encoding="utf-8").replace(str(copy), "SRC")


def _export(tmp_path: Path) -> Path:
    out = tmp_path / "export"
    files = EXPORTERS["dynamics"].rendering(crmorg.load(SMALL), None).files
    for name, content in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return out


def test_the_zip_alone_and_the_unpacked_folder_give_the_same_roles(tmp_path: Path) -> None:
    out = _export(tmp_path)
    folder = read("dynamics", out)
    zipped = read("dynamics", out / "solution.zip")
    zipped_roles = zipped.document["roles"]
    folder_roles = folder.document["roles"]
    assert set(zipped_roles) <= set(folder_roles)
    for role_id, role in zipped_roles.items():
        assert role["name"] == folder_roles[role_id]["name"]
    assert any(o.startswith("solution.zip/customizations.xml:") for o in zipped.origins.values())
    assert "people" not in zipped.document  # no Web API data given with a zip alone


def test_a_zip_member_outside_the_archive_is_never_read(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../customizations.xml", "<ImportExportXml><Roles/></ImportExportXml>")
        archive.writestr("/etc/customizations.xml", "<ImportExportXml><Roles/></ImportExportXml>")
    path = tmp_path / "evil.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportFailed, match="no Dataverse solution"):
        read("dynamics", path)


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    source = tmp_path / "solution"
    source.mkdir()
    (source / "customizations.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY big "BIGBIGBIG">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
        '<ImportExportXml><Roles><Role id="{00000000-0000-4000-8000-000000000001}" '
        'name="a&big;&ext;"><RolePrivileges><RolePrivilege name="prvReadLead" level="Global"/>'
        "</RolePrivileges></Role></Roles></ImportExportXml>\n",
        encoding="utf-8",
    )
    try:
        imported = read("dynamics", source)
    except ImportFailed:
        return  # refused: fine too
    text = str(imported.document)
    assert "BIGBIGBIG" not in text and "root:" not in text


@pytest.mark.parametrize(
    "content",
    [b"not xml at all <", b"<Other/>"],
    ids=["not-xml", "foreign-root"],
)
def test_unreadable_or_foreign_files_are_refused_naming_the_file(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "customizations.xml").write_bytes(content)
    with pytest.raises(ImportFailed, match=r"customizations\.xml"):
        read("dynamics", tmp_path)


def test_a_folder_without_a_solution_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ImportFailed, match="pac solution export"):
        read("dynamics", tmp_path)


def test_ids_map_guids_tables_and_columns() -> None:
    _, ids = read_with_ids(CONTOSO)
    assert ids["a0000000-0000-4000-8000-000000000001"] == "nancy_davolio"
    assert ids["b0000000-0000-4000-8000-000000000003"] == "sales_west"
    assert ids["table:cts_project"] == "project"
    assert ids["column:opportunity/cts_margin"] == "margin"


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["import", "dynamics", str(CONTOSO), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [REPORT_FILE, MODEL_FILE]
    assert "4 role(s), 3 person(s)" in printed.out
    assert "Roles/Salesperson.xml:5:26" in printed.err
    assert "webapi/teams.json:13:7" in printed.err
    assert "Roles/Salesperson.xml:5:26" in (out / REPORT_FILE).read_text(encoding="utf-8")
    crmorg.load(out)
    assert main(["validate", str(out), "--select", "model,access"]) == 1  # the escalation
    assert "privilege-escalation" in capsys.readouterr().out


def test_cli_refuses_a_foreign_folder_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "package.xml").write_text("<Package/>", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "dynamics", str(foreign), "--out", str(out)]) == 1
    assert "no Dataverse solution" in capsys.readouterr().err
    assert not out.exists()


def test_a_name_that_looks_like_a_float_survives_model_yaml(tmp_path: Path) -> None:
    source = tmp_path / "solution"
    source.mkdir()
    (source / "customizations.xml").write_text(
        '<ImportExportXml><Roles><Role id="{00000000-0000-4000-8000-000000000001}" '
        'name="0E0"><RolePrivileges><RolePrivilege name="prvReadLead" level="Global"/>'
        "</RolePrivileges></Role></Roles></ImportExportXml>\n",
        encoding="utf-8",
    )
    write_imported(read("dynamics", source), tmp_path / "out")
    model = crmorg.load(tmp_path / "out")
    assert str(next(iter(model.roles.values())).name) == "0E0"


def test_expanded_responses_give_the_same_people(tmp_path: Path) -> None:
    """`systemusers?$expand=systemuserroles_association`, `teams?$expand=
    teammembership_association` and `fieldsecurityprofiles?$expand=
    systemuserprofiles_association` instead of the intersect tables."""
    source = tmp_path / "expanded"
    shutil.copytree(CONTOSO, source)
    webapi = source / "webapi"
    users = json.loads((webapi / "systemusers.json").read_text(encoding="utf-8"))
    teams = json.loads((webapi / "teams.json").read_text(encoding="utf-8"))
    roles = json.loads((webapi / "systemuserroles_association.json").read_text(encoding="utf-8"))
    members = json.loads((webapi / "teammembership_association.json").read_text(encoding="utf-8"))
    profiles = json.loads(
        (webapi / "systemuserprofiles_association.json").read_text(encoding="utf-8")
    )
    for name in (
        "systemuserroles_association",
        "teammembership_association",
        "systemuserprofiles_association",
    ):
        (webapi / f"{name}.json").unlink()
    for user in users["value"]:
        user["systemuserroles_association"] = [
            {"roleid": r["roleid"], "name": r.get("name", "")}
            for r in roles["value"]
            if r["systemuserid"] == user["systemuserid"]
        ]
    for team in teams["value"]:
        team["teammembership_association"] = [
            {"systemuserid": m["systemuserid"]}
            for m in members["value"]
            if m["teamid"] == team["teamid"]
        ]
    expanded_profiles = {
        "value": [
            {
                "fieldsecurityprofileid": "7c9d0e1f-0001-4a2b-9c3d-4e5f6a7b8c01",
                "systemuserprofiles_association": [
                    {"systemuserid": p["systemuserid"]} for p in profiles["value"]
                ],
            }
        ]
    }
    for name, document in (
        ("systemusers.json", users),
        ("teams.json", teams),
        ("fieldsecurityprofiles.json", expanded_profiles),
    ):
        (webapi / name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    expanded = read("dynamics", source).document
    original = read("dynamics", CONTOSO).document
    for section in ("people", "roles", "teams", "departments", "resources"):
        assert expanded[section] == original[section], section


def test_roles_given_to_teams_are_findings_at_their_lines(tmp_path: Path) -> None:
    source = tmp_path / "teamroles"
    shutil.copytree(CONTOSO, source)
    (source / "webapi" / "teamroles_association.json").write_text(
        '{\n  "value": [\n    {"teamid": "c0000000-0000-4000-8000-000000000001",'
        ' "roleid": "5a1b0c2d-0002-4e5f-8a9b-0c1d2e3f4a02"}\n  ]\n}\n',
        encoding="utf-8",
    )
    found = [
        (f.file, f.line, f.column)
        for f in read("dynamics", source).findings
        if "given to a team" in f.message
    ]
    assert found == [("webapi/teamroles_association.json", 3, 5)]


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "customizations.xml").write_text(
        "<ImportExportXml><Roles/></ImportExportXml>", encoding="utf-8"
    )
    source = tmp_path / "source"
    source.mkdir()
    (source / "customizations.xml").symlink_to(outside / "customizations.xml")
    (source / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ImportFailed, match="no Dataverse solution"):
        read("dynamics", source)


def test_sizes_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crmorg.importing.dynamics as dynamics

    monkeypatch.setattr(dynamics, "MAX_FILE", 1000)
    with pytest.raises(ImportFailed, match="larger than"):
        read("dynamics", CONTOSO)
    out = _export(tmp_path)
    (out / "solution").rename(tmp_path / "unpacked")  # the zip alone, with its members
    with pytest.raises(ImportFailed, match="larger than"):
        read("dynamics", out / "solution.zip")


def test_a_profile_whose_users_hold_no_one_role_becomes_a_role_of_its_own(
    tmp_path: Path,
) -> None:
    source = tmp_path / "profile"
    shutil.copytree(CONTOSO, source)
    path = source / "webapi" / "systemuserprofiles_association.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["value"].append(
        {
            "fieldsecurityprofileid": "7c9d0e1f-0001-4a2b-9c3d-4e5f6a7b8c01",
            "systemuserid": "a0000000-0000-4000-8000-000000000001",
        }
    )
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    imported = read("dynamics", source)
    roles = imported.document["roles"]
    assert "fields" not in roles["sales_manager"]
    assert roles["deal_desk"] == {
        "name": "Field security profile: Deal desk",
        "fields": {"opportunity": {"margin": "edit", "discount": "read"}},
    }
    assert imported.origins[("roles", "deal_desk")] == "Other/Customizations.xml:40"
    people = imported.document["people"]
    assert "deal_desk" in people["nancy_davolio"]["roles"]
    assert "deal_desk" in people["andrew_fuller"]["roles"]


def test_a_pac_export_zip_beside_the_web_api_files_is_read(tmp_path: Path) -> None:
    source = tmp_path / "zipped"
    source.mkdir()
    shutil.copytree(CONTOSO / "webapi", source / "webapi")
    with zipfile.ZipFile(source / "ContosoSalesSecurity_1_0_0_3.zip", "w") as archive:
        for part in sorted(CONTOSO.rglob("*.xml")):
            archive.write(part, part.relative_to(CONTOSO).as_posix())
    zipped = read("dynamics", source)
    folder = read("dynamics", CONTOSO)
    for section in ("people", "roles", "teams", "departments", "resources"):
        assert zipped.document[section] == folder.document[section], section
    assert zipped.origins[("roles", "salesperson")] == (
        "ContosoSalesSecurity_1_0_0_3.zip/Roles/Salesperson.xml:2"
    )
    assert len(zipped.findings) == len(folder.findings)
