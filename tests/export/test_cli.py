"""``crmorg export``, ``crmorg who-can`` and ``crmorg matrix``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crmorg.cli.main import main

from .conftest import FIXTURES

SMALL = str(FIXTURES / "small")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# export ------------------------------------------------------------------------------------
def test_export_writes_the_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "policies"
    code, stdout, err = run(["export", SMALL, "--target", "casbin", "--out", str(out)], capsys)
    assert (code, err) == (0, "")
    assert "wrote casbin export: 2 file(s)" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["model.conf", "policy.csv"]


def test_export_refuses_a_model_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "model.yaml"
    broken.write_text(
        "version: 1\norganization: {name: X}\nresources: {lead: {}}\n"
        "roles: {rep: {inherits: [ghost], grants: {lead: {read: own}}}}\n"
    )
    out = tmp_path / "out"
    code, stdout, err = run(["export", str(broken), "-t", "rego", "-o", str(out)], capsys)
    assert code == 1 and stdout == ""
    assert "unknown-reference" in err and "model.yaml:4:" in err
    assert "--force" in err
    assert not out.exists()
    code, stdout, _ = run(["export", str(broken), "-t", "rego", "-o", str(out), "--force"], capsys)
    assert code == 0 and out.is_dir()


def test_export_reports_an_unsafe_destination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, _, err = run(["export", SMALL, "-t", "json", "-o", str(tmp_path)], capsys)
    assert code == 3 and "keep.txt" in err
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_export_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", SMALL, "--target", "xacml", "--out", str(tmp_path / "x")])
    assert exited.value.code == 2
    code, _, err = run(["export", str(tmp_path / "missing"), "-t", "json", "-o", "x"], capsys)
    assert code == 2 and "no such file" in err


def test_cedar_refuses_what_it_cannot_express(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cyclic = tmp_path / "model.yaml"
    cyclic.write_text(
        "version: 1\norganization: {name: X}\nresources: {lead: {}}\n"
        "roles: {a: {inherits: [b]}, b: {inherits: [a]}}\n"
    )
    code, _, err = run(
        ["export", str(cyclic), "-t", "cedar", "-o", str(tmp_path / "o"), "--force"], capsys
    )
    assert code == 1 and "acyclic" in err
    assert not (tmp_path / "o").exists()


# who-can ------------------------------------------------------------------------------------
def test_who_can_lists_roles_and_people(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["who-can", SMALL, "read", "lead", "--scope", "department"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "who may read lead at department scope or wider:"
    assert "roles (3):" in out and "people (2):" in out
    assert "sales_manager" in out and "sales_rep" not in out.split("people")[0]
    assert "bob" in out and "dan" in out and "alice" not in out


def test_who_can_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["who-can", SMALL, "approve", "lead", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["applies"] is True
    roles = {entry["id"]: entry for entry in data["roles"]}
    assert roles["sales_manager"]["via"] == ["sales_manager", "sales_rep"]
    assert roles["sales_manager"]["source"] == "model.yaml:29"
    people = {entry["id"]: entry for entry in data["people"]}
    assert people["carol"]["role"] == "sales_rep"
    assert set(people) == {"alice", "bob", "carol", "dan"}


def test_who_can_when_nobody_may(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["who-can", SMALL, "refund", "lead"], capsys)
    assert code == 0 and "does not apply" in out
    code, out, _ = run(["who-can", SMALL, "delete", "lead", "--scope", "team"], capsys)
    assert "roles (1):" in out and "admin" in out


def test_who_can_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["who-can", SMALL, "fly", "lead"], capsys)
    assert code == 2 and "no action `fly`" in err
    with pytest.raises(SystemExit):
        main(["who-can", SMALL, "read", "lead", "--scope", "none"])


# matrix -------------------------------------------------------------------------------------
def test_matrix_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["matrix", SMALL], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["subject", "resource", "create", "read"]
    alice = next(line for line in lines if line.startswith("person alice") and "lead" in line)
    assert alice.split()[3:6] == ["own", "team", "own"]
    assert "role erin" not in out and "person erin" not in out  # nothing granted


def test_matrix_markdown_csv_json_agree(capsys: pytest.CaptureFixture[str]) -> None:
    _, markdown, _ = run(["matrix", SMALL, "--format", "markdown"], capsys)
    assert markdown.startswith("| subject | resource | create | read |")
    _, text, _ = run(["matrix", SMALL, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    _, document, _ = run(["matrix", SMALL, "--format", "json"], capsys)
    data = json.loads(document)
    for row in rows:
        section = "roles" if row["subject_type"] == "role" else "people"
        assert data[section][row["subject"]][row["resource"]][row["action"]] == row["scope"]
    count = sum(
        len(actions)
        for section in ("roles", "people")
        for resources in data[section].values()
        for actions in resources.values()
    )
    assert count == len(rows)
    assert data["people"]["erin"] == {}
