"""Metrics and KPIs as written in a model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crmorg.text import STRICT, Described, Id, Text

Unit = Literal["ratio", "percent", "count", "currency", "hours", "days", "score"]
Direction = Literal["higher", "lower"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
Aggregate = Literal["sum", "average", "first", "last", "min", "max"]

DEFAULT_AGGREGATES: dict[str, Aggregate] = {
    "count": "sum",
    "currency": "sum",
    "hours": "sum",
    "days": "sum",
    "ratio": "average",
    "percent": "average",
    "score": "average",
}
"""How a metric's values over several data periods combine when it declares no
``aggregate``, by unit: counts and amounts add up, rates and scores average. A metric
without a unit is summed."""


class Metric(Described):
    """A raw, measured input that KPI formulas may use."""

    unit: Unit | None = None
    source: Id | None = Field(default=None, description="The resource it is computed from.")
    aggregate: Aggregate | None = Field(
        default=None,
        description="How its values over several data periods combine into one KPI period "
        "(a yearly KPI over monthly data): sum, average, first, last, min or max. By "
        "default counts, currency, hours and days are summed, ratios, percents and "
        "scores averaged; a level such as headcount wants `last`.",
    )

    @property
    def combined_by(self) -> Aggregate:
        """The aggregate in effect: the declared one or the unit's default."""
        if self.aggregate is not None:
            return self.aggregate
        return DEFAULT_AGGREGATES.get(self.unit or "", "sum")


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
    contributors: list[Id] = Field(
        default_factory=list,
        description="Roles measured on it beside the owner (e.g. the reps whose deals "
        "make up the win rate).",
    )
    formula: str | None = Field(default=None, max_length=2000)
    unit: Unit | None = None
    direction: Direction | None = None
    target: float | None = None
    frequency: Frequency | None = None
