"""GitHub Actions workflow commands: one annotation per finding, then a summary line.

``::error file=F,line=L,col=C,title=RULE::MESSAGE``; info findings and waived findings
are notices. Values are escaped as the workflow-command rules require.
"""

from __future__ import annotations

from crmorg.findings import Finding, Severity
from crmorg.lint.engine import Report
from crmorg.reporters.text import summary_line
from crmorg.text import reveal

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, colour: bool = False) -> str:
    lines = [annotation(finding) for finding in report.findings]
    lines.append(summary_line(report, colour=False))
    return "\n".join(lines) + "\n"


def annotation(finding: Finding) -> str:
    command = "notice" if finding.waived else _COMMANDS[finding.severity]
    message = finding.message
    if finding.waived:
        message = f"[waived: {finding.waiver_reason or ''}] {message}"
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", finding.file),
            ("line", finding.line),
            ("col", finding.column),
            ("title", finding.rule),
        )
    )
    return f"::{command} {properties}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, carriage return and newline; other hidden
    characters shown as escapes (the log is read in a terminal too)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return reveal(escaped)


def escape_property(text: str) -> str:
    """Escape a property value: as a message, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
