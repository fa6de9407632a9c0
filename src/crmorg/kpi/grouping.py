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
from typing import Final

from crmorg.catalogs import messages
from crmorg.kpi.data import MetricData
from crmorg.kpi.models import Aggregate, Frequency, Metric
from crmorg.kpi.periods import buckets, calendar_period, parts_in

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
    members: dict[str, list[str]] = {}
    placed = buckets(periods, frequency) if frequency is not None else [None] * len(periods)
    for label, period in zip(placed, periods, strict=True):
        group = members.get(label or period)
        if group is None:
            members[label or period] = [period]
        else:
            group.append(period)
    columns = [(metric, data.column(metric)) for metric in data.metrics]
    combine = [(metric, column, _combiner(metrics.get(metric))) for metric, column in columns]
    grouped: list[PeriodValues] = []
    for label, inside in members.items():
        if len(inside) == 1 and inside[0] == label:
            grouped.append(
                PeriodValues(
                    label, {metric: column[label] for metric, column in columns if label in column}
                )
            )
            continue
        first = calendar_period(inside[0])
        whole = parts_in(label, first.grain) if first is not None else None
        grouped.append(
            PeriodValues(
                label, _combined(inside, combine), (len(inside), whole), inside[0], inside[-1]
            )
        )
    return tuple(grouped)


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
        values = [column[period] for period in periods if period in column]
        if not values or (len(values) < len(periods) and not snapshot):
            continue  # not measured in some of the data periods: no value for the whole
        combined[metric] = combiner(values)
    return combined
