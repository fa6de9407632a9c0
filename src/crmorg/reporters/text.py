"""Human-readable report: ``file:line:col: severity rule-name: message``, grouped by file.

Each file's findings follow its name; a summary line ends the report. Colour (only
when the caller asks for it) marks severities, dims waived findings and bolds names.
What comes from the user (file names, messages quoting the model, waiver reasons) has
its hidden characters shown as escapes, so that no ESC in it drives the terminal.
"""

from __future__ import annotations

from crmorg.findings import Finding, Severity
from crmorg.lint.engine import Report
from crmorg.text import reveal

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_LEVELS = {severity: severity.value for severity in Severity}
_GREEN = "\033[32m"
_RESET = "\033[0m"
_DIM = "\033[2m"
_BOLD = "\033[1m"


def render(report: Report, colour: bool = False) -> str:
    lines: list[str] = []
    current_file: str | None = None
    file = ""
    for finding in report.findings:
        if finding.location.file != current_file:
            if current_file is not None:
                lines.append("")
            current_file = finding.location.file
            file = reveal(current_file)  # once per file, not per finding
            lines.append(f"{_BOLD}{file}{_RESET}" if colour else file)
        lines.append(_line(finding, file, colour))
    if lines:
        lines.append("")
    lines.append(summary_line(report, colour))
    return "\n".join(lines) + "\n"


def _line(finding: Finding, file: str, colour: bool) -> str:
    """``file:line:col: level rule: message``, ``file`` already shown as it is printed."""
    level = "waived" if finding.waived else _LEVELS[finding.severity]
    if colour:
        tint = _DIM if finding.waived else _COLOURS[finding.severity]
        level = f"{tint}{level}{_RESET}"
    location = finding.location
    text = (
        f"{file}:{location.line}:{location.column}: {level} {finding.rule}: "
        f"{reveal(finding.message)}"
    )
    if finding.waived and finding.waiver_reason:
        text += f" [waived: {reveal(finding.waiver_reason)}]"
    return text


def summary_line(report: Report, colour: bool = False) -> str:
    """``FAILED: 1 error, 2 warnings, 0 info (1 waived)``: the verdict and the counts."""
    counts = report.summary
    parts = [
        f"{counts[key]} {key}{'s' if counts[key] != 1 and key != 'info' else ''}"
        for key in ("error", "warning", "info")
    ]
    text = ", ".join(parts)
    if counts["waived"]:
        text += f" ({counts['waived']} waived)"
    verdict = "FAILED" if report.failed else "OK"
    if colour:
        tint = _COLOURS[Severity.ERROR] if report.failed else _GREEN
        verdict = f"{tint}{verdict}{_RESET}"
    return f"{verdict}: {text}"
