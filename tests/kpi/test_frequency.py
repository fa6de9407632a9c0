"""The scorecard respects each KPI's frequency: a yearly KPI over the year's data, a
quarterly one per quarter, each metric combined by its ``aggregate``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg import load
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.models import Frequency, Kpi, Metric
from crmorg.kpi.periods import bucket, calendar_period, parts_in, period_order
from crmorg.loading.metric_data import read_metric_data

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "examples" / "reference"


def _kpi(formula: str, frequency: str, target: float = 1.0) -> Kpi:
    return Kpi.model_validate(
        {
            "formula": formula,
            "frequency": frequency,
            "unit": "currency",
            "direction": "higher",
            "target": target,
            "owner": "executive",
            "contributors": ["sales_rep"],
        }
    )


def test_revenue_per_employee_is_scored_over_the_year_not_each_month() -> None:
    """The case of issue 16: 18,033 against 300,000, 'missed' every month."""
    model = load(REFERENCE)
    for data_file in ("reference-metrics.yaml", "reference-metrics.csv"):
        read = read_metric_data(ROOT / "examples" / data_file, model.metrics)
        card = evaluate(model.kpis, read.data, metrics=model.metrics)
        results = [r for r in card.results if r.kpi == "revenue_per_employee"]
        assert [r.period for r in results] == ["2026"]
        (year,) = results
        # sum(company revenue, 2026-01..03) / last(headcount) = 6,200,000 / 122
        assert year.value == round((2_100_000 + 1_900_000 + 2_200_000) / 122)
        assert year.value == 50_820
        assert year.status == "missed"
        assert year.parts == (3, 12) and year.partial
        assert year.message == "2026 so far: 3 of 12 data periods (2026-01 – 2026-03)"
        assert year.owner == "executive"
        # A monthly KPI is still scored each month; a quarterly one once, in 2026-Q1.
        assert [r.period for r in card.results if r.kpi == "csat"] == [
            "2026-01",
            "2026-02",
            "2026-03",
        ]
        assert [r.period for r in card.results if r.kpi == "company_revenue_attainment"] == [
            "2026-Q1"
        ]
        assert card.periods == ("2026-01", "2026-02", "2026-03", "2026-Q1", "2026")


def test_a_full_year_of_months_is_complete_and_judged() -> None:
    months = {f"2026-{m:02d}": {"revenue": 30_000.0, "staff": 10.0 + m} for m in range(1, 13)}
    metrics = {
        "revenue": Metric(unit="currency"),
        "staff": Metric(unit="count", aggregate="last"),
    }
    card = evaluate(
        {"rpe": _kpi("revenue / staff", "yearly", 15_000)}, MetricData(months), metrics=metrics
    )
    (year,) = card.results
    assert year.period == "2026"
    assert year.value == pytest.approx(360_000 / 22)
    assert year.status == "met"
    assert year.parts == (12, 12) and not year.partial
    assert year.message is None
    assert year.contributors == ("sales_rep",)


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [("sum", 6.0), ("average", 2.0), ("first", 1.0), ("last", 3.0), ("min", 1.0), ("max", 3.0)],
)
def test_each_aggregate_combines_the_quarters_months(aggregate: str, expected: float) -> None:
    data = MetricData({"2026-01": {"x": 1.0}, "2026-02": {"x": 2.0}, "2026-03": {"x": 3.0}})
    metrics = {"x": Metric.model_validate({"aggregate": aggregate})}
    (quarter,) = evaluate({"k": _kpi("x", "quarterly")}, data, metrics=metrics).results
    assert (quarter.period, quarter.value, quarter.parts) == ("2026-Q1", expected, (3, 3))


def test_defaults_sum_counts_and_average_rates() -> None:
    assert Metric(unit="count").combined_by == "sum"
    assert Metric(unit="currency").combined_by == "sum"
    assert Metric(unit="percent").combined_by == "average"
    assert Metric().combined_by == "sum"


def test_a_sum_over_months_with_one_missing_is_no_data_not_a_smaller_number() -> None:
    data = MetricData({"2026-01": {"x": 1.0}, "2026-02": {}, "2026-03": {"x": 3.0}})
    (quarter,) = evaluate({"k": _kpi("x", "quarterly")}, data).results
    assert quarter.status == "no-data"
    assert quarter.value is None


def test_change_compares_with_the_kpis_own_previous_period() -> None:
    data = MetricData({f"2026-{m:02d}": {"x": float(m)} for m in range(1, 7)})
    results = evaluate({"k": _kpi("x", "quarterly")}, data).results
    assert [(r.period, r.value) for r in results] == [("2026-Q1", 6.0), ("2026-Q2", 15.0)]
    assert results[1].change is not None
    assert results[1].change.previous_period == "2026-Q1"
    assert results[1].change.absolute == 9.0


def test_division_by_zero_is_said_in_words_in_english_and_chinese() -> None:
    data = MetricData({"2026-01": {"revenue": 5.0, "headcount": 0.0}})
    metrics = {"headcount": Metric.model_validate({"name": {"en": "Employees", "zh": "员工"}})}
    kpis = {"rpe": _kpi("revenue / headcount", "yearly")}
    (en,) = evaluate(kpis, data, metrics=metrics).results
    assert en.status == "error"
    assert en.message == (
        "no employees recorded for 2026 (headcount is 0), so there is nothing to divide by"
    )
    (zh,) = evaluate(kpis, data, metrics=metrics, lang="zh").results
    assert zh.message == "2026没有记录员工（headcount为0），无法计算"
    assert "division" not in (zh.message or "")


def test_labels_that_are_no_calendar_periods_are_scored_as_they_are() -> None:
    data = MetricData({"sprint-2": {"x": 2.0}, "sprint-10": {"x": 1.0}})
    results = evaluate({"k": _kpi("x", "monthly")}, data).results
    assert [r.period for r in results] == ["sprint-2", "sprint-10"]
    assert all(r.parts is None for r in results)


def test_coarser_data_than_the_frequency_is_not_split() -> None:
    data = MetricData({"2026-01": {"x": 4.0}})
    (month,) = evaluate({"k": _kpi("x", "weekly")}, data).results
    assert (month.period, month.value, month.parts) == ("2026-01", 4.0, None)


def test_weeks_belong_to_the_month_of_their_thursday() -> None:
    # 2026-W05 runs Mon 26 Jan to Sun 1 Feb; its Thursday is 29 Jan.
    assert bucket("2026-W05", "monthly") == "2026-01"
    assert bucket("2026-W06", "monthly") == "2026-02"
    assert bucket("2026-01-31", "weekly") == "2026-W05"
    assert bucket("FY2026", "yearly") == "2026"
    assert bucket("2026-13", "yearly") is None
    assert parts_in("2026-Q1", "monthly") == 3
    assert parts_in("2026", "quarterly") == 4
    assert parts_in("2026-02", "daily") == 28
    assert parts_in("2026", "weekly") == 53  # 2026 has 53 Thursdays


@settings(max_examples=40, deadline=None)
@given(
    st.dates(date(1000, 1, 5), date(9998, 12, 25)),
    st.sampled_from(["weekly", "monthly", "quarterly", "yearly"]),
)
def test_a_day_falls_in_the_period_that_contains_it(day: date, frequency: Frequency) -> None:
    label = bucket(day.isoformat(), frequency)
    assert label is not None
    period = calendar_period(label)
    assert period is not None
    assert period.first <= day <= period.last
    assert period_order(day.isoformat()) <= period_order(label)


def test_the_scorecard_page_shows_owner_and_contributors() -> None:
    from crmorg.docs.scorecard import scorecard_section
    from crmorg.docs.site import build_site

    model = load(REFERENCE)
    read = read_metric_data(ROOT / "examples" / "reference-metrics.yaml", model.metrics)
    pages = build_site(model, extra_sections=[scorecard_section(read.data)])
    page = pages["scorecard.html"]
    assert "<th>Owner</th>" in page
    assert "Measured on: Sales Representative" in page
    zh = build_site(model, lang="zh", extra_sections=[scorecard_section(read.data)])
    assert "2026没有记录" not in zh["scorecard.html"]  # 2026 has employees recorded
    assert "2026-03没有记录" in zh["scorecard.html"]


def test_a_standard_kpi_brings_its_typical_contributors_where_the_model_has_them() -> None:
    from crmorg.kpi.library import STANDARD_KPIS
    from crmorg.kpi.standard import resolve_standard

    standard = STANDARD_KPIS["win_rate"]
    assert standard.typical_contributors == ("sales_rep",)
    entry = Kpi.model_validate({"standard": "win_rate"})
    assert resolve_standard(entry, standard, roles={"sales_rep"}).contributors == ["sales_rep"]
    assert resolve_standard(entry, standard, roles={"rep"}).contributors == []
    given = Kpi.model_validate({"standard": "win_rate", "contributors": ["rep"]})
    assert resolve_standard(given, standard, roles={"sales_rep"}).contributors == ["rep"]
