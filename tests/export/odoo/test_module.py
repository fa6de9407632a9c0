"""The exported addon as Odoo's own tooling sees it, for each Odoo version, and as files:
deterministic, escaped, with the expected losses on examples/reference."""

from __future__ import annotations

import ast
import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import crmorg
from crmorg.export import EXPORTERS, export_target
from crmorg.export.odoo import VERSIONS
from crmorg.model import Model

from ..conftest import FIXTURES, REFERENCE
from . import tools

ODOO = EXPORTERS["odoo"]


@pytest.fixture(scope="module")
def reference() -> Model:
    return crmorg.load(REFERENCE)


def _files(model: Model, version: str) -> dict[str, str | bytes]:
    return dict(ODOO.rendering(model, {"odoo-version": version}).files)


def _text(files: dict[str, str | bytes], name: str) -> str:
    content = files[name]
    assert isinstance(content, str)
    return content


def _hostile_model(tmp_path: Path) -> Model:
    """Every free text hostile: quotes, markup, CDATA ends, line breaks, ESC, a formula,
    bidi and zero-width characters, Chinese."""
    name = json.dumps(HOSTILE.replace("\x00", ""))
    model_file = tmp_path / "hostile.yaml"
    model_file.write_text(
        f"version: 1\norganization: {{name: {name}}}\n"
        f"departments: {{d: {{name: {name}}}}}\n"
        f"resources: {{lead: {{name: {name}}}, thing: {{name: {name}}}}}\n"
        f"roles: {{r: {{name: {name}, department: d, grants: {{lead: {{read: team}}, "
        f"thing: {{update: department}}}}}}, s: {{name: {name}, inherits: [r]}}}}\n"
        f"teams: {{t: {{name: {name}, department: d, lead: p}}}}\n"
        f"people: {{p: {{name: {name}, roles: [s]}}, q: {{name: {name}, roles: [r], "
        "reports_to: p}}\n"
        "sharing: {x: {resource: thing, from: {team: t}, to: {department: d}, "
        "actions: [update]}}\n",
        encoding="utf-8",
    )
    return crmorg.load(model_file)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("which", ["reference", "small", "hostile"])
def test_oca_checks_and_pylint_odoo_pass(
    reference: Model, which: str, version: str, tmp_path: Path
) -> None:
    model = {
        "reference": lambda: reference,
        "small": lambda: crmorg.load(FIXTURES / "small"),
        "hostile": lambda: _hostile_model(tmp_path),
    }[which]()
    module = tools.write(_files(model, version), tmp_path / "out")
    checked = tools.oca_checks(module)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    linted = tools.pylint_odoo(module, version)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_a_missing_tool_skips_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        tools.tool("no-such-odoo-tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        tools.tool("no-such-odoo-tool")


def test_the_tools_do_check_something(reference: Model, tmp_path: Path) -> None:
    """A module they must refuse: the checks are live, not silently passing."""
    files = _files(reference, "18")
    files["crmorg_access/security/security.xml"] = "<?xml version='1.0'?>\n<odoo>\n</odoo>\n"
    module = tools.write(files, tmp_path)
    assert "xml-header-wrong" in tools.oca_checks(module).stdout
    linted = tools.pylint_odoo(module, "17")  # a 18.0 manifest version for Odoo 17
    assert linted.returncode != 0 and "manifest-version-format" in linted.stdout


@pytest.mark.parametrize("version", VERSIONS)
def test_every_dependency_is_a_core_community_addon(reference: Model, version: str) -> None:
    core_addons = tools.manifestoo()
    from manifestoo_core.odoo_series import OdooSeries

    manifest = ast.literal_eval(_text(_files(reference, version), "crmorg_access/__manifest__.py"))
    assert manifest["version"].startswith(f"{version}.0.")
    series = OdooSeries(f"{version}.0")
    depends = manifest["depends"]
    assert depends and all(core_addons.is_core_ce_addon(a, series) for a in depends), depends
    assert manifest["data"] == [
        "data/custom_fields.xml",
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/organisation.xml",
    ]


def test_the_settings_name_the_models_and_an_enterprise_one_is_flagged(tmp_path: Path) -> None:
    core_addons = tools.manifestoo()
    from manifestoo_core.odoo_series import OdooSeries

    model_file = tmp_path / "model.yaml"
    model_file.write_text(
        "version: 1\norganization: {name: Org}\n"
        "resources: {service_case: {name: Case, fields: {secret: {restricted: true}}},"
        " car: {name: Car}}\n"
        "roles: {agent: {grants: {service_case: {read: own}, car: {read: team}}}}\n"
        "people: {ann: {roles: [agent]}}\n"
        "settings: {export: {odoo: {objects: {service_case: helpdesk.ticket, car: fleet.vehicle},"
        " fields: {service_case: {secret: x_studio_secret}}}}}\n",
        encoding="utf-8",
    )
    rendering = ODOO.rendering(crmorg.load(model_file))
    manifest = ast.literal_eval(_text(dict(rendering.files), "crmorg_access/__manifest__.py"))
    series = OdooSeries("18.0")
    assert "helpdesk" in manifest["depends"]
    assert core_addons.is_core_ee_addon("helpdesk", series)
    assert not core_addons.is_core_ce_addon("helpdesk", series)
    assert rendering.fidelity is not None
    assert any("Enterprise" in step for step in rendering.fidelity.manual)
    # A model the exporter does not know: its module guessed for depends, and said so.
    assert "fleet" in manifest["depends"]
    assert any("fleet.vehicle" in step and "fleet" in step for step in rendering.fidelity.manual)
    access = _text(dict(rendering.files), "crmorg_access/security/ir.model.access.csv")
    assert "fleet.model_fleet_vehicle" in access and "helpdesk.model_helpdesk_ticket" in access
    # The field as the settings name it in Odoo.
    read, update = sorted(
        (x for x in rendering.fidelity.losses if x.construct == "field-permission"),
        key=lambda x: x.written,
    )
    assert update.people == ()  # nobody may update the record
    field_loss = read
    assert "helpdesk.ticket.x_studio_secret" in field_loss.carried and field_loss.people == ("ann",)


def test_version_19_names_the_new_fields(reference: Model) -> None:
    old = _files(reference, "18")
    new = _files(reference, "19")
    old_security, new_security = (
        _text(f, "crmorg_access/security/security.xml") for f in (old, new)
    )
    assert 'name="category_id"' in old_security and "res.groups.privilege" not in old_security
    assert 'name="privilege_id"' in new_security and "res.groups.privilege" in new_security
    old_people, new_people = (_text(f, "crmorg_access/data/organisation.xml") for f in (old, new))
    assert 'name="groups_id"' in old_people and 'name="group_ids"' in new_people


def test_two_renders_are_byte_identical(reference: Model) -> None:
    for version in VERSIONS:
        assert _files(reference, version) == _files(crmorg.load(REFERENCE), version)


def test_the_reference_model_exports_with_its_losses(reference: Model, tmp_path: Path) -> None:
    exported = export_target(reference, "odoo", tmp_path / "out")
    fidelity = exported.fidelity
    assert fidelity is not None
    report = json.loads((tmp_path / "out" / "fidelity.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"over-grants": 8, "under-grants": 86}, report["counts"]
    constructs = sorted({(loss["construct"], loss["direction"]) for loss in report["losses"]})
    assert constructs == [
        ("field-permission", "over-grants"),  # Odoo restricts fields in Python only
        ("grant", "under-grants"),  # assign, approve, export...: no Odoo access right
        ("structure", "over-grants"),  # account and contact are both res.partner
        ("structure", "under-grants"),  # an employee holds one department
    ]
    for loss in report["losses"]:
        if loss["construct"] == "field-permission":
            resource, field = loss["path"][1], loss["path"][3]
            needs = ("read", "edit") if ".read " in loss["written"] else ("edit",)
            assert all(reference.field_access(p, resource, field) not in needs
                       for p in loss["people"])  # fmt: skip
    assert report["carried"]["baseline"] == 2 and report["carried"]["sharing-rule"] == 1
    assert fidelity.summary().startswith("odoo: 94 loss(es): 8 over-grant, 86 under-grant")
    assert any("restricted fields" in step.lower() for step in report["manual"])


HOSTILE = "Q\"uote' <b>&amp; ]]> --> \n line\r\x1b[31m =cmd|calc \u202eevil\u200b 销售 \x00"


def test_hostile_names_break_no_file(tmp_path: Path) -> None:
    files = ODOO.render(_hostile_model(tmp_path))
    for file_name, content in files.items():
        assert isinstance(content, str)
        assert "\x1b" not in content and "\u202e" not in content and "\u200b" not in content
        if file_name.endswith(".xml"):
            root = ET.fromstring(content.encode("utf-8"))
            names = [f.text for f in root.iter("field") if f.get("name") == "name"]
            if file_name.endswith(("security.xml", "organisation.xml")):
                assert any(n and "销售" in n and "<b>&amp; ]]>" in n for n in names), file_name
        elif file_name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(content, newline="")))
            assert len({len(row) for row in rows}) == 1
        elif file_name.endswith(".py"):
            ast.parse(content)
    manifest = ast.literal_eval(_text(dict(files), "crmorg_access/__manifest__.py"))
    # The organisation's name, its ESC shown, cut so that the line stays under 100.
    assert manifest["name"].startswith("crmorg access: Q\"uote' <b>&amp; ]]> --> line \\x1b[31m")
    assert manifest["name"].endswith("...") and len(manifest["name"]) == len("crmorg access: ") + 50


def test_the_small_fixture_module_is_what_the_golden_files_hold() -> None:
    files = ODOO.render(crmorg.load(FIXTURES / "small"))
    assert set(files) >= {
        "crmorg_access/__manifest__.py",
        "crmorg_access/__init__.py",
        "crmorg_access/security/security.xml",
        "crmorg_access/security/ir.model.access.csv",
        "crmorg_access/data/organisation.xml",
        "FIDELITY.md",
        "fidelity.json",
    }


def test_the_cli_takes_the_odoo_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crmorg.cli.main import main

    out = tmp_path / "out"
    argv = ["export", str(FIXTURES / "small"), "-t", "odoo", "-o", str(out)]
    assert main([*argv, "--odoo-version", "19"]) == 0
    assert "fidelity: odoo:" in capsys.readouterr().out
    manifest = ast.literal_eval((out / "crmorg_access" / "__manifest__.py").read_text("utf-8"))
    assert manifest["version"] == "19.0.1.0.0"
    assert sorted(p.name for p in out.iterdir()) == [
        "FIDELITY.md",
        "crmorg_access",
        "fidelity.json",
    ]
    with pytest.raises(SystemExit):  # argparse refuses a version the target does not offer
        main([*argv, "--force", "--odoo-version", "16"])
    assert "invalid choice: '16'" in capsys.readouterr().err
