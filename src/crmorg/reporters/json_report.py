"""The contract's JSON report (format-v1 section 5)."""

from __future__ import annotations

import json

from crmorg.lint.engine import Report


def render(report: Report, colour: bool = False) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
