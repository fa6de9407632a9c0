"""The shipped examples use format v1.1 access and validate clean: the reference model
(baselines, subordinates, a sharing rule, restricted fields) and the vendor audit (a
Salesforce-like design, audited with ``--select model,access``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.cli.main import main
from crmorg.permissions.scopes import Scope

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "examples" / "reference"
VENDOR_AUDIT = ROOT / "examples" / "vendor-audit"


def validate(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["validate", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _uses_subordinates(path: Path) -> set[str]:
    model = load(path)
    return {
        role_id
        for role_id, role in model.roles.items()
        for actions in role.grants.values()
        if Scope.SUBORDINATES.label in actions.values()
    }


def test_the_reference_model_uses_v11_access() -> None:
    model = load(REFERENCE)
    assert {r for r, resource in model.resources.items() if resource.baseline} >= {"account"}
    assert "team_leader" in _uses_subordinates(REFERENCE)
    assert list(model.sharing) == ["service_cases_to_sales"]
    restricted = {
        (r, f)
        for r, resource in model.resources.items()
        for f, field in resource.fields.items()
        if field.restricted
    }
    assert restricted == {
        ("payment", "payment_details"),
        ("quote", "margin"),
        ("contact", "id_number"),
    }
    for resource, field in restricted:  # each is someone's to read
        assert any(model.field_access(p, resource, field) != "none" for p in model.people)
    # and what the design says comes out of the decisions
    assert model.decide("liu_yang", "read", "case", owner="zhou_tao").layer.value == "sharing"
    assert model.decide("wang_fang", "update", "sales_plan", owner="liu_yang").chain == (
        "liu_yang",
        "wang_fang",
    )
    assert model.field_access("sales_rep", "quote", "margin") == "none"
    assert model.field_access("finance_manager", "quote", "margin") == "read"


def test_the_reference_model_validates_with_no_error_or_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = validate([str(REFERENCE)], capsys)
    assert code == 0
    assert report["summary"]["error"] == 0 and report["summary"]["warning"] == 0


def test_the_vendor_audit_uses_v11_access() -> None:
    model = load(VENDOR_AUDIT)
    assert [r for r, role in model.roles.items() if role.abstract] == ["standard_user"]
    assert {"ceo", "sales_manager", "support_manager"} <= _uses_subordinates(VENDOR_AUDIT)
    assert {r for r, resource in model.resources.items() if resource.baseline} == {
        "lead",
        "case",
        "product",
    }
    assert list(model.sharing) == ["west_opportunities_to_support"]
    assert model.roles["system_administrator"].assignable is not None
    assert model.decide("gus", "read", "opportunity", owner="dev").layer.value == "sharing"
    assert not model.decide("gus", "read", "opportunity", owner="kai")  # east is not shared
    assert model.decide("ben", "update", "opportunity", owner="dev").chain == ("dev", "cara", "ben")


def test_the_vendor_audit_passes_the_model_and_access_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = validate([str(VENDOR_AUDIT), "--select", "model,access"], capsys)
    assert code == 0
    assert report["summary"]["error"] == 0 and report["summary"]["warning"] == 0
    assert {f["rule"] for f in report["findings"]} <= {"excess-privilege"}


def test_the_readme_shows_the_vendor_audit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "crmorg validate examples/vendor-audit --select model,access" in readme
