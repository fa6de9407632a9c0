"""The KPI scorecard page of the handbook (``crmorg docs --kpi-data FILE``).

One more :class:`~crmorg.docs.context.Section`: the builder evaluates the model's
KPIs on the given metric data in the handbook's language and embeds the scorecard
(:mod:`crmorg.kpi.render`) in the handbook's layout, HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePath

from crmorg.docs.context import Page, Section, SiteContext
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import Scorecard, evaluate
from crmorg.kpi.render.context import DEFAULT_LABELS, ScorecardContext
from crmorg.kpi.render.html import render_fragment, stylesheet
from crmorg.kpi.render.markdown import render_markdown
from crmorg.kpi.render.values import SUFFIXES

__all__ = ["NOTES_LANG", "scorecard_section"]

NOTES_LANG = "en"
"""The language the KPI evaluator writes its notes in."""


def scorecard_section(data: MetricData) -> Section:
    """A handbook section with the scorecard of ``data`` (read with its findings first)."""

    def build(ctx: SiteContext) -> Iterator[Page]:
        scorecard = _notes_in_language(
            ctx,
            evaluate(ctx.model.kpis, data, lang=ctx.lang, metrics=ctx.model.metrics),
            lambda: evaluate(ctx.model.kpis, data, lang=NOTES_LANG, metrics=ctx.model.metrics),
        )
        context = ScorecardContext(
            title=ctx.names.organization,
            department_names={
                dept_id: ctx.names.department(dept_id) for dept_id in ctx.model.departments
            },
            role_names={role_id: ctx.names.role(role_id) for role_id in ctx.model.roles},
            labels={key: ctx.t(f"scorecard.label.{key}") for key in DEFAULT_LABELS},
            units={unit: ctx.t(f"scorecard.unit.{unit}") for unit in SUFFIXES},
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
            # A client reads the data file's name, not where it lies on the consultant's disk.
            source=PurePath(data.source).name if ctx.for_client else data.source,
        )

    return Section("scorecard", build, "nav.scorecard", "scorecard")


def _notes_in_language(
    ctx: SiteContext, scorecard: Scorecard, in_english: Callable[[], Scorecard]
) -> Scorecard:
    """The scorecard with its notes in the handbook's language.

    The evaluator words some notes in the scorecard's language (a division by zero, a
    period the data only partly covers) and the rest in English (as ``crmorg kpi``
    prints them); for those, another language says in its own words what the status
    means (``scorecard.note.<status>``). A note is English when it reads as the English
    evaluation's note of the same KPI and period.
    """
    if ctx.lang == NOTES_LANG:
        return scorecard
    english = {(r.kpi, r.period): r.message for r in in_english().results}
    results = tuple(
        replace(result, message=ctx.t(f"scorecard.note.{result.status}"))
        if result.message
        and result.message == english.get((result.kpi, result.period))
        and ctx.t.has(f"scorecard.note.{result.status}")
        else result
        for result in scorecard.results
    )
    return Scorecard(scorecard.periods, results, scorecard.rollups)
