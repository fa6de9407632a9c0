"""Configuration: rule selection, severities, fail-on, waivers and settings.rules,
from the Python API and the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import Severity
from crmorg.lint.config import ConfigError, LintConfig
from crmorg.lint.engine import Report, run

# Two problems: a department without head (warning) and a responsibility without
# Accountable role (error); plus `settings` from each test.
MODEL = """\
organization: {name: T}
departments:
  sales: {name: Sales}
roles:
  rep: {}
people:
  ann: {roles: [rep]}
responsibilities:
  sell: {responsible: [rep]}
kpis:
  k: {department: sales, formula: "1", unit: count, direction: higher, target: 1, frequency: daily}
"""


def _model(tmp_path: Path, settings: str = "") -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL + settings, encoding="utf-8")
    return path


def _report(tmp_path: Path, settings: str = "", config: LintConfig | None = None) -> Report:
    return run(load_partial(_model(tmp_path, settings)), config)


def _rules(report: Report, waived: bool | None = None) -> dict[str, str]:
    return {
        f.rule: f.severity.value for f in report.findings if waived is None or f.waived == waived
    }


def _cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str, settings: str = ""
) -> tuple[int, dict[str, Any]]:
    status = main(["validate", str(_model(tmp_path, settings)), "--format", "json", *options])
    out = capsys.readouterr().out
    return status, json.loads(out) if out else {}


def test_defaults(tmp_path: Path) -> None:
    report = _report(tmp_path)
    assert _rules(report) == {
        "department-without-head": "warning",
        "raci-no-accountable": "error",
    }
    assert report.failed


def test_select_and_ignore_by_name_code_and_family(tmp_path: Path) -> None:
    by_name = LintConfig.from_options(select=["department-without-head"])
    assert set(_rules(_report(tmp_path, config=by_name))) == {"department-without-head"}
    by_code = LintConfig.from_options(select=["CRM201"])
    assert set(_rules(_report(tmp_path, config=by_code))) == {"raci-no-accountable"}
    by_family = LintConfig.from_options(ignore=["gap"])
    assert _rules(_report(tmp_path, config=by_family)) == {}


def test_severity_for_a_rule_beats_its_family(tmp_path: Path) -> None:
    config = LintConfig.from_options(
        severities=["gap=info", "raci-no-accountable=warning"], fail_on="warning"
    )
    report = _report(tmp_path, config=config)
    assert _rules(report) == {
        "department-without-head": "info",
        "raci-no-accountable": "warning",
    }
    assert report.failed
    assert not _report(tmp_path, config=LintConfig.from_options(severities=["gap=info"])).failed


def test_settings_rules_and_command_line_precedence(tmp_path: Path) -> None:
    settings = "settings:\n  rules: {raci-no-accountable: 'off', department-without-head: error}\n"
    assert _rules(_report(tmp_path, settings)) == {"department-without-head": "error"}
    command_line = LintConfig.from_options(severities=["department-without-head=info"])
    assert _rules(_report(tmp_path, settings, command_line)) == {"department-without-head": "info"}
    # Selecting a rule by name runs it even where the model switches it off.
    selected = LintConfig.from_options(select=["raci-no-accountable"])
    assert _rules(_report(tmp_path, settings, selected)) == {"raci-no-accountable": "error"}
    # Selecting its family does not.
    family = LintConfig.from_options(select=["gap"])
    assert _rules(_report(tmp_path, settings, family)) == {"department-without-head": "error"}


def test_waivers_match_on_subjects_and_never_fail(tmp_path: Path) -> None:
    settings = (
        "settings:\n  waivers:\n"
        "    - {rule: raci-no-accountable, subjects: [sell], reason: Being staffed}\n"
        "    - {rule: raci-no-accountable, reason: Also matches}\n"
    )
    report = _report(tmp_path, settings)
    (waived,) = [f for f in report.findings if f.waived]
    assert (waived.rule, waived.waiver_reason) == ("raci-no-accountable", "Being staffed")
    assert waived.severity is Severity.ERROR
    assert report.summary == {"error": 0, "warning": 1, "info": 0, "waived": 1}
    assert not report.failed
    assert "unused-waiver" not in _rules(report), "both waivers match: neither is unused"


def test_a_waiver_needs_all_its_subjects(tmp_path: Path) -> None:
    settings = (
        "settings:\n  waivers:\n"
        "    - {rule: raci-no-accountable, subjects: [sell, rep], reason: Being staffed}\n"
    )
    report = _report(tmp_path, settings)
    assert _rules(report, waived=False) == {
        "department-without-head": "warning",
        "raci-no-accountable": "error",
        "unused-waiver": "warning",
    }
    (unused,) = report.by_rule("unused-waiver")
    assert unused.subjects == ("sell", "rep")
    assert unused.line == len(MODEL.splitlines()) + 3


def test_unused_waivers_follow_configuration(tmp_path: Path) -> None:
    settings = (
        "settings:\n  rules: {team-without-lead: 'off'}\n  waivers:\n"
        "    - {rule: vacant-role, subjects: [rep], reason: Hiring}\n"
        "    - {rule: team-without-lead, reason: 'Switched off, so not reported'}\n"
    )
    report = _report(tmp_path, settings)
    assert [f.subjects for f in report.by_rule("unused-waiver")] == [("rep",)]
    quiet = LintConfig.from_options(severities=["unused-waiver=off"])
    assert not _report(tmp_path, settings, quiet).by_rule("unused-waiver")
    louder = LintConfig.from_options(severities=["unused-waiver=error"])
    assert _rules(_report(tmp_path, settings, louder))["unused-waiver"] == "error"
    not_run = LintConfig.from_options(select=["unused-waiver"])
    assert not _report(tmp_path, settings, not_run).findings


def test_unreadable_models_are_always_reported(tmp_path: Path) -> None:
    settings = (
        "settings:\n  rules: {schema: 'off'}\n  waivers:\n"
        "    - {rule: schema, reason: Cannot be waived}\n"
        "teams:\n  t: {lead: 3}\n"
    )
    config = LintConfig.from_options(select=["vacant-role"], ignore=["model"])
    report = _report(tmp_path, settings, config)
    assert [(f.rule, f.severity, f.waived) for f in report.findings] == [
        ("schema", Severity.ERROR, False)
    ]
    assert report.failed
    unused = _report(tmp_path, settings).by_rule("unused-waiver")
    assert "cannot be waived" in unused[0].message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"select": ["no-such-rule"]}, "no rule named 'no-such-rule'"),
        ({"ignore": ["CRM999"]}, "no rule named 'CRM999'"),
        ({"severities": ["vacant-role"]}, "RULE=LEVEL"),
        ({"severities": ["vacant-role=loud"]}, "unknown severity 'loud'"),
        ({"severities": ["schema=warning"]}, "cannot be given another severity"),
        ({"ignore": ["yaml-syntax"]}, "cannot be ignored"),
        ({"fail_on": "never"}, "--fail-on"),
    ],
)
def test_bad_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LintConfig.from_options(**options)


def test_command_line_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, report = _cli(tmp_path, capsys)
    assert status == 1
    status, report = _cli(tmp_path, capsys, "--ignore", "raci-no-accountable")
    assert (status, report["summary"]["warning"]) == (0, 1)
    status, _ = _cli(tmp_path, capsys, "--ignore", "CRM201", "--fail-on", "warning")
    assert status == 1
    status, report = _cli(
        tmp_path, capsys, "--select", "gap,model", "--severity", "raci-no-accountable=warning"
    )
    assert (status, report["summary"]["error"]) == (0, 0)
    status, report = _cli(tmp_path, capsys, "--select", "CRM209", "--select", "CRM201")
    assert {f["rule"] for f in report["findings"]} == {
        "department-without-head",
        "raci-no-accountable",
    }


@pytest.mark.parametrize(
    "options",
    [["--select", "nope"], ["--severity", "vacant-role"], ["--fail-on", "sometimes"]],
)
def test_command_line_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        status = main(["validate", str(_model(tmp_path)), *options])
        raise SystemExit(status)
    assert exited.value.code == 2
    assert "error" in capsys.readouterr().err


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such file" in capsys.readouterr().err
