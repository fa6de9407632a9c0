"""``crmorg explain``: allowed or not, why (grant, inheritance path, source line), and
what is missing when denied. Uses the export tests' small fixture model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmorg.cli.main import main

MODEL = str(Path(__file__).parent / "export" / "fixtures" / "small")


def explain(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["explain", MODEL, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_allowed_names_the_grant_the_path_and_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = explain(["sales_manager", "create", "lead", "--scope", "own"], capsys)
    assert code == 0
    assert out.startswith("ALLOWED: sales_manager may create lead at own scope")
    assert "inherited sales_manager -> sales_rep" in out
    assert "lead: {*: own} on role sales_rep at " in out
    assert "model.yaml:29:" in out


def test_denied_says_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = explain(["alice", "read", "lead", "--scope", "department"], capsys)
    assert code == 1
    assert "alice holds sales_rep, which has team scope" in out
    assert "grant lead.read at department scope or wider to allow it" in out
    assert out.splitlines()[-1] == "roles that would allow it: admin, auditor, sales_manager"


def test_a_person_without_roles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = explain(["erin", "read", "lead"], capsys)
    assert code == 1
    assert "erin (who holds no role)" in out
    assert "roles that would allow it: admin, auditor, sales_manager, sales_rep" in out


def test_nobody_may(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = explain(["alice", "refund", "lead"], capsys)
    assert code == 1
    assert "`refund` does not apply to lead" in out
    assert "would allow" not in out


@pytest.mark.parametrize(
    ("record", "allowed", "why"),
    [
        (["--owner", "alice"], True, "alice owns it"),
        (["--owner", "erin"], True, "alice shares its team"),  # erin lists team east
        (["--owner", "dan"], False, "outside alice's teams and departments"),
        (["--owner", "dan", "--team", "east"], True, "team east; alice shares its team"),
        (["--owner", "erin", "--team", "support_desk"], False, "team support_desk"),
    ],
)
def test_on_a_record(
    record: list[str], allowed: bool, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = explain(["alice", "read", "lead", *record], capsys)
    assert (code == 0) is allowed
    assert why in out


def test_team_lead_counts_as_member(capsys: pytest.CaptureFixture[str]) -> None:
    # bob leads team east without listing it; a record owned by alice (east) is his team's.
    code, out, _ = explain(["bob", "assign", "lead", "--owner", "alice"], capsys)
    assert code == 0
    assert "bob shares its team" in out


def test_department_reach_goes_down_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    # bob's departments include sales; east_sales is below it.
    code, out, _ = explain(
        ["bob", "read", "lead", "--owner", "carol", "--department", "east_sales"], capsys
    )
    assert code == 0
    assert "within bob's departments" in out


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = explain(
        ["carol", "update", "lead", "--owner", "alice", "--format", "json"], capsys
    )
    data = json.loads(out)
    assert code == 1 and data["allowed"] is False
    assert data["required_scope"] == "department" and data["granted_scope"] == "own"
    assert data["role"] == "sales_rep" and data["via"] == ["sales_rep"]
    assert data["roles_that_would_allow"] == ["admin"]
    code, out, _ = explain(["dan", "read", "lead", "--format", "json"], capsys)
    assert "roles_that_would_allow" not in json.loads(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sales_rep", "read", "lead", "--owner", "bob"], "`sales_rep` is a role"),
        (["alice", "fly", "lead"], "no action `fly`"),
        (["alice", "read", "house"], "no resource `house`"),
        (["nobody", "read", "lead"], "no role or person `nobody`"),
        (["alice", "read", "lead", "--owner", "nobody"], "no person `nobody`"),
        (["alice", "read", "lead", "--team", "nowhere"], "no team `nowhere`"),
        (["alice", "read", "lead", "--scope", "team", "--owner", "bob"], "either --scope"),
    ],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = explain(args, capsys)
    assert code == 2 and out == ""
    assert message in err


FIELD_MODEL = """\
organization: {name: T}
resources:
  opportunity:
    fields:
      stage: {name: Stage}
      margin: {name: Margin, restricted: true}
roles:
  rep: {grants: {opportunity: {read: own, update: own}}}
  controller:
    grants: {opportunity: {read: organization}}
    fields: {opportunity: {margin: read}}
people:
  ann: {roles: [rep]}
  cid: {roles: [controller]}
"""


def test_one_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.yaml").write_text(FIELD_MODEL, encoding="utf-8")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["explain", str(tmp_path), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, _ = run("ann", "update", "opportunity", "--owner", "ann", "--field", "stage")
    assert code == 0 and out.startswith("ALLOWED: ann may update the stage field of opportunity")
    code, out, _ = run("ann", "read", "opportunity", "--owner", "ann", "--field", "margin")
    assert code == 1 and "margin is restricted" in out
    code, out, _ = run("cid", "read", "opportunity", "--owner", "ann", "--field", "margin")
    assert code == 0 and "role controller grants it read at" in out
    code, out, _ = run("controller", "read", "opportunity", "--field", "margin", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["field"] == "margin" and data["layer"] == "field"
    code, _, err = run("ann", "delete", "opportunity", "--owner", "ann", "--field", "stage")
    assert code == 2 and "`delete` acts on the whole record" in err
    code, _, err = run("ann", "read", "opportunity", "--field", "marg")
    assert code == 2 and "declares no field `marg`" in err
