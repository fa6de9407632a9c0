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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import sub, truediv
from typing import Any, Final, Literal, NamedTuple, TypeAlias

from crmorg.catalogs import messages
from crmorg.gcpause import paused_gc
from crmorg.kpi.columnar import FALLBACK, ColumnEvaluator, _Fallback, column_evaluator
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
from crmorg.kpi.periods import any_calendar_periods, period_order
from crmorg.text import localize

__all__ = [
    "STATUSES",
    "Change",
    "DepartmentRollup",
    "KpiResult",
    "Scorecard",
    "Series",
    "Status",
    "evaluate",
    "judge",
]

Status: TypeAlias = Literal["met", "missed", "no-data", "error"]
STATUSES: Final[tuple[Status, ...]] = ("met", "missed", "no-data", "error")
_RELATIVE_TOLERANCE: Final = 1e-9
_ABSOLUTE_TOLERANCE: Final = 1e-12


class Change(NamedTuple):
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
class KpiInfo:
    """What every result of one KPI shares, whatever the period."""

    kpi: str
    name: str
    target: float | None
    direction: Direction | None
    department: str | None
    owner: str | None
    unit: Unit | None
    contributors: tuple[str, ...]


Row: TypeAlias = tuple[
    KpiInfo,
    str,
    "float | None",
    Status,
    "str | None",
    "Change | None",
    "tuple[int, int | None] | None",
]
"""One KPI in one period as renderers read it: (KPI, period, value, status, message,
change, parts), the fields of :class:`KpiResult` without an object per period."""

RollupRow: TypeAlias = tuple["str | None", Mapping[Status, int]]
"""One department in one period: (department, count of results by status)."""


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

    @classmethod
    def of_row(cls, row: Row) -> KpiResult:
        info, period, value, status, message, change, parts = row
        return cls(
            info.kpi,
            period,
            value,
            info.target,
            info.direction,
            status,
            info.name,
            info.department,
            info.owner,
            info.unit,
            message,
            change,
            info.contributors,
            parts,
        )

    def row(self) -> Row:
        info = KpiInfo(
            self.kpi,
            self.name,
            self.target,
            self.direction,
            self.department,
            self.owner,
            self.unit,
            self.contributors,
        )
        return (info, self.period, self.value, self.status, self.message, self.change, self.parts)

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


class Scorecard:
    """Every KPI for every period, in KPI order within period order, with roll-ups.

    Built from ``results`` and ``rollups``, or by :func:`evaluate` from one column of
    values per KPI: then :meth:`groups` hands out each period's rows (tuples, see
    :data:`Row`) as it goes, so renderers stream a million periods without an object
    per result; ``results`` and ``rollups`` are built only when asked for.
    """

    def __init__(
        self,
        periods: Iterable[str],
        results: Iterable[KpiResult] = (),
        rollups: Iterable[DepartmentRollup] = (),
    ) -> None:
        self.periods: tuple[str, ...] = tuple(periods)
        given = tuple(results)
        self._series: tuple[Series, ...] = ()
        self._aligned = False
        self._by_period: dict[str, list[Row]] = {}
        for result in given:
            self._by_period.setdefault(result.period, []).append(result.row())
        self._rollup_rows: dict[str, list[RollupRow]] | None = {}
        for rollup in rollups:
            self._rollup_rows.setdefault(rollup.period, []).append(
                (rollup.department, rollup.counts)
            )
        self.__dict__["results"] = given

    @classmethod
    def _of_series(
        cls, periods: tuple[str, ...], series: tuple[Series, ...], aligned: bool
    ) -> Scorecard:
        card = cls.__new__(cls)
        card.periods = periods
        card._series = series
        card._aligned = aligned
        card._by_period = {}
        card._rollup_rows = None
        if not aligned:
            for one in series:
                for row in one.rows():
                    card._by_period.setdefault(row[1], []).append(row)
        return card

    def groups(self) -> Iterator[tuple[str, tuple[Row, ...], tuple[RollupRow, ...]]]:
        """Each period in order with its rows (KPI order) and its department roll-ups."""
        if not self._aligned:
            for period in self.periods:
                yield (period, *self._group(period))
            return
        rollup = self._rollup_maker
        per_period = zip(*(one.rows() for one in self._series), strict=True)
        for period, rows in zip(self.periods, per_period, strict=True):
            yield period, rows, rollup(rows)

    def aligned(self) -> tuple[Series, ...] | None:
        """The results as columns, one :class:`Series` per KPI in KPI order, when every
        KPI has a result in every period (``periods``, in order): a period's rows are
        the series' entries at its index. ``None`` otherwise (a KPI grouped into its own
        periods, or a scorecard built from results): read :meth:`groups` then."""
        return self._series if self._aligned else None

    def rollups_by_status(self) -> Callable[[tuple[Status, ...]], tuple[RollupRow, ...]]:
        """For an :meth:`aligned` scorecard: a period's roll-ups from the statuses of its
        results (one per series), as :meth:`groups` gives them."""
        departments = tuple(one.info.department for one in self._series)
        maker = self._rollup_maker
        return lambda statuses: maker.of_key(tuple(zip(departments, statuses, strict=True)))

    def rows(self) -> Iterator[Row]:
        """Every row, a period at a time."""
        if self._aligned and len(self._series) == 1:
            return self._series[0].rows()
        return (row for _, rows, _ in self.groups() for row in rows)

    @cached_property
    def _rollup_maker(self) -> _RollupMaker:
        """One for the scorecard: renderers that ask by period ask of every period, and
        the departments' order is found once (over every period), not per period."""
        return _RollupMaker(self._ranked())

    def _ranked(self) -> tuple[str | None, ...]:
        """Departments in KPI order (first seen over the periods); KPIs without one last."""
        if self._aligned:
            seen = dict.fromkeys(one.info.department for one in self._series)
        else:
            seen = {}
            for period in self.periods:
                for row in self._by_period.get(period, ()):
                    seen.setdefault(row[0].department, None)
        return (*(d for d in seen if d is not None), *((None,) if None in seen else ()))

    @cached_property
    def results(self) -> tuple[KpiResult, ...]:
        """Every result as an object (a million periods: a million objects)."""
        return tuple(map(KpiResult.of_row, self.rows()))

    @cached_property
    def rollups(self) -> tuple[DepartmentRollup, ...]:
        return tuple(
            DepartmentRollup(department, period, counts)
            for period, _, rollups in self.groups()
            for department, counts in rollups
        )

    def _group(self, period: str) -> tuple[tuple[Row, ...], tuple[RollupRow, ...]]:
        if self._rollup_rows is not None:
            return (
                tuple(self._by_period.get(period, ())),
                tuple(self._rollup_rows.get(period, ())),
            )
        if self._aligned:
            index = self._index.get(period)
            if index is None:
                return (), ()
            rows: tuple[Row, ...] = tuple(one.row(index) for one in self._series)
        else:
            rows = tuple(self._by_period.get(period, ()))
        return rows, self._rollup_maker(rows)

    @cached_property
    def _index(self) -> dict[str, int]:
        """Each period's place (renderers that ask by period ask of every one)."""
        return {period: index for index, period in enumerate(self.periods)}

    def for_period(self, period: str) -> Scorecard:
        """Only ``period`` (changes still refer to the period before it)."""
        return Scorecard(
            tuple(p for p in self.periods if p == period),
            self.in_period(period),
            self.rollups_in(period),
        )

    def in_period(self, period: str) -> tuple[KpiResult, ...]:
        """The results of ``period``."""
        return tuple(map(KpiResult.of_row, self._group(period)[0]))

    def rollups_in(self, period: str) -> tuple[DepartmentRollup, ...]:
        """The department roll-ups of ``period``."""
        return tuple(
            DepartmentRollup(department, period, counts)
            for department, counts in self._group(period)[1]
        )

    def statuses(self) -> dict[Status, int]:
        """How many results have each status, over every period."""
        counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        if self._series:
            for one in self._series:
                for status in STATUSES:
                    counts[status] += one.statuses.count(status)
            return counts
        for rows in self._by_period.values():
            for row in rows:
                counts[row[3]] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """``{"results": [...]}`` as format-v1 section 8 says, plus periods and roll-ups."""
        return {
            "results": [result.to_dict() for result in self.results],
            "periods": list(self.periods),
            "departments": [rollup.to_dict() for rollup in self.rollups],
        }


class _RollupMaker:
    """A period's roll-ups from its rows: the same few combinations of statuses repeat
    over the periods, so each is counted once."""

    def __init__(self, ranked: tuple[str | None, ...]) -> None:
        self.ranked = ranked
        self.made: dict[tuple[tuple[str | None, Status], ...], tuple[RollupRow, ...]] = {}

    def __call__(self, rows: tuple[Row, ...]) -> tuple[RollupRow, ...]:
        return self.of_key(tuple((row[0].department, row[3]) for row in rows))

    def of_key(self, key: tuple[tuple[str | None, Status], ...]) -> tuple[RollupRow, ...]:
        """The roll-ups of rows of these departments and statuses."""
        made = self.made.get(key)
        if made is None:
            counted: dict[str | None, dict[Status, int]] = {}
            for department, status in key:
                bucket = counted.setdefault(department, {})
                bucket[status] = bucket.get(status, 0) + 1
            made = self.made[key] = tuple(
                (department, counted[department])
                for department in self.ranked
                if department in counted
            )
        return made


@dataclass(frozen=True)
class Series:
    """One KPI over its periods, a column per field (entry ``i`` of each: period
    ``labels[i]``). Values are finite numbers or ``None``; so are a change's
    ``absolute`` and ``relative``."""

    info: KpiInfo
    labels: Sequence[str]
    values: list[float | None]
    statuses: list[Status]
    messages: list[str | None]
    changes: list[Change | None]
    parts: list[tuple[int, int | None] | None] | None

    def rows(self) -> Iterator[Row]:
        return zip(
            repeat(self.info),
            self.labels,
            self.values,
            self.statuses,
            self.messages,
            self.changes,
            repeat(None) if self.parts is None else self.parts,
        )

    def row(self, index: int) -> Row:
        parts = None if self.parts is None else self.parts[index]
        return (
            self.info,
            self.labels[index],
            self.values[index],
            self.statuses[index],
            self.messages[index],
            self.changes[index],
            parts,
        )


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
    grouped: dict[Frequency | None, tuple[PeriodValues, ...] | None] = {}
    series: list[Series] = []
    calendar: bool | None = None  # whether some periods may be calendar ones, once asked
    for plan in plans:
        frequency = plan.kpi.frequency
        if frequency not in grouped:
            if frequency is not None and calendar is None:
                calendar = any_calendar_periods(data.periods)
            periods = group_periods(data, frequency, metrics) if frequency and calendar else None
            # Nothing grouped (the common case, and a million periods): read the columns.
            grouped[frequency] = None if periods is None or _as_is(periods, data) else periods
        series.append(_evaluated(plan, data, grouped[frequency], metrics, lang))
    if all(periods is None for periods in grouped.values()):
        return Scorecard._of_series(data.periods, tuple(series), aligned=True)
    labels = {label for one in series for label in one.labels}
    order = tuple(sorted(labels, key=period_order))
    return Scorecard._of_series(order, tuple(series), aligned=False)


def _as_is(periods: tuple[PeriodValues, ...], data: MetricData) -> bool:
    """Whether ``periods`` are the data's periods, each taken as it is."""
    return len(periods) == len(data.periods) and all(period.parts is None for period in periods)


def _evaluated(
    plan: _Plan,
    data: MetricData,
    grouped: tuple[PeriodValues, ...] | None,
    metrics: Mapping[str, Metric],
    lang: str,
) -> Series:
    """One KPI over every period: the data's own (``grouped`` is ``None``) or those."""
    labels: Sequence[str] = data.periods if grouped is None else [p.label for p in grouped]
    count = len(labels)
    formula = plan.formula
    info = plan.info
    if isinstance(formula, str):
        return Series(
            info, labels, [None] * count, ["error"] * count, [formula] * count,
            [None] * count, None if grouped is None else [p.parts for p in grouped],
        )  # fmt: skip
    inputs, column_of = plan.evaluator
    if grouped is None:
        columns = [_column(data, metric, labels) for metric in inputs]
    else:
        columns = [[period.values.get(metric) for period in grouped] for metric in inputs]
    computed = column_of(columns, count)
    values: list[float | None] = computed  # type: ignore[assignment]
    messages: list[str | None] = [plan.unjudgeable] * count
    statuses: list[Status] = (
        ["error"] * count if plan.unjudgeable is not None else _judged_column(computed, plan)
    )
    for index, value in enumerate(computed):
        if value is FALLBACK:  # not all finite inputs, or the arithmetic failed: walk the tree
            given = {metric: column[index] for metric, column in zip(inputs, columns, strict=True)}
            exact = plan.judged(
                {metric: value for metric, value in given.items() if value is not None},
                labels[index],
                metrics,
                lang,
            )
            values[index], statuses[index], messages[index] = exact
    if grouped is not None:
        for index, period in enumerate(grouped):
            if messages[index] is None and period.partial:
                messages[index] = period.note(lang)
    return Series(
        info, labels, values, statuses, messages, _changes(values, labels, plan.kpi.direction),
        None if grouped is None else [period.parts for period in grouped],
    )  # fmt: skip


def _column(data: MetricData, metric: str, labels: Sequence[str]) -> list[float | None]:
    """``metric``'s value in each period of ``labels`` (``None`` where it has none): a
    column of every period in their order (a file by period) is its values as they are."""
    held = data.in_order(metric)
    if held is not None and labels == data.periods:
        return held
    column = data.column(metric)
    if len(column) == len(labels) and list(column) == list(labels):
        return list(column.values())
    return list(map(column.get, labels))


def _judged_column(values: list[float | _Fallback], plan: _Plan) -> list[Status]:
    """:func:`judge` of every value (a placeholder where there is none yet)."""
    target, direction = plan.kpi.target, plan.kpi.direction
    assert target is not None and direction is not None
    isclose = math.isclose
    fallback = FALLBACK
    rel, tol = _RELATIVE_TOLERANCE, _ABSOLUTE_TOLERANCE
    # A value on the good side is met without asking whether it is close to the target.
    if direction == "higher":
        return [
            "error"
            if value is fallback
            else "met"
            if value > target or isclose(value, target, rel_tol=rel, abs_tol=tol)  # type: ignore[operator,arg-type]
            else "missed"
            for value in values
        ]
    return [
        "error"
        if value is fallback
        else "met"
        if value < target or isclose(value, target, rel_tol=rel, abs_tol=tol)  # type: ignore[operator,arg-type]
        else "missed"
        for value in values
    ]


def _changes(
    values: list[float | None], labels: Sequence[str], direction: Direction | None
) -> list[Change | None]:
    """Each value's change from the period before (``None`` where either has no value)."""
    earlier_values = values[:-1]
    if values and None not in values:
        # Every period has a value (the common case): the columns of changes by C calls,
        # unless one is not finite (the loop then says).
        absolutes = list(map(sub, values[1:], earlier_values))
        relatives: list[float | None] = (
            list(map(truediv, absolutes, map(abs, earlier_values)))  # type: ignore[arg-type]
            if 0 not in earlier_values
            else [
                absolute / abs(earlier) if earlier != 0 else None  # type: ignore[arg-type]
                for absolute, earlier in zip(absolutes, earlier_values, strict=True)
            ]
        )
        if (
            max(map(abs, absolutes), default=0) < math.inf
            and max(map(abs, filter(None, relatives)), default=0) < math.inf
        ):
            higher = direction == "higher"
            betters: Iterable[bool | None] = (
                repeat(None)
                if direction is None
                else [None if absolute == 0 else (absolute > 0) == higher for absolute in absolutes]
            )
            made = map(
                tuple.__new__,
                repeat(Change),
                zip(labels[:-1], earlier_values, absolutes, relatives, betters, strict=False),
            )
            return [None, *made]
    return _changes_by_loop(values, labels, direction)


def _changes_by_loop(
    values: list[float | None], labels: Sequence[str], direction: Direction | None
) -> list[Change | None]:
    """:func:`_changes` a period at a time."""
    changes: list[Change | None] = [None] * len(values)
    make = tuple.__new__
    higher = direction == "higher"
    earlier: float | None = None
    isfinite = math.isfinite
    for index, value in enumerate(values):
        if value is not None and earlier is not None:
            absolute = value - earlier
            relative = absolute / abs(earlier) if earlier != 0 else None
            if isfinite(absolute) and (relative is None or isfinite(relative)):
                better = None if direction is None or absolute == 0 else (absolute > 0) == higher
                changes[index] = make(
                    Change, (labels[index - 1], earlier, absolute, relative, better)
                )
        earlier = value
    return changes


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

    @property
    def info(self) -> KpiInfo:
        kpi = self.kpi
        return KpiInfo(
            self.kpi_id,
            self.name,
            self.target,
            kpi.direction,
            kpi.department,
            kpi.owner,
            kpi.unit,
            self.contributors,
        )

    @cached_property
    def evaluator(self) -> tuple[tuple[str, ...], ColumnEvaluator]:
        assert isinstance(self.formula, Formula)
        return column_evaluator(self.formula)

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
