"""Evaluate every KPI for every period of metric data: the scorecard.

For each KPI and period the result has the value, the target, the direction and a
status:

- ``met``: value >= target (``direction: higher``) or value <= target (``lower``).
  A value within a relative 1e-9 of the target counts as equal to it, so a rate that
  lands exactly on its target is met whatever the floating-point rounding;
- ``missed``: the value is on the wrong side of the target;
- ``no-data``: an input metric has no value in that period (the message names it);
- ``error``: the value cannot be computed or judged — division by zero, a formula
  that is not valid, no formula, no target or no direction (the message says which).

Each result also carries the change against the previous period (natural period
order, see :mod:`crmorg.kpi.data`) when both periods have a value, and the scorecard
rolls results up per department and period. Evaluation is bounded: formulas are
checked trees of at most a few hundred nodes, evaluated with float arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Final, Literal, TypeAlias, TypeVar

from crmorg.kpi.data import MetricData
from crmorg.kpi.formula import (
    Formula,
    FormulaError,
    FormulaEvaluationError,
    MissingMetric,
    parse_formula,
)
from crmorg.kpi.models import Direction, Kpi, Unit
from crmorg.text import localize

__all__ = [
    "STATUSES",
    "Change",
    "DepartmentRollup",
    "KpiResult",
    "Scorecard",
    "Status",
    "evaluate",
    "judge",
]

Status: TypeAlias = Literal["met", "missed", "no-data", "error"]
STATUSES: Final[tuple[Status, ...]] = ("met", "missed", "no-data", "error")
_RELATIVE_TOLERANCE: Final = 1e-9
_ABSOLUTE_TOLERANCE: Final = 1e-12


@dataclass(frozen=True)
class Change:
    """How a KPI's value moved since the previous period.

    ``absolute`` is ``value - previous_value`` (for a percent KPI, a fraction:
    0.05 is five percentage points); ``relative`` is that over ``|previous_value|``,
    or ``None`` when the previous value is zero. ``better`` says whether the move is
    in the KPI's direction (``None`` when unchanged or the KPI has no direction).
    """

    previous_period: str
    previous_value: float
    absolute: float
    relative: float | None
    better: bool | None


@dataclass(frozen=True)
class KpiResult:
    """One KPI in one period."""

    kpi: str
    period: str
    value: float | None
    target: float | None
    direction: Direction | None
    status: Status
    name: str = ""
    department: str | None = None
    owner: str | None = None
    unit: Unit | None = None
    message: str | None = None
    change: Change | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: format-v1 section 8's six keys first, then the extras."""
        change = self.change
        return {
            "kpi": self.kpi,
            "period": self.period,
            "value": self.value,
            "target": self.target,
            "direction": self.direction,
            "status": self.status,
            "message": self.message,
            "name": self.name,
            "department": self.department,
            "owner": self.owner,
            "unit": self.unit,
            "previous_period": change.previous_period if change else None,
            "change": change.absolute if change else None,
            "relative_change": change.relative if change else None,
        }


@dataclass(frozen=True)
class DepartmentRollup:
    """How the KPIs of one department (``None``: KPIs without one) did in one period."""

    department: str | None
    period: str
    counts: Mapping[Status, int] = field(default_factory=dict)

    @property
    def met(self) -> int:
        return self.counts.get("met", 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "period": self.period,
            "met": self.met,
            "total": self.total,
            **{status.replace("-", "_"): self.counts.get(status, 0) for status in STATUSES},
        }


@dataclass(frozen=True)
class Scorecard:
    """Every KPI for every period, in KPI order within period order, with roll-ups."""

    periods: tuple[str, ...]
    results: tuple[KpiResult, ...]
    rollups: tuple[DepartmentRollup, ...]

    def for_period(self, period: str) -> Scorecard:
        """Only ``period`` (changes still refer to the period before it)."""
        return Scorecard(
            tuple(p for p in self.periods if p == period),
            self.in_period(period),
            self.rollups_in(period),
        )

    def in_period(self, period: str) -> tuple[KpiResult, ...]:
        """The results of ``period``, from an index built once: renderers ask this of
        every period, and a scorecard may have a million of them."""
        return self._results_by_period.get(period, ())

    def rollups_in(self, period: str) -> tuple[DepartmentRollup, ...]:
        """The department roll-ups of ``period`` (indexed, as :meth:`in_period`)."""
        return self._rollups_by_period.get(period, ())

    @cached_property
    def _results_by_period(self) -> dict[str, tuple[KpiResult, ...]]:
        return _by_period(self.results)

    @cached_property
    def _rollups_by_period(self) -> dict[str, tuple[DepartmentRollup, ...]]:
        return _by_period(self.rollups)

    def statuses(self) -> dict[Status, int]:
        """How many results have each status, over every period."""
        counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """``{"results": [...]}`` as format-v1 section 8 says, plus periods and roll-ups."""
        return {
            "results": [result.to_dict() for result in self.results],
            "periods": list(self.periods),
            "departments": [rollup.to_dict() for rollup in self.rollups],
        }


_Dated = TypeVar("_Dated", KpiResult, DepartmentRollup)


def _by_period(items: Iterable[_Dated]) -> dict[str, tuple[_Dated, ...]]:
    grouped: dict[str, list[_Dated]] = {}
    for item in items:
        grouped.setdefault(item.period, []).append(item)
    return {period: tuple(group) for period, group in grouped.items()}


def judge(value: float, target: float, direction: Direction) -> Literal["met", "missed"]:
    """``met`` when ``value`` is on the good side of ``target`` (equal counts as met)."""
    if math.isclose(value, target, rel_tol=_RELATIVE_TOLERANCE, abs_tol=_ABSOLUTE_TOLERANCE):
        return "met"
    good = value > target if direction == "higher" else value < target
    return "met" if good else "missed"


def evaluate(kpis: Mapping[str, Kpi], data: MetricData, *, lang: str = "en") -> Scorecard:
    """Evaluate every KPI in ``kpis`` for every period in ``data``."""
    periods = data.periods
    formulas = {kpi_id: _parsed(kpi) for kpi_id, kpi in kpis.items()}
    results: list[KpiResult] = []
    previous: dict[str, float | None] = {}
    for index, period in enumerate(periods):
        current: dict[str, float | None] = {}
        for kpi_id, kpi in kpis.items():
            result = _evaluate_one(kpi_id, kpi, formulas[kpi_id], period, data, lang)
            current[kpi_id] = result.value
            earlier = previous.get(kpi_id)
            if index and result.value is not None and earlier is not None:
                result = _with_change(result, periods[index - 1], earlier)
            results.append(result)
        previous = current
    return Scorecard(periods, tuple(results), _rollups(periods, results))


def _parsed(kpi: Kpi) -> Formula | str:
    """The parsed formula, or why there is none."""
    if kpi.formula is None:
        return "the KPI has no formula: add `formula:` over declared metrics"
    try:
        return parse_formula(kpi.formula)
    except FormulaError as error:
        return f"the formula is not valid: {error.message}"


def _evaluate_one(
    kpi_id: str,
    kpi: Kpi,
    formula: Formula | str,
    period: str,
    data: MetricData,
    lang: str,
) -> KpiResult:
    target = kpi.target
    finite_target = target is None or math.isfinite(target)
    base = KpiResult(
        kpi=kpi_id,
        period=period,
        value=None,
        # The loader refuses a non-finite target; a Kpi built in Python may still hold
        # one, and no output can show it (JSON has no NaN): it is an error, not a target.
        target=target if finite_target else None,
        direction=kpi.direction,
        status="error",
        name=localize(kpi.name, lang, kpi_id),
        department=kpi.department,
        owner=kpi.owner,
        unit=kpi.unit,
    )
    if isinstance(formula, str):
        return replace(base, message=formula)
    try:
        value = formula.evaluate(data.at(period))
    except MissingMetric as missing:
        return replace(base, status="no-data", message=str(missing))
    except FormulaEvaluationError as error:
        return replace(base, message=error.message)
    if not math.isfinite(value):
        return replace(base, message="the value is not a finite number")
    if not finite_target:
        return replace(
            base, value=value, message=f"the target {target} is not a finite number: fix it"
        )
    if kpi.target is None or kpi.direction is None:
        lacking = " and ".join(
            f"`{name}`"
            for name, given in (("target", kpi.target), ("direction", kpi.direction))
            if given is None
        )
        return replace(
            base, value=value, message=f"no {lacking} to judge the value by: add it to the KPI"
        )
    return replace(base, value=value, status=judge(value, kpi.target, kpi.direction))


def _with_change(result: KpiResult, previous: str, earlier: float) -> KpiResult:
    assert result.value is not None
    absolute = result.value - earlier
    relative = absolute / abs(earlier) if earlier != 0 else None
    if not math.isfinite(absolute) or (relative is not None and not math.isfinite(relative)):
        return result
    better: bool | None = None
    if result.direction is not None and absolute != 0:
        better = (absolute > 0) == (result.direction == "higher")
    return replace(result, change=Change(previous, earlier, absolute, relative, better))


def _rollups(periods: Iterable[str], results: Iterable[KpiResult]) -> tuple[DepartmentRollup, ...]:
    counts: dict[tuple[str, str | None], dict[Status, int]] = {}
    departments: dict[str | None, None] = {}
    for result in results:
        departments.setdefault(result.department, None)
        bucket = counts.setdefault((result.period, result.department), {})
        bucket[result.status] = bucket.get(result.status, 0) + 1
    # Departments in KPI order; KPIs without a department last.
    order = [d for d in departments if d is not None] + ([None] if None in departments else [])
    return tuple(
        DepartmentRollup(department, period, counts[(period, department)])
        for period in periods
        for department in order
        if (period, department) in counts
    )
