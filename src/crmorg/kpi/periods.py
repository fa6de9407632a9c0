"""Calendar periods: which data periods make up a KPI's period of its ``frequency``.

Data periods are labels (:mod:`crmorg.kpi.data`). The ones this module reads as
calendar periods are:

- a day ``2026-01-15``; an ISO week ``2026-W05`` (or ``2026-W5``);
- a month ``2026-01``; a quarter ``2026-Q1``;
- a year ``2026`` or ``FY2026`` (read as the calendar year).

A KPI of frequency ``monthly`` is evaluated once per month over the data periods
inside that month, a ``quarterly`` one per quarter, a ``yearly`` one per year, and so
on: :func:`bucket` names the KPI period a data period falls in (``2026-Q1`` for
``2026-02`` and a quarterly KPI). A week belongs to the month, quarter and year of its
Thursday (as ISO weeks belong to years). A data period that is no calendar period, or
coarser than the KPI's frequency (a month of data for a weekly KPI), cannot be split
or grouped: the KPI is evaluated on it as it is.

:func:`parts_in` says how many data periods of one kind make a whole KPI period (3
months in a quarter), so the scorecard can say when a period is not complete yet.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Final, Literal, TypeAlias

from crmorg.kpi.data import period_sort_key
from crmorg.kpi.models import Frequency

__all__ = [
    "CalendarPeriod",
    "Grain",
    "any_calendar_periods",
    "bucket",
    "buckets",
    "calendar_period",
    "day_runs",
    "parts_in",
    "period_order",
    "shapes",
]

Grain: TypeAlias = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
_RANK: Final[dict[str, int]] = {
    "daily": 0,
    "weekly": 1,
    "monthly": 2,
    "quarterly": 3,
    "yearly": 4,
}
_DAY: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK: Final = re.compile(r"(\d{4})-W(\d{1,2})", re.IGNORECASE)
_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_QUARTER: Final = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
_YEAR: Final = re.compile(r"(?:FY)?(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class CalendarPeriod:
    """A data period read as a span of days: its grain and first and last day."""

    grain: Grain
    first: date
    last: date

    @property
    def anchor(self) -> date:
        """The day that decides which longer period it belongs to (a week's Thursday)."""
        return self.first + timedelta(days=3) if self.grain == "weekly" else self.first


@lru_cache(maxsize=65536)
def calendar_period(label: str) -> CalendarPeriod | None:
    """``label`` as a calendar period, or ``None`` when it is none (``P1``, ``sprint-3``)."""
    try:
        if match := _DAY.fullmatch(label):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return CalendarPeriod("daily", day, day)
        if match := _WEEK.fullmatch(label):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return CalendarPeriod("weekly", monday, monday + timedelta(days=6))
        if match := _MONTH.fullmatch(label):
            first = date(int(match[1]), int(match[2]), 1)
            return CalendarPeriod("monthly", first, _month_end(first))
        if match := _QUARTER.fullmatch(label):
            first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
            return CalendarPeriod("quarterly", first, _month_end(_add_months(first, 2)))
        if match := _YEAR.fullmatch(label):
            year = int(match[1])
            return CalendarPeriod("yearly", date(year, 1, 1), date(year, 12, 31))
    except ValueError:  # 2026-13, 2026-02-30, 2026-W54: not a calendar period
        return None
    return None


_DIGIT_SHAPE: Final = str.maketrans("0123456789", "0000000000")
_PATTERNS: Final = (_DAY, _WEEK, _MONTH, _QUARTER, _YEAR)


def any_calendar_periods(labels: Iterable[str]) -> bool:
    """Whether some of ``labels`` may be calendar periods. Whether a label matches one
    of the patterns depends on its shape alone (its text with each digit as ``0``), so
    one label of each shape tells, for a million labels such as ``w0000042``."""
    # A pattern's digits are \\d, which Unicode digits match too: the shape matches
    # as the label does.
    return any(pattern.fullmatch(shape) for shape in shapes(labels) for pattern in _PATTERNS)


def shapes(labels: Iterable[str]) -> set[str]:
    """The distinct shapes of ``labels``: each label's text with every ASCII digit as
    ``0`` (one ``str.translate`` of all of them, when no label holds a line break)."""
    given = list(labels)
    if not given:
        return set()
    joined = "\n".join(given)
    if joined.count("\n") != len(given) - 1:
        return {label.translate(_DIGIT_SHAPE) for label in given}
    shaped = joined.translate(_DIGIT_SHAPE)
    first = given[0].translate(_DIGIT_SHAPE)
    if shaped == (first + "\n") * (len(given) - 1) + first:  # one shape (no list of them)
        return {first}
    return set(shaped.split("\n"))


def bucket(label: str, frequency: Frequency | None) -> str | None:
    """The label of the ``frequency`` period that data period ``label`` is part of, or
    ``None`` when it cannot be grouped so (no calendar period, or a coarser one)."""
    if frequency is None:
        return None
    return _bucket(label, frequency)


def buckets(labels: Iterable[str], frequency: Frequency) -> list[str | None]:
    """:func:`bucket` of each of ``labels``, linear in them: a day ``2026-03-17`` or a
    month ``2026-03`` (ASCII digits, a year from 1000) is placed by slicing its text,
    once its month is known to be a real one (and its day within that month); any
    other label as :func:`bucket` places it."""
    labels = list(labels)
    if frequency in ("monthly", "quarterly", "yearly"):
        joined = "\n".join(labels)
        if joined.count("\n") == max(len(labels) - 1, 0) and _DAYS.fullmatch(joined):
            by_days = _days_placed(labels, joined, frequency)
            if by_days is not None:
                return by_days
    months: dict[str, _Month | None] = {}  # each month met, or None for no real one
    found: list[str | None] = []
    add = found.append
    shape_of = _DIGIT_SHAPE
    for label in labels:
        shape = label.translate(shape_of) if len(label) in (7, 10) else ""
        if (shape == "0000-00-00" or shape == "0000-00") and label[0] != "0":
            prefix = label[:7]
            if prefix not in months:
                months[prefix] = _month(prefix)
            month = months[prefix]
            if month is not None and (len(label) == 7 or "01" <= label[8:] <= month.last_day):
                placed = month.bucket(label, frequency)
                if placed is not _UNKNOWN:
                    add(placed)
                    continue
        add(_bucket(label, frequency))
    return found


_DAY_TEXT: Final = (
    "[1-9][0-9]{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))"
)
_DAYS: Final = re.compile(f"(?:{_DAY_TEXT}(?:\n{_DAY_TEXT})*+)?+")
"""Lines each a real day's text (ASCII digits, a year from 1000; a 29 February is
checked apart: :data:`_LEAP_DAYS`)."""
_LEAP_DAYS: Final = re.compile("^([0-9]{4})-02-29$", re.MULTILINE)


def day_runs(days: Sequence[str], frequency: Frequency) -> list[tuple[str, int, int]] | None:
    """The ``frequency`` periods (monthly, quarterly or yearly) of ``days``, sorted days'
    texts (:data:`_DAYS`, as :func:`crmorg.kpi.data.natural_order` sorts them), each as
    (label, index of its first day, days in it): each period's days are adjacent, so
    each is found by bisection. ``None`` for other labels or frequencies."""
    if frequency not in ("monthly", "quarterly", "yearly") or not days:
        return None
    joined = "\n".join(days)
    if joined.count("\n") != len(days) - 1 or not _DAYS.fullmatch(joined):
        return None
    if not _leap_days_real(joined):
        return None
    runs: list[tuple[str, int, int]] = []
    start = 0
    while start < len(days):
        day = days[start]
        if frequency == "monthly":
            label, last = day[:7], day[:7] + "-99"
        elif frequency == "yearly":
            label, last = day[:4], day[:4] + "-99"
        else:
            quarter = (int(day[5:7]) - 1) // 3 + 1
            label, last = f"{day[:4]}-Q{quarter}", f"{day[:4]}-{3 * quarter:02d}-99"
        end = bisect_right(days, last, start)  # past every day of the period
        if end <= start:
            return None  # the days are not sorted
        runs.append((label, start, end - start))
        start = end
    return runs


_YEAR_OF: Final = itemgetter(slice(0, 4))
_MONTH_OF: Final = itemgetter(slice(0, 7))


def _days_placed(days: list[str], joined: str, frequency: Frequency) -> list[str | None] | None:
    """:func:`buckets` of ``days`` (``joined``: their lines, :data:`_DAYS`) into months,
    quarters or years, by slicing their text with C calls over the list; ``None`` when
    one is a 29 February of a year that has none (which :func:`bucket` places)."""
    if not _leap_days_real(joined):
        return None
    if frequency == "yearly":
        return list(map(_YEAR_OF, days))
    months: list[str | None] = list(map(_MONTH_OF, days))
    if frequency == "monthly":
        return months
    quarters = {
        month: f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
        for month in set(months)
        if month is not None
    }
    return list(map(quarters.__getitem__, months))  # type: ignore[arg-type]


def _leap_days_real(joined: str) -> bool:
    """Whether each 29 February among the lines of ``joined`` is of a leap year."""
    for leap in _LEAP_DAYS.finditer(joined):
        year = int(leap[1])
        if year % 4 or (year % 100 == 0 and year % 400):
            return False
    return True


@lru_cache(maxsize=65536)
def _month(label: str) -> _Month | None:
    return _Month.of(label)


@dataclass(frozen=True)
class _Month:
    """A calendar month ``YYYY-MM``: its last day (two digits) and what it falls in."""

    label: str
    last_day: str

    @classmethod
    def of(cls, label: str) -> _Month | None:
        period = calendar_period(label)
        if period is None:
            return None
        return cls(label, f"{period.last.day:02d}")

    def bucket(self, label: str, frequency: Frequency) -> str | None:
        """Where ``label`` (this month, or a day of it) goes; ``_UNKNOWN`` for a
        frequency this does not place by text (weeks)."""
        if frequency == "monthly":
            return self.label
        if frequency == "yearly":
            return self.label[:4]
        if frequency == "quarterly":
            return f"{self.label[:4]}-Q{(int(self.label[5:]) - 1) // 3 + 1}"
        if frequency == "daily" and len(label) == 10:
            return label
        return _UNKNOWN


_UNKNOWN: Final = "\x00unknown\x00"
"""What :meth:`_Month.bucket` gives for a frequency it does not place (no label holds
a control character)."""


@lru_cache(maxsize=262144)
def _bucket(label: str, frequency: Frequency) -> str | None:
    period = calendar_period(label)
    if period is None or _RANK[period.grain] > _RANK[frequency]:
        return None
    day = period.anchor
    if frequency == "daily":
        return day.isoformat()
    if frequency == "weekly":
        year, week, _ = period.first.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == "monthly":
        return f"{day.year}-{day.month:02d}"
    if frequency == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


@lru_cache(maxsize=65536)
def parts_in(label: str, grain: Grain) -> int | None:
    """How many data periods of ``grain`` make up the calendar period ``label`` (a KPI
    period from :func:`bucket`), or ``None`` when that cannot be told."""
    period = calendar_period(label)
    if period is None or _RANK[grain] > _RANK[period.grain]:
        return None
    days = (period.last - period.first).days + 1
    if grain == "daily":
        return days
    if grain == "weekly":
        if period.grain == "weekly":
            return 1
        # Weeks whose Thursday falls inside the period.
        thursdays = (period.first.weekday() - 3) % 7
        first_thursday = period.first + timedelta(days=(7 - thursdays) % 7)
        return 0 if first_thursday > period.last else (period.last - first_thursday).days // 7 + 1
    months = (period.last.year - period.first.year) * 12 + period.last.month - period.first.month
    return months + 1 if grain == "monthly" else (months + 1) // 3


def period_order(label: str) -> tuple[object, ...]:
    """A sort key that puts calendar periods by their last day, a shorter one before a
    longer one ending the same day (``2026-03``, ``2026-Q1``), and other labels after."""
    period = calendar_period(label)
    if period is None:
        return (1, date.min, 0, period_sort_key(label))
    return (0, period.last, _RANK[period.grain], period_sort_key(label))


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)
