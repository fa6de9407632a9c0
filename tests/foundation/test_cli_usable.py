"""Findings a user can act on, and the CI conventions of linters (issue 17, items 5-6):
several paths, did-you-mean everywhere, exit statuses in --help and the README, the
user's umask, --output, defaults from a configuration file, and the Docker image."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crmorg.api import load_partial, validate_paths
from crmorg.charts.views import VIEWS
from crmorg.cli.chart_command import ROOTS_BY_VIEW
from crmorg.cli.common import kept_until_exit
from crmorg.cli.exit_statuses import EXIT_STATUSES
from crmorg.cli.main import _commands
from crmorg.lint.config import LintConfig
from crmorg.model import Model

from .helpers import HEAD, SALES_MODEL, cli, write

REPO = Path(__file__).resolve().parents[2]

ROLES = HEAD + (
    "resources:\n  lead: {name: Lead, actions: [read]}\n"
    "roles:\n  rep: {inherits: [employe], grants: {lead: {read: own}}}\n"
)
"""A file of roles with one unknown reference (`employe`), at roles.yaml:6."""

PEOPLE = "version: 1\npeople:\n  ann: {roles: [rep]}\n  bob: {roles: [nobody]}\n"
"""A file of people: ann holds a role of roles.yaml, bob one nobody defines."""


def _rules(out: str) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["file"], f["line"]) for f in json.loads(out)["findings"])


# Findings a user can act on -----------------------------------------------------------
def test_a_first_model_gets_one_uncovered_action_finding_per_resource(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir / "model.yaml",
        HEAD + "resources:\n  lead: {}\n  deal: {}\nroles:\n  rep: {grants: {lead: {read: own}}}\n",
    )
    code, out, _ = cli(
        ["validate", "model.yaml", "--select", "uncovered-action", "--format", "json"], capsys
    )
    assert code == 0
    findings = json.loads(out)["findings"]
    assert [f["subjects"] for f in findings] == [["lead"], ["deal"]]
    lead = findings[0]["message"]
    assert "`create`" in lead and "`approve`" in lead and "`read`" not in lead


def test_a_mistyped_metric_is_an_error_with_a_suggestion(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir / "model.yaml",
        HEAD
        + "metrics:\n  opportunities_won: {unit: count}\n  opportunities_lost: {unit: count}\n"
        + "kpis:\n  win_rate:\n"
        + "    formula: opportunities_wonn / (opportunities_won + opportunities_lost)\n"
        + "    target: 0.3\n    unit: percent\n    direction: higher\n    frequency: monthly\n",
    )
    code, out, _ = cli(["validate", "model.yaml"], capsys)
    assert code == 1
    assert "model.yaml:8:" in out
    assert "error kpi-unknown-metric: " in out
    assert "did you mean `opportunities_won`?" in out


def test_kpi_exits_one_when_a_formula_names_an_undeclared_metric(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kpi = "kpis:\n  win_rate: {formula: won / (won + lost), target: 0.3, unit: ratio}\n"
    write(workdir / "data.csv", "period,metric,value\n2026-01,won,3\n")
    write(
        workdir / "good.yaml",
        HEAD + "metrics:\n  won: {unit: count}\n  lost: {unit: count}\n" + kpi,
    )
    code, out, err = cli(["kpi", "good.yaml", "--data", "data.csv"], capsys)
    assert (code, err) == (0, "")
    write(
        workdir / "typo.yaml",
        HEAD + "metrics:\n  won: {unit: count}\n  lots: {unit: count}\n" + kpi,
    )
    code, out, err = cli(["kpi", "typo.yaml", "--data", "data.csv"], capsys)
    assert code == 1
    assert "win_rate" in out  # the scorecard is still printed
    assert "error kpi-unknown-metric: " in err
    assert "`lost`, which is not a declared metric (did you mean `lots`?)" in err


# Several paths ------------------------------------------------------------------------
def test_files_given_together_are_one_model(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(workdir / "people.yaml", PEOPLE)
    code, out, err = cli(["validate", "roles.yaml", "people.yaml", "--format", "json"], capsys)
    assert (code, err) == (1, "")
    unknown = [r for r in _rules(out) if r[0] == "unknown-reference"]
    # ann's `rep` is found in the other file; bob's `nobody` and `employe` are not.
    assert unknown == [
        ("unknown-reference", "people.yaml", 4),
        ("unknown-reference", "roles.yaml", 6),
    ]
    alone, _, _ = cli(["validate", "people.yaml", "--format", "json"], capsys)
    assert alone == 1


def test_files_outside_the_working_directory_keep_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "model" / "roles.yaml", ROLES)
    write(tmp_path / "model" / "people.yaml", PEOPLE)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    files = [str(tmp_path / "model" / "roles.yaml"), str(tmp_path / "model" / "people.yaml")]
    _, out, _ = cli(["validate", *files, "--format", "json"], capsys)
    assert {file for _, file, _ in _rules(out)} == set(files)


def test_each_directory_is_a_model_and_the_worst_status_wins(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "good" / "model.yaml", SALES_MODEL)
    write(workdir / "bad" / "roles.yaml", ROLES)
    code, out, _ = cli(["validate", "good", "--format", "json"], capsys)
    assert code == 0
    good = _rules(out)
    code, out, _ = cli(["validate", "good", "bad", "--format", "json"], capsys)
    assert code == 1
    both = _rules(out)
    assert set(good) < set(both)
    assert ("unknown-reference", "bad/roles.yaml", 6) in both
    # `rep` of bad/ is not visible to good/: the models are not merged.
    assert not [r for r in both if r[1].startswith("good/") and r[0] == "unknown-reference"]


def test_several_paths_from_python(workdir: Path) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(workdir / "people.yaml", PEOPLE)
    report = validate_paths(["roles.yaml", "people.yaml"])
    assert report.failed
    assert {(f.file, f.line) for f in report.by_rule("unknown-reference")} == {
        ("people.yaml", 4),
        ("roles.yaml", 6),
    }
    lenient = validate_paths(["roles.yaml"], LintConfig.from_options(ignore=["unknown-reference"]))
    assert not lenient.failed
    with pytest.raises(FileNotFoundError):
        validate_paths(["roles.yaml", "missing.yaml"])


def test_the_models_validated_may_be_kept_for_the_exit(workdir: Path) -> None:
    write(workdir / "a" / "roles.yaml", ROLES)
    write(workdir / "people.yaml", PEOPLE)
    kept: list[Model] = []
    report = validate_paths(["a", "people.yaml"], keep=kept)
    assert [len(model.roles) for model in kept] == [len(load_partial("a").roles), 0]
    assert report.findings == validate_paths(["a", "people.yaml"]).findings
    # Only the console script, which exits without freeing the heap, keeps them.
    assert kept_until_exit() is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "roles.yaml", "missing.yaml"], "no such file or directory: missing.yaml"),
        (["validate", "roles.yaml", "notes.txt"], "notes.txt is not a model file"),
    ],
)
def test_a_bad_path_among_several_is_a_usage_error(
    argv: list[str], message: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(workdir / "notes.txt", "not a model")
    code, out, err = cli(argv, capsys)
    assert (code, out) == (2, "")
    assert message in err


# Suggestions --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["validate", "model.yaml", "--formt", "json"], "--formt (did you mean --format?)"),
        (
            ["validate", "model.yaml", "--format", "jsn"],
            "invalid choice: 'jsn' (did you mean 'json'?)",
        ),
        (
            ["validate", "model.yaml", "--select", "acess"],
            "no rule named 'acess' (did you mean `access`?)",
        ),
        (
            ["explain", "model.yaml", "sales_rpe", "read", "deal"],
            "no role or person `sales_rpe` in the model (did you mean `sales_rep`?)",
        ),
        (
            ["explain", "model.yaml", "ann", "raed", "deal"],
            "no action `raed` in the model (did you mean `read`?)",
        ),
        (
            ["explain", "model.yaml", "ann", "read", "dael"],
            "no resource `dael` in the model (did you mean `deal`?)",
        ),
        (
            ["explain", "model.yaml", "ann", "read", "deal", "--owner", "bbo"],
            "no person `bbo` in the model (did you mean `bob`?)",
        ),
        (
            ["explain", "model.yaml", "ann", "read", "deal", "--sope", "team"],
            "(did you mean --scope?)",
        ),
        (
            ["who-can", "model.yaml", "refnd", "payment"],
            "no action `refnd` in the model (did you mean `refund`?)",
        ),
        (["who-can", "model.yaml", "read", "paymnet"], "(did you mean `payment`?)"),
        (["rules", "sod-rol-conflict"], "(did you mean `sod-role-conflict`?)"),
        (["matrix", "model.yaml", "--fromat", "csv"], "(did you mean --format?)"),
        (
            ["chart", "model.yaml", "--root", "sales_mngr"],
            "no role `sales_mngr` in the model (did you mean `sales_manager`?)",
        ),
        (
            ["chart", "model.yaml", "--view", "teams", "--root", "eats"],
            "no department or team `eats` in the model (did you mean `east`?)",
        ),
    ],
)
def test_mistyped_options_and_ids_get_a_suggestion(
    argv: list[str], hint: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", SALES_MODEL)
    code, out, err = cli(argv, capsys)
    assert (code, out) == (2, "")
    assert hint in err


def test_every_chart_view_says_what_its_root_names() -> None:
    assert set(ROOTS_BY_VIEW) == set(VIEWS)


def test_an_abbreviated_option_still_works(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", SALES_MODEL)
    code, out, _ = cli(["validate", "model.yaml", "--form", "json"], capsys)
    assert code == 0
    assert "summary" in json.loads(out)


# Exit statuses ------------------------------------------------------------------------
def _readme_exit_statuses() -> dict[str, str]:
    rows = re.findall(
        r"^\| `crmorg ([a-z-]+)[^|]*(?:\\\|[^|]*)*\|.*\| ([^|]+) \|$",
        (REPO / "README.md").read_text(encoding="utf-8"),
        re.M,
    )
    return dict(rows)


def test_every_command_documents_its_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    readme = _readme_exit_statuses()
    for command in _commands():
        code, out, _ = cli([command.name, "--help"], capsys)
        assert code == 0
        epilog = out.split("exit status:\n", 1)[1]
        shown = [int(line.split()[0]) for line in epilog.splitlines() if re.match(r"^  \d", line)]
        codes = [status for status, _ in EXIT_STATUSES[command.name]]
        assert shown == codes, command.name
        assert command.name in readme, f"README's commands table lacks {command.name}"
        assert re.findall(r"\b([0123]) ", readme[command.name]) == [str(c) for c in codes], (
            command.name
        )


def test_explain_exits_one_on_a_denial_in_every_format(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", SALES_MODEL)
    denied = ["explain", "model.yaml", "ann", "update", "deal", "--owner", "bob"]
    code, out, _ = cli(denied, capsys)
    assert (code, out.split(":")[0]) == (1, "DENIED")
    code, out, _ = cli([*denied, "--format", "json"], capsys)
    assert (code, json.loads(out)["allowed"]) == (1, False)
    code, out, _ = cli(["explain", "model.yaml", "ann", "update", "deal", "--owner", "ann"], capsys)
    assert (code, out.split(":")[0]) == (0, "ALLOWED")
    _, help_text, _ = cli(["explain", "--help"], capsys)
    assert "  1  denied" in help_text


# init and the umask -------------------------------------------------------------------
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_init_writes_files_with_the_users_umask(
    umask: int, mode: int, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = os.umask(umask)
    try:
        code, _, _ = cli(["init", "company", "--kpis", "win_rate"], capsys)
    finally:
        os.umask(previous)
    assert code == 0
    written = sorted((workdir / "company").iterdir())
    assert [p.name for p in written] == ["crmorg.schema.json", "kpis.yaml", "model.yaml"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {mode}


# --output ------------------------------------------------------------------------------
def test_output_writes_the_report_to_a_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    _, on_stdout, _ = cli(["validate", "roles.yaml", "--format", "sarif"], capsys)
    code, out, err = cli(
        ["validate", "roles.yaml", "--format", "sarif", "--output", "reports/crmorg.sarif"], capsys
    )
    assert (code, out, err) == (1, "", "")
    assert (workdir / "reports" / "crmorg.sarif").read_text(encoding="utf-8") == on_stdout
    assert sorted(p.name for p in (workdir / "reports").iterdir()) == ["crmorg.sarif"]


def test_output_of_a_report_written_in_pieces_is_the_whole_report(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 5,000 findings: the JSON report is written to the file in batches, as on stdout.
    roles = "".join(
        f"  r{i}: {{name: Role {i}, grants: {{lead: {{read: own}}}}}}\n" for i in range(5_000)
    )
    write(workdir / "roles.yaml", "version: 1\nresources:\n  lead: {name: Lead}\nroles:\n" + roles)
    status, on_stdout, _ = cli(["validate", "roles.yaml", "--format", "json"], capsys)
    assert len(json.loads(on_stdout)["findings"]) > 5_000
    code, out, err = cli(
        ["validate", "roles.yaml", "--format", "json", "--output", "report.json"], capsys
    )
    assert (code, out, err) == (status, "", "")
    assert (workdir / "report.json").read_text(encoding="utf-8") == on_stdout


def test_output_onto_a_directory_is_an_output_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    (workdir / "reports").mkdir()
    code, out, err = cli(["validate", "roles.yaml", "--output", "reports"], capsys)
    assert (code, out) == (3, "")
    assert "is a directory" in err


# Configuration file -------------------------------------------------------------------
def test_pyproject_sets_defaults_and_the_command_line_wins(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.crmorg]\nformat = "json"\nignore = ["unknown-reference"]\n'
        'severity = {role-without-responsibility = "error"}\n',
    )
    code, out, _ = cli(["validate", "roles.yaml"], capsys)
    assert code == 1
    assert [r[0] for r in _rules(out)] == ["role-without-responsibility"]
    assert json.loads(out)["findings"][0]["severity"] == "error"
    code, out, _ = cli(
        [
            "validate",
            "roles.yaml",
            "--format",
            "text",
            "--severity",
            "role-without-responsibility=info",
        ],
        capsys,
    )
    assert code == 0
    assert "info role-without-responsibility" in out
    assert "unknown-reference" not in out  # the file's --ignore still holds
    code, out, _ = cli(["validate", "roles.yaml", "--ignore", "kpi"], capsys)
    assert code == 1
    assert "unknown-reference" in out  # the command line's --ignore replaces the file's


def test_the_config_file_is_found_in_a_parent_directory_and_beside_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "repo" / "models" / "roles.yaml", ROLES)
    write(
        tmp_path / "repo" / ".crmorg.toml", 'fail-on = "warning"\nignore = ["unknown-reference"]\n'
    )
    # A pyproject.toml without [tool.crmorg] does not stop the search.
    write(tmp_path / "repo" / "models" / "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path / "repo" / "models")
    code, out, _ = cli(["validate", "roles.yaml"], capsys)
    assert code == 1
    assert "unknown-reference" not in out
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, out, _ = cli(["validate", str(tmp_path / "repo" / "models")], capsys)
    assert code == 1 and "unknown-reference" in out  # not beside the model: no defaults
    write(tmp_path / "repo" / "models" / ".crmorg.toml", 'output = "report.txt"\n')
    code, out, _ = cli(["validate", str(tmp_path / "repo" / "models")], capsys)
    assert (code, out) == (1, "")
    assert "unknown-reference" in (tmp_path / "repo" / "models" / "report.txt").read_text(
        encoding="utf-8"
    )


def test_crmorg_toml_wins_over_pyproject_in_one_directory(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(workdir / "pyproject.toml", '[tool.crmorg]\nformat = "json"\n')
    write(workdir / ".crmorg.toml", 'format = "github"\n')
    _, out, _ = cli(["validate", "roles.yaml"], capsys)
    assert out.startswith("::")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.crmorg]\nformat = "json"\nformt = "json"\n',
            "pyproject.toml:6: unknown key `formt` in [tool.crmorg] (did you mean `format`?); "
            "the keys are: format, select, ignore, severity, fail-on, output",
        ),
        (".crmorg.toml", 'select = "model"\n', ".crmorg.toml:1: `select` must be a list"),
        (
            ".crmorg.toml",
            'fail-on = "warn"\n',
            ".crmorg.toml: `fail-on` is 'warn'; it takes one of",
        ),
        (
            ".crmorg.toml",
            'select = ["acess"]\n',
            ".crmorg.toml: no rule named 'acess' (did you mean `access`?)",
        ),
        (".crmorg.toml", "select = [\n", ".crmorg.toml: not valid TOML"),
    ],
)
def test_a_bad_config_file_is_a_usage_error_naming_it(
    name: str, text: str, message: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "roles.yaml", ROLES)
    write(workdir / name, text)
    code, out, err = cli(["validate", "roles.yaml"], capsys)
    assert (code, out) == (2, "")
    assert message in err


# Docker -------------------------------------------------------------------------------
def test_the_image_runs_crmorg_as_an_unprivileged_user() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    final = dockerfile.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER crmorg$", final, re.M)
    assert 'ENTRYPOINT ["crmorg"]' in final
    assert "--require-hashes" in final
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ignored[1] == "*"  # the context is only what the build copies


def test_the_image_installs_the_runtime_part_of_the_lock() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "requirements" / "runtime_lock.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pinned = {line.split("==")[0] for line in result.stdout.splitlines() if "==" in line}
    assert {"pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "networkx"} <= pinned
    assert not pinned & {"pytest", "mypy", "ruff", "hypothesis", "cedarpy", "babel"}
    lock = (REPO / "requirements" / "test.lock").read_text(encoding="utf-8")
    # Whole entries of the lock, pins, markers and hashes as they are.
    for entry in re.split(r"\n(?=[a-z])", result.stdout.strip()):
        assert entry + "\n" in lock, entry.splitlines()[0]
    assert result.stdout.count("--hash=sha256:") > len(pinned)


def test_the_ci_docker_step_skips_without_an_engine(tmp_path: Path) -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    step = run[run.index('echo "== Docker image') : run.index('echo "== tests')]
    fake = write(
        tmp_path / "bin" / "docker",
        "#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n",
    )
    fake.chmod(0o755)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", step],
        env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "skipped: no Docker engine here" in result.stdout
