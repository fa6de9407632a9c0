"""Metric data grouped into a KPI's periods: a yearly KPI's year from twelve months.

:func:`group_periods` turns the data's periods into the periods of one frequency
(:mod:`crmorg.kpi.periods`), each with its metric values combined as each metric's
``aggregate`` says (:attr:`crmorg.kpi.models.Metric.combined_by`): a year's revenue is
the sum of its months, its headcount the last month's. A metric has a value in a KPI
period only when it has one in every data period of it: a quarter's sum over two of
its three months would be no number anyone measured, so a KPI that uses it is
``no-data`` there (the scorecard names the metric). A level combined by ``first`` or
``last`` (headcount) takes the earliest or latest reading there is.

Grouping is one pass over the data, once per frequency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Final, cast

from crmorg.catalogs import messages
from crmorg.kpi.data import MetricData
from crmorg.kpi.models import Aggregate, Frequency, Metric
from crmorg.kpi.periods import buckets, calendar_period, day_runs, parts_in

__all__ = ["PeriodValues", "group_periods"]


def _average(values: Sequence[float]) -> float:
    return sum(values) / len(values)


_COMBINE: Final[dict[Aggregate, Callable[[Sequence[float]], float]]] = {
    "sum": sum,
    "average": _average,
    "first": lambda values: values[0],
    "last": lambda values: values[-1],
    "min": min,
    "max": max,
}


_SNAPSHOTS: Final = frozenset({"first", "last"})
"""Aggregates of a level (headcount), which the earliest or latest reading gives."""


@dataclass(frozen=True)
class PeriodValues:
    """One period of a KPI: its label, its metric values, and what it was made of.

    ``parts`` is ``None`` for a data period taken as it is, else (data periods in it,
    data periods that make it whole or ``None``); ``first`` and ``last`` are its first
    and last data periods.
    """

    label: str
    values: Mapping[str, float]
    parts: tuple[int, int | None] | None = None
    first: str = ""
    last: str = ""

    @property
    def partial(self) -> bool:
        parts = self.parts
        return parts is not None and parts[1] is not None and parts[0] < parts[1]

    def note(self, lang: str) -> str:
        """Why the value covers less than the whole period, in ``lang``."""
        assert self.parts is not None
        span = self.first if self.first == self.last else f"{self.first} – {self.last}"
        return messages(lang)["scorecard.note.partial"].format(
            period=self.label, have=self.parts[0], whole=self.parts[1], span=span
        )


def group_periods(
    data: MetricData, frequency: Frequency | None, metrics: Mapping[str, Metric]
) -> tuple[PeriodValues, ...]:
    """The periods of ``frequency`` in ``data``, in the data's order of first period."""
    periods = data.periods
    by_days = day_runs(periods, frequency) if frequency is not None else None
    runs: list[tuple[str | None, int, int]] = []  # (KPI period, first, data periods)
    if by_days is not None:  # days into months, quarters or years: found by bisection
        runs += by_days
    else:
        placed = buckets(periods, frequency) if frequency else [None] * len(periods)
        start = 0
        for label, run in groupby(placed):  # a KPI period's data periods are mostly adjacent
            count = len(list(run))
            runs.append((label, start, count))
            start += count
    members: Mapping[str, Sequence[str]]
    combined: list[dict[str, float]] | None = None
    labels = [label for label, _, _ in runs]
    if None not in labels and len(set(labels)) == len(runs):
        members = {str(label): periods[begin : begin + count] for label, begin, count in runs}
        combined = _combined_runs(data, periods, runs, metrics)
    else:
        lists: dict[str, list[str]] = {}
        for label, begin, count in runs:
            for period in periods[begin : begin + count]:
                lists.setdefault(label or period, []).append(period)
        members = lists
    columns: list[tuple[str, Mapping[str, float]]] = []
    combine: list[tuple[str, Mapping[str, float], tuple[Callable[[Sequence[float]], float], bool]]]
    combine = []
    if combined is None or any(len(inside) == 1 for inside in members.values()):
        columns += [(metric, data.column(metric)) for metric in data.metrics]
        combine += [(metric, column, _combiner(metrics.get(metric))) for metric, column in columns]
    grouped: list[PeriodValues] = []
    for index, (label, inside) in enumerate(members.items()):
        if len(inside) == 1 and inside[0] == label:
            grouped.append(
                PeriodValues(
                    label, {metric: column[label] for metric, column in columns if label in column}
                )
            )
            continue
        first = calendar_period(inside[0])
        whole = parts_in(label, first.grain) if first is not None else None
        values = combined[index] if combined is not None else _combined(inside, combine)
        grouped.append(PeriodValues(label, values, (len(inside), whole), inside[0], inside[-1]))
    return tuple(grouped)


def _combined_runs(
    data: MetricData,
    periods: Sequence[str],
    runs: Sequence[tuple[str | None, int, int]],
    metrics: Mapping[str, Metric],
) -> list[dict[str, float]]:
    """:func:`_combined` of each run of adjacent data periods (each a KPI period): a
    metric measured in every period, in their order (the common case: a file by
    date), is read as the slices of its values, without a look-up per period."""
    combined: list[dict[str, float]] = [{} for _ in runs]
    for metric in data.metrics:
        combiner, snapshot = _combiner(metrics.get(metric))
        held = data.in_order(metric) if periods == data.periods else None
        if held is not None and None not in held:
            for found, (_, first, count) in zip(combined, runs, strict=True):
                found[metric] = combiner(held[first : first + count])  # type: ignore[arg-type]
            continue
        column = data.column(metric)
        if len(column) == len(periods) and list(column) == list(periods):
            values = list(column.values())
            for found, (_, first, count) in zip(combined, runs, strict=True):
                found[metric] = combiner(values[first : first + count])
            continue
        for found, (_, first, count) in zip(combined, runs, strict=True):
            given = [
                value
                for value in map(column.get, periods[first : first + count])
                if value is not None
            ]
            if given and (len(given) == count or snapshot):
                found[metric] = combiner(given)
    return combined


def _combiner(declared: Metric | None) -> tuple[Callable[[Sequence[float]], float], bool]:
    """How a metric's values are combined, and whether a period missing one still has
    a combined value (a level such as headcount)."""
    aggregate = declared.combined_by if declared is not None else "sum"
    return _COMBINE[aggregate], aggregate in _SNAPSHOTS


def _combined(
    periods: Sequence[str],
    combine: Sequence[
        tuple[str, Mapping[str, float], tuple[Callable[[Sequence[float]], float], bool]]
    ],
) -> dict[str, float]:
    """Each metric's values over ``periods`` combined (a metric read by column)."""
    combined: dict[str, float] = {}
    for metric, column, (combiner, snapshot) in combine:
        found = list(map(column.get, periods))
        values = cast(
            "list[float]", found if None not in found else [v for v in found if v is not None]
        )
        if not values or (len(values) < len(periods) and not snapshot):
            continue  # not measured in some of the data periods: no value for the whole
        combined[metric] = combiner(values)
    return combined
