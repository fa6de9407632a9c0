"""The scorecard as CSV: one row per KPI and period, safe to open in a spreadsheet.

Numbers are written as plain decimals (fractions for percent KPIs, as in the model).
Every text cell goes through :func:`~crmorg.cells.spreadsheet_cell`, so names and
periods from the model or data never run as formulas, and the file is written in the
product's one CSV dialect (:func:`~crmorg.cells.csv_writer`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Final

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.kpi.evaluate import Scorecard
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
