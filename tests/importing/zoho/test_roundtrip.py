"""Round trip: export with the zoho target, import, and the same decisions come back
except exactly the losses the export's fidelity.json lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.model import Model
from export.strategies import models

from .roundtrip import check_round_trip

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize(
    "example", [ROOT / "tests" / "export" / "fixtures" / "small", ROOT / "examples" / "reference"]
)
def test_examples_round_trip(example: Path) -> None:
    check_round_trip(crmorg.load(example))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_generated_models_round_trip(model: Model) -> None:
    check_round_trip(model)
