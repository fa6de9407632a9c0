"""The scorecard as CSV: one row per KPI and period, safe to open in a spreadsheet.

Numbers are written as plain decimals (fractions for percent KPIs, as in the model).
Every text cell goes through :func:`~crmorg.cells.spreadsheet_cell`, so names and
periods from the model or data never run as formulas, and the file is written in the
product's one CSV dialect (:func:`~crmorg.cells.csv_writer`).
"""

from __future__ import annotations

import io
from typing import Final

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.kpi.evaluate import Scorecard
from crmorg.kpi.render.context import ScorecardContext

__all__ = ["COLUMNS", "render"]

COLUMNS: Final = (
    "kpi",
    "name",
    "department",
    "owner",
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
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(COLUMNS)
    for result in scorecard.results:
        change = result.change
        row: list[str | float | None] = [
            result.kpi,
            result.name,
            result.department,
            result.owner,
            result.period,
            result.value,
            result.target,
            result.direction,
            result.unit,
            result.status,
            result.message,
            change.previous_period if change else None,
            change.absolute if change else None,
            change.relative if change else None,
        ]
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: str | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return repr(float(value))  # a number we wrote: never a formula, so left as it is
    return spreadsheet_cell(value)
