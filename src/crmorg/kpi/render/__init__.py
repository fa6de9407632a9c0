"""Scorecard renderers: one module per output format, listed in :data:`RENDERERS`.

Each renderer turns a :class:`~crmorg.kpi.evaluate.Scorecard` and a
:class:`ScorecardContext` into text. Renderers never print; the command line
decides where the text goes and whether the table may use colour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from crmorg.kpi.evaluate import Scorecard
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.csv_out import render as render_csv
from crmorg.kpi.render.html import render as render_html
from crmorg.kpi.render.json_out import render as render_json
from crmorg.kpi.render.markdown import render as render_markdown
from crmorg.kpi.render.table import render as render_table

__all__ = ["RENDERERS", "Renderer", "ScorecardContext", "render"]

Renderer = Callable[[Scorecard, ScorecardContext], str]

RENDERERS: Final[Mapping[str, Renderer]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "html": render_html,
    "markdown": render_markdown,
}


def render(scorecard: Scorecard, fmt: str, context: ScorecardContext | None = None) -> str:
    """The scorecard in format ``fmt`` (a key of :data:`RENDERERS`)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown scorecard format {fmt!r}; expected one of: {', '.join(RENDERERS)}"
        ) from None
    return renderer(scorecard, context or ScorecardContext())
