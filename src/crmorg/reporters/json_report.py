"""The contract's JSON report (format-v1 section 5)."""

from __future__ import annotations

from crmorg.lint.engine import Report
from crmorg.text import json_text


def render(report: Report, colour: bool = False) -> str:
    return json_text(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
