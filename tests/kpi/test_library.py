"""The standard KPI library: every entry is well-formed and computes what it says."""

from __future__ import annotations

import math
import re
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.kpi.formula import METRIC_ID_PATTERN, FormulaEvaluationError, parse_formula
from crmorg.kpi.library import (
    SOURCE_RESOURCES,
    STANDARD_KPIS,
    STANDARD_METRICS,
    Direction,
    Frequency,
    StandardKpi,
    Unit,
)

REQUIRED_KPIS = {
    "customer_retention_rate",
    "churn_rate",
    "csat",
    "nps",
    "ces",
    "lead_to_opportunity_rate",
    "conversion_rate",
    "win_rate",
    "average_deal_size",
    "sales_cycle_length",
    "first_response_time",
    "average_resolution_time",
    "customer_lifetime_value",
    "campaign_roi",
    "pipeline_coverage",
}
DEPARTMENTS = {"sales", "marketing", "customer_service", "finance", "management", "it"}
CJK = re.compile(r"[\u4e00-\u9fff]")
KPI_MODEL_KEYS = {
    "name",
    "description",
    "department",
    "owner",
    "contributors",
    "formula",
    "unit",
    "direction",
    "target",
    "frequency",
}

ALL_KPIS = sorted(STANDARD_KPIS.values(), key=lambda kpi: kpi.id)


def test_the_required_kpis_are_all_there() -> None:
    assert REQUIRED_KPIS - set(STANDARD_KPIS) == set()


@pytest.mark.parametrize("kpi", ALL_KPIS, ids=lambda kpi: kpi.id)
def test_formula_parses_and_uses_exactly_the_declared_metrics(kpi: StandardKpi) -> None:
    formula = kpi.parsed_formula()
    assert formula.metrics == set(kpi.metrics)
    # Library formulas are written canonically, so docs show them as written.
    assert formula.canonical == kpi.formula
    assert parse_formula(kpi.formula) == formula


@pytest.mark.parametrize("kpi", ALL_KPIS, ids=lambda kpi: kpi.id)
def test_kpi_fields_use_the_model_vocabulary(kpi: StandardKpi) -> None:
    assert STANDARD_KPIS[kpi.id] is kpi
    assert METRIC_ID_PATTERN.fullmatch(kpi.id)
    assert kpi.unit in get_args(Unit)
    assert kpi.direction in get_args(Direction)
    assert kpi.frequency in get_args(Frequency)
    assert kpi.typical_department in DEPARTMENTS
    assert METRIC_ID_PATTERN.fullmatch(kpi.typical_owner)
    assert kpi.definition_source.strip()
    for text in (kpi.name, kpi.description):
        assert set(text) == {"en", "zh"}
        assert text["en"].strip()
        assert CJK.search(text["zh"])


@pytest.mark.parametrize("kpi", ALL_KPIS, ids=lambda kpi: kpi.id)
def test_typical_targets_are_plausible_for_the_unit(kpi: StandardKpi) -> None:
    target = kpi.typical_target
    if target is None:
        assert kpi.unit in ("currency", "days")
        return
    assert math.isfinite(target)
    if kpi.unit == "percent" and kpi.id != "quota_attainment":
        assert 0.0 < target < 1.0
    if kpi.unit == "score":
        assert -100.0 <= target <= 100.0
    if kpi.unit in ("hours", "days", "ratio"):
        assert target > 0.0


def test_metrics_are_shared_well_formed_and_all_used() -> None:
    used: set[str] = set()
    for kpi in ALL_KPIS:
        for metric_id, metric in kpi.metrics.items():
            assert metric.id == metric_id
            assert STANDARD_METRICS[metric_id] is metric
            used.add(metric_id)
    assert used == set(STANDARD_METRICS)
    for metric in STANDARD_METRICS.values():
        assert METRIC_ID_PATTERN.fullmatch(metric.id)
        assert metric.unit in get_args(Unit)
        assert metric.source is None or metric.source in SOURCE_RESOURCES
        assert set(metric.name) == {"en", "zh"}
        assert metric.name["en"].strip()
        assert CJK.search(metric.name["zh"])


def test_registries_are_read_only() -> None:
    kpi = STANDARD_KPIS["nps"]
    with pytest.raises(TypeError):
        STANDARD_KPIS["nps"] = kpi  # type: ignore[index]
    with pytest.raises(TypeError):
        kpi.metrics["promoters"] = kpi.metrics["detractors"]  # type: ignore[index]
    with pytest.raises(TypeError):
        kpi.name["en"] = "changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        kpi.formula = "promoters"  # type: ignore[misc]


def test_citations_name_the_standard_definitions() -> None:
    assert "Reichheld (2003)" in STANDARD_KPIS["nps"].definition_source
    assert "Dixon, Freeman & Toman (2010)" in STANDARD_KPIS["ces"].definition_source
    assert "Gupta & Lehmann (2003)" in STANDARD_KPIS["customer_lifetime_value"].definition_source


HAND_COMPUTED: list[tuple[str, dict[str, float], float]] = [
    (
        "customer_retention_rate",
        {"customers_at_start": 1000, "customers_at_end": 950, "new_customers": 50},
        0.9,
    ),
    ("churn_rate", {"customers_lost": 50, "customers_at_start": 1000}, 0.05),
    ("csat", {"satisfied_responses": 80, "csat_responses": 100}, 0.8),
    ("nps", {"promoters": 60, "detractors": 10, "nps_responses": 100}, 50.0),
    ("nps", {"promoters": 0, "detractors": 20, "nps_responses": 20}, -100.0),
    ("nps", {"promoters": 45, "detractors": 15, "nps_responses": 120}, 25.0),
    ("ces", {"effort_score_total": 550, "effort_responses": 100}, 5.5),
    (
        "lead_to_opportunity_rate",
        {"leads_converted_to_opportunities": 30, "new_leads": 200},
        0.15,
    ),
    ("conversion_rate", {"new_customers": 10, "new_leads": 400}, 0.025),
    ("win_rate", {"opportunities_won": 20, "opportunities_lost": 60}, 0.25),
    ("average_deal_size", {"won_revenue": 50_000, "opportunities_won": 10}, 5_000.0),
    ("sales_cycle_length", {"days_to_close_total": 900, "opportunities_won": 20}, 45.0),
    (
        "first_response_time",
        {"first_response_hours_total": 120, "cases_first_responded": 40},
        3.0,
    ),
    ("average_resolution_time", {"resolution_hours_total": 960, "cases_resolved": 40}, 24.0),
    (
        "customer_lifetime_value",
        {"annual_margin_per_customer": 100, "annual_retention_rate": 0.8, "discount_rate": 0.1},
        800 / 3,
    ),
    (
        "campaign_roi",
        {"campaign_revenue": 10_000, "contribution_margin": 0.4, "campaign_cost": 2_000},
        1.0,
    ),
    ("pipeline_coverage", {"open_pipeline_value": 300_000, "sales_quota": 100_000}, 3.0),
    ("quota_attainment", {"won_revenue": 90_000, "sales_quota": 100_000}, 0.9),
    ("customer_acquisition_cost", {"acquisition_spend": 20_000, "new_customers": 40}, 500.0),
    (
        "first_contact_resolution_rate",
        {"cases_resolved_first_contact": 28, "cases_resolved": 40},
        0.7,
    ),
    ("sla_compliance_rate", {"cases_resolved_within_sla": 38, "cases_resolved": 40}, 0.95),
    ("lead_response_time", {"lead_response_hours_total": 45, "leads_contacted": 90}, 0.5),
    (
        "days_sales_outstanding",
        {"accounts_receivable": 30_000, "credit_sales": 90_000, "days_in_period": 90},
        30.0,
    ),
    ("duplicate_contact_rate", {"duplicate_contacts": 25, "total_contacts": 1_000}, 0.025),
]


@pytest.mark.parametrize(("kpi_id", "values", "expected"), HAND_COMPUTED)
def test_hand_computed_values(kpi_id: str, values: dict[str, float], expected: float) -> None:
    kpi = STANDARD_KPIS[kpi_id]
    assert set(values) == set(kpi.metrics)
    assert kpi.parsed_formula().evaluate(values) == pytest.approx(expected, rel=1e-12)


def test_every_kpi_has_a_hand_computed_case() -> None:
    assert {kpi_id for kpi_id, _, _ in HAND_COMPUTED} == set(STANDARD_KPIS)


def test_retention_with_no_customers_at_start_is_a_clear_error() -> None:
    formula = STANDARD_KPIS["customer_retention_rate"].parsed_formula()
    with pytest.raises(FormulaEvaluationError) as caught:
        formula.evaluate({"customers_at_start": 0, "customers_at_end": 5, "new_customers": 5})
    assert caught.value.message == (
        "division by zero: `(customers_at_end - new_customers) / customers_at_start`"
        " with customers_at_start = 0"
    )


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(min_value=1, max_value=10**6),
    lost_share=st.floats(min_value=0.0, max_value=1.0),
    new=st.integers(min_value=0, max_value=10**6),
)
def test_retention_and_churn_add_up_to_one(start: int, lost_share: float, new: int) -> None:
    lost = math.floor(start * lost_share)
    end = start - lost + new
    retention = (
        STANDARD_KPIS["customer_retention_rate"]
        .parsed_formula()
        .evaluate({"customers_at_start": start, "customers_at_end": end, "new_customers": new})
    )
    churn = (
        STANDARD_KPIS["churn_rate"]
        .parsed_formula()
        .evaluate({"customers_at_start": start, "customers_lost": lost})
    )
    assert retention + churn == pytest.approx(1.0, abs=1e-12)
    assert 0.0 <= retention <= 1.0


@pytest.mark.parametrize("kpi", ALL_KPIS, ids=lambda kpi: kpi.id)
def test_model_entries_follow_the_format(kpi: StandardKpi) -> None:
    entry = kpi.to_model()
    assert set(entry) <= KPI_MODEL_KEYS
    assert entry["formula"] == kpi.formula
    assert entry["owner"] == kpi.typical_owner
    assert entry["department"] == kpi.typical_department
    assert entry.get("target") == kpi.typical_target
    assert entry["name"] == {"en": kpi.name["en"], "zh": kpi.name["zh"]}
    for metric in kpi.metrics.values():
        metric_entry = metric.to_model()
        assert set(metric_entry) <= {"name", "unit", "source"}
        assert metric_entry["unit"] == metric.unit
        assert metric_entry.get("source") == metric.source
