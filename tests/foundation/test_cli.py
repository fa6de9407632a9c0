"""The core commands: validate, explain, schema, init — output, formats, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import crmorg
from crmorg.cli.main import _commands

from .helpers import HEAD, SALES_MODEL, cli, write

SPEC = Path("/work/shared/spec/format-v1.md")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

FINDING_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<level>error|warning|info|waived) (?P<rule>[a-z][a-z0-9-]*): (?P<message>\S.*)$"
)
SUMMARY_LINE = re.compile(r"^(OK|FAILED): \d+ errors?, \d+ warnings?, \d+ info( \(\d+ waived\))?$")

BROKEN = HEAD + (
    "resources:\n  lead: {name: Lead}\n"
    "roles:\n"
    "  rep:\n    inherits: [employe]\n    grants: {lead: {read: own}}\n"
    "  employee: {grants: {lead: {read: team}}}\n"
)


@pytest.fixture
def starter(workdir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, _ = cli(["init", "starter"], capsys)
    assert code == 0
    return workdir / "starter"


# validate -----------------------------------------------------------------------------
def test_validate_text_lines(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "model.yaml", BROKEN)
    code, out, err = cli(["validate", "model.yaml"], capsys)
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    findings = [FINDING_LINE.match(line) for line in lines]
    matched = [m for m in findings if m is not None]
    assert matched, out
    unknown = [m for m in matched if m["rule"] == "unknown-reference"]
    assert [(m["file"], m["line"], m["column"], m["level"]) for m in unknown] == [
        ("model.yaml", "7", "16", "error")
    ]
    assert "`employe`" in unknown[0]["message"]
    assert "did you mean `employee`?" in unknown[0]["message"]
    # Every other line is a file heading, a blank separator or the summary.
    for line, match in zip(lines, findings, strict=True):
        if match is None:
            assert line in ("", "model.yaml") or SUMMARY_LINE.match(line), line
    assert SUMMARY_LINE.match(lines[-1])
    assert lines[-1].startswith("FAILED: ")


def test_validate_text_and_json_agree(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "model.yaml", BROKEN)
    _, text, _ = cli(["validate", "model.yaml"], capsys)
    code, out, _ = cli(["validate", "model.yaml", "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    from_text = [
        (m["file"], int(m["line"]), int(m["column"]), m["rule"], m["message"])
        for m in map(FINDING_LINE.match, text.splitlines())
        if m is not None
    ]
    from_json = [
        (f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in report["findings"]
    ]
    assert from_text == from_json


def test_validate_exit_zero_on_a_clean_model(
    starter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["validate", str(starter)], capsys)
    assert code == 0, out
    assert err == ""
    assert out.splitlines()[-1].startswith("OK: 0 errors")
    assert all(
        m["level"] != "error" for m in map(FINDING_LINE.match, out.splitlines()) if m is not None
    )


def test_validate_fail_on_and_severity(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "model.yaml", BROKEN)
    args = ["validate", "model.yaml", "--select", "unknown-reference"]
    assert cli(args, capsys)[0] == 1
    as_warning = [*args, "--severity", "unknown-reference=warning"]
    code, out, _ = cli(as_warning, capsys)
    assert code == 0
    assert "model.yaml:7:16: warning unknown-reference: " in out
    assert cli([*as_warning, "--fail-on", "warning"], capsys)[0] == 1
    assert cli([*args, "--ignore", "unknown-reference"], capsys)[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "missing.yaml"],
        ["validate", "model.yaml", "--no-such-option"],
        ["validate", "model.yaml", "--format", "xml"],
        ["validate", "model.yaml", "--severity", "unknown-reference=loud"],
        ["validate"],
        ["no-such-command"],
        [],
    ],
)
def test_usage_errors_exit_two(
    argv: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", BROKEN)
    code, out, err = cli(argv, capsys)
    assert code == 2
    assert out == ""
    assert err
    assert "Traceback" not in err


def test_validate_reports_an_unreadable_model_as_findings(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", HEAD + "roles:\n  rep: {name: no}\n  x: [\n")
    code, out, err = cli(["validate", "model.yaml"], capsys)
    assert code == 1
    assert err == ""
    # The file is refused as a whole at the syntax error (the unclosed `[`).
    assert "model.yaml:6:1: error yaml-syntax: not valid YAML: " in out


# explain ------------------------------------------------------------------------------
@pytest.fixture
def sales(workdir: Path) -> str:
    write(workdir / "model.yaml", SALES_MODEL)
    return "model.yaml"


def test_explain_allowed_and_denied(sales: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["explain", sales, "sales_rep", "read", "deal", "--scope", "team"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("ALLOWED: sales_rep may read deal at team scope")
    assert "from the grant deal: {read: team} on role sales_rep at model.yaml:18:20" in out
    code, out, _ = cli(
        ["explain", sales, "sales_rep", "read", "deal", "--scope", "organization"], capsys
    )
    assert code == 1
    assert out.startswith("DENIED: sales_rep may not read deal at organization scope")
    code, out, _ = cli(["explain", sales, "ann", "read", "lead"], capsys)
    assert code == 0
    assert "ann holds sales_rep, which has own scope (inherited sales_rep -> employee)" in out


def test_explain_on_a_record(sales: str, capsys: pytest.CaptureFixture[str]) -> None:
    # ann and bob share the team east; ann may update only her own deals.
    code, out, _ = cli(["explain", sales, "ann", "update", "deal", "--owner", "bob"], capsys)
    assert code == 1
    assert out.startswith("DENIED: ann may not update deal on the record (owner bob")
    code, _, _ = cli(["explain", sales, "ann", "update", "deal", "--owner", "ann"], capsys)
    assert code == 0
    # mia leads east: a record of east is in her team, whoever owns it.
    argv = ["explain", sales, "mia", "update", "deal", "--owner", "zed", "--team", "east"]
    code, out, _ = cli(argv, capsys)
    assert code == 0
    assert "(owner zed, team east; mia shares its team)" in out
    argv = ["explain", sales, "ann", "read", "deal", "--owner", "zed", "--department", "sales"]
    code, out, _ = cli(argv, capsys)
    assert code == 1
    assert "(owner zed, department sales; its department is within ann's departments)" in out


def test_explain_json(sales: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", sales, "ann", "read", "deal", "--owner", "bob", "--format", "json"]
    code, out, _ = cli(argv, capsys)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    assert set(data) == {
        "allowed", "subject", "action", "resource", "required_scope", "granted_scope",
        "role", "via", "grant_location", "layer", "chain", "rule", "field", "reason",
    }  # fmt: skip
    assert data["allowed"] is True
    assert (data["layer"], data["chain"], data["rule"], data["field"]) == ("grant", [], None, None)
    assert (data["subject"], data["action"], data["resource"]) == ("ann", "read", "deal")
    assert (data["required_scope"], data["granted_scope"]) == ("team", "team")
    assert data["role"] == "sales_rep"
    assert data["via"] == ["sales_rep"]
    assert data["grant_location"] == "model.yaml:18:20"
    assert data["reason"].startswith("ann may read deal on the record")
    code, out, _ = cli(["explain", sales, "zed", "read", "deal", "--format", "json"], capsys)
    assert code == 1
    denied = json.loads(out)
    assert (denied["allowed"], denied["role"], denied["via"]) == (False, None, [])
    assert denied["grant_location"] is None


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["nobody", "read", "lead"], "no role or person `nobody`"),
        (["ann", "fly", "lead"], "no action `fly`"),
        (["ann", "read", "ghost"], "no resource `ghost`"),
        (["sales_rep", "read", "lead", "--owner", "ann"], "`sales_rep` is a role"),
        (["ann", "read", "lead", "--owner", "nobody"], "no person `nobody`"),
        (["ann", "read", "lead", "--team", "nope"], "no team `nope`"),
        (["ann", "read", "lead", "--department", "nope"], "no department `nope`"),
        (["ann", "read", "lead", "--scope", "team", "--owner", "ann"], "either --scope or"),
        (["ann", "read", "lead", "--scope", "galaxy"], "invalid choice"),
        (["ann", "read"], "required"),
    ],
)
def test_explain_usage_errors_exit_two(
    argv: list[str], says: str, sales: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["explain", sales, *argv], capsys)
    assert code == 2
    assert out == ""
    assert says in err
    assert "Traceback" not in err


def test_explain_on_a_missing_path(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["explain", "missing", "a", "read", "lead"], capsys)
    assert code == 2
    assert "no such file or directory" in err


def test_explain_on_a_broken_model_shows_its_findings(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", HEAD + "roles:\n  rep: {grants: {lead: {read: wide}}}\n")
    code, out, err = cli(["explain", "model.yaml", "rep", "read", "lead"], capsys)
    assert code == 1
    assert err == ""
    assert re.search(r"^model\.yaml:4:\d+: error schema: role `rep`", out, re.M)


def test_explain_json_on_a_broken_model_is_json(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", HEAD + "roles:\n  rep: {grants: {lead: {read: wide}}}\n")
    code, out, _ = cli(["explain", "model.yaml", "rep", "read", "lead", "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("schema", 4)]
    assert report["summary"]["error"] == 1


# schema -------------------------------------------------------------------------------
@pytest.fixture
def schema(capsys: pytest.CaptureFixture[str]) -> jsonschema.Draft202012Validator:
    code, out, err = cli(["schema"], capsys)
    assert (code, err) == (0, "")
    document = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(document)


def _errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def _spec_snippets() -> list[Any]:
    """The YAML examples of the contract's version 1.0 (sections 1-8).

    Version 1.1 (sections 9-17: baselines, fields, sharing, processes) is not yet in the
    format; its examples join this test when it is.
    """
    text = SPEC.read_text(encoding="utf-8")
    version_1_0 = text.split("# Version 1.1", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", version_1_0, re.S)
    assert blocks
    return [yaml.safe_load(block) for block in blocks]


def test_schema_accepts_the_starter_model(
    schema: jsonschema.Draft202012Validator, starter: Path
) -> None:
    for path in sorted(starter.glob("*.yaml")):
        assert _errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path
    written = json.loads((starter / "crmorg.schema.json").read_text(encoding="utf-8"))
    assert written == schema.schema


def test_schema_accepts_the_spec_examples(schema: jsonschema.Draft202012Validator) -> None:
    for snippet in _spec_snippets():
        assert _errors(schema, snippet) == []
    # Section 1's translated name, in a role.
    role = {"roles": {"sales_rep": {"name": {"en": "Sales Representative", "zh": "销售代表"}}}}
    assert _errors(schema, role) == []


def test_schema_accepts_every_example_file(schema: jsonschema.Draft202012Validator) -> None:
    files = sorted(p for d in EXAMPLES.iterdir() if d.is_dir() for p in d.rglob("*.y*ml"))
    assert files
    for path in files:
        assert _errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


@pytest.mark.parametrize(
    "bad",
    [
        {"roles": {"Sales-Rep": {}}},
        {"roles": {"sales_rep": {"nmae": "Sales"}}},
        {"rolez": {}},
        {"version": 2},
        {"roles": {"sales_rep": {"grants": {"lead": {"read": "everywhere"}}}}},
        {"roles": {"sales_rep": {"grants": {"Lead": {"read": "own"}}}}},
        {"people": {"ann": {"roles": "sales_rep"}}},
        {"departments": {"sales": {"parent": "management"}}},
        {"constraints": [{"id": "c", "kind": "four_eyes"}]},
        {"actions": ["Refund"]},
    ],
)
def test_schema_rejects_invalid_files(
    bad: dict[str, Any], schema: jsonschema.Draft202012Validator
) -> None:
    assert _errors(schema, bad)


# init ---------------------------------------------------------------------------------
def test_init_writes_a_model_that_validates(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["init", "new"], capsys)
    assert (code, err) == (0, "")
    assert (workdir / "new" / "model.yaml").is_file()
    assert "crmorg validate new" in out
    model = crmorg.load(workdir / "new")
    assert model.roles and model.people
    report = crmorg.validate(model)
    assert report.errors == ()
    assert cli(["validate", "new"], capsys)[0] == 0


def test_init_refuses_a_directory_with_yaml_files(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "existing" / "mine.yaml", "roles: {}\n")
    code, _, err = cli(["init", "existing"], capsys)
    assert code == 2
    assert "--force" in err
    assert not (workdir / "existing" / "model.yaml").exists()
    assert (workdir / "existing" / "mine.yaml").read_text() == "roles: {}\n"
    code, _, _ = cli(["init", "existing", "--force"], capsys)
    assert code == 0
    assert (workdir / "existing" / "model.yaml").is_file()


def test_init_into_an_existing_directory_without_yaml(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "docs" / "notes.txt", "hello\n")
    assert cli(["init", "docs"], capsys)[0] == 0
    assert cli(["validate", "docs"], capsys)[0] == 0


def test_init_where_nothing_can_be_written(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "taken", "x")
    code, out, err = cli(["init", "taken/inside"], capsys)
    assert code == 3
    assert out == ""
    assert err == "crmorg init: error: taken is a file, not a directory\n"


def test_init_onto_a_file_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "taken", "x")
    code, _, err = cli(["init", "taken"], capsys)
    assert code == 2
    assert "not a directory" in err


# --help -------------------------------------------------------------------------------
def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    names = [command.name for command in _commands()]
    assert {"validate", "explain", "schema", "init"} <= set(names)
    code, overview, _ = cli(["--help"], capsys)
    assert code == 0
    for name in names:
        assert name in overview
        code, out, err = cli([name, "--help"], capsys)
        assert code == 0, name
        assert out.startswith(f"usage: crmorg {name}"), name
        assert err == ""


# A real process ------------------------------------------------------------------------
def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmorg", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_real_process_init_validate_explain(workdir: Path) -> None:
    assert _run(["init", "company"], workdir).returncode == 0
    result = _run(["validate", "company", "--format", "json"], workdir)
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["error"] == 0
    write(workdir / "model.yaml", SALES_MODEL)
    result = _run(["explain", "model.yaml", "ann", "update", "deal", "--owner", "bob"], workdir)
    assert result.returncode == 1
    assert result.stdout.startswith("DENIED: ann may not update deal")
    assert result.stderr == ""
    version = _run(["--version"], workdir)
    assert version.returncode == 0
    assert version.stdout.strip() == f"crmorg {crmorg.__version__}"
