"""``crmorg import salesforce PATH --out DIR`` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.importing.core import MODEL_FILE, REPORT_FILE

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "salesforce" / "metadata"


def test_the_import_writes_the_model_and_prints_the_findings_at_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit"
    assert main(["import", "salesforce", str(FIXTURE), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "6 role(s), 4 person(s)" in printed.out
    assert "crmorg validate" in printed.out
    assert "profiles/Sales_User.profile:4:5" in printed.err
    assert "sharingRules/Invoice__c.sharingRules:3:5" in printed.err
    assert "import-unmapped" in printed.err
    assert sorted(p.name for p in out.iterdir()) == [REPORT_FILE, MODEL_FILE]
    report = (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "loginIpRanges" in report and "profiles/Sales_User.profile:8:5" in report
    assert "# from permissionsets/Invoice_Clerk.permissionset:2" in (out / MODEL_FILE).read_text(
        encoding="utf-8"
    )
    assert set(crmorg.load(out).roles) >= {"finance", "invoice_clerk"}
    # The audit the docs give.
    assert main(["validate", str(out), "--select", "model,access"]) in (0, 1)
    assert "ineffective-sharing-rule" in capsys.readouterr().out


def test_a_foreign_folder_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "odoo_module"
    foreign.mkdir()
    (foreign / "__manifest__.py").write_text("{'name': 'x'}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "salesforce", str(foreign), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no Salesforce metadata here" in err and "sf project retrieve start" in err
    assert not out.exists()
