"""Output formats for validation reports: one module each, registered here."""

from __future__ import annotations

from collections.abc import Callable

from crmorg.lint.engine import Report
from crmorg.reporters import github, json_report, sarif, text

Reporter = Callable[[Report, bool], str]
"""(report, colour) -> the text to print."""

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
}
