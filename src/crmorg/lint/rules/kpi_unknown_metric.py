"""KPI formulas that name a metric the model does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.kpi.formula import FormulaError, parse_formula
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.suggestions import did_you_mean


@rule("kpi-unknown-metric", "CRM217", "kpi", Severity.ERROR)
def kpi_unknown_metric(model: Model) -> Iterator[Problem]:
    """A KPI's formula names a metric that the model does not declare.

    Such a KPI can never be computed, whatever data arrives, so this is an error: most
    often the name is mistyped, and the message suggests the declared metric it is
    closest to. One finding per unknown name, at the formula; its subjects are the KPI
    and the name. A formula that cannot be parsed is a `schema` problem instead.

    Fails:
    ```yaml
    metrics:
      opportunities_won: {unit: count}
      opportunities_lost: {unit: count}
    kpis:
      win_rate:
        formula: opportunities_wonn / (opportunities_won + opportunities_lost)
    ```
    Fix: correct the name (`opportunities_won`), or declare the metric under `metrics`.
    """
    for kpi_id, kpi in model.kpis.items():
        if kpi.formula is None:
            continue
        try:
            used = parse_formula(kpi.formula).metrics
        except FormulaError:
            continue
        for name in sorted(name for name in used if name not in model.metrics):
            yield Problem(
                f"KPI {kpi_id}: the formula uses `{name}`, which is not a declared metric"
                f"{did_you_mean(name, model.metrics)}; correct the name or declare it under "
                "`metrics`",
                ("kpis", kpi_id, "formula"),
                (kpi_id, name),
            )
