"""The standard KPI library as a table, JSON, or YAML ready to paste into a model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import yaml

from crmorg.kpi.library import STANDARD_KPIS, StandardKpi
from crmorg.kpi.render.values import format_target
from crmorg.text import localize

__all__ = ["LIBRARY_RENDERERS", "render_library"]


def _as_dict(kpi: StandardKpi) -> dict[str, Any]:
    return {
        "id": kpi.id,
        "name": dict(kpi.name),
        "description": dict(kpi.description),
        "formula": kpi.formula,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "typical_target": kpi.typical_target,
        "frequency": kpi.frequency,
        "typical_owner": kpi.typical_owner,
        "typical_department": kpi.typical_department,
        "definition_source": kpi.definition_source,
        "metrics": {metric_id: metric.to_model() for metric_id, metric in kpi.metrics.items()},
    }


def _json(kpis: Iterable[StandardKpi]) -> str:
    data = {"kpis": [_as_dict(kpi) for kpi in kpis]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _yaml(kpis: Iterable[StandardKpi]) -> str:
    chosen = list(kpis)
    metrics: dict[str, Any] = {}
    for kpi in chosen:
        for metric_id, metric in kpi.metrics.items():
            metrics.setdefault(metric_id, metric.to_model())
    body = yaml.safe_dump(
        {"metrics": metrics, "kpis": {kpi.id: kpi.to_model() for kpi in chosen}},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return (
        "# crmorg's standard KPIs written out in full. In a model, `kpis: {win_rate: "
        "{standard: win_rate}}`\n# does the same for one KPI, and declares its metrics.\n" + body
    )


def _table(kpis: Iterable[StandardKpi]) -> str:
    rows = [
        (
            kpi.id,
            localize(dict(kpi.name)),
            kpi.unit,
            format_target(kpi.typical_target, kpi.direction, kpi.unit) or "-",
            kpi.frequency,
            kpi.formula,
        )
        for kpi in kpis
    ]
    header = ("ID", "Name", "Unit", "Target", "Frequency", "Formula")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    lines = [
        "  ".join([*(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])), row[-1]])
        for row in (header, *rows)
    ]
    lines.append("")
    lines.append("Use one in a model: kpis: {win_rate: {standard: win_rate, owner: sales_manager}}")
    return "\n".join(lines) + "\n"


LIBRARY_RENDERERS: Final[Mapping[str, Callable[[Iterable[StandardKpi]], str]]] = {
    "table": _table,
    "json": _json,
    "yaml": _yaml,
}


def render_library(fmt: str, ids: Iterable[str] | None = None) -> str:
    """The library (or the entries ``ids``) in format ``fmt``: table, json or yaml."""
    chosen = (
        list(STANDARD_KPIS.values()) if ids is None else [STANDARD_KPIS[kpi_id] for kpi_id in ids]
    )
    return LIBRARY_RENDERERS[fmt](chosen)
