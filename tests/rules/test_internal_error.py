"""A rule that crashes is reported as internal-error, and every other rule still runs.

No model makes a correct rule crash, so these tests register deliberately broken
rules: through the engine's ``rules`` argument, and as an entry-point plugin.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import Severity
from crmorg.lint import registry
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import Report, run
from crmorg.lint.rule import FirstPass, Problem, Rule, post_pass_rule, rule
from crmorg.model import Model

from .test_config import MODEL


@rule("broken-plugin", "CRM298", "access", Severity.INFO)
def broken_plugin(model: Model) -> Iterator[Problem]:
    """A plugin rule with a bug: it looks up a role that is not there.

    Fails:
    ```yaml
    roles: {}
    ```
    Fix: none; it always crashes.
    """
    yield Problem("never reached", ("roles",), (model.roles["nobody"].name or "",))


@post_pass_rule("broken-review", "CRM398", "model", Severity.INFO)
def broken_review(model: Model, first_pass: FirstPass) -> Iterator[Problem]:
    """A post-pass rule with a bug.

    Fails:
    ```yaml
    roles: {}
    ```
    Fix: none; it always crashes.
    """
    raise ZeroDivisionError(len(first_pass.findings))


def _path(tmp_path: Path, settings: str = "") -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL + settings, encoding="utf-8")
    return path


def _run(tmp_path: Path, settings: str = "", config: LintConfig | None = None) -> Report:
    rules: dict[str, Rule] = {**registry.all_rules(), broken_plugin.name: broken_plugin}
    return run(load_partial(_path(tmp_path, settings)), config, rules)


def test_a_crash_is_an_internal_error_and_the_other_rules_run(tmp_path: Path) -> None:
    report = _run(tmp_path)
    (crash,) = report.by_rule("internal-error")
    assert (crash.code, crash.severity, crash.subjects) == (
        "CRM302",
        Severity.ERROR,
        ("broken-plugin",),
    )
    assert crash.message.startswith("internal error in rule broken-plugin: KeyError: 'nobody'")
    assert "please report this" in crash.message
    assert (crash.file, crash.line, crash.column) == (str(_path(tmp_path)), 1, 1)
    assert report.by_rule("department-without-head"), "the other rules still ran"
    assert not report.by_rule("schema"), "a crash is not a schema problem"
    assert report.failed


def test_an_internal_error_can_be_waived_ignored_and_given_a_severity(tmp_path: Path) -> None:
    # Waiver subjects are model ids, which a rule's name is not: the waiver covers crashes.
    waiver = "settings:\n  waivers:\n    - {rule: internal-error, reason: Fixed in 2.1}\n"
    (crash,) = _run(tmp_path, waiver).by_rule("internal-error")
    assert crash.waived and crash.waiver_reason == "Fixed in 2.1"
    assert not _run(tmp_path, waiver).by_rule("unused-waiver")
    ignored = LintConfig.from_options(ignore=["internal-error"])
    assert not _run(tmp_path, config=ignored).by_rule("internal-error")
    quieter = LintConfig.from_options(severities=["CRM302=warning"])
    assert _run(tmp_path, config=quieter).by_rule("internal-error")[0].severity is Severity.WARNING
    settings = "settings:\n  rules: {internal-error: info}\n"
    report = _run(tmp_path, settings)
    assert report.by_rule("internal-error")[0].severity is Severity.INFO
    assert not report.by_rule("unknown-reference")


def test_an_internal_error_is_reported_whatever_is_selected(tmp_path: Path) -> None:
    only_the_plugin = LintConfig(select=frozenset({"broken-plugin"}))
    assert [f.rule for f in _run(tmp_path, config=only_the_plugin).findings] == ["internal-error"]
    not_the_plugin = LintConfig.from_options(select=["organisation"])
    assert not _run(tmp_path, config=not_the_plugin).by_rule("internal-error")


def test_a_crashing_post_pass_rule(tmp_path: Path) -> None:
    rules: dict[str, Rule] = {**registry.all_rules(), broken_review.name: broken_review}
    report = run(load_partial(_path(tmp_path)), None, rules)
    (crash,) = report.by_rule("internal-error")
    assert crash.subjects == ("broken-review",)
    assert "ZeroDivisionError" in crash.message


class _EntryPoint:
    def __init__(self, target: object) -> None:
        self.target = target

    def load(self) -> object:
        return self.target


def test_a_crashing_plugin_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def entry_points(group: str) -> list[_EntryPoint]:
        assert group == registry.ENTRY_POINT_GROUP
        return [_EntryPoint(broken_plugin)]

    monkeypatch.setattr(registry, "entry_points", entry_points)
    assert main(["validate", str(_path(tmp_path)), "--format", "json"]) == 1
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    crashes = [f for f in data["findings"] if f["rule"] == "internal-error"]
    assert [(f["code"], f["severity"], f["subjects"]) for f in crashes] == [
        ("CRM302", "error", ["broken-plugin"])
    ]
    assert main(["validate", str(_path(tmp_path)), "--format", "sarif"]) == 1
    driver = json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]
    described = {descriptor["id"]: descriptor for descriptor in driver["rules"]}
    assert described["internal-error"]["help"]["text"].startswith("A rule crashed")
    assert "broken-plugin" in described
