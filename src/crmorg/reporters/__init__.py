"""Output formats for validation reports: one module each, registered here."""

from __future__ import annotations

from collections.abc import Callable, Iterable

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


def pieces(fmt: str, report: Report, colour: bool) -> Iterable[str]:
    """``REPORTERS[fmt](report, colour)`` in pieces to write one after another: the JSON
    report in batches of findings (a large one need not be held whole), others whole."""
    if fmt == "json":
        return json_report.chunks(report)
    return (REPORTERS[fmt](report, colour),)
