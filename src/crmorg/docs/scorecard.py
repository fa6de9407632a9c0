"""The KPI scorecard page of the handbook (``crmorg docs --kpi-data FILE``).

One more :class:`~crmorg.docs.context.Section`: the builder evaluates the model's
KPIs on the given metric data in the handbook's language and embeds the scorecard
(:mod:`crmorg.kpi.render`) in the handbook's layout, HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from crmorg.docs.context import Page, Section, SiteContext
from crmorg.docs.i18n import register
from crmorg.docs.markdown import md_escape
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.html import render_fragment, stylesheet
from crmorg.kpi.render.markdown import render_markdown

__all__ = ["scorecard_section"]

register(
    {
        "en": {
            "nav.scorecard": "Scorecard",
            "scorecard.title": "KPI scorecard",
            "scorecard.intro": "Every KPI for every period of the metric data in {source}.",
        },
        "zh": {
            "nav.scorecard": "记分卡",
            "scorecard.title": "KPI 记分卡",
            "scorecard.intro": "{source} 中每个期间每个 KPI 的结果。",
        },
    }
)

_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "kpi": "KPI",
        "department": "部门",
        "value": "数值",
        "target": "目标",
        "status": "状态",
        "change": "环比变化",
        "note": "说明",
        "met": "达成",
        "missed": "未达成",
        "no-data": "无数据",
        "error": "错误",
        "met_total": "达成",
        "no_department": "（无部门）",
        "no_periods": "数据中没有任何期间。",
    }
}


def scorecard_section(data: MetricData) -> Section:
    """A handbook section with the scorecard of ``data`` (read with its findings first)."""

    def build(ctx: SiteContext) -> Iterator[Page]:
        scorecard = evaluate(ctx.model.kpis, data, lang=ctx.lang)
        context = ScorecardContext(
            title=ctx.names.organization,
            department_names={
                dept_id: ctx.names.department(dept_id) for dept_id in ctx.model.departments
            },
            labels=_LABELS.get(ctx.lang, {}),
        )
        if ctx.fmt.name == "html":
            body = ctx.fmt.safe(render_fragment(scorecard, context))
            css = ctx.fmt.safe(stylesheet())
        else:
            body = ctx.fmt.safe(render_markdown(scorecard, context, escape=md_escape))
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
