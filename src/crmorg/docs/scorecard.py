"""The KPI scorecard page of the handbook (``crmorg docs --kpi-data FILE``).

One more :class:`~crmorg.docs.context.Section`: the builder evaluates the model's
KPIs on the given metric data in the handbook's language and embeds the scorecard
(:mod:`crmorg.kpi.render`) in the handbook's layout, HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.docs.context import Page, Section, SiteContext
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.render.context import DEFAULT_LABELS, ScorecardContext
from crmorg.kpi.render.html import render_fragment, stylesheet
from crmorg.kpi.render.markdown import render_markdown

__all__ = ["scorecard_section"]


def scorecard_section(data: MetricData) -> Section:
    """A handbook section with the scorecard of ``data`` (read with its findings first)."""

    def build(ctx: SiteContext) -> Iterator[Page]:
        scorecard = evaluate(ctx.model.kpis, data, lang=ctx.lang, metrics=ctx.model.metrics)
        context = ScorecardContext(
            title=ctx.names.organization,
            department_names={
                dept_id: ctx.names.department(dept_id) for dept_id in ctx.model.departments
            },
            role_names={role_id: ctx.names.role(role_id) for role_id in ctx.model.roles},
            labels={key: ctx.t(f"scorecard.label.{key}") for key in DEFAULT_LABELS},
        )
        if ctx.fmt.name == "html":
            body = ctx.fmt.safe(render_fragment(scorecard, context))
            css = ctx.fmt.safe(stylesheet())
        else:
            body = ctx.fmt.safe(render_markdown(scorecard, context))
            css = ctx.fmt.safe("")
        yield ctx.render(
            "scorecard",
            "scorecard",
            ctx.t("scorecard.title"),
            scorecard=body,
            scorecard_css=css,
            source=data.source,
        )

    return Section("scorecard", build, "nav.scorecard", "scorecard")
