"""Human-readable report: ``file:line:col: severity rule-name: message``, grouped by file."""

from __future__ import annotations

from crmorg.findings import Finding, Severity
from crmorg.lint.engine import Report

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"
_BOLD = "\033[1m"


def render(report: Report, colour: bool = False) -> str:
    lines: list[str] = []
    current_file: str | None = None
    for finding in report.findings:
        if finding.file != current_file:
            if current_file is not None:
                lines.append("")
            current_file = finding.file
            lines.append(f"{_BOLD}{finding.file}{_RESET}" if colour else finding.file)
        lines.append(_line(finding, colour))
    if lines:
        lines.append("")
    lines.append(_summary(report, colour))
    return "\n".join(lines) + "\n"


def _line(finding: Finding, colour: bool) -> str:
    level = "waived" if finding.waived else finding.severity.value
    if colour:
        tint = _DIM if finding.waived else _COLOURS[finding.severity]
        level = f"{tint}{level}{_RESET}"
    text = f"{finding.location}: {level} {finding.rule}: {finding.message}"
    if finding.waived and finding.waiver_reason:
        text += f" [waived: {finding.waiver_reason}]"
    return text


def _summary(report: Report, colour: bool) -> str:
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
        verdict = (
            f"{_COLOURS[Severity.ERROR] if report.failed else chr(27) + '[32m'}{verdict}{_RESET}"
        )
    return f"{verdict}: {text}"
