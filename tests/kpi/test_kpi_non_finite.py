"""Non-finite numbers never reach a KPI output, whichever way they come in (issue 19)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.models import Kpi
from crmorg.kpi.render import RENDERERS, ScorecardContext, render
from crmorg.loading.metric_data import read_metric_data


def _kpi(target: float) -> Kpi:
    return Kpi.model_validate(
        {"formula": "won / lost", "direction": "higher", "target": target, "unit": "ratio"}
    )


@pytest.mark.parametrize("target", [math.nan, math.inf, -math.inf])
def test_a_non_finite_target_built_in_python_is_an_error_in_every_format(target: float) -> None:
    card = evaluate({"k": _kpi(target)}, MetricData({"2026-01": {"won": 1, "lost": 2}}))
    (result,) = card.results
    assert (result.status, result.target, result.value) == ("error", None, 0.5)
    assert "not a finite number" in (result.message or "")
    assert json.loads(render(card, "json", ScorecardContext()))["results"][0]["target"] is None
    for name in RENDERERS:
        assert render(card, name, ScorecardContext())


def test_a_value_that_overflows_is_an_error() -> None:
    card = evaluate({"k": _kpi(1.0)}, MetricData({"p": {"won": 1e308, "lost": 1e-308}}))
    (result,) = card.results
    assert (result.status, result.value) == ("error", None)
    json.loads(render(card, "json", ScorecardContext()))


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf", "1e400"])
@pytest.mark.parametrize("suffix", ["yaml", "csv"])
def test_non_finite_metric_values_are_positioned_findings(
    written: str, suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"data.{suffix}"
    text = (
        f'"2026-01":\n  won: {written}\n  lost: 2\n'
        if suffix == "yaml"
        else f"period,metric,value\n2026-01,won,{written}\n2026-01,lost,2\n"
    )
    path.write_text(text, encoding="utf-8")
    result = read_metric_data(path, {"won", "lost"})
    found = [f for f in result.findings if "finite" in f.message]
    assert [(f.line, f.column) for f in found] == [(2, 8 if suffix == "yaml" else 13)]
    assert "won" not in result.data.at("2026-01")
