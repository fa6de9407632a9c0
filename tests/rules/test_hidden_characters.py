"""hidden-characters: an identifier with a hidden character is an error, a name a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import Severity
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import run

MODEL = """\
organization: {name: T}
roles:
  sales_rep: {name: "Sales\\u202eRep"}
people:
  ann: {email: "ann\\u2066@example.com"}
"""


def _severities(tmp_path: Path, config: LintConfig) -> dict[int, tuple[Severity, str]]:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL, encoding="utf-8")
    report = run(load_partial(path), config)
    return {
        f.line: (f.severity, f.message) for f in report.findings if f.rule == "hidden-characters"
    }


def test_identifiers_are_errors_and_names_warnings(tmp_path: Path) -> None:
    found = _severities(tmp_path, LintConfig(select=frozenset({"hidden-characters"})))
    assert found[3][0] is Severity.WARNING
    assert "U+202E at position 6" in found[3][1]
    assert found[5][0] is Severity.ERROR
    assert "`email` holds the hidden character U+2066" in found[5][1]


def test_a_lower_configured_level_lowers_both(tmp_path: Path) -> None:
    config = LintConfig(
        select=frozenset({"hidden-characters"}), severities={"hidden-characters": "info"}
    )
    found = _severities(tmp_path, config)
    assert {severity for severity, _ in found.values()} == {Severity.INFO}


def test_validate_fails_on_a_hidden_character_in_an_email(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.yaml").write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "model.yaml"]) == 1
    out = capsys.readouterr().out
    assert "model.yaml:5:16: error hidden-characters:" in out
    assert "model.yaml:3:21: warning hidden-characters:" in out
