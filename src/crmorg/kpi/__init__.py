"""KPIs, metrics, formulas and their evaluation.

The names below are imported on first use: the model classes are needed by every load,
the evaluation machinery only by ``crmorg kpi`` and the handbook.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from crmorg.kpi.models import Kpi, Metric

if TYPE_CHECKING:
    from crmorg.kpi.data import MetricData
    from crmorg.kpi.evaluate import KpiResult, Scorecard, evaluate

_LAZY = {
    "MetricData": "crmorg.kpi.data",
    "KpiResult": "crmorg.kpi.evaluate",
    "Scorecard": "crmorg.kpi.evaluate",
    "evaluate": "crmorg.kpi.evaluate",
}

__all__ = ["Kpi", "KpiResult", "Metric", "MetricData", "Scorecard", "evaluate"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'crmorg.kpi' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
