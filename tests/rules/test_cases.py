"""Rule cases as data: each file in cases/ is named after a rule and holds models with
the exact findings they must give: (rule, subjects, file, line, waived).

A case runs only its rule (or the rules in its `select`), so a case model may leave
other problems in place; `yaml-syntax` and `schema` are always reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from crmorg.api import load_partial
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import run
from crmorg.lint.registry import builtin_rules

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}: {case['name']}"))
    return params


Key = tuple[str, tuple[str, ...], str, int, bool]


def _expected(case: dict[str, Any]) -> list[Key]:
    return sorted(
        (
            item["rule"],
            tuple(sorted(item["subjects"])),
            item.get("file", "model.yaml"),
            item["line"],
            item.get("waived", False),
        )
        for item in case["expect"]
    )


def findings_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: dict[str, Any], rule: str
) -> list[Key]:
    files = case.get("files") or {"model.yaml": case["model"]}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = run(load_partial("."), LintConfig(select=frozenset(case.get("select", [rule]))))
    return sorted(
        (f.rule, tuple(sorted(f.subjects)), f.file, f.line, f.waived) for f in report.findings
    )


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_case(
    rule: str, case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert findings_of(tmp_path, monkeypatch, case, rule) == _expected(case)


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    for name in builtin_rules():
        path = CASES / f"{name}.yaml"
        assert path.exists(), f"no test cases for rule {name}: add {path.name} to {CASES}"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        firing = [c for c in cases if any(e["rule"] == name for e in c["expect"])]
        quiet = [c for c in cases if not c["expect"]]
        assert firing, f"{path.name} has no case where {name} fires"
        assert quiet, f"{path.name} has no case where nothing fires"


def test_case_files_name_rules() -> None:
    unknown = {path.stem for path in CASES.glob("*.yaml")} - set(builtin_rules())
    assert not unknown, f"case files for no rule: {sorted(unknown)}"
