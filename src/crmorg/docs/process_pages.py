"""The handbook's process pages: one per process, its swimlane chart and its steps.

Each process gets ``processes/<id>`` with the swimlane chart (lanes per role;
inline SVG in HTML, a Mermaid block in Markdown), a table of its steps (RACI and
next steps; each step has the anchor ``step-<id>``) and the findings about it.
What the other pages link to (a department's processes, a role's steps) is in
:mod:`crmorg.docs.process_links`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crmorg.charts.swimlane import Swimlane
from crmorg.charts.swimlane_process import legend, process_swimlane
from crmorg.charts.swimlane_svg import render_swimlane_svg
from crmorg.charts.swimlane_text import render_swimlane_mermaid
from crmorg.docs.context import Page, SiteContext
from crmorg.docs.html import inline_svg
from crmorg.docs.pages import finding_rows, findings_about
from crmorg.docs.process_links import process_stem
from crmorg.roles.processes import Process, index_of, successors
from crmorg.text import localize

__all__ = ["StepRow", "embed_swimlane", "process_pages"]


@dataclass(frozen=True)
class StepRow:
    """One step in a process page's table."""

    id: str
    name: str
    responsible: tuple[str, ...]
    accountable: str | None
    consulted: tuple[str, ...]
    informed: tuple[str, ...]
    next: tuple[tuple[str, str], ...]
    """The steps that may follow: (id, name) each."""


def embed_swimlane(ctx: SiteContext, chart: Swimlane) -> str:
    """The chart as the page format shows it: inline SVG in HTML, Mermaid in Markdown."""
    if ctx.fmt.name == "html":
        svg = inline_svg(render_swimlane_svg(chart, legend=legend(ctx.lang)))
        # Every user text in the SVG is already XML-escaped.
        return ctx.fmt.safe(f'<figure class="chart swimlane">{svg}</figure>')
    return ctx.fmt.safe(f"```mermaid\n{render_swimlane_mermaid(chart)}```")


def _rows(ctx: SiteContext, process: Process) -> list[StepRow]:
    # Reversed, so that the first step of a duplicated id names it (as index_of does).
    names = {s.id: localize(s.name, ctx.lang, s.id) or s.id for s in process.steps[::-1]}
    rows = []
    for position in index_of(process).values():
        step = process.steps[position]
        rows.append(
            StepRow(
                step.id,
                names[step.id],
                tuple(dict.fromkeys(step.responsible)),
                step.accountable,
                tuple(dict.fromkeys(step.consulted)),
                tuple(dict.fromkeys(step.informed)),
                tuple((target, names[target]) for target in successors(process, step.id)),
            )
        )
    return rows


def process_pages(ctx: SiteContext) -> Iterator[Page]:
    for process_id, process in ctx.model.processes.items():
        chart = process_swimlane(ctx.model, process_id, "role", ctx.lang)
        yield ctx.render(
            "process",
            process_stem(process_id),
            ctx.t("process.title", name=chart.title),
            process_id=process_id,
            name=chart.title,
            description=ctx.names.text(process.description),
            department=process.department,
            chart=embed_swimlane(ctx, chart),
            steps=_rows(ctx, process),
            findings=finding_rows(ctx, findings_about(ctx, process_id)),
        )
