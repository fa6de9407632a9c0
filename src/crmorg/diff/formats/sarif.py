"""SARIF 2.1.0 of the findings a change introduces, by the project's SARIF reporter."""

from __future__ import annotations

from crmorg.diff.gate import Gate
from crmorg.diff.results import ModelDiff
from crmorg.lint.engine import Report, report_order
from crmorg.reporters import sarif


def render(diff: ModelDiff, gate: Gate) -> str:
    introduced = diff.findings.introduced if diff.findings is not None else ()
    return sarif.render(Report(tuple(sorted(introduced, key=report_order))))
