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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Final

__all__ = ["MAX_PERIOD_LENGTH", "MetricData", "period_sort_key"]

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


@dataclass(frozen=True)
class MetricData:
    """Metric values: period -> metric id -> value (finite floats).

    ``source`` names where the values came from (a file name), for messages.
    """

    values: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        frozen = {
            period: MappingProxyType(dict(metrics)) for period, metrics in self.values.items()
        }
        object.__setattr__(self, "values", MappingProxyType(frozen))

    @cached_property
    def periods(self) -> tuple[str, ...]:
        """Every period, in natural order (sorted once)."""
        return tuple(sorted(self.values, key=period_sort_key))

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
