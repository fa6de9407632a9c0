"""The vendor-shaped fixture (saved Zoho CRM API v8 responses, written from Zoho's API
documentation): what it maps to, every unmapped construct at its exact place, the
audit, hostile names, determinism, and refused input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import crmorg
import crmorg.importing as importing
from crmorg.findings import Finding
from crmorg.importing import ImportFailed
from export.strategies import load_document

FIXTURE = Path(__file__).parents[1] / "fixtures" / "zoho" / "acme"


@pytest.fixture(scope="module")
def imported() -> importing.Imported:
    return importing.read("zoho", FIXTURE)


def _place(file: str, marker: str, value: str) -> tuple[int, int]:
    """(line, column) of the first ``value`` at or after the line holding ``marker``."""
    lines = (FIXTURE / file).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    for index in range(start, len(lines)):
        column = lines[index].find(value)
        if column >= 0:
            return index + 1, column + 1
    raise AssertionError(f"{value} not after {marker} in {file}")


def _finding(found: list[Finding], file: str, text: str) -> Finding:
    matches = [f for f in found if f.file == file and text in f.message]
    assert len(matches) == 1, (file, text, [f.message for f in found if f.file == file])
    return matches[0]


EXPECTED = [
    # (file, text in the message, marker line, the value the finding points at)
    ("profiles/standard.json", "'Mass Email'", "Crm_Implied_Mass_Email", "true"),
    ("profiles/administrator.json", "'Manage Users'", "Crm_Implied_Manage_Users", "true"),
    ("data_sharing.json", "public in portals", '"Cases"', 'true, "module"'),
    ("sharing_rules.json", "Criteria_Based", "Big deals", '"Criteria_Based"'),
    ("user_groups.json", "territories 'East'", '"territories"', '{"type": "territories"'),
    ("users.json", "territory", "王小明", "[{"),
    ("users.json", "'Old Leaver' is disabled", "Old Leaver", '"disabled"'),
    ("users.json", "(Reporting_To)", "rob@example.com", '{"name": "Dana Boss"'),
    ("profiles.json", "'Vendor Portal': its permissions were not saved", '"Vendor Portal"', ""),
    ("roles.json", "shares data with peers", '"Sales Rep"', ""),
]
OBJECT_ABOVE = {"roles.json": 2, "profiles.json": 1}
"""Findings on a whole object: it opens this many lines above the marker's line."""


def test_every_unmapped_construct_is_a_finding_at_its_place(
    imported: importing.Imported,
) -> None:
    found = list(imported.findings)
    for file, text, marker, value in EXPECTED:
        finding = _finding(found, file, text)
        if file in OBJECT_ABOVE:
            line, _ = _place(file, marker, "")
            assert (finding.line, finding.column) == (line - OBJECT_ABOVE[file], 5), finding
            continue
        line, column = _place(file, marker, value)
        assert (finding.file, finding.line, finding.column) == (file, line, column), finding
        assert finding.rule == "import-unmapped"
    # one finding per construct: nothing else, nothing twice (the mass permissions of a
    # module are actions now: see the next test)
    assert len(found) == len(EXPECTED)
    messages = [(f.file, f.line, f.column) for f in found]
    assert len(messages) == len(set(messages))


def test_standard_profile_mass_permissions_and_export(imported: importing.Imported) -> None:
    """Every Standard profile has mass delete, mass update and export by default: the
    first two are the actions ``mass_delete`` and ``mass_update`` of the module's
    resource, export is crmorg's ``export``, so the audit sees them all."""
    standard = imported.document["roles"]["standard"]
    assert standard["grants"]["lead"]["mass_delete"] == "subordinates"
    assert standard["grants"]["opportunity"]["mass_update"] == "subordinates"
    assert {"mass_delete", "mass_update"} <= set(imported.document["actions"])
    assert "mass_delete" in imported.document["resources"]["lead"]["actions"]
    assert standard["grants"]["lead"]["export"] == "subordinates"
    assert standard["grants"]["opportunity"]["export"] == "subordinates"
    assert "import" not in standard["grants"]["lead"]
    admin = imported.document["roles"]["administrator"]["grants"]["lead"]
    assert admin["import"] == "organization" and admin["assign"] == "subordinates"
    support = imported.document["roles"]["support_agent"]["grants"]
    assert support == {
        "service_case": {
            "assign": "subordinates",
            "create": "organization",
            "read": "subordinates",
            "update": "subordinates",
        }
    }


def test_what_maps(imported: importing.Imported) -> None:
    doc = imported.document
    assert doc["organization"]["name"] == 'Acme "Trading" & Co <东方>'
    assert doc["resources"]["opportunity"]["baseline"] == {"read": "organization"}
    assert "baseline" not in doc["resources"]["lead"]
    fields = doc["resources"]["opportunity"]["fields"]
    assert fields["margin"] == {"name": 'Margin & "cost"', "restricted": True}
    assert "restricted" not in fields["amount"]
    assert doc["roles"]["standard"]["fields"] == {"opportunity": {"margin": "read"}}
    assert doc["roles"]["administrator"]["fields"] == {"opportunity": {"margin": "edit"}}
    people = doc["people"]
    assert people["mia_manager_o_neil"]["reports_to"] == "dana_boss"
    assert people["wang"]["reports_to"] == "mia_manager_o_neil"
    assert people["rob_script_amp_rep"]["reports_to"] == "mia_manager_o_neil"
    assert people["sam_support"]["reports_to"] == "dana_boss"
    assert "reports_to" not in people["dana_boss"]
    assert "old_leaver" not in people
    assert set(people["wang"]["teams"]) >= {"east_sales"}
    assert "sam_support" in [p for p, e in people.items() if "service_desk" in e.get("teams", [])]
    rules = doc["sharing"]
    assert rules["east_leads_to_support"]["from"] == {"team": "east_sales"}
    assert rules["cases_to_the_sales_hierarchy"]["actions"] == ["read", "update", "delete"]
    # superiors_allowed: the CEO above the Sales Manager shares in it
    to_team = rules["cases_to_the_sales_hierarchy"]["to"]["team"]
    receivers = {p for p, e in people.items() if to_team in e.get("teams", [])}
    assert receivers == {"dana_boss", "mia_manager_o_neil", "wang", "rob_script_amp_rep"}
    for section in ("roles", "people", "teams", "sharing"):
        for entry_id in doc[section]:
            assert (section, entry_id) in imported.origins, (section, entry_id)
    assert imported.origins[("people", "wang")] == "users.json:24"
    assert doc["roles"]["vendor_portal"] == {"name": "Vendor Portal"}


def test_the_model_validates_and_the_audit_finds_what_was_planted(
    imported: importing.Imported,
) -> None:
    model = load_document(dict(imported.document))
    report = crmorg.validate(model)
    assert not report.errors, [f.message for f in report.errors]
    rules = {f.rule for f in report.findings}
    # a field every profile hides; a rule to a role whose profile cannot view Leads
    assert "unreadable-restricted-field" in rules
    assert any(
        f.rule == "ineffective-sharing-rule" and "east_leads_to_support" in f.message
        for f in report.findings
    )
    # export imported as crmorg's action: an SoD on deleting and exporting leads sees it
    audited = dict(imported.document)
    audited["constraints"] = [
        {
            "id": "no_delete_and_export",
            "kind": "separation_of_duties",
            "permissions": ["lead:delete", "lead:export"],
        }
    ]
    report = crmorg.validate(load_document(audited))
    conflicts = {s for f in report.findings if f.rule == "sod-role-conflict" for s in f.subjects}
    assert {"standard", "administrator"} <= conflicts


def test_decisions_follow_zoho(imported: importing.Imported) -> None:
    model = load_document(dict(imported.document))
    # Private Leads: a manager reaches their reps' leads through the hierarchy
    assert model.decide("mia_manager_o_neil", "read", "lead", "wang")
    assert not model.decide("wang", "read", "lead", "rob_script_amp_rep")  # peers: lost
    assert not model.decide("wang", "read", "lead", "mia_manager_o_neil")
    # Public Read Only Deals; editing needs the hierarchy
    assert model.decide("wang", "read", "opportunity", "dana_boss")
    assert not model.decide("wang", "update", "opportunity", "rob_script_amp_rep")
    # Support's cases shared read/write/delete with the sales hierarchy, but Standard
    # has no permission on Cases: the profile gates
    assert not model.decide("mia_manager_o_neil", "read", "service_case", "sam_support")
    assert model.decide("dana_boss", "delete", "service_case", "sam_support")
    # Support Agent: cases, and only its own
    assert model.decide("sam_support", "update", "service_case", "sam_support")
    assert not model.decide("sam_support", "read", "lead", "wang")


def test_hostile_names_survive(imported: importing.Imported, tmp_path: Path) -> None:
    importing.write_imported(imported, tmp_path / "out")
    model = crmorg.load(tmp_path / "out")
    names = {p.name for p in model.people.values()}
    assert {
        "王小明",
        "Rob <script>&amp;\nRep",
        "Sam \u202eSupport",
        'Mia "Manager" O\'Neil',
    } <= names
    assert model.roles["support_agent"].name == "Support \u202eagent\u202c"
    text = (tmp_path / "out" / "model.yaml").read_text(encoding="utf-8")
    assert "\u202e" not in text  # escaped, never raw
    report = (tmp_path / "out" / "IMPORT.md").read_text(encoding="utf-8")
    assert "\u202e" not in report and "<b>" not in report


def test_output_is_deterministic(tmp_path: Path) -> None:
    copy = tmp_path / "acme"
    shutil.copytree(FIXTURE, copy)
    first = importing.read("zoho", copy).files()
    again = importing.read("zoho", copy).files()
    assert first == again
    original = importing.read("zoho", FIXTURE)
    assert original.document == importing.read("zoho", copy).document
    assert [(f.file, f.line, f.column, f.message) for f in original.findings] == [
        (f.file, f.line, f.column, f.message) for f in importing.read("zoho", copy).findings
    ]


def test_one_response_file_alone() -> None:
    imported = importing.read("zoho", FIXTURE / "users.json")
    assert set(imported.document["people"]) == {
        "dana_boss", "mia_manager_o_neil", "wang", "rob_script_amp_rep", "sam_support",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"notes.txt": "hello"}, "no JSON files"),
        ({"a.json": '{"hello": 1}'}, "no Zoho CRM users, profiles or roles"),
        ({"users.json": '{"users": [}'}, "users.json: not JSON (line 1 column 12"),
        ({"users.json": b"\xff\xfe{}"}, "users.json: cannot be read as UTF-8"),
        ({"roles.json": '{"roles": [{"id": "abc"}]}'}, "SDK cannot read it"),
        ({"plan.json": '{"format": "other"}'}, "not a crmorg zoho plan"),
        (
            {
                "plan.json": json.dumps(
                    {
                        "format": "crmorg.zoho-plan/1",
                        "steps": [{"name": "x", "path": "/", "method": "GET", "body": "../x.json"}],
                    }
                )
            },
            "is not a file under requests/",
        ),
        (
            {
                "plan.json": json.dumps(
                    {
                        "format": "crmorg.zoho-plan/1",
                        "steps": [
                            {
                                "name": "role:a",
                                "path": "/crm/v8/settings/roles",
                                "method": "POST",
                                "body": "requests/0001.json",
                            }
                        ],
                    }
                ),
                "requests/0001.json": '{"roles": []}',
            },
            "a step is not as crmorg export",
        ),
    ],
)
def test_foreign_input_is_refused(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=None) as failed:
        importing.read("zoho", tmp_path)
    assert expected in str(failed.value), str(failed.value)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    (tmp_path / "users.json").write_text('{"users": ' + "[" * 200 + "]" * 200 + "}")
    with pytest.raises(ImportFailed, match="nested too deeply"):
        importing.read("zoho", tmp_path)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('{"users": []}', encoding="utf-8")
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "users.json").symlink_to(outside)
    with pytest.raises(ImportFailed, match="a link out of"):
        importing.read("zoho", folder)


def test_a_superior_role_held_by_several_users_is_a_finding(tmp_path: Path) -> None:
    roles = {
        "roles": [
            {"name": "Lead", "id": "1", "reporting_to": None, "share_with_peers": False},
            {"name": "Seller", "id": "2", "reporting_to": {"name": "Lead", "id": "1"}},
        ]
    }
    users = {
        "users": [
            {
                "id": "11",
                "full_name": "Ann",
                "status": "active",
                "role": {"name": "Lead", "id": "1"},
            },
            {
                "id": "12",
                "full_name": "Ben",
                "status": "active",
                "role": {"name": "Lead", "id": "1"},
            },
            {
                "id": "21",
                "full_name": "Cy",
                "status": "active",
                "role": {"name": "Seller", "id": "2"},
            },
        ]
    }
    (tmp_path / "roles.json").write_text(json.dumps(roles, indent=1), encoding="utf-8")
    (tmp_path / "users.json").write_text(json.dumps(users, indent=1), encoding="utf-8")
    imported = importing.read("zoho", tmp_path)
    assert imported.document["people"]["cy"]["reports_to"] == "ann"
    (finding,) = [f for f in imported.findings if "held by 2 users" in f.message]
    assert (finding.file, finding.line, finding.column) == ("roles.json", 3, 3)
