"""The vendor-shaped module: it imports, validates, every construct crmorg cannot carry
is a finding at its line, the audit finds what was planted, hostile names survive and
the output is deterministic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import crmorg
import crmorg.importing as importing
from crmorg.importing import ImportFailed

HERE = Path(__file__).parent
MODULE = HERE.parent / "fixtures" / "odoo" / "acme_sales_security"


def line_of(relative: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first line of ``relative`` holding ``needle``: where a
    finding about it must point (the column of the element or cell starting it)."""
    text = (MODULE / relative).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            stripped = len(line) - len(line.lstrip())
            return number, stripped + 1
    raise AssertionError(f"{needle!r} not in {relative}")


@pytest.fixture(scope="module")
def imported() -> importing.Imported:
    return importing.read("odoo", MODULE)


def _loaded(imported: importing.Imported, tmp_path: Path) -> crmorg.model.Model:
    importing.write_imported(imported, tmp_path / "model")
    return crmorg.load(tmp_path / "model")


def test_the_module_maps(imported: importing.Imported) -> None:
    doc = imported.document
    assert doc["organization"] == {"name": "Acme Sales Security"}
    roles = doc["roles"]
    assert roles["acme_manager"]["inherits"] == ["acme_salesman"]  # Command.link
    assert roles["acme_salesman"]["grants"]["lead"] == {
        "create": "own", "read": "own", "update": "own",
    }  # fmt: skip
    assert roles["acme_manager"]["grants"]["opportunity"]["delete"] == "organization"
    # An access right with no rule of the group reaches every record.
    assert roles["acme_manager"]["grants"]["fleet_vehicle"] == {"read": "organization"}
    assert roles["acme_approver"]["grants"]["order"] == {
        "read": "organization", "update": "organization",
    }  # fmt: skip
    people = doc["people"]
    assert people["tom"]["reports_to"] == "mei_chen_acme_example"
    assert people["tom"]["teams"] == ["east"]
    assert "acme_approver" in people["mei_chen_acme_example"]["roles"]
    assert doc["teams"]["east"]["lead"] == "mei_chen_acme_example"
    assert doc["departments"]["dep_sales_east"]["parent"] == "dep_sales"
    for section in ("roles", "people", "teams", "departments"):
        for entry_id in doc[section]:
            assert (section, entry_id) in imported.origins, (section, entry_id)
    assert imported.origins[("roles", "acme_manager")] == "security/acme_security.xml:15"
    assert imported.origins[("people", "tom")] == "data/organisation.xml:17"


def test_it_validates(imported: importing.Imported, tmp_path: Path) -> None:
    model = _loaded(imported, tmp_path)
    report = crmorg.validate(model)
    schema = [f for f in report.findings if f.rule in ("schema", "unknown-reference")]
    assert schema == []
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [f.rule for f in errors if f.rule != "hidden-characters"] == []
    assert model.decide("tom", "read", "lead", owner="tom")
    assert not model.decide("tom", "read", "lead", owner="mei_chen_acme_example")
    assert model.decide("mei_chen_acme_example", "delete", "opportunity", owner="tom")


EXPECTED = [
    ("__manifest__.py", '"views/crm_lead_views.xml"', "views/crm_lead_views.xml is not access"),
    ("security/acme_security.xml", '<field name="share"', "field share of res.groups"),
    ("security/acme_security.xml", "<menuitem", "<menuitem> menu_acme_root"),
    ("security/acme_security.xml", "sales_team.group_sale_salesman", "group sales_team.group_sale"),
    ("security/acme_security.xml", 'id="rule_acme_lead_company"', "is global (no groups)"),
    ("security/acme_security.xml", "('user_id', '=', False)", "rule_acme_lead_unassigned"),
    ("security/acme_security.xml", "__import__", "rule_acme_order_today"),
    ("security/acme_security.xml", 'id="rule_acme_activity_mine"', "for every internal user"),
    ("security/acme_security.xml", 'ref="fleet.model_fleet_vehicle"', "model fleet.vehicle is not"),
    ("security/ir.model.access.csv", "access_res_partner_everyone", "has no group"),
    ("data/organisation.xml", '<field name="tz"', "field tz of res.users"),
    ("data/organisation.xml", 'id="team_east"', "its leader mei_chen_acme_example is not a member"),
]


@pytest.mark.parametrize(("file", "needle", "message"), EXPECTED)
def test_every_unmapped_construct_is_a_finding_at_its_line(
    imported: importing.Imported, file: str, needle: str, message: str
) -> None:
    found = [f for f in imported.findings if message in f.message]
    assert len(found) == 1, [f.message for f in imported.findings]
    finding = found[0]
    line, column = line_of(file, needle)
    assert (finding.file, finding.line) == (file, line)
    if not file.endswith((".csv", ".py")):
        assert finding.column == column
    assert finding.rule == "import-unmapped"


def test_one_finding_per_construct(imported: importing.Imported) -> None:
    assert len(imported.findings) == len(EXPECTED)  # tz on two users: one finding
    # The unreadable domain is named with its text; nothing in it ran.
    today = next(f for f in imported.findings if "rule_acme_order_today" in f.message)
    assert "__import__('os').system('id')" in today.message


def test_the_audit_finds_a_planted_separation_of_duties_conflict(
    imported: importing.Imported, tmp_path: Path
) -> None:
    importing.write_imported(imported, tmp_path / "model")
    (tmp_path / "model" / "constraints.yaml").write_text(
        "version: 1\nconstraints:\n  - id: delete_leads_vs_approve_orders\n"
        "    kind: separation_of_duties\n"
        '    permissions: ["lead:delete", "order:update"]\n',
        encoding="utf-8",
    )
    report = crmorg.validate(crmorg.load(tmp_path / "model"))
    rules = {f.rule for f in report.findings}
    assert "sod-person-conflict" in rules
    conflict = next(f for f in report.findings if f.rule == "sod-person-conflict")
    assert "mei_chen_acme_example" in conflict.subjects
    assert "hidden-characters" in rules  # U+202E planted in the salesman's name


def test_hostile_names_survive(imported: importing.Imported, tmp_path: Path) -> None:
    model = _loaded(imported, tmp_path)
    assert model.roles["acme_salesman"].name == 'Salesman "East" <b> & Co\n\u202e 销售员'
    assert model.people["mei_chen_acme_example"].name == '陈美 "Mei" Chen'
    assert model.people["tom"].name == "Tom O'Neil"
    assert model.departments["dep_sales_east"].name == "东区销售"
    assert model.teams["east"].name == "East <team>"
    text = (tmp_path / "model" / "model.yaml").read_text(encoding="utf-8")
    assert "\u202e" not in text and "\\u202e" in text  # escaped, never raw


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = importing.read("odoo", MODULE)
    assert first.files() == importing.read("odoo", MODULE).files()
    copy = tmp_path / "acme_sales_security"
    shutil.copytree(MODULE, copy)
    second = importing.read("odoo", copy)
    assert (first.document, first.findings, first.origins) == (
        second.document, second.findings, second.origins,
    )  # fmt: skip


def test_foreign_and_unreadable_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ImportFailed, match="no Odoo module here"):
        importing.read("odoo", tmp_path)
    with pytest.raises(ImportFailed, match="give the folder"):
        importing.read("odoo", tmp_path / "notes.txt")
    bad = tmp_path / "bad"
    (bad / "security").mkdir(parents=True)
    (bad / "__manifest__.py").write_text("{'data': ['security/s.xml']}", encoding="utf-8")
    (bad / "security" / "s.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE odoo [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "\n<odoo><record id='g' model='res.groups'><field name='name'>&x;</field></record>"
        "</odoo>",
        encoding="utf-8",
    )
    imported = importing.read("odoo", bad)
    assert "root:" not in str(imported.document)  # the entity is never resolved
    (bad / "__manifest__.py").write_text("__import__('os').system('id')", encoding="utf-8")
    with pytest.raises(ImportFailed, match="not an Odoo manifest"):
        importing.read("odoo", bad)
    (bad / "__manifest__.py").write_text("{'data': ['security/s.xml']}", encoding="utf-8")
    (bad / "security" / "s.xml").write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ImportFailed, match="not an Odoo data file"):
        importing.read("odoo", bad)
