"""`crmorg kpi`: the scorecard on the command line, its formats, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from crmorg.cli.main import main
from crmorg.kpi.library import STANDARD_KPIS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = str(ROOT / "examples" / "reference")
CSV_DATA = str(ROOT / "examples" / "reference-metrics.csv")
YAML_DATA = str(ROOT / "examples" / "reference-metrics.yaml")

SMALL = """\
version: 1
organization: {name: Small}
departments: {sales: {name: Sales}}
roles: {boss: {department: sales}}
metrics: {won: {unit: count}, lost: {unit: count}}
kpis:
  win_rate:
    department: sales
    owner: boss
    formula: won / (won + lost)
    unit: percent
    direction: higher
    target: 0.3
    frequency: monthly
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _small(tmp_path: Path, data: str, name: str = "data.csv") -> tuple[str, str]:
    (tmp_path / "model.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / name).write_text(data, encoding="utf-8")
    return str(tmp_path / "model.yaml"), str(tmp_path / name)


def test_reference_scorecard_shows_every_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "kpi", REFERENCE, "--data", CSV_DATA)
    assert code == 0, err
    assert err == ""
    for status in ("met", "missed", "no-data", "error"):
        assert f"  {status}" in out
    assert "no opportunities_lost or opportunities_won recorded for 2026-03" in out
    assert "By department" in out
    assert "%" in out


def test_reference_json_has_every_status_for_csv_and_yaml(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outputs = []
    for data in (CSV_DATA, YAML_DATA):
        code, out, _ = _run(capsys, "kpi", REFERENCE, "--data", data, "--format", "json")
        assert code == 0
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1]
    results = outputs[0]["results"]
    assert {r["status"] for r in results} == {"met", "missed", "no-data", "error"}
    periods = outputs[0]["periods"]
    assert len(periods) >= 3
    # Each KPI once per period of its frequency: monthly and weekly ones (the data is
    # monthly) in each month, quarterly ones in 2026-Q1, the yearly one in 2026.
    per_kpi: dict[str, list[str]] = {}
    for result in results:
        per_kpi.setdefault(result["kpi"], []).append(result["period"])
    assert periods == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026"]
    assert per_kpi["csat"] == ["2026-01", "2026-02", "2026-03"]
    assert per_kpi["training_pass_rate"] == ["2026-Q1"]
    assert per_kpi["revenue_per_employee"] == ["2026"]
    # Value equal to target is met, in both directions.
    on_target = [r for r in results if r["value"] is not None and r["value"] == r["target"]]
    assert {r["direction"] for r in on_target} == {"higher", "lower"}
    assert {r["status"] for r in on_target} == {"met"}


def test_period_filter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model, data = _small(
        tmp_path, "period,metric,value\np1,won,1\np1,lost,3\np2,won,1\np2,lost,1\n"
    )
    code, out, _ = _run(capsys, "kpi", model, "--data", data, "--format", "json", "--period", "p2")
    assert code == 0
    (result,) = json.loads(out)["results"]
    assert (result["period"], result["status"], result["previous_period"]) == ("p2", "met", "p1")
    assert result["change"] == pytest.approx(0.25)
    code, _, err = _run(capsys, "kpi", model, "--data", data, "--period", "p9")
    assert code == 2 and "no period 'p9'" in err and "p1, p2" in err


def test_csv_and_html_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model, data = _small(tmp_path, "period,metric,value\n=1+1,won,1\n=1+1,lost,1\n")
    code, out, _ = _run(capsys, "kpi", model, "--data", data, "--format", "csv")
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["period"] == "'=1+1" and row["status"] == "met" and row["value"] == "0.5"
    code, out, _ = _run(capsys, "kpi", model, "--data", data, "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "=1+1" in out


def test_bad_rows_are_findings_on_stderr_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model, data = _small(tmp_path, "period,metric,value\np1,won,1\np1,lost,x\np1,wonn,2\n")
    code, out, err = _run(capsys, "kpi", model, "--data", data, "--format", "json")
    assert code == 1
    json.loads(out)  # stdout stays a clean scorecard
    assert "data.csv:3:9: error schema: the value `x` of lost is not a number" in err
    assert "data.csv:4:4: error schema: `wonn` is not a metric" in err
    assert "left out of the scorecard" in err


def test_model_errors_exit_1_without_a_scorecard(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model, data = _small(tmp_path, "period,metric,value\np1,won,1\n")
    Path(model).write_text(SMALL.replace("won / (won + lost)", "won.x"), encoding="utf-8")
    code, out, err = _run(capsys, "kpi", model, "--data", data)
    assert code == 1
    assert out == ""
    assert "model.yaml:10:17: error schema: KPI win_rate: the formula is not valid" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["kpi", REFERENCE], "give a model PATH and --data FILE"),
        (["kpi", "--data", CSV_DATA], "give a model PATH and --data FILE"),
        (["kpi", REFERENCE, "--data", "nope.csv"], "no such data file"),
        (["kpi", REFERENCE, "--data", str(ROOT / "README.md")], "cannot tell the format"),
        (["kpi", "nowhere", "--data", CSV_DATA], "no such file or directory"),
        (["kpi", REFERENCE, "--data", CSV_DATA, "--format", "yaml"], "a scorecard prints"),
        (["kpi", "--library", "--format", "html"], "--library prints"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert words in err


def test_library_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "kpi", "--library")
    assert code == 0
    assert all(kpi_id in out for kpi_id in STANDARD_KPIS)
    code, out, _ = _run(capsys, "kpi", "--library", "--format", "json")
    assert [k["id"] for k in json.loads(out)["kpis"]] == list(STANDARD_KPIS)
    code, out, _ = _run(capsys, "kpi", "--library", "--format", "yaml")
    data = yaml.safe_load(out)
    assert set(data["kpis"]) == set(STANDARD_KPIS)
    assert {m for k in STANDARD_KPIS.values() for m in k.metrics} == set(data["metrics"])


def test_library_yaml_is_a_valid_model_fragment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "kpi", "--library", "--format", "yaml")
    assert code == 0
    (tmp_path / "kpis.yaml").write_text(out, encoding="utf-8")
    (tmp_path / "org.yaml").write_text("version: 1\norganization: {name: X}\n", encoding="utf-8")
    from crmorg.api import load_partial

    model = load_partial(tmp_path)
    assert model.load_findings == ()
    assert set(model.kpis) == set(STANDARD_KPIS)


def test_init_with_standard_kpis_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "starter"
    code, out, _ = _run(capsys, "init", str(target), "--kpis", "nps,csat,win_rate")
    assert code == 0
    assert "kpis.yaml" in out and "already has a KPI `win_rate`" in out
    code, out, _ = _run(capsys, "validate", str(target))
    assert code == 0, out
    assert "0 errors, 0 warnings" in out
    data = (
        "period,metric,value\n2026-01,promoters,50\n2026-01,detractors,10\n"
        "2026-01,nps_responses,100\n"
    )
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    code, out, _ = _run(
        capsys, "kpi", str(target), "--data", str(tmp_path / "d.csv"), "--format", "json"
    )
    assert code == 0
    nps = next(r for r in json.loads(out)["results"] if r["kpi"] == "nps")
    assert (nps["value"], nps["status"]) == (40.0, "met")


def test_init_with_an_unknown_kpi_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(capsys, "init", str(tmp_path / "x"), "--kpis", "win_rat")
    assert code == 2 and "did you mean `win_rate`" in err
    assert not (tmp_path / "x").exists()


def test_docs_with_kpi_data_adds_the_scorecard_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    code, out, _ = _run(capsys, "docs", REFERENCE, "--out", str(site), "--kpi-data", CSV_DATA)
    assert code == 0, out
    page = (site / "scorecard.html").read_text(encoding="utf-8")
    assert "no opportunities_lost or opportunities_won recorded for 2026-03" in page
    assert "status-no-data" in page
    assert "scorecard.html" in (site / "index.html").read_text(encoding="utf-8")
    code, _, _ = _run(capsys, "docs", REFERENCE, "--out", str(tmp_path / "plain"))
    assert code == 0 and not (tmp_path / "plain" / "scorecard.html").exists()


def test_docs_with_bad_kpi_data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model, data = _small(tmp_path, "period,metric,value\np1,nope,1\n")
    site = tmp_path / "site"
    code, _, err = _run(capsys, "docs", model, "--out", str(site), "--kpi-data", data)
    assert code == 1 and "`nope` is not a metric" in err
    assert (site / "scorecard.html").exists()
    code, _, err = _run(capsys, "docs", model, "--out", str(site), "--kpi-data", "missing.csv")
    assert code == 2 and "no such data file" in err
