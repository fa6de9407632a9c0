"""unknown-reference over every kind of declared reference: exact messages and positions.

``unknown_reference/every_kind.json`` was written by the hand-written walk that the
declared references replaced; the generic walk must give the same findings, byte for
byte. Regenerate it only when a message is meant to change.
"""

from __future__ import annotations

import json
from pathlib import Path

from crmorg.api import load_partial
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import run

HERE = Path(__file__).parent / "unknown_reference"


def test_every_kind_of_reference_gives_its_exact_findings() -> None:
    model = load_partial(HERE / "every_kind.yaml")
    report = run(model, LintConfig(select=frozenset({"unknown-reference"})))
    found = [
        {
            "rule": f.rule,
            "line": f.line,
            "column": f.column,
            "subjects": list(f.subjects),
            "message": f.message,
        }
        for f in report.findings
        if f.rule == "unknown-reference"
    ]
    assert found == json.loads((HERE / "every_kind.json").read_text(encoding="utf-8"))


def test_no_finding_where_every_reference_resolves() -> None:
    model = load_partial(Path(__file__).parents[2] / "examples" / "reference")
    report = run(model, LintConfig(select=frozenset({"unknown-reference"})))
    assert [f for f in report.findings if f.rule == "unknown-reference"] == []
