"""Metric values by period: what KPI formulas are evaluated on.

A period is a label such as ``2026-01``, ``2026-Q1``, ``2026-W05`` or ``FY2026``.
Periods are ordered *naturally*: as text, except that runs of digits compare as
numbers, so ``2026-W9`` comes before ``2026-W10`` and ``2026-01`` before ``2026-12``.
"The previous period" of a period is the one before it in that order among the
periods present in the data. Use one labelling scheme per file.

Reading data files is the loading layer's job (:mod:`crmorg.loading.metric_data`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Final

__all__ = ["MAX_PERIOD_LENGTH", "MetricData", "natural_order", "period_sort_key"]

MAX_PERIOD_LENGTH: Final = 64
_DIGITS: Final = re.compile(r"(\d+)")


def period_sort_key(period: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: digit runs compare as numbers, other text as (case-folded) text."""
    parts: list[tuple[int, int | str]] = []
    for index, part in enumerate(_DIGITS.split(period)):
        if index % 2:
            parts.append((0, int(part)))
        elif part:
            parts.append((1, part.casefold()))
    # The original text breaks ties (`2026-1` vs `2026-01`), so the order is total; it
    # ranks below any further part, so a label comes before its extensions.
    parts.append((-1, period))
    return tuple(parts)


class MetricData:
    """Metric values: period -> metric id -> value (finite floats).

    ``source`` names where the values came from (a file name), for messages. The
    values are held by metric (:meth:`column`), as KPIs are evaluated: a formula reads
    one column per metric over every period. :meth:`of_columns` builds it so, without
    a mapping per period (a data file of a million periods needs none); ``values`` and
    :meth:`at` give the same values by period.
    """

    __slots__ = ("__dict__", "_aligned", "_columns", "_labels", "source")

    def __init__(
        self, values: Mapping[str, Mapping[str, float]] | None = None, source: str = ""
    ) -> None:
        given = values or {}
        columns: dict[str, dict[str, float]] = {}
        for period, metrics in given.items():
            for metric, value in metrics.items():
                columns.setdefault(metric, {})[period] = value
        self._labels: tuple[str, ...] = tuple(given)
        self._columns: dict[str, dict[str, float]] | None = columns
        self._aligned: dict[str, list[float | None]] | None = None
        self.source = source

    @classmethod
    def of_columns(
        cls, periods: Iterable[str], columns: Mapping[str, dict[str, float]], source: str = ""
    ) -> MetricData:
        """The data of ``periods`` (each once, a period without values too) whose values
        are ``columns``: metric id -> period -> value. The mappings are taken as they
        are: the caller gives them up."""
        data = cls.__new__(cls)
        data._labels = tuple(periods)
        data._columns = {metric: column for metric, column in columns.items() if column}
        data._aligned = None
        data.source = source
        return data

    @classmethod
    def of_aligned(
        cls, periods: Iterable[str], columns: Mapping[str, list[float | None]], source: str = ""
    ) -> MetricData:
        """The data of ``periods`` (each once) whose values are ``columns``: metric id ->
        a value, or ``None`` for none, for each period in that order. The lists are
        taken as they are (the caller gives them up), and read as they are when the
        periods are in natural order (:meth:`in_order`): a file of a million periods by
        date needs no mapping of them."""
        data = cls.__new__(cls)
        data._labels = tuple(periods)
        data._columns = None
        data._aligned = {
            metric: column
            for metric, column in columns.items()
            if column.count(None) != len(column)
        }
        data.source = source
        return data

    def _maps(self) -> dict[str, dict[str, float]]:
        """metric -> period -> value (made once from aligned columns, when asked)."""
        if self._columns is None:
            labels = self._labels
            self._columns = {
                metric: {
                    period: value
                    for period, value in zip(labels, column, strict=True)
                    if value is not None
                }
                for metric, column in (self._aligned or {}).items()
            }
        return self._columns

    def in_order(self, metric: str) -> list[float | None] | None:
        """``metric``'s value (``None`` for none) in each of :attr:`periods`, when the
        data holds it so (:meth:`of_aligned`, periods given in natural order); ``None``
        otherwise. The list is the data's own: read it, do not change it."""
        if self._aligned is None or self.periods != self._labels:
            return None
        column = self._aligned.get(metric)
        return column if column is not None else [None] * len(self._labels)

    @cached_property
    def values(self) -> Mapping[str, Mapping[str, float]]:
        """period -> metric id -> value, periods in the order they were given."""
        rows: dict[str, dict[str, float]] = {period: {} for period in self._labels}
        for metric, column in self._maps().items():
            for period, value in column.items():
                rows[period][metric] = value
        return MappingProxyType({period: MappingProxyType(row) for period, row in rows.items()})

    @cached_property
    def periods(self) -> tuple[str, ...]:
        """Every period, in natural order (sorted once)."""
        return natural_order(self._labels)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics with at least one entry, in the order first met."""
        return tuple(self._aligned if self._columns is None else self._columns)  # type: ignore[arg-type]

    def column(self, metric: str) -> Mapping[str, float]:
        """``metric``'s values: period -> value (a period without one is absent)."""
        return MappingProxyType(self._maps().get(metric, {}))

    def at(self, period: str) -> Mapping[str, float]:
        """The metric values of ``period`` (empty when the period has none)."""
        return self.values.get(period, MappingProxyType({}))

    def previous(self, period: str) -> str | None:
        """The period before ``period`` in natural order, or ``None`` for the first."""
        periods = self.periods
        if period not in self.values:
            return None
        index = periods.index(period)
        return periods[index - 1] if index > 0 else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MetricData):
            return NotImplemented
        return self.source == other.source and self.values == other.values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MetricData({dict(self.values)!r}, source={self.source!r})"


_DIGIT_SHAPE: Final = str.maketrans("0123456789", "0000000000")


def natural_order(labels: Iterable[str]) -> tuple[str, ...]:
    """``labels`` sorted by :func:`period_sort_key`.

    When every label has the same shape (the same text with digits in the same places:
    ``2026-01-15``, ``w0000042``), that order is the labels' own text order, which
    sorts a million of them without a key each."""
    given = tuple(labels)
    if _one_shape(given):
        return tuple(sorted(given))
    shapes = {label.translate(_DIGIT_SHAPE) for label in given}
    if len(shapes) <= 1:
        return tuple(sorted(given))
    return tuple(sorted(given, key=period_sort_key))


def _one_shape(labels: tuple[str, ...]) -> bool:
    """Whether ``labels`` all have one shape, by one ``str.translate`` of them all."""
    if not labels:
        return True
    joined = "\n".join(labels)
    if joined.count("\n") != len(labels) - 1:
        return False  # a label holds a line break: read them one by one
    first = labels[0].translate(_DIGIT_SHAPE)
    return joined.translate(_DIGIT_SHAPE) == (first + "\n") * (len(labels) - 1) + first
