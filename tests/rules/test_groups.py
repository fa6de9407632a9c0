"""Rule groups (format-v1 section 14): every rule in one group, and a group's name
usable wherever a rule's is: --select, --ignore, --severity, settings.rules,
`crmorg rules`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import GROUPS
from crmorg.lint.catalog import CATALOG, IDENTITIES
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import Report, run
from crmorg.lint.registry import BUILTIN_RULES, builtin_rules
from crmorg.loading.identities import LOADER_IDENTITIES

from .test_config import MODEL as CONFIG_MODEL

SEEDED = Path(__file__).parent / "seeded"
EXPECTED = yaml.safe_load((SEEDED / "expected.yaml").read_text(encoding="utf-8"))

# The configuration tests' model, with one KPI finding more: raci-no-accountable,
# department-without-head and kpi-not-measurable, one of each of three groups.
MODEL = CONFIG_MODEL.replace(", frequency: daily", "")


def _group(rule: str) -> str:
    return IDENTITIES[rule].group


def _rules(report: Report) -> dict[str, str]:
    return {f.rule: f.severity.value for f in report.findings}


def _report(tmp_path: Path, settings: str = "", config: LintConfig | None = None) -> Report:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL + settings, encoding="utf-8")
    return run(load_partial(path), config)


def _validate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, list[dict[str, Any]]]:
    monkeypatch.chdir(SEEDED / "broken")
    status = main(["validate", ".", "--format", "json", *options])
    return status, json.loads(capsys.readouterr().out)["findings"]


def test_every_group_has_rules_and_the_mapping_is_as_documented() -> None:
    groups = {rule.info.group for rule in BUILTIN_RULES}
    assert groups == set(GROUPS)
    assert {_group(name) for name in ("sod-role-conflict", "sod-person-conflict")} == {"access"}
    assert _group("privilege-escalation") == _group("excess-privilege") == "access"
    assert _group("raci-no-accountable") == _group("responsible-lacks-permission") == "raci"
    assert _group("span-of-control") == _group("single-point-of-failure") == "organisation"
    assert _group("kpi-owner-lacks-access") == "kpi"
    assert _group("internal-error") == _group("unused-waiver") == "model"
    # The model family and the model group are the same rules, so `model` means one thing.
    assert {n for n, i in IDENTITIES.items() if i.group == "model"} == {
        n for n, i in IDENTITIES.items() if i.family == "model"
    }


def test_identities_are_declared_once() -> None:
    for name, identity in LOADER_IDENTITIES.items():
        assert CATALOG[name] is identity, f"{name}: lint must take the loader's identity"
    codes = [identity.code for identity in IDENTITIES.values()]
    assert len(codes) == len(set(codes))
    assert list(builtin_rules()) == sorted(builtin_rules(), key=lambda n: CATALOG[n].code)


def test_select_groups_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, findings = _validate(monkeypatch, capsys, "--select", "model,access")
    assert status == 1
    # The seeded unused waiver waives a rule outside these groups: it is not run, so
    # its waiver is not reported as unused.
    expected = [
        e
        for e in EXPECTED
        if _group(e["rule"]) in {"model", "access"} and e["rule"] != "unused-waiver"
    ]
    assert sorted((f["rule"], f["line"]) for f in findings) == sorted(
        (e["rule"], e["line"]) for e in expected
    )
    assert {_group(f["rule"]) for f in findings} == {"model", "access"}


def test_ignore_and_severity_by_group_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, findings = _validate(monkeypatch, capsys, "--ignore", "raci,kpi")
    assert findings
    assert not {f["rule"] for f in findings if _group(f["rule"]) in {"raci", "kpi"}}
    assert {f["rule"] for f in findings} == {
        e["rule"] for e in EXPECTED if _group(e["rule"]) not in {"raci", "kpi"}
    }
    _, findings = _validate(
        monkeypatch, capsys, "--severity", "kpi=error", "--severity", "kpi-not-measurable=info"
    )
    levels = {f["rule"]: f["severity"] for f in findings if _group(f["rule"]) == "kpi"}
    assert levels == {
        "department-without-kpi": "error",
        "kpi-not-measurable": "info",
        "kpi-owner-lacks-access": "error",
        "kpi-unknown-metric": "error",
    }


def test_groups_in_settings_rules(tmp_path: Path) -> None:
    assert _rules(_report(tmp_path)) == {
        "department-without-head": "warning",
        "raci-no-accountable": "error",
        "kpi-not-measurable": "warning",
    }
    settings = "settings:\n  rules: {kpi: 'off', raci: info, raci-no-accountable: warning}\n"
    assert _rules(_report(tmp_path, settings)) == {
        "department-without-head": "warning",
        "raci-no-accountable": "warning",
    }
    # Selecting a rule by name runs it where its group is switched off; its group does not.
    by_name = LintConfig.from_options(select=["kpi-not-measurable"])
    assert _rules(_report(tmp_path, settings, by_name)) == {"kpi-not-measurable": "warning"}
    by_group = LintConfig.from_options(select=["kpi"])
    assert _rules(_report(tmp_path, settings, by_group)) == {}
    # The command line wins over the model, for groups too.
    louder = LintConfig.from_options(severities=["kpi=error"])
    assert _rules(_report(tmp_path, settings, louder))["kpi-not-measurable"] == "error"


def test_a_group_in_settings_is_no_unknown_reference(tmp_path: Path) -> None:
    settings = "settings:\n  rules: {organisation: 'off', acess: 'off'}\n"
    unknown = _report(tmp_path, settings).by_rule("unknown-reference")
    assert [f.subjects for f in unknown] == [("acess",)]
    assert "did you mean `access`?" in unknown[0].message


def test_rules_command_shows_groups(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "access"]) == 0
    listing = capsys.readouterr().out
    access = [name for name, info in CATALOG.items() if info.group == "access"]
    for name in CATALOG:
        assert (f"\n{name} " in listing) == (name in access), name
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["name"]: r["group"] for r in data["rules"]} == {
        name: info.group for name, info in CATALOG.items()
    }
    assert [r["name"] for r in data["engine_rules"]] == ["internal-error", "rules-not-run"]
    assert main(["rules", "sod-role-conflict"]) == 0
    assert "; group access)" in capsys.readouterr().out.splitlines()[0]
    assert main(["rules", "internal-error"]) == 0
    assert capsys.readouterr().out.startswith("internal-error (CRM302, model, default error")


def test_loading_imports_no_lint() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, crmorg.api\n"
        "crmorg.api.load_partial(sys.argv[1])\n"
        "print(sorted(m for m in sys.modules if m.startswith('crmorg.lint')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(SEEDED / "broken")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


V11_RULES = {
    "abstract-role-held",
    "invalid-field-grant",
    "invalid-sharing-rule",
    "invalid-baseline",
    "ineffective-sharing-rule",
    "unreadable-restricted-field",
}
"""The rules of format v1.1's constructs (sections 10-13), all of them access rules."""


def test_the_v11_rules_follow_their_group_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert {_group(name) for name in V11_RULES} == {"access"}
    _, findings = _validate(monkeypatch, capsys, "--select", "model,access")
    assert {f["rule"] for f in findings} >= V11_RULES
    _, findings = _validate(monkeypatch, capsys, "--ignore", "access")
    assert findings and not V11_RULES & {f["rule"] for f in findings}


def test_the_v11_rules_follow_settings_rules(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(SEEDED / "broken", model)
    with (model / "v11.yaml").open("a", encoding="utf-8") as extra:
        extra.write('\nsettings:\n  rules: {kpi: "off", ineffective-sharing-rule: error}\n')
    levels = {f.rule: f.severity.value for f in run(load_partial(model)).findings}
    assert not {rule for rule in levels if _group(rule) == "kpi"}
    assert set(levels) >= V11_RULES
    assert levels["ineffective-sharing-rule"] == "error"
    assert levels["unreadable-restricted-field"] == "warning"
