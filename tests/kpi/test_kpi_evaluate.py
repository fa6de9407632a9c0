"""Evaluating KPIs over periods: statuses, boundaries, changes, roll-ups and rendering."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmorg.cells import spreadsheet_cell
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import STATUSES, Scorecard, evaluate, judge
from crmorg.kpi.models import Kpi
from crmorg.kpi.render import RENDERERS, ScorecardContext, render
from crmorg.kpi.render.values import format_change, format_target, format_value


def _kpi(**fields: Any) -> Kpi:
    base: dict[str, Any] = {
        "formula": "won / (won + lost)",
        "unit": "percent",
        "direction": "higher",
        "target": 0.3,
        "department": "sales",
    }
    base.update(fields)
    return Kpi.model_validate({k: v for k, v in base.items() if v is not None})


def _one(kpi: Kpi, values: dict[str, float], period: str = "2026-01") -> Any:
    card = evaluate({"k": kpi}, MetricData({period: values}))
    (result,) = card.results
    return result


# ------------------------------------------------------------------------ statuses


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        ("higher", 0.3, "met"),  # equal to the target is met
        ("higher", 0.31, "met"),
        ("higher", 0.29, "missed"),
        ("lower", 0.3, "met"),  # equal to the target is met
        ("lower", 0.29, "met"),
        ("lower", 0.31, "missed"),
    ],
)
def test_judge_boundaries_for_both_directions(direction: Any, value: float, status: str) -> None:
    assert judge(value, 0.3, direction) == status


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_value_computed_exactly_on_target_is_met_in_both_directions(direction: str) -> None:
    # 3 / (3 + 7) is 0.3 as computed; 0.1 + 0.2 is 0.30000000000000004, still "equal".
    assert _one(_kpi(direction=direction), {"won": 3, "lost": 7}).status == "met"
    kpi = _kpi(formula="a + b", direction=direction)
    assert _one(kpi, {"a": 0.1, "b": 0.2}).status == "met"


def test_met_and_missed_carry_value_and_target() -> None:
    result = _one(_kpi(), {"won": 2, "lost": 8})
    assert (result.status, result.value, result.target, result.direction) == (
        "missed",
        0.2,
        0.3,
        "higher",
    )
    assert result.message is None


def test_no_data_names_the_missing_metric() -> None:
    result = _one(_kpi(), {"won": 2})
    assert result.status == "no-data"
    assert result.value is None
    assert result.message == "no value for metric `lost`"


def test_division_by_zero_is_an_error_with_its_message() -> None:
    result = _one(_kpi(), {"won": 0, "lost": 0})
    assert result.status == "error"
    assert result.value is None
    assert result.message == (
        "no lost or won recorded for 2026-01 (lost, won are all 0), "
        "so there is nothing to divide by"
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"formula": None}, "has no formula"),
        ({"formula": "won.x"}, "the formula is not valid: attribute access"),
        ({"target": None}, "no `target` to judge"),
        ({"direction": None}, "no `direction` to judge"),
        ({"target": None, "direction": None}, "no `target` and `direction`"),
    ],
)
def test_kpis_that_cannot_be_judged_are_errors(fields: dict[str, Any], words: str) -> None:
    result = _one(_kpi(**fields), {"won": 1, "lost": 1})
    assert result.status == "error"
    assert words in (result.message or "")


def test_no_target_keeps_the_value() -> None:
    assert _one(_kpi(target=None), {"won": 1, "lost": 1}).value == 0.5


# ------------------------------------------------------------------------ changes


def _series(values: dict[str, dict[str, float]], **fields: Any) -> Scorecard:
    return evaluate({"k": _kpi(**fields)}, MetricData(values))


def test_change_against_the_previous_period() -> None:
    card = _series(
        {
            "2026-03": {"won": 1, "lost": 1},
            "2026-01": {"won": 1, "lost": 4},
            "2026-02": {"won": 1, "lost": 3},
        }
    )
    assert card.periods == ("2026-01", "2026-02", "2026-03")
    first, second, third = card.results
    assert first.change is None
    assert second.change is not None
    assert second.change.previous_period == "2026-01"
    assert second.change.absolute == pytest.approx(0.05)
    assert second.change.relative == pytest.approx(0.25)
    assert second.change.better is True
    assert third.change is not None and third.change.previous_value == 0.25


def test_change_direction_lower_and_zero_previous() -> None:
    card = _series(
        {"2026-01": {"won": 0, "lost": 1}, "2026-02": {"won": 1, "lost": 1}},
        direction="lower",
    )
    change = card.results[1].change
    assert change is not None
    assert change.absolute == 0.5
    assert change.relative is None  # the previous value was zero
    assert change.better is False


def test_no_change_across_a_gap() -> None:
    card = _series({"2026-01": {"won": 1, "lost": 1}, "2026-02": {}, "2026-03": {"won": 1}})
    assert [r.status for r in card.results] == ["met", "no-data", "no-data"]
    assert all(r.change is None for r in card.results)


def test_for_period_keeps_the_change_against_the_period_before() -> None:
    card = _series({"2026-01": {"won": 1, "lost": 4}, "2026-02": {"won": 1, "lost": 1}})
    one = card.for_period("2026-02")
    assert one.periods == ("2026-02",)
    assert len(one.results) == 1 and one.results[0].change is not None
    assert all(rollup.period == "2026-02" for rollup in one.rollups)


# ------------------------------------------------------------------------ roll-up


def test_rollup_counts_per_department_and_period() -> None:
    kpis = {
        "a": _kpi(),
        "b": _kpi(target=0.9),
        "c": _kpi(department="service"),
        "d": _kpi(department=None),
    }
    card = evaluate(kpis, MetricData({"p1": {"won": 1, "lost": 1}, "p2": {"won": 1}}))
    rollups = {(r.period, r.department): r for r in card.rollups}
    assert [(r.period, r.department) for r in card.rollups] == [
        ("p1", "sales"),
        ("p1", "service"),
        ("p1", None),
        ("p2", "sales"),
        ("p2", "service"),
        ("p2", None),
    ]
    sales = rollups[("p1", "sales")]
    assert (sales.met, sales.total, dict(sales.counts)) == (1, 2, {"met": 1, "missed": 1})
    assert rollups[("p2", "sales")].counts == {"no-data": 2}
    assert rollups[("p1", "service")].to_dict() == {
        "department": "service",
        "period": "p1",
        "met": 1,
        "total": 1,
        "missed": 0,
        "no_data": 0,
        "error": 0,
    }


# ------------------------------------------------------------------------ JSON


def test_json_shape_keeps_the_contract_keys() -> None:
    card = _series({"2026-01": {"won": 1, "lost": 1}, "2026-02": {"won": 0, "lost": 0}})
    data = json.loads(render(card, "json"))
    assert set(data) >= {"results"}
    for result in data["results"]:
        assert list(result)[:6] == ["kpi", "period", "value", "target", "direction", "status"]
        assert result["status"] in STATUSES
    assert data["results"][1]["value"] is None
    assert data["results"][1]["message"].startswith("no lost or won recorded for 2026-02")


# ------------------------------------------------------------------------ display


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.85, "percent", "85.0%"),
        (1.0, "percent", "100.0%"),
        (0.0123, "percent", "1.2%"),
        (1234567.891, "currency", "1,234,567.89"),
        (4.5, "hours", "4.5 h"),
        (12.0, "days", "12.0 d"),
        (3.2, "ratio", "3.20x"),
        (42.0, "count", "42"),
        (32.5, "score", "32.5"),
        (None, "percent", ""),
    ],
)
def test_values_read_in_their_units(value: float | None, unit: Any, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_targets_and_changes_read_in_their_units() -> None:
    assert format_target(0.85, "higher", "percent") == ">= 85.0%"
    assert format_target(24, "lower", "hours") == "<= 24.0 h"
    card = _series({"2026-01": {"won": 1, "lost": 4}, "2026-02": {"won": 1, "lost": 1}})
    assert format_change(card.results[1].change, "percent") == "+30.0 pp"
    hours = _series(
        {"a": {"x": 24}, "b": {"x": 26}}, formula="x", unit="hours", target=24, direction="lower"
    )
    assert format_change(hours.results[1].change, "hours") == "+2.0 h (+8.3%)"


def test_table_shows_percentages_statuses_and_rollups() -> None:
    card = _series({"2026-01": {"won": 3, "lost": 7}, "2026-02": {"won": 0, "lost": 0}})
    text = render(
        card, "table", ScorecardContext(title="Acme", department_names={"sales": "Sales"})
    )
    assert "KPI scorecard: Acme (2 periods: 2026-01 to 2026-02)" in text
    assert "30.0%" in text and ">= 30.0%" in text
    assert "recorded for 2026-02" in text
    assert "Sales" in text and "1/1" in text and "0/1" in text
    assert "\x1b[" not in text
    coloured = render(card, "table", ScorecardContext(colour=True))
    assert "\x1b[32m" in coloured and "\x1b[35m" in coloured


def test_every_renderer_handles_an_empty_scorecard() -> None:
    empty = evaluate({}, MetricData({}))
    for fmt in RENDERERS:
        assert render(empty, fmt)
    with pytest.raises(ValueError, match="unknown scorecard format"):
        render(empty, "pdf")


# ------------------------------------------------------------------ hostile strings

HOSTILE_NAME = '<script>alert("x")</script> & =HYPERLINK("http://evil")'
HOSTILE_PERIOD = "=cmd|' /C calc'!A0"


def _hostile() -> Scorecard:
    kpis = {"k": _kpi(name=HOSTILE_NAME)}
    return evaluate(kpis, MetricData({HOSTILE_PERIOD: {"won": 1, "lost": 1}}))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_names_and_periods() -> None:
    page = render(_hostile(), "html", ScorecardContext(title="<b>Org</b>"))
    assert "<script>" not in page and "<b>Org</b>" not in page
    parser = _TextCollector()
    parser.feed(page)
    assert "script" not in parser.tags and "b" not in parser.tags
    text = "".join(parser.text)
    assert HOSTILE_NAME in text and HOSTILE_PERIOD in text and "<b>Org</b>" in text


def test_csv_neutralises_formula_cells_but_not_numbers() -> None:
    card = evaluate(
        {"k": _kpi(name=HOSTILE_NAME, formula="won - lost", unit="count", target=-1)},
        MetricData({HOSTILE_PERIOD: {"won": 1, "lost": 3}}),
    )
    rows = list(csv.DictReader(io.StringIO(render(card, "csv"))))
    (row,) = rows
    assert row["period"] == "'" + HOSTILE_PERIOD
    assert row["name"] == HOSTILE_NAME  # starts with `<`: not a formula
    assert row["value"] == "-2.0"  # our own number: left as a number
    assert row["target"] == "-1.0"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝"])
def test_neutralise(start: str) -> None:
    assert spreadsheet_cell(start + "1+1") == "'" + start + "1+1"
    assert spreadsheet_cell("a" + start) == "a" + start


def test_json_keeps_hostile_text_as_data() -> None:
    data = json.loads(render(_hostile(), "json"))
    assert data["results"][0]["name"] == HOSTILE_NAME
    assert data["results"][0]["period"] == HOSTILE_PERIOD


# ------------------------------------------------------------------ properties


@given(
    value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    target=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
)
def test_judge_agrees_with_the_definition(value: float, target: float) -> None:
    higher, lower = judge(value, target, "higher"), judge(value, target, "lower")
    if value == target:
        assert higher == lower == "met"
    if value > target:
        assert higher == "met"
    if value < target:
        assert lower == "met"
    # At most one side is missed; a value on the target meets both.
    assert "met" in (higher, lower)


@given(
    st.dictionaries(
        st.sampled_from(["p1", "p2", "p3"]),
        st.dictionaries(
            st.sampled_from(["won", "lost"]),
            st.floats(min_value=0, max_value=1e6, allow_nan=False),
            max_size=2,
        ),
        max_size=3,
    )
)
def test_every_kpi_gets_one_result_per_period(values: dict[str, dict[str, float]]) -> None:
    kpis = {"a": _kpi(), "b": _kpi(formula="won", unit="count", target=1)}
    card = evaluate(kpis, MetricData(values))
    assert len(card.results) == 2 * len(values)
    assert sum(r.total for r in card.rollups) == len(card.results)
    for result in card.results:
        assert (result.value is None) == (result.status in ("no-data", "error")) or (
            result.status == "error" and result.value is not None
        )


def test_table_escapes_terminal_control_sequences() -> None:
    card = evaluate({"k": _kpi()}, MetricData({"2026-01": {"won": 1, "lost": 1}}))
    context = ScorecardContext(
        title="Evil\x1b[2J", department_names={"sales": "Sales\x1b]0;pwned\x07"}
    )
    text = render(card, "table", context)
    assert "\x1b" not in text and "\x07" not in text
    assert "Sales\\x1b]0;pwned\\x07" in text


def test_the_json_writer_knows_the_keys_of_a_result_in_their_order() -> None:
    from crmorg.kpi.evaluate import KpiResult
    from crmorg.kpi.render.json_out import _RESULT_KEYS

    result = KpiResult("k", "p", 1.0, 2.0, "higher", "missed")
    assert tuple(result.to_dict()) == _RESULT_KEYS
