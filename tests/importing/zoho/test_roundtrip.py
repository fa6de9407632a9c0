"""Round trip: export with the zoho target, import, and the same decisions come back
except exactly the losses the export's fidelity.json lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.model import Model
from export.strategies import models

from .roundtrip import check_round_trip, export_files, imported_model

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize(
    "example",
    [
        ROOT / "tests" / "export" / "fixtures" / "small",
        ROOT / "examples" / "reference",
        ROOT / "examples" / "smb",
        ROOT / "examples" / "vendor-audit",
    ],
    ids=lambda path: path.name,
)
def test_examples_round_trip(example: Path) -> None:
    check_round_trip(crmorg.load(example))


def test_hostile_names_round_trip() -> None:
    """Quotes, <, &, newlines, U+202E, Chinese: the names come back as they were."""
    from export.zoho.test_zoho import _hostile_model

    model = _hostile_model()
    check_round_trip(model)
    back, _ = imported_model(export_files(model))
    assert {p.name for p in back.people.values()} == {p.name for p in model.people.values()}
    assert set(back.people) == set(model.people)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_generated_models_round_trip(model: Model) -> None:
    check_round_trip(model)
