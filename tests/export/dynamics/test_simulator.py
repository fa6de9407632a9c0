"""Dataverse's documented record access, simulated from the export's own files, gives the
model's decisions except exactly the losses that fidelity.json lists."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.export import EXPORTERS
from crmorg.model import Model

from ..strategies import load_document, models
from .compare import differences, unexplained_and_invented

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
REFERENCE = HERE.parents[2] / "examples" / "reference"


def _check(model: Model) -> None:
    files = EXPORTERS["dynamics"].render(model)
    unexplained, invented = unexplained_and_invented(model, files)
    assert not unexplained, unexplained[:5]
    assert not invented, invented[:5]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_generated_models_differ_only_where_fidelity_says(model: Model) -> None:
    _check(model)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models(deep=True))
def test_deep_chains_of_reports_and_roles_differ_only_where_fidelity_says(model: Model) -> None:
    _check(model)


def test_the_small_fixture_differs_only_where_fidelity_says() -> None:
    model = crmorg.load(FIXTURES / "small")
    _check(model)
    files = EXPORTERS["dynamics"].render(model)
    found = differences(model, files)
    # Team scopes fall short (under); own scopes reach the records of one's teams (over).
    assert {d.direction for d in found} == {"under-grants", "over-grants"}
    losses = json.loads(files["fidelity.json"])["losses"]
    assert {loss["construct"] for loss in losses} == {"scope", "grant", "structure"}
    over = [loss for loss in losses if loss["direction"] == "over-grants"]
    assert over and all("below team scope" in loss["written"] for loss in over)


@pytest.mark.parametrize("example", ["reference", "smb", "vendor-audit"])
def test_the_examples_differ_only_where_fidelity_says(example: str) -> None:
    start = time.perf_counter()
    _check(crmorg.load(REFERENCE.parent / example))
    assert time.perf_counter() - start < 20


def test_a_department_cycle_hangs_from_the_root_and_still_differs_only_as_listed() -> None:
    document = {
        "version": 1,
        "organization": {"name": "Loop"},
        "resources": {"lead": {"name": "Lead"}},
        "departments": {
            "a": {"name": "A", "parent": "b"},
            "b": {"name": "B", "parent": "a"},
            "c": {"name": "C", "parent": "a"},
        },
        "roles": {
            "boss": {"name": "Boss", "department": "a", "grants": {"lead": {"*": "department"}}},
            "rep": {"name": "Rep", "department": "c", "grants": {"lead": {"*": "own"}}},
        },
        "people": {"pat": {"roles": ["boss"]}, "sam": {"roles": ["rep"]}, "kim": {"roles": []}},
    }
    model = load_document(document)
    _check(model)
    files = EXPORTERS["dynamics"].render(model)
    units = json.loads(files["webapi/01-businessunits.json"])["requests"]
    assert len(units) == 3  # every department is a business unit, none lost to the cycle
