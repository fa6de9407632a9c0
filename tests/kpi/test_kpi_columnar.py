"""The column-at-a-time evaluation gives what the tree walk gives, period by period.

Generated formulas over three metrics, evaluated by :func:`crmorg.kpi.evaluate.evaluate`
(compiled columns, the tree walk only where the loop gives up) and, for each period, by
the tree walk alone (``_Plan.judged``): the same values, statuses and notes. The data
holds what makes the loop give up: missing values, zeros, huge numbers, ints and bools.
"""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import _Plan, evaluate
from crmorg.kpi.formula import BinaryOp, Call, Expr, MetricRef, Number, Round, UnaryOp, render
from crmorg.kpi.models import Kpi

_METRICS = ("a", "b", "c")
_leaves = st.one_of(
    st.sampled_from([MetricRef(name) for name in _METRICS]),
    st.sampled_from([0.0, 1.0, 2.5, 1e-9, 1e300]).map(Number),
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(UnaryOp, st.sampled_from(["-", "+"]), children),
        st.builds(BinaryOp, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(Call, st.sampled_from(["min", "max"]), st.tuples(children, children)),
        st.builds(lambda arg: Call("abs", (arg,)), children),
        st.builds(Round, children, st.sampled_from([None, 0, 2])),
    )


_formulas = st.recursive(_leaves, _extend, max_leaves=8)
_values = st.one_of(
    st.none(),
    st.sampled_from([0.0, -0.0, 1.0, -3.0, 0.5, 1e308, -1e308, 7, True, math.inf]),
    st.floats(-1e6, 1e6, allow_nan=False),
)
_periods = st.lists(
    st.fixed_dictionaries({}, optional=dict.fromkeys(_METRICS, _values)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=50, deadline=None)
@given(
    _formulas,
    _periods,
    st.sampled_from(["higher", "lower", None]),
    st.sampled_from([1.0, 0.0, None]),
)
def test_columns_give_what_the_tree_walk_gives(
    tree: Expr, rows: list[dict[str, object]], direction: str | None, target: float | None
) -> None:
    kpi = Kpi(formula=render(tree), direction=direction, target=target)
    data = MetricData({f"p{index:02d}": row for index, row in enumerate(rows)})  # type: ignore[misc]
    results = evaluate({"k": kpi}, data).results
    plan = _Plan.of("k", kpi, "en")
    assert [result.period for result in results] == list(data.periods)
    for result in results:
        given_values = {m: v for m, v in data.at(result.period).items() if v is not None}
        value, status, message = plan.judged(given_values, result.period)
        assert (result.value, result.status, result.message) == (value, status, message)
        if value is not None:
            assert math.copysign(1.0, result.value or 0.0) == math.copysign(1.0, value or 0.0)


_BODY = (
    "2026-01,won,12\n"
    "2026-01,won,13\n"  # a second value: the first is kept
    "2026-02,wom,1\n"  # not a metric
    "2026-03,won,1e999\n"
    "2026-04,won,12%\n"
    "2026-05,won,\n"
    ",won,3\n"
    "2026-06,won\n"
    "   ,  ,  \n"
    "\n"
    "=cmd(),won,1\n"
    "2026-07,lost, 4 \n"
    "2026-08,won,٣\n"
)


def test_the_one_pass_reader_reads_as_the_csv_reader(tmp_path: Path) -> None:
    """The same rows under a plain header (read in one pass) and a quoted one (read by
    the csv module line by line): the same values and the same findings."""
    from crmorg.loading.metric_data import read_metric_data

    plain = tmp_path / "plain.csv"
    plain.write_text("period,metric,value\n" + _BODY, encoding="utf-8")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('"period",metric,value\n' + _BODY, encoding="utf-8")
    one_pass = read_metric_data(plain, ["won", "lost"])
    by_csv = read_metric_data(quoted, ["won", "lost"])
    assert one_pass.data.values == by_csv.data.values
    assert one_pass.data.periods == by_csv.data.periods
    assert [(f.rule, f.message, f.location.line, f.location.column) for f in one_pass.findings] == [
        (f.rule, f.message, f.location.line, f.location.column) for f in by_csv.findings
    ]
    assert len(one_pass.findings) >= 6
