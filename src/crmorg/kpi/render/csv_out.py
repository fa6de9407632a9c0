"""The scorecard as CSV: one row per KPI and period, safe to open in a spreadsheet.

Numbers are written as plain decimals (fractions for percent KPIs, as in the model).
Every text cell goes through :func:`~crmorg.cells.spreadsheet_cell`, so names and
periods from the model or data never run as formulas, and the file is written in the
product's one CSV dialect (:func:`~crmorg.cells.csv_writer`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from typing import Final

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.kpi.evaluate import Change, KpiInfo, Scorecard, Series
from crmorg.kpi.render.context import ScorecardContext

__all__ = ["COLUMNS", "render", "render_chunks"]

COLUMNS: Final = (
    "kpi",
    "name",
    "department",
    "owner",
    "contributors",
    "period",
    "value",
    "target",
    "direction",
    "unit",
    "status",
    "message",
    "previous_period",
    "change",
    "relative_change",
)


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    return "".join(render_chunks(scorecard, context))


def render_chunks(scorecard: Scorecard, context: ScorecardContext) -> Iterator[str]:
    """The CSV text in pieces of a few thousand rows."""
    series = scorecard.aligned()
    if series and _PLAIN_LINES.fullmatch("\n".join(scorecard.periods)):
        yield from _aligned_chunks(series, len(scorecard.periods))
        return
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(COLUMNS)
    cells: dict[str, str] = {}
    """Neutralised text by text: a KPI's id, name, department and status repeat in every
    period, and a scorecard may have a million of them."""

    def text(value: str | None) -> str:
        if value is None:
            return ""
        shown = cells.get(value)
        if shown is None:
            shown = cells[value] = spreadsheet_cell(value)
        return shown

    for written, (info, period, value, status, message, change, _) in enumerate(
        scorecard.rows(), start=1
    ):
        writer.writerow(
            (
                text(info.kpi),
                text(info.name),
                text(info.department),
                text(info.owner),
                text(" ".join(info.contributors)),
                spreadsheet_cell(period),  # one per period: not worth keeping
                _number(value),
                _number(info.target),
                text(info.direction),
                text(info.unit),
                text(status),
                text(message),
                text(change.previous_period) if change else "",
                _number(change.absolute) if change else "",
                _number(change.relative) if change else "",
            )
        )
        if written % 4096 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _number(value: float | None) -> str:
    """A number we wrote: never a formula, so left as it is."""
    return "" if value is None else repr(float(value))


_PLAIN: Final = r"[A-Za-z0-9][A-Za-z0-9 _./:-]*+"
_PLAIN_LINES: Final = re.compile(f"(?:{_PLAIN}(?:\n{_PLAIN})*+)?+")
"""Periods each a cell as it is: ASCII letters, digits and ``_./:-`` and spaces, not
at the start (:func:`~crmorg.cells.spreadsheet_cell` leaves such text alone, and the
``csv`` module quotes none of it)."""
_PIECE: Final = 8_192
"""Periods written per piece by :func:`_aligned_chunks`."""


def _aligned_chunks(series: Sequence[Series], count: int) -> Iterator[str]:
    """:func:`render_chunks` of a scorecard read as columns, whose periods (hence the
    previous periods too) are plain: each row joined from its KPI's cells, neutralised
    and quoted by the ``csv`` writer once per distinct text, and its own fields written
    for a piece of periods at a time (numbers as :func:`_number` writes them)."""
    cell = _Cells()
    yield cell.row(COLUMNS)
    fixed = [_fixed(one.info, cell) for one in series]
    for start in range(0, count, _PIECE):
        stop = min(count, start + _PIECE)
        columns: list[Iterable[str]] = []
        for one, (before, middle) in zip(series, fixed, strict=True):
            statuses, messages = one.statuses[start:stop], one.messages[start:stop]
            columns += (
                repeat(before),
                one.labels[start:stop],
                repeat(","),
                [
                    ""
                    if value is None
                    else float.__repr__(value)
                    if value.__class__ is float
                    else _number(value)
                    for value in one.values[start:stop]
                ],
                repeat(middle),
                map(cell.of_texts(statuses).__getitem__, statuses),
                repeat(","),
                map(cell.of_texts(messages).__getitem__, messages),
                repeat(","),
                [_change(change) for change in one.changes[start:stop]],
                repeat("\r\n"),
            )
        # The repeated cells go on without end: the fields' columns end the rows.
        yield "".join(chain.from_iterable(zip(*columns, strict=False)))


class _Cells:
    """Text cells neutralised and quoted as the ``csv`` writer writes them, each once."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv_writer(self.buffer)
        self.written: dict[str | None, str] = {None: ""}

    def row(self, cells: Sequence[str]) -> str:
        """One row of cells as written, line end included."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()

    def text(self, value: str | None) -> str:
        """One text cell as written (empty for ``None``)."""
        found = self.written.get(value)
        if found is None:
            assert value is not None
            found = self.written[value] = self.row((spreadsheet_cell(value), ""))[:-3]
        return found

    def of_texts(self, values: Sequence[str | None]) -> dict[str | None, str]:
        """Each distinct one of ``values`` as written."""
        return {value: self.text(value) for value in set(values)}


def _fixed(info: KpiInfo, cell: _Cells) -> tuple[str, str]:
    """The cells of a KPI's rows before its period (a comma after them), and those
    between its value and its status (commas around them)."""
    before = (info.kpi, info.name, info.department, info.owner, " ".join(info.contributors))
    between = (_number(info.target), cell.text(info.direction), cell.text(info.unit))
    return "".join(cell.text(text) + "," for text in before), "," + ",".join(between) + ","


def _change(change: Change | None) -> str:
    """The previous period (plain: see :data:`_PLAIN_LINES`), change and relative change."""
    if change is None:
        return ",,"
    absolute, relative = change[2], change[3]
    return (
        change[0]
        + ","
        + (float.__repr__(absolute) if absolute.__class__ is float else _number(absolute))
        + ","
        + (
            ""
            if relative is None
            else float.__repr__(relative)
            if relative.__class__ is float
            else _number(relative)
        )
    )
