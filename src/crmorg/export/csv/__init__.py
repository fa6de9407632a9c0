"""The ``csv`` target: ``matrix.csv``, one row per subject × resource × action → scope.

Safe to open in a spreadsheet: a cell that starts with ``= + - @`` (or a tab or carriage
return) is prefixed with ``'`` so it is never evaluated as a formula. A matrix for
review, not an engine: it answers no question itself, and expresses every construct.
"""

from __future__ import annotations

from crmorg.export.access_formats import render_csv
from crmorg.export.capabilities import (
    DEPARTMENT_CYCLE,
    INHERITANCE_CYCLE,
    SHARED_PERSON_ROLE_ID,
    Capabilities,
)
from crmorg.export.target import Exporter
from crmorg.model import Model
from crmorg.permissions.review import access_matrix

MATRIX = "matrix.csv"


def render(model: Model) -> dict[str, str]:
    return {MATRIX: render_csv(model, access_matrix(model))}


EXPORTER = Exporter(
    name="csv",
    summary="role (and person) × resource × action → scope, for spreadsheets",
    files=(MATRIX,),
    render=render,
    capabilities=Capabilities(
        expresses=frozenset({INHERITANCE_CYCLE, DEPARTMENT_CYCLE, SHARED_PERSON_ROLE_ID})
    ),
)
