"""Reading a clean metric data CSV a column at a time: a million rows in C calls.

:func:`read_clean_rows` reads the lines of an unquoted CSV file (after its header) that
hold nothing to report, :data:`CHUNK` lines at a time: each chunk joined and split at
its commas once, each column of cells checked (the metrics known, the periods
non-empty, short and printable, the values numbers, :data:`NUMBER`, in one match) and
converted by the C string functions. A file that lists the same metrics for every
period keeps them as a list of values per metric (``None`` for an empty one), one for
each period, with no mapping of its periods. Any row with something to report gives
``None``: :mod:`crmorg.loading.metric_data` then reads the file row by row and reports
each problem at its line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import lt
from typing import Final

from crmorg.kpi.data import MAX_PERIOD_LENGTH

__all__ = ["CHUNK", "NUMBER", "CleanColumns", "read_clean_rows"]

NUMBER: Final = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
"""A value as it may be written: a plain decimal number."""
_NUMBERS: Final = re.compile(rf"(?>{NUMBER.pattern})?+(?:\n(?>{NUMBER.pattern})?+)*+")
"""Lines each a number or empty: a column of values checked in one match."""
CHUNK: Final = 221_760
"""Lines checked at a time: few enough that the cells of one chunk are little memory,
a multiple of every count of metrics up to 12 (so each chunk starts at a period's
first metric, when every period lists the same ones)."""


@dataclass(frozen=True)
class CleanColumns:
    """What a clean file holds: its periods, once each in the order first read, and
    its values either as lists (``aligned``: metric -> a value or ``None`` for each
    period) or as mappings (``columns``: metric -> period -> value)."""

    periods: list[str]
    aligned: dict[str, list[float | None]] | None
    columns: dict[str, dict[str, float]]


def read_clean_rows(
    body: list[str],
    width: int,
    header: dict[str, int],
    metrics: Collection[str],
    max_periods: int,
) -> CleanColumns | None:
    """The values of ``body``, the lines after a header of ``width`` cells whose
    columns ``header`` places, when every line is a row of ``width`` cells with nothing
    to report (a known metric, a period, a number or nothing, within ``max_periods``
    periods, no second value for a period and metric); ``None`` otherwise."""
    known = frozenset(metrics)
    found = _Columns({metric: {} for metric in metrics})
    for start in range(0, len(body), CHUNK):
        if not _read_chunk(body[start : start + CHUNK], width, header, known, found):
            return None
    periods = found.periods()
    if len(periods) > max_periods:
        return None  # more periods than the limit
    if found.listed:  # the same metrics for every period: held as lists
        # Rising periods (a file by date) are each new; others are counted.
        if not all(map(lt, periods, islice(periods, 1, None))) and len(set(periods)) != len(
            periods
        ):
            return None  # a period twice: a second value for each of its metrics
        aligned = {metric: found.lists[metric] for metric in metrics if metric in found.lists}
        return CleanColumns(periods, aligned, {})
    if sum(map(len, found.read.values())) != len(body):
        return None  # a second value for a period and metric
    columns: dict[str, dict[str, float]] = {}
    for metric, column in found.read.items():
        if None in column.values():  # an empty value: the period counts, with no value
            column = {period: value for period, value in column.items() if value is not None}
        columns[metric] = column  # type: ignore[assignment]
    return CleanColumns(periods, None, columns)


def _read_chunk(
    lines: list[str],
    width: int,
    header: dict[str, int],
    metrics: frozenset[str],
    found: _Columns,
) -> bool:
    """One chunk of :func:`read_clean_rows` into ``found``; ``False`` at the first
    problem."""
    if set(map(str.count, lines, repeat(","))) != {width - 1}:
        return False
    text = ",".join(lines)
    # No space and no control character: no cell to strip, every period printable.
    plain = " " not in text and text.isprintable()
    cells = text.split(",")
    del text
    periods = cells[header["period"] :: width]
    names = cells[header["metric"] :: width]
    raws = cells[header["value"] :: width]
    del cells
    if not plain:
        periods, raws = list(map(str.strip, periods)), list(map(str.strip, raws))
    step = _stride(names)
    if not set(names[:step] if step else names) <= metrics:  # unknown, or to strip
        names = list(map(str.strip, names))
        step = _stride(names)
        if not set(names[:step] if step else names) <= metrics:
            return False
    if (
        not all(periods)
        or max(map(len, periods)) > MAX_PERIOD_LENGTH
        or not (plain or "".join(periods).isprintable())
        or not _NUMBERS.fullmatch("\n".join(raws))
    ):
        return False
    numbers = list(map(float, filter(None, raws)))
    if numbers and max(map(abs, numbers)) == math.inf:
        return False  # a number too large for a float
    values: list[float | None] = numbers  # type: ignore[assignment]
    if len(numbers) != len(raws):
        given = iter(numbers)
        values = [next(given) if raw else None for raw in raws]
    found.add(periods, names, values, step)
    return True


@dataclass
class _Columns:
    """What the chunks of a clean CSV file hold: values by metric (``None`` for an
    empty one), and the periods in the order first read."""

    read: dict[str, dict[str, float | None]]
    order: dict[str, None] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    """The periods while every chunk lists the same metrics (:attr:`listed`) for each
    period in the same order: each is then new (a period seen before would have a
    second value for each metric), and no mapping of them is needed."""
    listed: tuple[str, ...] | None = None
    """Those metrics; ``None`` before the first chunk, ``()`` once not so."""
    lists: dict[str, list[float | None]] = field(default_factory=dict)
    """While so: each metric's values, one for each of :attr:`labels`."""

    def add(
        self, periods: list[str], names: list[str], values: list[float | None], step: int | None
    ) -> None:
        """One chunk's cells; ``step``: its :func:`_stride`."""
        if step:
            # Every period lists the same metrics in the same order: a column per stride.
            listed = tuple(names[:step])
            firsts = periods[::step]
            same = all(periods[offset::step] == firsts for offset in range(1, step))
            self.periods_read(firsts if same else periods, listed if same else ())
            if self.listed:  # a list of values per metric, one for each period
                for offset, metric in enumerate(listed):
                    self.lists.setdefault(metric, []).extend(values[offset::step])
                return
            for offset, metric in enumerate(listed):
                # One string per period for every column (hashed once) when they agree.
                keys = firsts if same else periods[offset::step]
                self.read[metric].update(zip(keys, values[offset::step], strict=True))
            return
        self.periods_read(periods, ())
        read = self.read
        for metric, period, value in zip(names, periods, values, strict=True):
            read[metric][period] = value

    def periods_read(self, periods: list[str], listed: tuple[str, ...]) -> None:
        """Record ``periods``, read in order; ``listed``: the metrics each lists, or
        ``()`` when that is not known."""
        if self.listed is None:
            self.listed = listed
        if listed and listed == self.listed:
            self.labels += periods
            return
        if self.listed:  # no longer the same metrics: into mappings
            self.order.update(zip(self.labels, repeat(None)))
            for metric, values in self.lists.items():
                self.read[metric].update(zip(self.labels, values, strict=True))
            self.labels.clear()
            self.lists.clear()
            self.listed = ()
        self.order.update(zip(periods, repeat(None)))

    def periods(self) -> list[str]:
        """Every period read, once, in the order first read."""
        return self.labels if self.listed else list(self.order)


def _stride(names: list[str]) -> int | None:
    """How many rows each period takes when ``names`` repeat one listing of distinct
    metrics (``won, lost, won, lost``): the length of that listing; else ``None``. Found
    without hashing every name (a million rows name a few metrics)."""
    if not names:
        return None
    try:
        step = names.index(names[0], 1)
    except ValueError:
        step = len(names)
    listed = names[:step]
    if len(names) % step or len(set(listed)) != step or names != listed * (len(names) // step):
        return None
    return step
