"""The fast paths of ``crmorg kpi`` give, byte for byte, what the general ones give.

- the column-at-a-time CSV reader (:mod:`crmorg.loading.metric_columns`) reads generated
  unquoted files, hostile ones too, as the row-by-row loop reads them: the same
  periods, values and findings;
- :func:`crmorg.kpi.periods.buckets` places generated labels as :func:`bucket` does;
- the JSON, CSV and table renderers write a scorecard read as columns
  (:meth:`Scorecard.aligned`) as they write the same results given one by one, and the
  JSON is ``json.dumps`` of ``to_dict()`` with hidden characters escaped.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.kpi.data import MetricData, natural_order, period_sort_key
from crmorg.kpi.evaluate import Scorecard, _changes, _changes_by_loop, evaluate
from crmorg.kpi.models import Kpi
from crmorg.kpi.periods import bucket, buckets, day_runs
from crmorg.kpi.render import ScorecardContext, csv_out, html, json_out, markdown, table
from crmorg.loading import metric_columns, metric_data
from crmorg.loading.metric_data import read_metric_data
from crmorg.text import hidden_escaped

# --------------------------------------------------------------------- the reader

_CELLS = {
    "period": ["2026-01", "2026-02", " 2026-03 ", "w1", "=cmd", "<b>&", "中文", "\u202ex", "", " ",
               "a" * 70, "x\x1by", "p;q", "'"],
    "metric": ["won", "lost", " won ", "wom", "", "lost "],
    "value": ["1", "12", " 2 ", "", "-0.5", "1e3", "+.5", "1.", "1e999", "nan", "abc", "٣",
              "1_000", "12%", " "],
}  # fmt: skip
_rows = st.lists(
    st.one_of(
        st.tuples(*(st.sampled_from(_CELLS[name]) for name in ("period", "metric", "value"))).map(
            ",".join
        ),
        st.sampled_from(["", "2026-01,won", "2026-01,won,1,extra", ",,", "   "]),
    ),
    max_size=12,
)


def _clean_rows(draw: st.DrawFn) -> list[str]:
    """Rows with nothing to report (what the fast reader takes), some values empty."""
    periods = draw(st.lists(st.sampled_from(_CELLS["period"][:7]), min_size=1, max_size=6))
    listings = st.sampled_from([["won"], ["won", "lost"], ["lost", " won"]])
    metrics = draw(listings)
    varied = draw(st.booleans())  # each period its own metrics, or all the same
    value = st.sampled_from(["1", "2.5", "", "-3", "1e3", " 4 "])
    rows = []
    for period in {period.strip(): period for period in periods}.values():  # as written
        listed = draw(listings) if varied else metrics
        rows += [f"{period},{metric},{draw(value)}" for metric in listed]
    return rows


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    def shown(read: metric_data.MetricDataResult) -> object:
        return (
            read.data.periods,
            read.data.metrics,
            dict(read.data.values),
            [(f.rule, f.message, f.location.line, f.location.column) for f in read.findings],
        )

    fast = shown(read_metric_data(path, ["won", "lost"]))
    with monkeypatch.context() as patch:
        patch.setattr(metric_data._Reader, "_read_clean_rows", lambda *_: False)
        by_rows = shown(read_metric_data(path, ["won", "lost"]))
    return fast, by_rows


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows, clean=st.composite(_clean_rows)(), header=st.sampled_from(
    ["period,metric,value", "value,period,metric", "period,metric,value,note"]
), chunk=st.sampled_from([2, 3, 221_760]))  # fmt: skip
def test_the_column_reader_reads_as_the_row_loop(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[str],
    clean: list[str],
    header: str,
    chunk: int,
) -> None:
    monkeypatch.setattr(metric_columns, "CHUNK", chunk)
    names = header.split(",")

    def ordered(row: str) -> str:  # a row written period,metric,value, in the header's order
        cells = dict(zip(("period", "metric", "value"), row.split(","), strict=False))
        if len(cells) < 3:
            return row
        return ",".join(cells.get(name, "n") for name in names)

    for body in (clean, clean + rows):
        path = tmp_path_factory.mktemp("data") / "data.csv"
        path.write_text("\n".join([header, *map(ordered, body)]) + "\n", encoding="utf-8")
        fast, by_rows = _read_both(path, monkeypatch)
        assert fast == by_rows


def test_a_clean_file_is_read_by_columns(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    rows = [
        f"2026-{month:02d},{metric},{month}" for month in range(1, 13) for metric in ("won", "lost")
    ]
    path.write_text("\n".join(["period,metric,value", *rows, "2026-12,lost,"]) + "\n")
    reader = metric_data._Reader("data.csv", frozenset({"won", "lost"}))
    lines = path.read_text().splitlines()
    assert not reader._read_clean_rows(lines[1:], 3, {"period": 0, "metric": 1, "value": 2})
    assert reader._read_clean_rows(lines[1:-1], 3, {"period": 0, "metric": 1, "value": 2})
    data = reader.result().data
    assert data.column("won")["2026-03"] == 3.0 and len(data.periods) == 12


# -------------------------------------------------------------------- the buckets

_FIRST = date(1999, 12, 20)
_labels = st.lists(
    st.one_of(
        st.integers(0, 800).map(lambda days: (_FIRST + timedelta(days=days)).isoformat()),
        st.integers(0, 800).map(lambda days: (_FIRST + timedelta(days=days)).isoformat()[:7]),
        st.sampled_from(["2026-13", "2026-00", "2026-02-30", "2024-02-29", "2025-02-29",
                         "0999-05", "0999-05-01", "2026-04-31", "2026-01-00", "2026-W05",
                         "2026-Q3", "FY2026", "2026", "P1", "٢٠٢٦-٠١", "2026-1-05"]),
    ),
    max_size=20,
)  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(_labels)
def test_buckets_place_labels_as_bucket_does(labels: list[str]) -> None:
    for frequency in ("daily", "weekly", "monthly", "quarterly", "yearly"):
        assert buckets(labels, frequency) == [bucket(label, frequency) for label in labels]


# ---------------------------------------------------------------------- rendering

_HOSTILE = st.text(
    alphabet=st.sampled_from(list("ab=+-@\"',;\n\r\t <>&%s{}中文\u202e\u200b\x1b\\")),
    min_size=1,
    max_size=6,
)
_values = st.one_of(
    st.none(),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e-9, 1e16, -3.0]),
    st.floats(-1e6, 1e6, allow_nan=False),
)
_kpis = st.lists(
    st.builds(
        lambda formula, name, department, unit, direction, target, contributors: (
            Kpi.model_construct(
                formula=formula,
                name=name,
                department=department,
                owner=department,
                contributors=contributors,
                unit=unit,
                direction=direction,
                target=target,
                frequency=None,
            )
        ),
        st.sampled_from(["a", "a / b", "a - b", "b * 2", "a +", None]),
        _HOSTILE,
        st.one_of(st.none(), _HOSTILE),
        st.sampled_from([None, "percent", "currency", "hours", "ratio", "count", "score"]),
        st.sampled_from(["higher", "lower", None]),
        st.sampled_from([1.0, 0.0, None]),
        st.lists(_HOSTILE, max_size=2),
    ),
    min_size=1,
    max_size=3,
)
_data = st.dictionaries(
    st.one_of(st.sampled_from(["2026-01", "2026-02", "w0000003"]), _HOSTILE),
    st.fixed_dictionaries({}, optional={"a": _values, "b": _values}),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(_kpis, _data, st.booleans())
def test_columns_are_written_as_results_are(
    kpis: list[Kpi], rows: dict[str, dict[str, float | None]], colour: bool
) -> None:
    ids = [f"k{index}" if index else '=k"<0>\u202e' for index in range(len(kpis))]
    card = evaluate(dict(zip(ids, kpis, strict=True)), MetricData(rows))  # type: ignore[arg-type]
    assert card.aligned() is not None
    given_one_by_one = Scorecard(card.periods, card.results, card.rollups)
    assert given_one_by_one.aligned() is None
    context = ScorecardContext(title="T\u202e", department_names={"a": "<A>"}, colour=colour)
    for module in (json_out, csv_out, table):
        fast = "".join(module.render_chunks(card, context))
        assert fast == "".join(module.render_chunks(given_one_by_one, context)), module
    for module in (markdown, html):  # streamed: the pieces are the page
        for scorecard in (card, Scorecard(())):
            assert "".join(module.render_chunks(scorecard, context)) == module.render(
                scorecard, context
            )
    dumped = json.dumps(card.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
    assert "".join(json_out.render_chunks(card, context)) == hidden_escaped(dumped) + "\n"


def test_a_million_periods_are_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past one piece of periods the pieces join up (a small piece stands for 8,192)."""
    for module in (json_out, csv_out, table):
        monkeypatch.setattr(module, "_PIECE", 3)
    for module in (markdown, html):
        monkeypatch.setattr(module, "_BATCH", 3)
    data = MetricData({f"w{index:03d}": {"a": float(index % 4)} for index in range(10)})
    kpi = Kpi(formula="a", direction="higher", target=2.0, unit="percent")
    card = evaluate({"k": kpi}, data)
    again = Scorecard(card.periods, card.results, card.rollups)
    for module in (json_out, csv_out, table):
        assert "".join(module.render_chunks(card, ScorecardContext())) == "".join(
            module.render_chunks(again, ScorecardContext())
        )
    for streamed in (markdown, html):
        assert "".join(streamed.render_chunks(card, ScorecardContext())) == streamed.render(
            again, ScorecardContext()
        )
    assert math.isclose(len(card.results), 10)


_series = st.lists(
    st.one_of(
        st.sampled_from([0.0, -0.0, 1.0, 7, -2.5, 1e308, -1e308, 1e-320]),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.none(),
    ),
    max_size=8,
)


@settings(max_examples=50, deadline=None)
@given(_series, st.sampled_from(["higher", "lower", None]))
def test_changes_by_columns_are_the_loops(values: list[float | None], direction: str) -> None:
    labels = [f"p{index}" for index in range(len(values))]
    for given_values in (values, [value for value in values if value is not None]):
        names = labels[: len(given_values)]
        fast = _changes(given_values, names, direction)  # type: ignore[arg-type]
        loop = _changes_by_loop(given_values, names, direction)  # type: ignore[arg-type]
        assert repr(fast) == repr(loop)


@settings(max_examples=50, deadline=None)
@given(_labels)
def test_day_runs_are_the_runs_of_buckets(labels: list[str]) -> None:
    days = natural_order(set(labels))
    for frequency in ("daily", "weekly", "monthly", "quarterly", "yearly"):
        runs = day_runs(days, frequency)
        if runs is None:
            continue
        placed = buckets(days, frequency)
        expected, start = [], 0
        for label, run in groupby(placed):
            count = len(list(run))
            expected.append((label, start, count))
            start += count
        assert runs == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["2026-01", "2026-1", "w9", "w10", "W9", "x", "٣", "a\nb"])))
def test_natural_order_is_the_sort_by_key(labels: list[str]) -> None:
    assert natural_order(labels) == tuple(sorted(labels, key=period_sort_key))
