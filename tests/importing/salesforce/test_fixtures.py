"""A Salesforce org retrieved in the metadata format (hand-written from the Metadata API
Developer Guide): it imports, validates, reports every construct crmorg cannot carry at
its line, and the audit finds what was planted in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import crmorg
from crmorg.importing import ImportFailed, read, write_imported
from crmorg.importing.core import MODEL_FILE, REPORT_FILE

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "salesforce" / "metadata"


def line_of(relative: str, needle: str, after: str = "") -> tuple[int, int]:
    """The (line, column) of the first ``needle`` in a fixture file (after ``after``)."""
    lines = (FIXTURE / relative).read_text(encoding="utf-8").splitlines()
    start = next(i for i, text in enumerate(lines) if after in text) if after else 0
    for number, text in enumerate(lines[start:], start + 1):
        if needle in text:
            return number, text.index(needle) + 1
    raise AssertionError(f"{needle} not in {relative}")


@pytest.fixture(scope="module")
def imported() -> crmorg.importing.Imported:
    return read("salesforce", FIXTURE)


def test_what_maps(imported: crmorg.importing.Imported) -> None:
    doc = imported.document
    assert set(doc["resources"]) == {"account", "invoice", "lead", "custom_permissions"}
    assert doc["resources"]["account"]["baseline"] == {"read": "organization"}
    assert "baseline" not in doc["resources"]["invoice"]  # Private
    assert doc["resources"]["lead"]["baseline"] == {
        "read": "organization",
        "update": "organization",
    }
    assert doc["resources"]["invoice"]["fields"]["amount"] == {"name": "Amount", "restricted": True}
    roles = doc["roles"]
    assert roles["invoice_clerk"]["grants"]["invoice"] == {
        "create": "organization",
        "read": "subordinates",
        "update": "subordinates",
    }
    assert roles["invoice_clerk"]["fields"] == {"invoice": {"amount": "edit"}}
    assert roles["invoice_approver"]["grants"]["invoice"] == {"read": "organization"}  # View All
    assert roles["invoice_approver"]["grants"]["custom_permissions"] == {
        "approve_invoice": "organization"
    }
    assert roles["finance_admin"]["grants"]["invoice"]["delete"] == "organization"  # Modify All
    assert roles["finance"]["inherits"] == ["invoice_approver", "invoice_clerk"]  # the group
    assert roles["profile_sales_user"]["grants"]["lead"]["create"] == "organization"
    people = doc["people"]
    assert set(people) == {"wang_fang", "sam_clerk", "ria_k", "audit"}  # not the inactive one
    assert people["sam_clerk"]["reports_to"] == "wang_fang"  # the Accountant role is below CFO
    assert "finance" in people["sam_clerk"]["roles"]
    assert people["ria_k"]["teams"][0] == "finance_team"
    assert doc["sharing"]["finance_to_auditors"] == {
        "resource": "invoice",
        "from": {"team": "finance_team"},
        "to": {"team": "auditors"},
        "actions": ["read"],
        "name": "Finance invoices to the auditors",
    }
    # Shared from all internal users: a role granting every record to the recipients who
    # hold the object permission (its gate).
    every = roles["every_invoice_read_update"]["grants"]
    assert every == {"invoice": {"read": "organization", "update": "organization"}}
    assert "every_invoice_read_update" in people["sam_clerk"]["roles"]
    assert (
        imported.origins[("roles", "invoice_clerk")]
        == "permissionsets/Invoice_Clerk.permissionset:2"
    )
    assert imported.origins[("people", "ria_k")] == "data/User.csv:5"
    assert imported.origins[("teams", "auditors")] == "groups/Auditors.group:2"


EXPECTED = [
    ("classes/InvoiceService.cls", (1, 1), "`classes` metadata"),
    ("data/GroupMember.csv", (5, 1), "no imported user"),
    ("data/PermissionSetAssignment.csv", (6, 1), "X00e000000000AbC was not retrieved"),
    ("data/User.csv", (6, 1), "inactive"),
    (
        "groups/Finance_Team.group",
        line_of("groups/Finance_Team.group", "<doesIncludeBosses"),
        "hierarchies",
    ),
    (
        "objects/Account.object",
        line_of("objects/Account.object", "<externalSharingModel"),
        "external",
    ),
    (
        "objects/Invoice__c.object",
        line_of("objects/Invoice__c.object", "<listViews"),
        "1 listViews are not access design",
    ),
    ("objects/Lead.object", line_of("objects/Lead.object", "<sharingModel"), "ReadWriteTransfer"),
    (
        "permissionsetgroups/Finance.permissionsetgroup",
        line_of("permissionsetgroups/Finance.permissionsetgroup", "<mutingPermissionSets"),
        "muting",
    ),
    (
        "permissionsets/Finance_Admin.permissionset",
        line_of("permissionsets/Finance_Admin.permissionset", "<userPermissions"),
        "ModifyAllData",
    ),
    (
        "permissionsets/Invoice_Clerk.permissionset",
        line_of("permissionsets/Invoice_Clerk.permissionset", "<classAccesses"),
        "InvoiceService",
    ),
    (
        "permissionsets/Invoice_Clerk.permissionset",
        line_of("permissionsets/Invoice_Clerk.permissionset", "<userPermissions"),
        "ApiEnabled",
    ),
    (
        "profiles/Sales_User.profile",
        line_of("profiles/Sales_User.profile", "<loginHours"),
        "loginHours",
    ),
    (
        "profiles/Sales_User.profile",
        line_of("profiles/Sales_User.profile", "<loginIpRanges"),
        "loginIpRanges",
    ),
    (
        "profiles/Sales_User.profile",
        line_of("profiles/Sales_User.profile", "<tabVisibilities"),
        "standard-Lead",
    ),
    (
        "roles/Accountant.role",
        line_of("roles/Accountant.role", "<caseAccessLevel"),
        "caseAccessLevel",
    ),
    (
        "sharingRules/Invoice__c.sharingRules",
        line_of("sharingRules/Invoice__c.sharingRules", "<sharingCriteriaRules"),
        "criteria-based",
    ),
]


def test_every_unmapped_construct_is_one_finding_at_its_line(
    imported: crmorg.importing.Imported,
) -> None:
    found = [(f.file, (f.line, f.column), f.message) for f in imported.findings]
    assert len(found) == len(EXPECTED), found
    for (file, place, words), (got_file, got_place, message) in zip(EXPECTED, found, strict=True):
        assert (got_file, got_place) == (file, place), message
        assert words in message
    assert all(f.rule == "import-unmapped" for f in imported.findings)
    # What is disabled or hidden is no construct: no finding for it.
    messages = " ".join(m for *_, m in found)
    assert "ViewSetup" not in messages and "Invoice__c has" not in messages


def test_the_model_validates_and_the_audit_finds_what_was_planted(tmp_path: Path) -> None:
    out = tmp_path / "model"
    write_imported(read("salesforce", FIXTURE), out)
    model = crmorg.load(out)
    findings = crmorg.validate(model).findings
    assert not [f for f in findings if f.severity.name == "ERROR"]
    rules = {f.rule for f in findings}
    # Shared with the auditors, who have no Read on Invoice: the rule never takes effect.
    assert "ineffective-sharing-rule" in rules
    # Nobody is given the field Internal notes.
    assert "unreadable-restricted-field" in rules
    # Ria both creates and approves invoices: the company's policy, added beside the
    # import, finds it.
    (out / "policy.yaml").write_text(
        "constraints:\n"
        "  - id: invoice_four_eyes\n"
        "    kind: separation_of_duties\n"
        '    permissions: ["invoice:create", "custom_permissions:approve_invoice"]\n',
        encoding="utf-8",
    )
    audited = crmorg.validate(crmorg.load(out)).findings
    conflicts = [f for f in audited if f.rule == "sod-person-conflict"]
    assert conflicts and "ria_k" in conflicts[0].subjects
    assert model.decide("ria_k", "approve_invoice", "custom_permissions")
    assert model.decide("sam_clerk", "update", "invoice", "ria_k")  # the all-users rule
    assert not model.decide("audit", "read", "invoice", "sam_clerk")  # no object permission
    assert model.decide("wang_fang", "read", "invoice", "sam_clerk")  # Modify All
    assert model.decide("sam_clerk", "read", "invoice", "sam_clerk", field="amount")
    assert not model.decide("sam_clerk", "read", "invoice", "sam_clerk", field="notes")


def test_hostile_names_survive_and_the_output_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_imported(read("salesforce", FIXTURE), first)
    write_imported(read("salesforce", FIXTURE), second)
    for name in (MODEL_FILE, REPORT_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    text = (first / MODEL_FILE).read_text(encoding="utf-8")
    assert "\u202e" not in text  # shown as an escape, never raw
    model = crmorg.load(first)
    assert model.roles["invoice_clerk"].name == 'Invoice "Clerk" <&> 发票'
    assert model.roles["invoice_approver"].name == "Approver\n\u202eevil"
    assert model.people["ria_k"].name == "\u202eRia evil"
    assert model.people["sam_clerk"].name == 'Sam "the clerk" <&>\nsecond line'
    assert model.people["wang_fang"].name == "王芳"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "org"
    shutil.copytree(FIXTURE, target)
    return target


def test_an_entity_or_a_doctype_is_refused(tmp_path: Path) -> None:
    org = _copy(tmp_path)
    (org / "roles" / "CFO.role").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Role [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<Role xmlns="http://soap.sforce.com/2006/04/metadata"><name>&x;</name></Role>\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match=r"roles/CFO\.role: a document type"):
        read("salesforce", org)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("<Role><name>x</name></Role>", "not Salesforce metadata's <Role"),
        ("<Role xmlns='http://soap.sforce.com/2006/04/metadata'>", "not well-formed"),
    ],
)
def test_a_foreign_or_broken_file_names_itself(tmp_path: Path, content: str, words: str) -> None:
    org = _copy(tmp_path)
    (org / "roles" / "CFO.role").write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"roles/CFO\.role") as failed:
        read("salesforce", org)
    assert words in str(failed.value) and "package.xml" in str(failed.value)


def test_a_folder_with_no_salesforce_metadata_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="no Salesforce metadata here"):
        read("salesforce", tmp_path)


SOURCE_FORMAT = FIXTURE.parent / "source"


def test_a_source_format_retrieve_in_its_own_package_directory() -> None:
    """`sf project retrieve start` into a project whose package directory is `app`."""
    imported = read("salesforce", SOURCE_FORMAT)
    doc = imported.document
    assert doc["resources"] == {"deal": {"name": "Deal", "fields": {"margin": {"name": "Margin"}}}}
    assert doc["roles"] == {
        "deal_desk": {
            "name": "Deal desk",
            "description": "Reviews deals",
            "grants": {"deal": {"read": "subordinates"}},
        }
    }  # the Admin profile opens nothing crmorg carries: no role, its setting a finding
    found = [(f.file, f.line, f.column, f.message) for f in imported.findings]
    base = "app/main/default/"
    assert found == [
        (
            f"{base}objects/Deal__c/Deal__c.object-meta.xml",
            6,
            5,
            "object Deal__c: the sharing model ControlledByParent has no crmorg equivalent; "
            "taken as Private",
        ),
        (
            f"{base}objects/Deal__c/listViews/All.listView-meta.xml",
            1,
            1,
            "object Deal__c: 1 listViews are not access design crmorg carries; not read",
        ),
        (
            f"{base}profiles/Admin.profile-meta.xml",
            5,
            5,
            "profile Admin: the system permission ViewAllData has no crmorg equivalent",
        ),
    ]
    assert imported.origins[("roles", "deal_desk")] == (
        f"{base}permissionsets/Deal_Desk.permissionset-meta.xml:2"
    )


def test_a_file_over_the_size_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmorg.importing.salesforce import files

    monkeypatch.setattr(files, "MAX_BYTES", 300)
    with pytest.raises(ImportFailed, match=r"bytes, more than the 300 read"):
        read("salesforce", _copy(tmp_path))


def test_a_single_file_is_not_a_project() -> None:
    with pytest.raises(ImportFailed, match="a single file is not a Salesforce project"):
        read("salesforce", FIXTURE / "package.xml")


def test_a_role_above_several_users_is_one_finding_at_its_parent_role(tmp_path: Path) -> None:
    org = _copy(tmp_path)
    users = org / "data" / "User.csv"
    users.write_text(
        users.read_text(encoding="utf-8")
        + "005000000000006AAA,li.na@example.com,Li Na,li@example.com,,CFO,Sales_User,true\n",
        encoding="utf-8",
    )
    imported = read("salesforce", org)
    shared = [f for f in imported.findings if "held by 2 users" in f.message]
    assert len(shared) == 1  # one for the role, not one per user below it
    place = line_of("roles/Accountant.role", "<parentRole")
    assert (shared[0].file, shared[0].line, shared[0].column) == ("roles/Accountant.role", *place)
    assert "li_na" in shared[0].message
    assert imported.document["people"]["sam_clerk"]["reports_to"] == "li_na"  # sorted: first


def test_a_standard_profile_is_found_by_its_name_and_a_missing_one_is_a_finding(
    tmp_path: Path,
) -> None:
    org = _copy(tmp_path)
    (org / "profiles" / "Sales_User.profile").rename(org / "profiles" / "Admin.profile")
    imported = read("salesforce", org)
    # The users name `Sales_User`, which is no longer there; `Admin` is System Administrator.
    missing = [
        f for f in imported.findings if "the profile Sales_User was not retrieved" in f.message
    ]
    assert len(missing) == 4 and {f.line for f in missing} == {2, 3, 5, 7}
    assert imported.document["roles"]["profile_admin"]["name"] == "System Administrator"
    users = org / "data" / "User.csv"
    users.write_text(
        users.read_text(encoding="utf-8").replace("Sales_User", "System Administrator"),
        encoding="utf-8",
    )
    again = read("salesforce", org)
    assert "profile_admin" in again.document["people"]["ria_k"]["roles"]
