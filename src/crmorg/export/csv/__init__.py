"""The ``csv`` target: ``matrix.csv``, one row per subject × resource × action → scope.

Safe to open in a spreadsheet: every text cell goes through the product's one
neutraliser, :func:`crmorg.cells.spreadsheet_cell`, so it is never evaluated as a formula.
"""

from __future__ import annotations

from crmorg.export.access_formats import matrix_target, render_csv

MATRIX = "matrix.csv"

EXPORTER = matrix_target(
    "csv", MATRIX, "role (and person) × resource × action → scope, for spreadsheets", render_csv
)
