"""`standard: <id>` pulls a library KPI into a model at load time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from crmorg.api import load_partial
from crmorg.kpi.library import STANDARD_KPIS
from crmorg.kpi.models import Kpi
from crmorg.kpi.standard import implied_metrics, pull_in_entry, resolve_standard
from crmorg.kpi.starter import parse_kpi_ids, standard_kpis_file
from crmorg.lint.engine import run
from crmorg.model import Model

BASE = """\
version: 1
organization: {name: T}
resources:
  opportunity: {name: Opportunity}
departments:
  management: {name: Management, head: boss}
  sales: {name: Sales, parent: management, head: sales_manager}
roles:
  boss: {department: management, grants: {"*": {"*": organization}}}
  sales_manager: {department: sales, grants: {opportunity: {"*": department}}}
"""


def _load(tmp_path: Path, extra: str) -> Model:
    path = tmp_path / "model.yaml"
    path.write_text(BASE + textwrap.dedent(extra), encoding="utf-8")
    return load_partial(path)


def test_standard_fills_every_field_the_model_leaves_out(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  wins: {standard: win_rate}\n")
    kpi = model.kpis["wins"]
    library = STANDARD_KPIS["win_rate"]
    assert kpi.standard == "win_rate"
    assert kpi.formula == library.formula
    assert (kpi.unit, kpi.direction, kpi.frequency) == ("percent", "higher", "monthly")
    assert kpi.target == library.typical_target
    assert kpi.name == dict(library.name) and kpi.description == dict(library.description)
    # The typical owner and department exist in this model, so they are taken.
    assert (kpi.owner, kpi.department) == ("sales_manager", "sales")
    assert model.load_findings == ()


def test_fields_given_in_the_model_win(tmp_path: Path) -> None:
    model = _load(
        tmp_path,
        """\
        kpis:
          wins:
            standard: win_rate
            name: Deals won
            owner: boss
            department: management
            target: 0.5
            frequency: weekly
        """,
    )
    kpi = model.kpis["wins"]
    assert (kpi.name, kpi.owner, kpi.department, kpi.target, kpi.frequency) == (
        "Deals won",
        "boss",
        "management",
        0.5,
        "weekly",
    )
    assert kpi.formula == STANDARD_KPIS["win_rate"].formula


def test_typical_owner_and_department_only_when_the_model_has_them(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  nps: {standard: nps}\n")
    kpi = model.kpis["nps"]
    assert STANDARD_KPIS["nps"].typical_owner == "crm_manager"
    assert kpi.owner is None and kpi.department is None
    report = run(model)
    assert not [f for f in report.findings if f.rule == "unknown-reference"]


def test_metrics_are_declared_implicitly(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  wins: {standard: win_rate}\n")
    assert set(model.metrics) == {"opportunities_won", "opportunities_lost"}
    won = model.metrics["opportunities_won"]
    assert won.unit == "count" and won.source == "opportunity"
    # Findings about an implied metric point at the `standard:` line.
    assert model.locate(("metrics", "opportunities_won")).line == 12
    report = run(model)
    assert not [f for f in report.findings if f.rule == "kpi-not-measurable"]


def test_implied_metric_drops_a_source_the_model_lacks(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  csat: {standard: csat, owner: boss}\n")
    assert {m.source for m in model.metrics.values()} == {None}  # `case` is not declared
    report = run(model)
    assert not [f for f in report.findings if f.rule == "unknown-reference"]


def test_a_metric_the_model_declares_is_kept(tmp_path: Path) -> None:
    model = _load(
        tmp_path,
        """\
        metrics:
          opportunities_won: {unit: count, name: Our own definition}
        kpis:
          wins: {standard: win_rate}
        """,
    )
    assert model.metrics["opportunities_won"].name == "Our own definition"
    assert model.metrics["opportunities_lost"].name == dict(
        STANDARD_KPIS["win_rate"].metrics["opportunities_lost"].name
    )


def test_an_overridden_formula_pulls_in_only_what_it_uses(tmp_path: Path) -> None:
    model = _load(
        tmp_path,
        "kpis:\n  wins: {standard: win_rate, formula: opportunities_won / 100}\n",
    )
    assert set(model.metrics) == {"opportunities_won"}


def test_unknown_standard_is_an_unknown_reference_with_a_suggestion(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  wins:\n    standard: win_rat\n")
    (finding,) = [f for f in model.load_findings if f.rule == "unknown-reference"]
    assert (finding.line, finding.column) == (13, 15)
    assert "did you mean `win_rate`?" in finding.message
    assert finding.subjects == ("wins", "win_rat")
    assert finding.severity.value == "error"


def test_an_invalid_standard_id_is_a_schema_error(tmp_path: Path) -> None:
    model = _load(tmp_path, "kpis:\n  wins: {standard: Win-Rate}\n")
    assert [f.rule for f in model.load_findings] == ["schema"]


def test_every_library_kpi_can_be_pulled_in_cleanly(tmp_path: Path) -> None:
    entries = "".join(f"  {kpi_id}: {{standard: {kpi_id}}}\n" for kpi_id in STANDARD_KPIS)
    model = _load(tmp_path, "kpis:\n" + entries)
    assert model.load_findings == ()
    for kpi_id, kpi in model.kpis.items():
        assert kpi.formula == STANDARD_KPIS[kpi_id].formula
    report = run(model)
    rules = {f.rule for f in report.findings if f.severity.value == "error" and not f.waived}
    assert rules == set()


# ----------------------------------------------------------------- pure functions


def test_resolve_standard_and_implied_metrics_directly() -> None:
    library = STANDARD_KPIS["churn_rate"]
    kpi = resolve_standard(Kpi(standard="churn_rate", target=0.02), library, roles={"x"})
    assert kpi.target == 0.02 and kpi.owner is None
    metrics = implied_metrics(kpi, library, declared={"customers_lost"}, resources={"account"})
    assert set(metrics) == {"customers_at_start"}
    assert metrics["customers_at_start"].source == "account"
    assert implied_metrics(Kpi(formula="a.b"), library, declared=set()) == {}


def test_pull_in_entry_falls_back() -> None:
    entry = pull_in_entry(
        STANDARD_KPIS["nps"],
        roles={"boss"},
        departments={"management"},
        fallback_owner="boss",
        fallback_department="management",
    )
    assert entry == {"standard": "nps", "owner": "boss", "department": "management"}


def test_parse_kpi_ids() -> None:
    assert parse_kpi_ids("win_rate, nps,win_rate") == ["win_rate", "nps"]
    assert parse_kpi_ids("all") == list(STANDARD_KPIS)
    with pytest.raises(ValueError, match="did you mean `win_rate`"):
        parse_kpi_ids("win_rate,win_rat")
    with pytest.raises(ValueError, match="at least one"):
        parse_kpi_ids(" , ")


def test_standard_kpis_file_loads_with_the_model(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE + "kpis:\n  win_rate: {formula: '1'}\n")
    made = standard_kpis_file(data, ["win_rate", "nps", "average_deal_size"])
    assert any("already has a KPI `win_rate`" in note for note in made.notes)
    assert any("`average_deal_size` has no usual target" in note for note in made.notes)
    (tmp_path / "model.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(made.text, encoding="utf-8")
    model = load_partial(tmp_path)
    assert model.load_findings == ()
    assert model.kpis["nps"].owner == "boss"  # the root department's head
    assert model.kpis["nps"].department == "management"
    assert model.kpis["average_deal_size"].owner == "sales_manager"
