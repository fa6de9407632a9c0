"""KPIs, metrics, formulas and their evaluation."""

from crmorg.kpi.models import Kpi, Metric

__all__ = ["Kpi", "Metric"]
