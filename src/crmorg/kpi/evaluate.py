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
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal, TypeAlias, TypeVar

from crmorg.catalogs import messages
from crmorg.gcpause import paused_gc
from crmorg.kpi.data import MetricData
from crmorg.kpi.formula import (
    DivisionByZero,
    Formula,
    FormulaError,
    FormulaEvaluationError,
    MissingMetric,
    parse_formula,
)
from crmorg.kpi.grouping import PeriodValues, group_periods
from crmorg.kpi.models import Direction, Frequency, Kpi, Metric, Unit
from crmorg.kpi.periods import period_order
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
    contributors: tuple[str, ...] = ()
    """The roles measured on the KPI beside its owner."""
    parts: tuple[int, int | None] | None = None
    """For a KPI period made of several data periods: how many it had, and how many
    make it whole (``None`` when that cannot be told): ``(3, 12)`` for three months of
    a yearly KPI; ``None`` when the result is of one data period as it is."""

    @property
    def partial(self) -> bool:
        """Whether the period is not complete in the data (three months of a year)."""
        parts = self.parts
        return parts is not None and parts[1] is not None and parts[0] < parts[1]

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
            "contributors": list(self.contributors),
            "unit": self.unit,
            "previous_period": change.previous_period if change else None,
            "change": change.absolute if change else None,
            "relative_change": change.relative if change else None,
            "data_periods": self.parts[0] if self.parts else None,
            "data_periods_expected": self.parts[1] if self.parts else None,
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


def evaluate(
    kpis: Mapping[str, Kpi],
    data: MetricData,
    *,
    lang: str = "en",
    metrics: Mapping[str, Metric] | None = None,
) -> Scorecard:
    """Evaluate every KPI in ``kpis`` for every one of its periods in ``data``.

    A KPI with a ``frequency`` is evaluated once per period of that frequency, over
    the data periods inside it (:mod:`crmorg.kpi.periods`): a yearly KPI over the
    year's months, each metric combined as its ``aggregate`` says (``metrics``; a
    metric not declared there is summed). A KPI without one, or data that cannot be
    grouped so, is evaluated per data period.

    Linear in periods times KPIs: what does not change with the period (the parsed
    formula, the localised name, whether the target can judge) is worked out once per
    KPI, the data is grouped once per frequency, and each result is built once."""
    with paused_gc():  # a million results hold no cycles (see crmorg.gcpause)
        return _evaluate_all(kpis, data, lang, metrics or {})


def _evaluate_all(
    kpis: Mapping[str, Kpi], data: MetricData, lang: str, metrics: Mapping[str, Metric]
) -> Scorecard:
    plans = [_Plan.of(kpi_id, kpi, lang) for kpi_id, kpi in kpis.items()]
    grouped: dict[Frequency | None, tuple[PeriodValues, ...]] = {}
    per_plan: list[list[KpiResult]] = []
    for plan in plans:
        frequency = plan.kpi.frequency
        periods = grouped.get(frequency)
        if periods is None:
            periods = grouped[frequency] = group_periods(data, frequency, metrics)
        own: list[KpiResult] = []
        per_plan.append(own)
        earlier: float | None = None
        before: str | None = None
        for period in periods:
            value, status, message = plan.judged(period.values, period.label, metrics, lang)
            if message is None and period.partial:
                message = period.note(lang)
            change = (
                _change(value, earlier, before, plan.kpi.direction)
                if before is not None and value is not None and earlier is not None
                else None
            )
            own.append(
                KpiResult(
                    plan.kpi_id,
                    period.label,
                    value,
                    plan.target,
                    plan.kpi.direction,
                    status,
                    plan.name,
                    plan.kpi.department,
                    plan.kpi.owner,
                    plan.kpi.unit,
                    message,
                    change,
                    plan.contributors,
                    period.parts,
                )
            )
            earlier, before = value, period.label
    if all(len(g) == len(data.periods) and _as_is(g) for g in grouped.values()):
        # Nothing grouped (the common case, and a million periods): the data's own order.
        order: tuple[str, ...] = data.periods
        results = tuple(result for row in zip(*per_plan, strict=True) for result in row)
    else:
        by_period: dict[str, list[KpiResult]] = {}
        for own in per_plan:
            for result in own:
                by_period.setdefault(result.period, []).append(result)
        order = tuple(sorted(by_period, key=period_order))
        results = tuple(result for period in order for result in by_period[period])
    return Scorecard(order, results, _rollups(order, results))


def _as_is(periods: tuple[PeriodValues, ...]) -> bool:
    """Whether ``periods`` are the data's periods, each taken as it is."""
    return all(period.parts is None for period in periods)


@dataclass(frozen=True)
class _Plan:
    """What one KPI's evaluation needs, worked out once for every period."""

    kpi_id: str
    kpi: Kpi
    formula: Formula | str
    """The parsed formula, or why there is none."""
    name: str
    target: float | None
    """The target as shown: ``None`` for a non-finite one, which no output can show."""
    unjudgeable: str | None
    """Why a computed value cannot be judged (a non-finite, missing target or no
    direction), or ``None`` when it can."""
    contributors: tuple[str, ...] = ()

    @classmethod
    def of(cls, kpi_id: str, kpi: Kpi, lang: str) -> _Plan:
        target = kpi.target
        finite_target = target is None or math.isfinite(target)
        unjudgeable: str | None = None
        if not finite_target:
            # The loader refuses a non-finite target; a Kpi built in Python may still
            # hold one, and no output can show it (JSON has no NaN): an error, not a target.
            unjudgeable = f"the target {target} is not a finite number: fix it"
        elif target is None or kpi.direction is None:
            lacking = " and ".join(
                f"`{name}`"
                for name, given in (("target", target), ("direction", kpi.direction))
                if given is None
            )
            unjudgeable = f"no {lacking} to judge the value by: add it to the KPI"
        return cls(
            kpi_id,
            kpi,
            _parsed(kpi),
            localize(kpi.name, lang, kpi_id),
            target if finite_target else None,
            unjudgeable,
            tuple(dict.fromkeys(kpi.contributors)),
        )

    def judged(
        self,
        values: Mapping[str, float],
        period: str = "",
        metrics: Mapping[str, Metric] | None = None,
        lang: str = "en",
    ) -> tuple[float | None, Status, str | None]:
        """(value, status, message) in ``period``, whose metric values are ``values``."""
        formula = self.formula
        if isinstance(formula, str):
            return None, "error", formula
        try:
            value = formula.evaluate(values)
        except MissingMetric as missing:
            return None, "no-data", str(missing)
        except DivisionByZero as zero:
            return None, "error", _nothing_to_divide_by(zero, period, metrics or {}, lang)
        except FormulaEvaluationError as error:
            return None, "error", error.message
        if not math.isfinite(value):
            return None, "error", "the value is not a finite number"
        if self.unjudgeable is not None:
            return value, "error", self.unjudgeable
        assert self.kpi.target is not None and self.kpi.direction is not None
        return value, judge(value, self.kpi.target, self.kpi.direction), None


def _nothing_to_divide_by(
    zero: DivisionByZero, period: str, metrics: Mapping[str, Metric], lang: str
) -> str:
    """A division by zero in words: what was recorded as none, in which period."""
    if not zero.divisor_metrics:
        return messages(lang)["scorecard.note.zero_divisor"].format(period=period)
    catalog = messages(lang)
    names = catalog["scorecard.note.or"].join(
        _metric_words(metric_id, metrics.get(metric_id), lang) for metric_id in zero.divisor_metrics
    )
    ids = catalog["scorecard.note.sep"].join(zero.divisor_metrics)
    key = "none_recorded" if len(zero.divisor_metrics) == 1 else "none_recorded_all"
    return catalog[f"scorecard.note.{key}"].format(what=names, period=period, ids=ids)


def _metric_words(metric_id: str, metric: Metric | None, lang: str) -> str:
    """A metric as a sentence names it: its name with a lower-case first letter (unless
    it is an acronym), or, with no name, its id as written (in every language)."""
    name = localize(metric.name, lang) if metric is not None else ""
    if not name:
        return metric_id
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _parsed(kpi: Kpi) -> Formula | str:
    """The parsed formula, or why there is none."""
    if kpi.formula is None:
        return "the KPI has no formula: add `formula:` over declared metrics"
    try:
        return parse_formula(kpi.formula)
    except FormulaError as error:
        return f"the formula is not valid: {error.message}"


def _change(
    value: float, earlier: float, previous: str, direction: Direction | None
) -> Change | None:
    """The move from ``earlier`` (in period ``previous``) to ``value``, or ``None`` when
    it is not a finite number."""
    absolute = value - earlier
    relative = absolute / abs(earlier) if earlier != 0 else None
    if not math.isfinite(absolute) or (relative is not None and not math.isfinite(relative)):
        return None
    better: bool | None = None
    if direction is not None and absolute != 0:
        better = (absolute > 0) == (direction == "higher")
    return Change(previous, earlier, absolute, relative, better)


def _rollups(periods: Iterable[str], results: Iterable[KpiResult]) -> tuple[DepartmentRollup, ...]:
    """Per period, each department's count of results by status: one pass over the
    results, which come a period at a time (in KPI order within it)."""
    counted: dict[str, dict[str | None, dict[Status, int]]] = {}
    order: dict[str | None, None] = {}
    current: str | None = None
    buckets: dict[str | None, dict[Status, int]] = {}
    for result in results:
        if result.period != current:
            current = result.period
            buckets = counted.setdefault(current, {})
        bucket = buckets.get(result.department)
        if bucket is None:
            bucket = buckets[result.department] = {}
            order.setdefault(result.department, None)
        bucket[result.status] = bucket.get(result.status, 0) + 1
    # Departments in KPI order; KPIs without a department last.
    ranked = [d for d in order if d is not None] + ([None] if None in order else [])
    rollups: list[DepartmentRollup] = []
    for period in periods:
        buckets = counted.get(period, {})
        rollups.extend(
            DepartmentRollup(department, period, buckets[department])
            for department in ranked
            if department in buckets
        )
    return tuple(rollups)
