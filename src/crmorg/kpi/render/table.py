"""The scorecard as an aligned plain-text table, one block per period.

Percent KPIs read as percentages (``85.0%``), changes of percent KPIs in percentage
points; hours and days carry their unit. With ``colour`` the status words are coloured
with ANSI codes (only the CLI turns that on, for a terminal).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from crmorg.kpi.evaluate import STATUSES, Scorecard, Status
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.values import format_change, format_target, format_value
from crmorg.text import printable

__all__ = ["render"]

_HEADER: Final = ("KPI", "Department", "Owner", "Value", "Target", "Status", "Change", "Note")
_RIGHT: Final = frozenset({3, 4, 6})
_STATUS_COLUMN: Final = 5
_COLOURS: Final[dict[Status, str]] = {
    "met": "\033[32m",
    "missed": "\033[31m",
    "no-data": "\033[33m",
    "error": "\033[35m",
}
_RESET: Final = "\033[0m"
_BOLD: Final = "\033[1m"
_GAP: Final = "  "


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    rows_by_period = {
        period: [
            (
                result.kpi,
                _plain(context.department(result.department)),
                _plain(context.role(result.owner)),
                format_value(result.value, result.unit),
                format_target(result.target, result.direction, result.unit),
                result.status,
                format_change(result.change, result.unit),
                result.message or "",
            )
            for result in scorecard.in_period(period)
        ]
        for period in scorecard.periods
    }
    all_rows = [row for rows in rows_by_period.values() for row in rows]
    widths = [
        max([len(_HEADER[column]), *(len(row[column]) for row in all_rows)])
        for column in range(len(_HEADER) - 1)
    ]
    lines = [_title(scorecard, context), ""]
    for period, rows in rows_by_period.items():
        lines.append(_bold(f"Period {_plain(period)}", context.colour))
        lines.append(_line(_HEADER, widths, context.colour, header=True))
        lines.extend(_line(row, widths, context.colour) for row in rows)
        lines.append("")
        lines.extend(_rollup_lines(scorecard, period, context))
        lines.append("")
    lines.append(_summary(scorecard))
    return "\n".join(lines) + "\n"


def _title(scorecard: Scorecard, context: ScorecardContext) -> str:
    periods = scorecard.periods
    what = f"KPI scorecard: {_plain(context.title)}" if context.title else "KPI scorecard"
    if not periods:
        return f"{what} (no periods in the data)"
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    count = f"{len(periods)} period{'s' if len(periods) != 1 else ''}"
    return _bold(f"{what} ({count}: {span})", context.colour)


def _line(
    cells: Sequence[str], widths: Sequence[int], colour: bool, *, header: bool = False
) -> str:
    parts: list[str] = []
    for column, cell in enumerate(cells[:-1]):
        padded = cell.rjust(widths[column]) if column in _RIGHT else cell.ljust(widths[column])
        if column == _STATUS_COLUMN and colour and not header:
            padded = _COLOURS.get(cell, "") + padded + _RESET  # type: ignore[call-overload]
        parts.append(padded)
    parts.append(cells[-1])
    return _GAP.join(parts).rstrip()


def _rollup_lines(scorecard: Scorecard, period: str, context: ScorecardContext) -> tuple[str, ...]:
    rollups = scorecard.rollups_in(period)
    if not rollups:
        return ()
    return _rollup_table(
        tuple(
            (_plain(context.department(rollup.department)), rollup.met, rollup.total, *counts)
            for rollup in rollups
            for counts in [tuple(rollup.counts.get(s, 0) for s in STATUSES if s != "met")]
        )
    )


@lru_cache(maxsize=1024)
def _rollup_table(rollups: tuple[tuple[str | int, ...], ...]) -> tuple[str, ...]:
    """The roll-up lines of one period: the same few tables repeat over the periods."""
    names = [str(rollup[0]) for rollup in rollups]
    heading = ("By department", "Met", "Missed", "No data", "Error")
    rows = [
        (name, f"{rollup[1]}/{rollup[2]}", *(str(count) for count in rollup[3:]))
        for name, rollup in zip(names, rollups, strict=True)
    ]
    widths = [max(len(row[i]) for row in (heading, *rows)) for i in range(len(heading))]
    lines = []
    for row in (heading, *rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:])
        ]
        lines.append("  " + _GAP.join(cells).rstrip())
    return tuple(lines)


def _summary(scorecard: Scorecard) -> str:
    counts = scorecard.statuses()
    return "Results: " + ", ".join(f"{counts[status]} {status}" for status in STATUSES)


def _plain(text: str) -> str:
    """Model text fit for a terminal: control characters (escape sequences) escaped."""
    return printable(text, limit=200)


def _bold(text: str, colour: bool) -> str:
    return f"{_BOLD}{text}{_RESET}" if colour else text
