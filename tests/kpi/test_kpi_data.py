"""Metric data files: CSV and YAML, with a finding for every bad row at its position."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.kpi.data import MetricData, period_sort_key
from crmorg.loading.metric_data import MAX_DATA_FINDINGS, read_metric_data

METRICS = {"won", "lost", "revenue"}


def _read(tmp_path: Path, name: str, text: str | bytes) -> tuple[MetricData, list[tuple]]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = read_metric_data(path, METRICS)
    return result.data, [(f.rule, f.line, f.column, f.message) for f in result.findings]


# ----------------------------------------------------------------------------- CSV


def test_csv_reads_values_by_period(tmp_path: Path) -> None:
    data, findings = _read(
        tmp_path,
        "m.csv",
        "period,metric,value\n2026-02,won,3\n2026-01,won,12\n2026-01,lost,-0.5\n"
        "2026-01,revenue,1e3\n",
    )
    assert findings == []
    assert data.periods == ("2026-01", "2026-02")
    assert dict(data.at("2026-01")) == {"won": 12.0, "lost": -0.5, "revenue": 1000.0}
    assert dict(data.at("2026-02")) == {"won": 3.0}
    assert data.previous("2026-02") == "2026-01"
    assert data.previous("2026-01") is None


def test_csv_columns_in_any_order_extra_columns_ignored_bom_and_blank_lines(
    tmp_path: Path,
) -> None:
    text = "\ufeffValue, Metric ,note,PERIOD\n\n5,won,first,2026-01\r\n"
    data, findings = _read(tmp_path, "m.csv", text)
    assert findings == []
    assert dict(data.at("2026-01")) == {"won": 5.0}


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("2026-01,wonn,1", 9, "`wonn` is not a metric of the model (did you mean `won`?)"),
        ("2026-01,won,abc", 13, "the value `abc` of won is not a number"),
        ("2026-01,won,85%", 13, "write a percent as a fraction: 0.85"),
        ('2026-01,won,"1,234"', 13, "without thousands separators"),
        ("2026-01,won,nan", 13, "is not a finite number"),
        ("2026-01,won,-inf", 13, "is not a finite number"),
        ("2026-01,won,1e999", 13, "is not a finite number"),
        ("2026-01,won,12 apples", 13, "without units or words"),
        (",won,1", 1, "no period"),
        ("2026-01,,1", 9, "no metric"),
        ("2026-01,won", 1, "the row has 2 columns, but the header puts value in column 3"),
        ('"2026-01","lost","x"', 18, "the value `x` of lost is not a number"),
    ],
)
def test_csv_bad_row_is_a_finding_at_its_line_and_column(
    tmp_path: Path, row: str, column: int, words: str
) -> None:
    data, findings = _read(tmp_path, "m.csv", f"period,metric,value\n2026-01,lost,1\n{row}\n")
    assert len(findings) == 1, findings
    rule, line, found_column, message = findings[0]
    assert (rule, line, found_column) == ("schema", 3, column)
    assert words in message
    # The good row is still read.
    assert data.at("2026-01")["lost"] == 1.0


def test_csv_duplicate_row_keeps_the_first_and_names_its_line(tmp_path: Path) -> None:
    data, findings = _read(
        tmp_path, "m.csv", "period,metric,value\n2026-01,won,1\n2026-01,lost,2\n2026-01,won,9\n"
    )
    assert [(line, column) for _, line, column, _ in findings] == [(4, 1)]
    assert "first is at line 2" in findings[0][3]
    assert data.at("2026-01")["won"] == 1.0


def test_csv_empty_value_means_not_measured(tmp_path: Path) -> None:
    data, findings = _read(tmp_path, "m.csv", "period,metric,value\n2026-01,won,\n")
    assert findings == []
    assert data.periods == ("2026-01",)
    assert dict(data.at("2026-01")) == {}


def test_csv_period_with_only_bad_rows_still_shows(tmp_path: Path) -> None:
    data, findings = _read(tmp_path, "m.csv", "period,metric,value\n2026-01,won,x\n")
    assert len(findings) == 1
    assert data.periods == ("2026-01",)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("period,metric\n2026-01,won\n", "lacks the column value"),
        ("when,what,how much\n", "lacks the columns period, metric, value"),
        ("period,metric,value,value\n", "names column `value` twice"),
    ],
)
def test_csv_header_problems(tmp_path: Path, text: str, words: str) -> None:
    data, findings = _read(tmp_path, "m.csv", text)
    expected = (1, 21) if "twice" in words else (1, 1)  # at the second `value`
    assert [(line, column) for _, line, column, _ in findings] == [expected]
    assert words in findings[0][3]
    assert data.periods == ()


def test_csv_binary_and_non_utf8_files(tmp_path: Path) -> None:
    _, findings = _read(tmp_path, "nul.csv", b"period,metric,value\n2026\x00,won,1\n")
    assert len(findings) == 1 and "NUL" in findings[0][3]
    _, findings = _read(
        tmp_path, "latin.csv", "period,metric,value\n2026,wön,1\n".encode("latin-1")
    )
    assert len(findings) == 1 and "UTF-8" in findings[0][3]


def test_csv_control_characters_in_a_period_are_refused(tmp_path: Path) -> None:
    _, findings = _read(tmp_path, "m.csv", 'period,metric,value\n"20\x1b[31m26",won,1\n')
    assert len(findings) == 1
    assert "control characters" in findings[0][3]
    assert "\x1b" not in findings[0][3]


def test_csv_multiline_quoted_field_positions(tmp_path: Path) -> None:
    text = 'period,metric,value\n"2026\n-01",won,1\n2026-02,won,"x\ny"\n'
    _, findings = _read(tmp_path, "m.csv", text)
    # A line break is no part of a period; a bad value on line 4 after a 2-line row.
    assert [(line, column) for _, line, column, _ in findings] == [(2, 1), (4, 13)]
    assert "control characters" in findings[0][3]


def test_csv_findings_are_capped(tmp_path: Path) -> None:
    rows = "".join(f"2026-01,bad{i},1\n" for i in range(MAX_DATA_FINDINGS + 50))
    _, findings = _read(tmp_path, "m.csv", "period,metric,value\n" + rows)
    assert len(findings) == MAX_DATA_FINDINGS + 1
    assert "50 more problems" in findings[-1][3]


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot tell the format"):
        read_metric_data(tmp_path / "m.txt", METRICS)
    with pytest.raises(FileNotFoundError):
        read_metric_data(tmp_path / "nope.csv", METRICS)
    result = read_metric_data(tmp_path / "m.txt", METRICS, data_format="csv")
    assert not result.ok


# ---------------------------------------------------------------------------- YAML


def test_yaml_reads_values_by_period(tmp_path: Path) -> None:
    text = '"2026-01": {won: 12, lost: 30}\n2026-02:\n  won: 15\n  lost: ~\n2026: {won: 1}\n'
    data, findings = _read(tmp_path, "m.yaml", text)
    assert findings == []
    assert data.periods == ("2026", "2026-01", "2026-02")
    assert dict(data.at("2026-01")) == {"won": 12.0, "lost": 30.0}
    assert dict(data.at("2026-02")) == {"won": 15.0}


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("2026-01: {wonn: 1}\n", 1, 11, "`wonn` is not a metric"),
        ("2026-01: {won: abc}\n", 1, 16, "the value `abc` of won is not a number"),
        ("2026-01: {won: .nan}\n", 1, 16, "not a finite number"),
        ("2026-01: {won: true}\n", 1, 16, "must be a number, not the boolean `true`"),
        ("2026-01: {won: [1]}\n", 1, 16, "must be a number, not a list"),
        ("2026-01: [1, 2]\n", 1, 10, "must map metric ids to values, not hold a list"),
        ("2026-01: {won: 1}\n2026-01: {won: 2}\n", 2, 1, "defined twice"),
        ("2026-01: {won: 1, won: 2}\n", 1, 19, "defined twice"),
        ("2026-01: {won: yes}\n", 1, 16, "ambiguous"),
        ("!!python/object/apply:os.system [echo]\n", 1, 1, "tag"),
        ("- 1\n- 2\n", 1, 1, "must be a mapping from period to metric values"),
    ],
)
def test_yaml_bad_entry_is_a_finding_at_its_position(
    tmp_path: Path, text: str, line: int, column: int, words: str
) -> None:
    _, findings = _read(tmp_path, "m.yaml", text)
    assert len(findings) == 1, findings
    _, found_line, found_column, message = findings[0]
    assert (found_line, found_column) == (line, column)
    assert words in message


def test_yaml_empty_file(tmp_path: Path) -> None:
    data, findings = _read(tmp_path, "m.yml", "# nothing\n")
    assert len(findings) == 1 and "the file is empty" in findings[0][3]
    assert data.periods == ()


def test_yaml_and_csv_of_the_reference_example_agree() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    from crmorg import load

    model = load(examples / "reference")
    from_csv = read_metric_data(examples / "reference-metrics.csv", model.metrics)
    from_yaml = read_metric_data(examples / "reference-metrics.yaml", model.metrics)
    assert from_csv.findings == () and from_yaml.findings == ()
    assert from_csv.data.values == from_yaml.data.values
    assert len(from_csv.data.periods) >= 3


# ---------------------------------------------------------------- period ordering


def test_periods_sort_naturally() -> None:
    periods = ["2026-W10", "2026-W9", "2025-12", "2026-01", "2026", "2026-Q1", "FY2026"]
    assert sorted(periods, key=period_sort_key) == [
        "2025-12",
        "2026",
        "2026-01",
        "2026-Q1",
        "2026-W9",
        "2026-W10",
        "FY2026",
    ]


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=20, unique=True))
def test_period_order_is_total_and_stable(periods: list[str]) -> None:
    once = sorted(periods, key=period_sort_key)
    shuffled = periods[1:] + periods[:1]
    assert sorted(shuffled, key=period_sort_key) == once  # the order is total
    data = MetricData({period: {} for period in periods})
    assert list(data.periods) == once


_VALUES = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.dictionaries(
        st.tuples(
            st.from_regex(r"20[0-9]{2}-(0[1-9]|1[0-2])", fullmatch=True),
            st.sampled_from(sorted(METRICS)),
        ),
        _VALUES,
        max_size=20,
    )
)
def test_csv_round_trip(tmp_path: Path, rows: dict[tuple[str, str], float]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "metric", "value"])
    for (period, metric), value in rows.items():
        writer.writerow([period, metric, repr(value)])
    data, findings = _read(tmp_path, "m.csv", buffer.getvalue())
    assert findings == []
    for (period, metric), value in rows.items():
        read = data.at(period)[metric]
        assert read == value or (math.copysign(1, read) == math.copysign(1, value) and read == 0)
