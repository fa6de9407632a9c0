"""The scorecard as an aligned plain-text table, one block per period.

Percent KPIs read as percentages (``85.0%``), changes of percent KPIs in percentage
points; hours and days carry their unit. With ``colour`` the status words are coloured
with ANSI codes (only the CLI turns that on, for a terminal).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from typing import Final

from crmorg.kpi.evaluate import STATUSES, Change, RollupRow, Row, Scorecard, Series, Status
from crmorg.kpi.models import Unit
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
    series = scorecard.aligned()
    if series:
        yield from _aligned_chunks(scorecard, series, context)
        return
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


_PIECE: Final = 4_096
"""Periods written per piece by :func:`_aligned_chunks`."""


def _aligned_chunks(
    scorecard: Scorecard, series: Sequence[Series], context: ScorecardContext
) -> Iterator[str]:
    """:func:`render_chunks` of a scorecard read as columns: each KPI's cells that vary
    (value, status, change, note) written once per distinct value over its columns, the
    widths their longest, and each line padded and joined by C calls over a piece of
    periods at a time."""
    colour = context.colour
    texts = [_Texts.of(one, context) for one in series]
    widths = [len(_HEADER[column]) for column in range(len(_HEADER) - 1)]
    for one in texts:
        for column, width in enumerate(one.widths()):
            widths[column] = max(widths[column], width)
    yield _title(scorecard, context) + "\n\n"
    between = "\n" + _line(_HEADER, widths, colour, header=True) + "\n"
    periods = scorecard.periods
    shown = periods if _printable(periods) else [_plain(period) for period in periods]
    rollups_of = scorecard.rollups_by_status()
    rollup_texts: dict[tuple[Status, ...], str] = {}

    def rollup_text(statuses: tuple[Status, ...]) -> str:
        found = rollup_texts.get(statuses)
        if found is None:
            lines = _rollup_lines(rollups_of(statuses), context)
            found = rollup_texts[statuses] = "\n" + "".join(line + "\n" for line in lines) + "\n"
        return found

    head, tail = (_BOLD + "Period ", _RESET) if colour else ("Period ", "")
    for start in range(0, len(periods), _PIECE):
        stop = min(len(periods), start + _PIECE)
        columns: list[Iterable[str]] = [
            map(head.__add__, shown[start:stop]),
            repeat(tail + between),
        ]
        for one in texts:
            columns += (one.lines(start, stop, widths, colour), repeat("\n"))
        combos = zip(*(one.statuses[start:stop] for one in series), strict=True)
        columns.append(map(rollup_text, combos))
        # The repeated text goes on without end: the periods' columns end the rows.
        yield "".join(chain.from_iterable(zip(*columns, strict=False)))
    yield _summary(scorecard) + "\n"


def _printable(periods: Sequence[str]) -> bool:
    """Whether every period shows as it is (:func:`_plain` leaves it alone)."""
    return (not periods or max(map(len, periods)) <= 200) and "".join(periods).isprintable()


@dataclass(frozen=True)
class _Texts:
    """One KPI's cells: the fixed ones, and a column of each that varies."""

    fixed: tuple[str, str, str, str]
    """KPI, department, owner and target."""
    values: list[str]
    statuses: Sequence[Status]
    changes: list[str]
    notes: list[str]

    @classmethod
    def of(cls, one: Series, context: ScorecardContext) -> _Texts:
        info = one.info
        unit = info.unit
        fixed = (
            info.kpi,
            _plain(context.department(info.department)),
            _plain(context.role(info.owner)),
            format_target(info.target, info.direction, unit),
        )
        notes = {message: message or "" for message in set(one.messages)}
        return cls(
            fixed,
            _values(one.values, unit),
            one.statuses,
            _changes(one.changes, unit),
            list(map(notes.__getitem__, one.messages)),
        )

    def widths(self) -> tuple[int, ...]:
        """The longest cell of each column but the note."""
        kpi, department, owner, target = self.fixed
        return (
            len(kpi),
            len(department),
            len(owner),
            max(map(len, self.values), default=0),
            len(target),
            max(map(len, set(self.statuses)), default=0),
            max(map(len, self.changes), default=0),
        )

    def lines(self, start: int, stop: int, widths: Sequence[int], colour: bool) -> Iterator[str]:
        """The lines of periods ``start`` to ``stop``, as :func:`_line` writes them."""
        kpi, department, owner, target = self.fixed
        statuses = self.statuses[start:stop]
        width = widths[_STATUS_COLUMN]
        padded = {
            status: _COLOURS.get(status, "") + status.ljust(width) + _RESET
            if colour
            else status.ljust(width)
            for status in set(statuses)
        }
        cells = zip(
            repeat(kpi.ljust(widths[0])),
            repeat(department.ljust(widths[1])),
            repeat(owner.ljust(widths[2])),
            map(str.rjust, self.values[start:stop], repeat(widths[3])),
            repeat(target.rjust(widths[4])),
            map(padded.__getitem__, statuses),
            map(str.rjust, self.changes[start:stop], repeat(widths[6])),
            self.notes[start:stop],
            strict=False,
        )
        return map(str.rstrip, map(_GAP.join, cells))


def _values(values: Sequence[float | None], unit: Unit | None) -> list[str]:
    """:func:`format_value` of each value, once per distinct value (a zero by its sign)."""
    shown = {value: format_value(value, unit) for value in set(values)}
    if 0.0 not in shown:
        return list(map(shown.__getitem__, values))
    return [shown[value] if value != 0 else format_value(value, unit) for value in values]


def _changes(changes: Sequence[Change | None], unit: Unit | None) -> list[str]:
    """:func:`format_change` of each change, once per distinct (absolute, relative)."""
    shown: dict[tuple[float, float | None] | None, str] = {None: ""}
    texts: list[str] = []
    add = texts.append
    for change in changes:
        key = None if change is None else (change[2], change[3])
        text = shown.get(key)
        if text is None:
            text = shown[key] = format_change(change, unit)
        add(text)
    return texts
