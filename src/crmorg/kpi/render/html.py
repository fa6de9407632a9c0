"""The scorecard as one self-contained HTML page (inline CSS, no scripts, no network).

Rendered with Jinja2 from the package template ``templates/scorecard.html.j2`` with
autoescaping on and undefined variables as errors, so every name, period and message
from a model or data file is escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Final

from jinja2 import Environment

from crmorg import templates
from crmorg.kpi.evaluate import STATUSES, Scorecard
from crmorg.kpi.render.context import DEFAULT_LABELS, ScorecardContext
from crmorg.kpi.render.values import SUFFIXES, format_change, format_target, format_value
from crmorg.text import reveal

__all__ = ["page_context", "render", "render_chunks", "render_fragment", "stylesheet"]


@cache
def _environment() -> Environment:
    return templates.environment("crmorg.kpi")


def page_context(scorecard: Scorecard, context: ScorecardContext) -> dict[str, Any]:
    """What the templates show: formatted text only, so they hold no logic. The
    periods are made one at a time as the template reaches them (:class:`_Periods`)."""
    counts = scorecard.statuses()
    return {
        "title": context.title,
        "periods": _Periods(scorecard, context),
        "statuses": list(STATUSES),
        "labels": {key: context.label(key) for key in DEFAULT_LABELS},
        "summary": [{"status": status, "count": counts[status]} for status in STATUSES],
    }


class _Periods:
    """Each period's block, the latest first, made as it is iterated (a million periods
    need no list of them); false when there is none."""

    def __init__(self, scorecard: Scorecard, context: ScorecardContext) -> None:
        self.scorecard = scorecard
        self.context = context

    def __bool__(self) -> bool:
        return bool(self.scorecard.periods)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        scorecard, context = self.scorecard, self.context
        units = context.units if context.units is not None else SUFFIXES
        for period in reversed(scorecard.periods):  # the latest period first
            rows = [
                {
                    "kpi": result.kpi,
                    "name": result.name,
                    "department": context.department(result.department),
                    "owner": context.role(result.owner),
                    "contributors": (
                        context.label("contributors").format(
                            roles=context.roles(result.contributors)
                        )
                        if result.contributors
                        else ""
                    ),
                    "value": format_value(result.value, result.unit, units),
                    "target": format_target(result.target, result.direction, result.unit, units),
                    "status": result.status,
                    "change": format_change(result.change, result.unit, units),
                    "trend": (
                        ""
                        if result.change is None or result.change.better is None
                        else ("better" if result.change.better else "worse")
                    ),
                    "message": result.message or "",
                }
                for result in scorecard.in_period(period)
            ]
            rollups = [
                {
                    "department": context.department(rollup.department),
                    "met": rollup.met,
                    "total": rollup.total,
                    "counts": [rollup.counts.get(status, 0) for status in STATUSES],
                }
                for rollup in scorecard.rollups_in(period)
            ]
            yield {"period": period, "rows": rows, "rollups": rollups}


def render_chunks(scorecard: Scorecard, context: ScorecardContext) -> Iterator[str]:
    """The page of :func:`render` in pieces of a few thousand template pieces: the
    template is run as a generator over the periods, made as it reaches them, and each
    piece's hidden characters shown as escapes (:func:`~crmorg.text.reveal`, as
    :mod:`crmorg.templates` does to a whole page: one character at a time, so pieces
    make no difference)."""
    template = _environment().get_template("scorecard.html.j2")
    batch: list[str] = []
    for piece in template.generate(page_context(scorecard, context)):
        batch.append(piece)
        if len(batch) >= _BATCH:
            yield reveal("".join(batch))
            batch.clear()
    yield reveal("".join(batch))


_BATCH: Final = 16_384
"""Template pieces joined per piece by :func:`render_chunks`."""


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    """A complete HTML page."""
    template = _environment().get_template("scorecard.html.j2")
    return template.render(page_context(scorecard, context))


def render_fragment(scorecard: Scorecard, context: ScorecardContext) -> str:
    """The scorecard's body only (no ``<html>``, no styles), to embed in another page."""
    template = _environment().get_template("scorecard_body.html.j2")
    return template.render(page_context(scorecard, context))


def stylesheet() -> str:
    """The scorecard's CSS, for pages that embed :func:`render_fragment`."""
    return resources.files("crmorg.kpi").joinpath("templates/scorecard.css").read_text("utf-8")
