"""KPIs that cannot be measured."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.kpi.formula import FormulaError, parse_formula
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model

_REQUIRED_FIELDS = ("formula", "target", "unit", "direction", "frequency")


@rule("kpi-not-measurable", code="CRM212", group="kpi", family="gap", severity=Severity.WARNING)
def kpi_not_measurable(model: Model) -> Iterator[Problem]:
    """A KPI cannot be measured: it lacks a formula, target, unit, direction or
    frequency, or its formula uses a metric the model does not declare.

    One finding per KPI lists everything missing. A formula that cannot be parsed is
    a `schema` problem, not this rule's.

    Fails:
    ```yaml
    metrics:
      deals_won: {unit: count}
    kpis:
      win_rate:
        formula: deals_won / deals_closed    # deals_closed is not a metric
        unit: percent
        direction: higher                    # no target, no frequency
    ```
    Fix: declare `deals_closed` under `metrics`, and add `target: 0.3` and
    `frequency: monthly`.
    """
    for kpi_id, kpi in model.kpis.items():
        missing = [field for field in _REQUIRED_FIELDS if getattr(kpi, field) is None]
        undeclared: list[str] = []
        if kpi.formula is not None:
            try:
                used = parse_formula(kpi.formula).metrics
            except FormulaError:
                used = frozenset()
            undeclared = sorted(name for name in used if name not in model.metrics)
        if not missing and not undeclared:
            continue
        parts = []
        if missing:
            parts.append("no " + listing([f"`{field}`" for field in missing]))
        if undeclared:
            names = listing([f"`{name}`" for name in undeclared])
            parts.append(
                f"its formula uses {names}, which {'is' if len(undeclared) == 1 else 'are'} "
                "not a declared metric"
            )
        only_formula = not missing
        yield Problem(
            f"KPI {kpi_id} cannot be measured: {'; '.join(parts)}; "
            + ("declare the metrics under `metrics`" if only_formula else "add what is missing"),
            ("kpis", kpi_id, "formula") if only_formula else ("kpis", kpi_id),
            (kpi_id,),
            at_key=not only_formula,
        )
