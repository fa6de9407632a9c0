"""Pulling standard KPIs into a model: ``kpis: {win_rate: {standard: win_rate}}``.

A KPI entry that names ``standard: <id>`` starts from that entry of
:data:`~crmorg.kpi.library.STANDARD_KPIS`: every field the entry leaves out is taken
from the library — name, description, formula, unit, direction, frequency and target.
``owner``, ``contributors`` and ``department`` are ids of the model, so the library's
typical ones are taken only where the model defines a role or department with that id. Fields the
entry gives always win.

The metrics of the resulting formula that the model does not declare are declared
implicitly from :data:`~crmorg.kpi.library.STANDARD_METRICS`; a metric's ``source``
is kept only where the model declares that resource. A metric the model declares
itself is never replaced.

These functions are pure: the loader calls them and reports unknown ids.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from crmorg.kpi.formula import FormulaError, parse_formula
from crmorg.kpi.library import StandardKpi
from crmorg.kpi.models import Kpi, Metric

__all__ = ["implied_metrics", "pull_in_entry", "resolve_standard"]

_COPIED_FIELDS = ("name", "description", "formula", "unit", "direction", "frequency")


def resolve_standard(
    kpi: Kpi,
    standard: StandardKpi,
    *,
    roles: Container[str] = (),
    departments: Container[str] = (),
) -> Kpi:
    """``kpi`` completed from ``standard``: fields the model left out come from the library."""
    library: dict[str, Any] = standard.to_model()
    given = kpi.model_fields_set
    update: dict[str, Any] = {}
    for field in _COPIED_FIELDS:
        if field not in given:
            update[field] = library[field]
    if "target" not in given and standard.typical_target is not None:
        update["target"] = standard.typical_target
    if "owner" not in given and standard.typical_owner in roles:
        update["owner"] = standard.typical_owner
    if "department" not in given and standard.typical_department in departments:
        update["department"] = standard.typical_department
    contributors = [role for role in standard.typical_contributors if role in roles]
    if "contributors" not in given and contributors:
        update["contributors"] = contributors
    if not update:
        return kpi
    # Validate the merged entry: the completed KPI is exactly what the model could
    # have written by hand.
    return Kpi.model_validate({**kpi.model_dump(exclude_unset=True), **update})


def implied_metrics(
    kpi: Kpi,
    standard: StandardKpi,
    declared: Container[str],
    resources: Container[str] = (),
) -> dict[str, Metric]:
    """The library metrics that ``kpi``'s formula uses and the model does not declare."""
    if kpi.formula is None:
        return {}
    try:
        used = parse_formula(kpi.formula).metrics
    except FormulaError:
        return {}
    implied: dict[str, Metric] = {}
    for metric_id, metric in standard.metrics.items():
        if metric_id not in used or metric_id in declared:
            continue
        entry = metric.to_model()
        if metric.source is not None and metric.source not in resources:
            entry.pop("source", None)
        implied[metric_id] = Metric.model_validate(entry)
    return implied


def pull_in_entry(
    standard: StandardKpi,
    *,
    roles: Container[str],
    departments: Container[str],
    fallback_owner: str | None = None,
    fallback_department: str | None = None,
) -> dict[str, Any]:
    """A ``kpis:`` entry that pulls ``standard`` into a model with these roles and departments.

    The library's typical owner and department are named where the model has them,
    the fallbacks otherwise; everything else comes from the library at load time.
    """
    entry: dict[str, Any] = {"standard": standard.id}
    owner = standard.typical_owner if standard.typical_owner in roles else fallback_owner
    department = (
        standard.typical_department
        if standard.typical_department in departments
        else fallback_department
    )
    if owner is not None:
        entry["owner"] = owner
    if department is not None:
        entry["department"] = department
    return entry
