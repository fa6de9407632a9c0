"""Metrics and KPIs as written in a model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crmorg.text import STRICT, Described, Id, Text

Unit = Literal["ratio", "percent", "count", "currency", "hours", "days", "score"]
Direction = Literal["higher", "lower"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]


class Metric(Described):
    """A raw, measured input that KPI formulas may use."""

    unit: Unit | None = None
    source: Id | None = Field(default=None, description="The resource it is computed from.")


class Kpi(BaseModel):
    """A key performance indicator: a formula over metrics, a target and an owner."""

    model_config = STRICT

    # `standard` names an entry of crmorg.kpi.library.STANDARD_KPIS; loading fills in
    # every field the model leaves out from it (crmorg.kpi.standard).
    standard: Id | None = Field(
        default=None,
        description="A standard KPI to start from (`crmorg kpi --library` lists them); "
        "fields given here override the library's.",
    )
    name: Text | None = None
    description: Text | None = None
    department: Id | None = None
    owner: Id | None = Field(default=None, description="The role accountable for it.")
    formula: str | None = Field(default=None, max_length=2000)
    unit: Unit | None = None
    direction: Direction | None = None
    target: float | None = None
    frequency: Frequency | None = None
