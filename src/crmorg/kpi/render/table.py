"""The scorecard as an aligned plain-text table, one block per period.

Percent KPIs read as percentages (``85.0%``), changes of percent KPIs in percentage
points; hours and days carry their unit. With ``colour`` the status words are coloured
with ANSI codes (only the CLI turns that on, for a terminal).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Final

from crmorg.kpi.evaluate import STATUSES, RollupRow, Row, Scorecard, Status
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.values import format_change, format_target, format_value
from crmorg.text import printable

__all__ = ["render", "render_chunks"]

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
    return "".join(render_chunks(scorecard, context))


def render_chunks(scorecard: Scorecard, context: ScorecardContext) -> Iterator[str]:
    """The table in pieces. Column widths are those of the widest cell over every
    period, so the rows are formatted in a first pass that keeps only the widths, then
    again as they are written: memory stays flat in periods."""
    widths = [len(_HEADER[column]) for column in range(len(_HEADER) - 1)]
    for row in scorecard.rows():
        for column, cell in enumerate(_cells(row, context)[:-1]):
            if len(cell) > widths[column]:
                widths[column] = len(cell)
    yield _title(scorecard, context) + "\n\n"
    colour = context.colour
    header = _line(_HEADER, widths, colour, header=True)
    batch: list[str] = []
    for period, rows, rollups in scorecard.groups():
        batch.append(_bold(f"Period {_plain(period)}", colour))
        batch.append(header)
        batch.extend(_line(_cells(row, context), widths, colour) for row in rows)
        batch.append("")
        batch.extend(_rollup_lines(rollups, context))
        batch.append("")
        if len(batch) > 4096:
            yield "\n".join(batch) + "\n"
            batch.clear()
    batch.append(_summary(scorecard))
    yield "\n".join(batch) + "\n"


def _cells(row: Row, context: ScorecardContext) -> tuple[str, ...]:
    info, _, value, status, message, change, _ = row
    return (
        info.kpi,
        _plain(context.department(info.department)),
        _plain(context.role(info.owner)),
        format_value(value, info.unit),
        format_target(info.target, info.direction, info.unit),
        status,
        format_change(change, info.unit),
        message or "",
    )


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


def _rollup_lines(rollups: tuple[RollupRow, ...], context: ScorecardContext) -> tuple[str, ...]:
    if not rollups:
        return ()
    return _rollup_table(
        tuple(
            (
                _plain(context.department(department)),
                counts.get("met", 0),
                sum(counts.values()),
                *(counts.get(s, 0) for s in STATUSES if s != "met"),
            )
            for department, counts in rollups
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
