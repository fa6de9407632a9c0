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

    for result in scorecard.results:
        change = result.change
        writer.writerow(
            (
                text(result.kpi),
                text(result.name),
                text(result.department),
                text(result.owner),
                text(" ".join(result.contributors)),
                spreadsheet_cell(result.period),  # one per period: not worth keeping
                _number(result.value),
                _number(result.target),
                text(result.direction),
                text(result.unit),
                text(result.status),
                text(result.message),
                text(change.previous_period) if change else "",
                _number(change.absolute) if change else "",
                _number(change.relative) if change else "",
            )
        )
    return buffer.getvalue()


def _number(value: float | None) -> str:
    """A number we wrote: never a formula, so left as it is."""
    return "" if value is None else repr(float(value))
