"""Reading metric values for ``crmorg kpi``: CSV or YAML, with a finding for each bad row.

CSV (``.csv``): a header row naming the columns ``period``, ``metric`` and ``value``
(in any order; other columns are ignored), then one row per value::

    period,metric,value
    2026-01,opportunities_won,12
    2026-01,opportunities_lost,30

YAML (``.yaml``/``.yml``): a mapping from period to a mapping from metric to value::

    2026-01: {opportunities_won: 12, opportunities_lost: 30}
    "2026-02": {opportunities_won: 15}

Values are plain decimal numbers (``12``, ``-0.5``, ``1e3``): no units, thousands
separators or ``%`` (a percent is a fraction, ``0.85``). An empty CSV value or a YAML
``null`` means "not measured": the period exists, the metric has no value. Every bad
row is a ``schema`` finding at its ``file:line:column`` — an unknown metric, a value
that is not a finite number, a second value for the same period and metric (the first
is kept), missing columns — and bad rows are left out; the rest is still read.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from crmorg.findings import Finding, Location
from crmorg.gcpause import paused_gc
from crmorg.kpi.data import MAX_PERIOD_LENGTH, MetricData
from crmorg.loading.csv_positions import CsvLines, CsvTextError, cell_locations, csv_rows
from crmorg.loading.files import display_name
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import DEFAULT_LIMITS, Limits, exceeded
from crmorg.loading.metric_columns import NUMBER, read_clean_rows
from crmorg.loading.yaml_nodes import parse_yaml
from crmorg.text import printable

__all__ = ["DATA_FORMATS", "MAX_DATA_FINDINGS", "MetricDataResult", "read_metric_data"]

DATA_FORMATS: Final = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}
MAX_DATA_FINDINGS: Final = 100
_COLUMNS: Final = ("period", "metric", "value")
_NUMBER: Final = NUMBER
_INT_KEY: Final = re.compile(r"0|[1-9][0-9]*")
_NON_FINITE: Final = frozenset({"nan", "inf", "infinity", ".nan", ".inf"})
_MAX_FIELD: Final = 1_000_000
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
csv.field_size_limit(_MAX_FIELD)


@dataclass(frozen=True)
class MetricDataResult:
    """The values that could be read, and a finding for everything that could not."""

    data: MetricData
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not any(finding.severity.value == "error" for finding in self.findings)


def read_metric_data(
    path: str | Path,
    metrics: Collection[str],
    *,
    data_format: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> MetricDataResult:
    """Read metric values from ``path``; ``metrics`` are the ids the model declares.

    ``data_format`` is ``"csv"`` or ``"yaml"``; by default it follows the file suffix.
    Raises ``FileNotFoundError`` when ``path`` does not exist and ``ValueError`` for a
    format it cannot tell; every problem inside the file is a finding.
    """
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    kind = data_format or DATA_FORMATS.get(file.suffix.lower())
    if kind not in ("csv", "yaml"):
        raise ValueError(f"cannot tell the format of {file.name}: name it *.csv, *.yaml or *.yml")
    reader = _Reader(display_name(file), frozenset(metrics), max_periods=limits.max_kpi_periods)
    size = file.stat().st_size
    if size > limits.max_file_bytes:
        reader.problem(
            exceeded(
                "max_file_bytes",
                limits.max_file_bytes,
                f"the data file is {size:,} bytes",
                "it was not read: split it by period",
            ),
            1,
            1,
            "limit-exceeded",
        )
    else:
        with paused_gc():  # a million periods of values hold no cycles (crmorg.gcpause)
            if kind == "csv":
                reader.read_csv(file, limits)
            else:
                reader.read_yaml(file, limits)
    return reader.result()


@dataclass
class _Reader:
    name: str
    metrics: frozenset[str]
    periods: dict[str, None] = field(default_factory=dict)
    """Every period read, in the order first read."""
    columns: dict[str, dict[str, float]] = field(default_factory=dict)
    """metric -> period -> value: how the scorecard reads them."""
    first_seen: dict[str, dict[str, int]] = field(default_factory=dict)
    """metric -> period -> the line of the value recorded (an empty one too)."""
    findings: list[Finding] = field(default_factory=list)
    dropped: int = 0
    parser_locations: set[Location] = field(default_factory=set)
    max_periods: int = DEFAULT_LIMITS.max_kpi_periods
    labels: list[str] | None = None
    """The periods read, once each in order, when the reader read them so (the clean
    CSV reader); ``periods`` holds them otherwise."""
    aligned: dict[str, list[float | None]] | None = None
    """metric -> its value (``None`` for none) for each of ``labels``, when the clean
    CSV reader read them so; ``columns`` holds them otherwise."""
    periods_cut: bool = False
    """Whether a period past ``max_periods`` was left out (reported once)."""

    def result(self) -> MetricDataResult:
        findings = list(self.findings)
        if self.dropped:
            findings.append(
                make_finding(
                    "schema",
                    f"... and {self.dropped:,} more problems in this file, not shown; "
                    "fix the ones above first",
                    findings[-1].location,
                )
            )
        periods = self.periods if self.labels is None else self.labels
        if self.aligned is not None:
            data = MetricData.of_aligned(periods, self.aligned, self.name)
        else:
            data = MetricData.of_columns(periods, self.columns, self.name)
        return MetricDataResult(data, tuple(findings))

    def problem(self, message: str, line: int, column: int, rule: str = "schema") -> None:
        location = Location(self.name, line, column)
        if location in self.parser_locations:
            return  # the YAML reader already reported this node (e.g. an unquoted `yes`)
        if len(self.findings) >= MAX_DATA_FINDINGS:
            self.dropped += 1
            return
        self.findings.append(make_finding(rule, message, location))

    # --------------------------------------------------------------- one value

    def add(
        self,
        period: str,
        metric: str,
        value: float | None,
        where: tuple[Location, Location, Location],
    ) -> None:
        """Record one value; ``where`` locates the period, the metric and the value."""
        period_at, metric_at, _ = where
        if metric not in self.metrics:
            close = difflib.get_close_matches(metric, sorted(self.metrics), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            self.problem(
                f"`{printable(metric)}` is not a metric of the model{hint}; "
                "declare it under `metrics`, or fix the name",
                metric_at.line,
                metric_at.column,
            )
            return
        seen = self.first_seen.setdefault(metric, {})
        first = seen.get(period)
        if first is not None:
            self.problem(
                f"a second value for {printable(metric)} in period {printable(period)}; "
                f"the first is at line {first} and is kept: remove one",
                period_at.line,
                period_at.column,
            )
            return
        seen[period] = period_at.line
        self.periods.setdefault(period, None)
        if value is not None:
            self.columns.setdefault(metric, {})[period] = value

    def check_period(self, period: str, at: Location) -> str | None:
        text = period.strip()
        problem = None
        if not text:
            problem = "no period: give each row a period such as 2026-01 or 2026-Q1"
        elif len(text) > MAX_PERIOD_LENGTH:
            problem = f"a period is at most {MAX_PERIOD_LENGTH} characters long"
        elif not text.isprintable():
            problem = (
                f"the period `{printable(text)}` holds control characters; "
                "write it like 2026-01 or 2026-Q1"
            )
        if problem is not None:
            self.problem(problem, at.line, at.column)
            return None
        if text not in self.periods and len(self.periods) >= self.max_periods:
            if not self.periods_cut:
                self.periods_cut = True
                message = exceeded(
                    "max_kpi_periods",
                    self.max_periods,
                    "the data has more periods",
                    "this period and every later new one are left out: split the data by year",
                )
                self.problem(message, at.line, at.column, "limit-exceeded")
            return None
        return text

    def check_metric(self, metric: str, at: Location) -> str | None:
        text = metric.strip()
        if not text:
            self.problem("no metric: give each row the id of a metric", at.line, at.column)
            return None
        return text

    def number(self, raw: Any, metric: str, at: Location) -> tuple[bool, float | None]:
        """(ok, value): a finite number, ``None`` for "not measured", or a finding."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return True, None
        shown = printable(str(raw), 40)
        if isinstance(raw, str):
            text = raw.strip()
            if text.lower().lstrip("+-") in _NON_FINITE:
                self.problem(_not_finite(shown, metric), at.line, at.column)
                return False, None
            if not _NUMBER.fullmatch(text):
                self.problem(_not_a_number(text, metric), at.line, at.column)
                return False, None
            value = float(text)
        elif isinstance(raw, bool) or not isinstance(raw, int | float):
            self.problem(
                f"the value of {printable(metric)} must be a number, not {_kind(raw)}",
                at.line,
                at.column,
            )
            return False, None
        else:
            try:
                value = float(raw)
            except OverflowError:
                value = math.inf
        if not math.isfinite(value):
            self.problem(_not_finite(shown, metric), at.line, at.column)
            return False, None
        return True, value

    # --------------------------------------------------------------------- CSV

    def read_csv(self, file: Path, limits: Limits) -> None:
        try:
            lines = _plain_csv_lines(file, limits.max_file_bytes)
        except OSError as error:
            self.problem(f"cannot read the file: {error.strerror}", 1, 1)
            return
        if lines is not None:
            self._read_plain_csv(lines)
            return
        try:
            with file.open("rb") as stream:
                self._read_csv_rows(CsvLines(stream, limits.max_file_bytes))
        except CsvTextError as error:
            # Text that is not UTF-8 or holds NUL bytes cannot be trusted row by row:
            # none of its values are used.
            self.periods.clear()
            self.columns.clear()
            message = f"{error.message}; save it as UTF-8" if error.encoding else error.message
            self.problem(message, error.line, error.column)
        except OSError as error:
            self.problem(f"cannot read the file: {error.strerror}", 1, 1)

    def _read_csv_rows(self, lines: CsvLines) -> None:
        header: dict[str, int] | None = None
        for row, line, raw_lines in csv_rows(lines, self._csv_error):
            if header is not None and self._csv_plain_row(row, line, header):
                continue
            starts = cell_locations(self.name, line, raw_lines, len(row))
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = self._csv_header(row, starts)
                if header is None:
                    return
                continue
            self._csv_row(row, starts, header)
        if header is None:
            self.problem(
                "the file is empty: the first row is the header `period,metric,value`", 1, 1
            )

    def _read_plain_csv(self, lines: list[str]) -> None:
        """:meth:`_read_csv_rows` for text with no quotes, so that each line is a row
        and its cells are the line split at commas (what :mod:`csv` reads of it): a
        million rows are split in one pass and checked inline, and only a row with
        something to report is located and read by :meth:`_csv_row`."""
        header: dict[str, int] | None = None
        number = 0
        for number, line in enumerate(lines, start=1):
            row = line.split(",")
            if not any(cell.strip() for cell in row):
                continue
            starts = cell_locations(self.name, number, line, len(row))
            header = self._csv_header(row, starts)
            if header is None:
                return
            break
        if header is None:
            self.problem(
                "the file is empty: the first row is the header `period,metric,value`", 1, 1
            )
            return
        if self._read_clean_rows(lines[number:], lines[number - 1].count(",") + 1, header):
            return
        at_period, at_metric, at_value = header["period"], header["metric"], header["value"]
        needed = max(header.values()) + 1
        periods, first_seen, metrics = self.periods, self.first_seen, self.metrics
        max_periods, number_pattern, isfinite = self.max_periods, _NUMBER.fullmatch, math.isfinite
        lines_of = {metric: first_seen.setdefault(metric, {}) for metric in metrics}
        values_of = {metric: self.columns.setdefault(metric, {}) for metric in metrics}
        for line_number, line in enumerate(lines[number:], start=number + 1):
            row = line.split(",")
            # The checks of _csv_plain_row, inline: this loop runs once per value.
            if len(row) >= needed:
                period = row[at_period].strip()
                seen = lines_of.get(row[at_metric].strip())
                raw = row[at_value].strip()
                if (
                    seen is not None
                    and period
                    and period not in seen
                    and len(period) <= MAX_PERIOD_LENGTH
                    and (period in periods or len(periods) < max_periods)
                    and period.isprintable()
                ):
                    if not raw:
                        seen[period] = line_number
                        periods[period] = None
                        continue
                    # Digits alone (what _NUMBER's \d+ matches) need no pattern.
                    if raw.isdecimal() or number_pattern(raw):
                        value = float(raw)
                        if isfinite(value):
                            seen[period] = line_number
                            periods[period] = None
                            values_of[row[at_metric].strip()][period] = value
                            continue
            if not any(cell.strip() for cell in row):
                continue
            self._csv_row(row, cell_locations(self.name, line_number, line, len(row)), header)

    def _read_clean_rows(self, body: list[str], width: int, header: dict[str, int]) -> bool:
        """Record ``body`` (the lines after the header, which has ``width`` cells) a
        column at a time (:mod:`crmorg.loading.metric_columns`) when no row has
        anything to report; ``False``, with nothing recorded, otherwise: the loop of
        :meth:`_read_plain_csv` then reads the file row by row and reports it."""
        read = read_clean_rows(body, width, header, self.metrics, self.max_periods)
        if read is None:
            return False
        self.labels = read.periods
        if read.aligned is not None:
            self.aligned = read.aligned
        else:
            self.columns.update(read.columns)
        return True

    def _csv_error(self, error: csv.Error, line: int) -> None:
        self.problem(f"not valid CSV: {error}", line, 1)

    def _csv_header(self, row: list[str], starts: list[Location]) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        for index, cell in enumerate(row):
            name = cell.strip().lower()
            if name in columns and name in _COLUMNS:
                self.problem(
                    f"the header names column `{name}` twice; keep one",
                    starts[index].line,
                    starts[index].column,
                )
                return None
            columns.setdefault(name, index)
        missing = [name for name in _COLUMNS if name not in columns]
        if missing:
            found = ", ".join(printable(cell.strip(), 20) for cell in row)
            self.problem(
                f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; the first row must name period, metric and value "
                f"(it has: {found})",
                starts[0].line,
                starts[0].column,
            )
            return None
        return {name: columns[name] for name in _COLUMNS}

    def _csv_plain_row(self, row: list[str], line: int, header: dict[str, int]) -> bool:
        """Record a row that holds nothing to report, without locating its cells; give
        ``False`` (nothing recorded) for any other row, which :meth:`_csv_row` reads and
        reports on. A million-period file is mostly such rows."""
        try:
            period = row[header["period"]].strip()
            metric = row[header["metric"]].strip()
            raw = row[header["value"]].strip()
        except IndexError:
            return False
        if (
            not period
            or len(period) > MAX_PERIOD_LENGTH
            or not period.isprintable()
            or (period not in self.periods and len(self.periods) >= self.max_periods)
            or metric not in self.metrics
            or period in self.first_seen.get(metric, ())
        ):
            return False
        value: float | None = None
        if raw:
            if not _NUMBER.fullmatch(raw):
                return False
            value = float(raw)
            if not math.isfinite(value):
                return False
        self.first_seen.setdefault(metric, {})[period] = line
        self.periods.setdefault(period, None)
        if value is not None:
            self.columns.setdefault(metric, {})[period] = value
        return True

    def _csv_row(self, row: list[str], starts: list[Location], header: dict[str, int]) -> None:
        needed = max(header.values()) + 1
        if len(row) < needed:
            self.problem(
                f"the row has {len(row)} column{'s' if len(row) != 1 else ''}, but the header "
                f"puts {_missing_column(header, len(row))} in column {needed}: write "
                "period,metric,value",
                starts[0].line,
                starts[0].column,
            )
            return
        period_at, metric_at, value_at = (starts[header[name]] for name in _COLUMNS)
        period = self.check_period(row[header["period"]], period_at)
        if period is None:
            return
        # A period with only bad rows still shows, with no data, on the scorecard.
        self.periods.setdefault(period, None)
        metric = self.check_metric(row[header["metric"]], metric_at)
        if metric is None:
            return
        ok, value = self.number(row[header["value"]], metric, value_at)
        if ok:
            self.add(period, metric, value, (period_at, metric_at, value_at))

    # -------------------------------------------------------------------- YAML

    def read_yaml(self, file: Path, limits: Limits) -> None:
        try:
            raw = file.read_bytes()
        except OSError as error:
            self.problem(f"cannot read the file: {error.strerror}", 1, 1)
            return
        if b"\x00" in raw:
            self.problem("the file holds NUL bytes: it is binary, not YAML text", 1, 1)
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problem(
                f"the file is not valid UTF-8 text ({error.reason}); save it as UTF-8", 1, 1
            )
            return
        values: dict[tuple[str | int, ...], Location] = {}
        keys: dict[tuple[str | int, ...], Location] = {}

        def record(path: tuple[str | int, ...], value: Location, key: Location | None) -> None:
            values[path] = value
            if key is not None:
                keys[path] = key

        parsed = parse_yaml(text, self.name, record, limits)
        period_keys = _integer_period_keys(text, parsed.data, keys)
        for finding in parsed.findings:
            # A year such as `2026:` is a number to YAML, but a fine period label.
            if finding.rule == "schema" and finding.location in period_keys:
                continue
            self.parser_locations.add(finding.location)
            if len(self.findings) < MAX_DATA_FINDINGS:
                self.findings.append(finding)
            else:
                self.dropped += 1
        data = parsed.data
        start = Location(self.name, 1, 1)
        if data is None:
            if not parsed.findings:
                self.problem(
                    "the file is empty: write a mapping from period to metric values, "
                    "e.g. `2026-01: {opportunities_won: 12}`",
                    1,
                    1,
                )
            return
        if not isinstance(data, dict):
            self.problem(
                "the data must be a mapping from period to metric values, "
                "e.g. `2026-01: {opportunities_won: 12}`",
                start.line,
                start.column,
            )
            return
        for raw_period, metrics in data.items():
            period_at = keys.get((raw_period,), start)
            period = self.check_period(str(raw_period), period_at)
            if period is None:
                continue
            self.periods.setdefault(period, None)
            if metrics is None:
                continue
            if not isinstance(metrics, dict):
                where = values.get((raw_period,), period_at)
                self.problem(
                    f"period {printable(period)} must map metric ids to values, "
                    f"not hold {_kind(metrics)}",
                    where.line,
                    where.column,
                )
                continue
            for raw_metric, raw_value in metrics.items():
                path = (raw_period, raw_metric)
                metric_at = keys.get(path, period_at)
                value_at = values.get(path, metric_at)
                metric = self.check_metric(str(raw_metric), metric_at)
                if metric is None:
                    continue
                ok, value = self.number(raw_value, metric, value_at)
                if ok:
                    self.add(period, metric, value, (metric_at, metric_at, value_at))


def _plain_csv_lines(file: Path, max_bytes: int) -> list[str] | None:
    """The file's lines when :meth:`_Reader._read_plain_csv` reads it as :mod:`csv` would:
    UTF-8 without NUL bytes, quotes, lone carriage returns or over-long lines, within
    ``max_bytes``. ``None`` otherwise: the line-by-line reader then reads it and reports
    whatever is wrong at its line and column."""
    raw = file.read_bytes()
    if (
        len(raw) > max_bytes
        or raw.startswith(_UTF16_BOMS)
        or b"\x00" in raw
        or b'"' in raw
        or (b"\r" in raw and b"\r" in raw.replace(b"\r\n", b""))
    ):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n") if "\r" in text else text
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a line
    if lines and max(map(len, lines)) > _MAX_FIELD:
        return None
    return lines


def _missing_column(header: dict[str, int], present: int) -> str:
    return next(name for name in _COLUMNS if header[name] >= present)


def _not_a_number(text: str, metric: str) -> str:
    shown = printable(text, 40)
    hint = "write plain decimal numbers such as 1234.5"
    if text.endswith("%"):
        hint = "write a percent as a fraction: 0.85, not 85%"
    elif any(char.isalpha() for char in text):
        hint = "write the number alone, without units or words; leave it empty if unknown"
    elif "," in text or " " in text:
        hint = "write numbers without thousands separators or spaces: 1234567"
    return f"the value `{shown}` of {printable(metric)} is not a number; {hint}"


def _not_finite(shown: str, metric: str) -> str:
    return (
        f"the value `{shown}` of {printable(metric)} is not a finite number; "
        "give a measured value, or leave it empty when there is none"
    )


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean `{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text `{printable(value, 40)}`"
    return f"`{printable(str(value), 40)}`"


def _integer_period_keys(
    text: str, data: object, keys: dict[tuple[str | int, ...], Location]
) -> set[Location]:
    """Positions of top-level keys written as plain integers (years such as 2026)."""
    if not isinstance(data, dict):
        return set()
    lines = text.split("\n")
    found: set[Location] = set()
    for period in data:
        at = keys.get((period,))
        if at is None or not _INT_KEY.fullmatch(str(period)):
            continue
        line = lines[at.line - 1] if at.line - 1 < len(lines) else ""
        if line[at.column - 1 : at.column - 1 + len(str(period))] == str(period):
            found.add(at)
    return found
