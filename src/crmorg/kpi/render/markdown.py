"""The scorecard as Markdown (GitHub tables), e.g. for the Markdown handbook.

Every value from a model or data file goes through the one Markdown escaper,
:func:`~crmorg.markdown_text.md_escape`, which the handbook uses too: what Markdown and
table cells give meaning to is escaped and hidden characters are shown as escapes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from crmorg.kpi.evaluate import STATUSES, Scorecard
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.values import SUFFIXES, format_change, format_target, format_value
from crmorg.markdown_text import md_escape as escape

__all__ = ["render", "render_chunks", "render_markdown"]


def render_markdown(
    scorecard: Scorecard,
    context: ScorecardContext,
    heading_level: int = 2,
) -> str:
    """The scorecard's body: a section per period (latest first), without a page title."""
    return "\n".join(_lines(scorecard, context, heading_level))


def render_chunks(scorecard: Scorecard, context: ScorecardContext) -> Iterator[str]:
    """The text of :func:`render` in pieces of a few thousand lines: a million periods
    need no list of their lines."""
    yield _title(context)
    batch: list[str] = []
    first = True
    for line in _lines(scorecard, context, 2):
        batch.append(line)
        if len(batch) >= _BATCH:
            yield ("" if first else "\n") + "\n".join(batch)
            batch.clear()
            first = False
    if batch or first:
        yield ("" if first else "\n") + "\n".join(batch)


_BATCH: Final = 8_192
"""Lines joined per piece by :func:`render_chunks`."""


def _lines(scorecard: Scorecard, context: ScorecardContext, heading_level: int) -> Iterator[str]:
    """The lines of :func:`render_markdown`, one at a time."""
    hashes = "#" * heading_level
    units = context.units if context.units is not None else SUFFIXES
    lines: list[str] = []
    counts = scorecard.statuses()
    lines.append(
        context.label("list_sep").join(
            f"{counts[status]} {escape(context.label(status))}" for status in STATUSES
        )
    )
    lines.append("")
    if not scorecard.periods:
        lines.append(escape(context.label("no_periods")))
    header = ("kpi", "department", "owner", "value", "target", "status", "change", "note")
    table_head = _table([escape(context.label(key)) for key in header], "lllrrlrl")
    heading = [context.label("department"), context.label("met_total")]
    heading += [context.label(status).capitalize() for status in STATUSES[1:]]
    rollup_head = _table([escape(cell) for cell in heading], "lrrrr")
    shown: dict[str, str] = {}

    def same(text: str) -> str:
        """``escape(text)`` of a text that repeats over the periods (a name, a status)."""
        found = shown.get(text)
        if found is None:
            found = shown[text] = escape(text)
        return found

    for period in reversed(scorecard.periods):
        yield from lines
        lines.clear()
        lines.append(f"{hashes} {escape(period)}")
        lines.append("")
        lines.extend(table_head)
        for result in scorecard.in_period(period):
            cells = [
                f"{same(result.name)}{context.label('paren_open')}`{result.kpi}`"
                f"{context.label('paren_close')}",
                same(context.department(result.department)),
                _owner(result.owner, result.contributors, context),
                escape(format_value(result.value, result.unit, units)),
                same(format_target(result.target, result.direction, result.unit, units)),
                same(context.label(result.status)),
                escape(format_change(result.change, result.unit, units)),
                escape(result.message or ""),  # may name its period: not kept
            ]
            lines.append(_row(cells))
        lines.append("")
        rollups = scorecard.rollups_in(period)
        if rollups:
            lines.extend(rollup_head)
            for rollup in rollups:
                lines.append(
                    _row(
                        [
                            same(context.department(rollup.department)),
                            f"{rollup.met}/{rollup.total}",
                            *(str(rollup.counts.get(status, 0)) for status in STATUSES[1:]),
                        ]
                    )
                )
            lines.append("")
    yield from lines


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    """A complete Markdown document."""
    return _title(context) + render_markdown(scorecard, context)


def _title(context: ScorecardContext) -> str:
    title = f"KPI scorecard: {context.title}" if context.title else "KPI scorecard"
    return f"# {escape(title)}\n\n"


def _owner(owner: str | None, contributors: tuple[str, ...], context: ScorecardContext) -> str:
    """The owner, and the roles measured on the KPI after a line break."""
    text = escape(context.role(owner))
    if contributors:
        measured = context.label("contributors").format(roles=context.roles(contributors))
        text += f"<br>{escape(measured)}"
    return text


def _table(header: Sequence[str], aligns: str) -> list[str]:
    rule = ["---:" if align == "r" else "---" for align in aligns]
    return [_row(header), _row(rule)]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
