"""One model seeded with one instance of every rule's problem, and the same model fixed.

The broken model reports each problem under its rule's contract name, with its
subjects, at the seeded line, and exits 1; the fixed model exits 0 with no error and no
warning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmorg.cli.main import main
from crmorg.lint.registry import builtin_rules
from crmorg.lint.rules.rules_not_run import NEEDS_THE_WHOLE_MODEL

SEEDED = Path(__file__).parent / "seeded"


def _validate(
    path: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    monkeypatch.chdir(SEEDED / path)
    status = main(["validate", ".", "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_broken_model_reports_every_rule(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report = _validate("broken", monkeypatch, capsys)
    assert status == 1
    got = [
        (f["rule"], f["subjects"], f["file"], f["line"], f["waived"]) for f in report["findings"]
    ]
    expected = [
        (e["rule"], e["subjects"], e["file"], e["line"], e.get("waived", False))
        for e in yaml.safe_load((SEEDED / "expected.yaml").read_text(encoding="utf-8"))
    ]
    assert sorted(got) == sorted(expected)
    reported = {f["rule"] for f in report["findings"] if not f["waived"]}
    # yaml-syntax makes a file unreadable and limit-exceeded a model too large to check
    # whole, which leaves rules out: they have models of their own (tests/rules/cases).
    left_out = {"yaml-syntax", "limit-exceeded"}
    assert reported == set(builtin_rules()) - left_out, "every rule must be seeded"


def test_an_unreadable_file_gives_its_error_and_one_note(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report = _validate("unreadable", monkeypatch, capsys)
    assert status == 1
    got = [(f["rule"], f["file"], f["line"], f["severity"]) for f in report["findings"]]
    assert got == [
        ("team-without-lead", "model.yaml", 10, "warning"),
        ("yaml-syntax", "roles.yaml", 3, "error"),
        ("rules-not-run", "roles.yaml", 1, "info"),
    ]
    note = report["findings"][-1]
    assert note["message"].startswith(f"{len(NEEDS_THE_WHOLE_MODEL)} checks that need")
    assert note["subjects"] == ["roles.yaml"]


def test_findings_carry_codes_and_severities(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = _validate("broken", monkeypatch, capsys)
    rules = builtin_rules()
    for finding in report["findings"]:
        info = rules[finding["rule"]].info
        assert finding["code"] == info.code
        assert finding["severity"] == info.severity.value
        assert finding["column"] >= 1
    counted = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for finding in report["findings"]:
        counted["waived" if finding["waived"] else finding["severity"]] += 1
    assert report["summary"] == counted


def test_fixed_model_is_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report = _validate("fixed", monkeypatch, capsys)
    assert status == 0
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0, "waived": 1}
