"""``crmorg diff`` from the command line: REV:PATH from git, --base, every format,
--max-gains, and bad input (a clear message and exit 2, never a traceback)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from tests.diff.conftest import REFERENCE, git

from crmorg.cli.main import main

SARIF_SCHEMA = Path(__file__).parents[1] / "rules" / "sarif_structure.schema.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_rev_path_against_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "main:model", "model", "--format", "json")
    data = json.loads(out)
    assert code == 1  # the new responsibility has no Accountable: a new error
    assert data["old"] == "main:model" and data["new"] == "model"
    people = {p["id"]: p for p in data["people"]}
    assert people["liu_yang"]["roles_gained"] == ["team_leader"]
    widened = [c for c in people["sofia_garcia"]["changes"] if c["resource"] == "opportunity"]
    assert widened == [
        {
            "aspect": "scope", "resource": "opportunity", "action": "read", "field": None,
            "rule": None, "kind": "widened", "old": ["own"], "new": ["department"],
            "causes": [widened[0]["causes"][0]],
        }
    ]  # fmt: skip
    cause = widened[0]["causes"][0]
    assert cause["kind"] == "grant" and cause["side"] == "new"
    assert re.fullmatch(r"model/roles/sales\.yaml:\d+:\d+", cause["where"])
    introduced = data["findings"]["introduced"]
    assert [f["rule"] for f in introduced] == ["raci-no-accountable"]
    assert introduced[0]["file"] == "model/responsibilities.yaml"
    assert data["raci"] == [
        {"responsibility": "unowned_duty", "kind": "added", "part": None, "role": None,
         "where": introduced[0]["file"] + ":" + data["raci"][0]["where"].split(":", 1)[1],
         "process": None, "step": None}
    ]  # fmt: skip
    assert data["summary"]["new_errors"] == 1
    assert data["gate"]["failed"] is True


def test_losses_point_into_the_revision(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reversed, the widening is a loss: its cause is on the OLD side, read from git."""
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "HEAD:model", "main:model", "--format", "json")
    assert code == 0  # the error is resolved, nobody gains... but liu_yang loses
    data = json.loads(out)
    sofia = next(p for p in data["people"] if p["id"] == "sofia_garcia")
    (change,) = [c for c in sofia["changes"] if c["resource"] == "opportunity"]
    assert change["kind"] == "narrowed"
    assert re.fullmatch(r"HEAD:model/roles/sales\.yaml:\d+:\d+", change["causes"][0]["where"])
    assert data["findings"]["resolved"][0]["file"] == "HEAD:model/responsibilities.yaml"
    assert data["summary"]["people_gaining"] == 0


def test_base_is_the_merge_base(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "model")
    code, out, err = run(capsys, "--base", "origin/main", ".", "--allow-new-errors")
    assert code == 0, err
    first = out.splitlines()[0]
    base = git(repo, "rev-parse", "--short", "origin/main").strip()
    assert first == f"crmorg diff {base}:./. -> ."
    assert "largest widenings" in out


def test_max_gains(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    args = ("main:model", "model", "--allow-new-errors", "--no-findings")
    code, out, _ = run(capsys, *args, "--max-gains", "100")
    gaining = int(out.splitlines()[1].split()[0])
    assert code == 0 and gaining > 1
    code, out, _ = run(capsys, *args, "--max-gains", str(gaining - 1))
    assert code == 1
    assert f"FAILED: {gaining} people gain access, more than --max-gains {gaining - 1}" in out
    code, out, _ = run(capsys, *args, "--max-gains", str(gaining), "--format", "markdown")
    assert code == 0 and f"at most {gaining} people may gain access" in out


def test_sarif_holds_the_introduced_findings(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "main:model", "model", "--format", "sarif")
    log = json.loads(out)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = log["runs"][0]["results"]
    assert code == 1 and [r["ruleId"] for r in results] == ["raci-no-accountable"]


def test_markdown_escapes_user_strings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "<b>old & *x*|"
    new = tmp_path / "new"
    shutil.copytree(REFERENCE, old)
    shutil.copytree(REFERENCE, new)
    sales = new / "roles" / "sales.yaml"
    sales.write_text(sales.read_text(encoding="utf-8").replace(
        "      case: {read: team}", "      case: {read: organization}", 1
    ), encoding="utf-8")  # fmt: skip
    code, out, _ = run(capsys, str(old), str(new), "--format", "markdown", "--no-findings")
    assert code == 0
    assert "<b>" not in out and "&lt;b&gt;old &amp; \\*x\\*\\|" in out
    assert out.count("<details>") == out.count("</details>") >= 2
    assert re.search(r"^\*\*\d+ people gain access; 0 lose access", out, re.MULTILINE)
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert table[0] == "| People gaining | Access | Cause |"
    counts = [int(line.split("|")[1]) for line in table[1:] if line.split("|")[1].strip()]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere", "model"), "no such file or directory: nowhere"),
        (("no-such-rev:model", "model"), "`no-such-rev` is not a revision"),
        (("main:no/such/dir", "model"), "revision main has no file or directory `no/such/dir`"),
        (("--base", "origin/main", "model", "model"), "with --base, give one PATH"),
        (("model",), "give OLD and NEW"),
        (("--base", "nope", "model"), "no merge base of HEAD and nope"),
    ],
)
def test_bad_input_is_a_usage_error(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("crmorg diff: error: ") and message in err
    assert "Traceback" not in err


def test_malformed_yaml_on_one_side(
    tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(repo / "model", broken)
    (broken / "teams.yaml").write_text("teams:\n  a: [unclosed\n", encoding="utf-8")
    shutil.rmtree(repo / "model.broken", ignore_errors=True)
    monkeypatch.chdir(repo)
    shutil.copytree(broken, repo / "broken")
    try:
        git(repo, "add", "broken")
        git(repo, "commit", "-q", "-m", "broken")
        code, out, err = run(capsys, "HEAD:broken", "model")
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")
    assert code == 2 and out == ""
    assert "crmorg diff: HEAD:broken cannot be read" in err
    assert re.search(r"HEAD:broken/teams\.yaml:\d+:\d+: error", err), err
    assert "Traceback" not in err


def test_output_is_the_same_every_run(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of the temporary copy of a revision shows, in any format."""
    monkeypatch.chdir(repo)
    for form in ("text", "json", "markdown"):
        first = run(capsys, "main:model", "model", "--no-findings", "--format", form)
        again = run(capsys, "main:model", "model", "--no-findings", "--format", form)
        assert first == again and "crmorg-diff-" not in first[1]
