"""KPIs, metrics, formulas and their evaluation."""

from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import KpiResult, Scorecard, evaluate
from crmorg.kpi.models import Kpi, Metric

__all__ = ["Kpi", "KpiResult", "Metric", "MetricData", "Scorecard", "evaluate"]
