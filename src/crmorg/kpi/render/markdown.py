"""The scorecard as Markdown (GitHub tables), e.g. for the Markdown handbook.

Every value from a model or data file goes through ``escape``; the default escapes
what Markdown and table cells give meaning to. The handbook passes its own escaper so
that the page escapes one way throughout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from crmorg.kpi.evaluate import STATUSES, Scorecard
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.values import format_change, format_target, format_value

__all__ = ["markdown_escape", "render", "render_markdown"]

_SPECIAL: Final = re.compile(r"([\\`*_\[\]|~$<>&])")
_LINE_START: Final = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")
_ENTITIES: Final = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown that fits in one table cell (or starts a line)."""
    escaped = _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(1), "\\" + m.group(1)), text)
    escaped = re.sub(r"\s*[\r\n]+\s*", " ", escaped)
    return _LINE_START.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    """What would start a heading or a list if the text began a line."""
    space, token = match.groups()
    if token[0].isdigit():
        return f"{space}{token}\\"  # `1.` -> `1\.`
    return f"{space}\\{token}"


def render_markdown(
    scorecard: Scorecard,
    context: ScorecardContext,
    escape: Callable[[str], str] = markdown_escape,
    heading_level: int = 2,
) -> str:
    """The scorecard's body: a section per period (latest first), without a page title."""
    hashes = "#" * heading_level
    lines: list[str] = []
    counts = scorecard.statuses()
    lines.append(
        ", ".join(f"{counts[status]} {escape(context.label(status))}" for status in STATUSES)
    )
    lines.append("")
    if not scorecard.periods:
        lines.append(escape(context.label("no_periods")))
    for period in reversed(scorecard.periods):
        lines.append(f"{hashes} {escape(period)}")
        lines.append("")
        header = ("kpi", "department", "value", "target", "status", "change", "note")
        lines.extend(_table([escape(context.label(key)) for key in header], "llrrlrl"))
        for result in scorecard.in_period(period):
            cells = [
                f"{escape(result.name)} (`{result.kpi}`)",
                escape(context.department(result.department)),
                escape(format_value(result.value, result.unit)),
                escape(format_target(result.target, result.direction, result.unit)),
                escape(context.label(result.status)),
                escape(format_change(result.change, result.unit)),
                escape(result.message or ""),
            ]
            lines.append(_row(cells))
        lines.append("")
        rollups = [rollup for rollup in scorecard.rollups if rollup.period == period]
        if rollups:
            heading = [context.label("department"), context.label("met_total")]
            heading += [context.label(status).capitalize() for status in STATUSES[1:]]
            lines.extend(_table([escape(cell) for cell in heading], "lrrrr"))
            for rollup in rollups:
                lines.append(
                    _row(
                        [
                            escape(context.department(rollup.department)),
                            f"{rollup.met}/{rollup.total}",
                            *(str(rollup.counts.get(status, 0)) for status in STATUSES[1:]),
                        ]
                    )
                )
            lines.append("")
    return "\n".join(lines)


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    """A complete Markdown document."""
    title = f"KPI scorecard: {context.title}" if context.title else "KPI scorecard"
    return f"# {markdown_escape(title)}\n\n" + render_markdown(scorecard, context)


def _table(header: Sequence[str], aligns: str) -> list[str]:
    rule = ["---:" if align == "r" else "---" for align in aligns]
    return [_row(header), _row(rule)]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
