"""KPIs that cannot be measured."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model

_REQUIRED_FIELDS = ("formula", "target", "unit", "direction", "frequency")


@rule("kpi-not-measurable", "CRM212", "kpi", Severity.WARNING)
def kpi_not_measurable(model: Model) -> Iterator[Problem]:
    """A KPI cannot be measured: it lacks a formula, target, unit, direction or
    frequency.

    One finding per KPI lists everything missing. A formula that names a metric the
    model does not declare is a `kpi-unknown-metric` error, and one that cannot be
    parsed is a `schema` problem, not this rule's.

    Fails:
    ```yaml
    metrics:
      deals_won: {unit: count}
      deals_closed: {unit: count}
    kpis:
      win_rate:
        formula: deals_won / deals_closed
        unit: percent
        direction: higher                    # no target, no frequency
    ```
    Fix: add `target: 0.3` and `frequency: monthly`.
    """
    for kpi_id, kpi in model.kpis.items():
        missing = [field for field in _REQUIRED_FIELDS if getattr(kpi, field) is None]
        if not missing:
            continue
        yield Problem(
            f"KPI {kpi_id} cannot be measured: no "
            + listing([f"`{field}`" for field in missing])
            + "; add what is missing",
            ("kpis", kpi_id),
            (kpi_id,),
            at_key=True,
        )
