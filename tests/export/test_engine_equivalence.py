"""Proof by the real engines: cedarpy, pycasbin and regorus decide as the model does.

For every generated model (hypothesis) and for the reference model, each target's
export is loaded into its engine and asked every ``allows()`` question (subject ×
resource × action × scope) and ``decide()`` questions for people on records, with and
without an explicit team and department.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cedarpy
import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.export import EXPORTERS, UnsupportedModelError, render_target
from crmorg.model import Model

from .conftest import ENGINE_TARGETS, FIXTURES, REFERENCE, make_engine
from .engines import SCOPES, CedarEngine, DecideQuery, RegoEngine
from .equivalence import (
    allows_queries,
    decide_queries,
    field_queries,
    mismatches_allows,
    mismatches_decide,
    mismatches_fields,
    records,
    sampled_decide_queries,
    subjects,
)
from .strategies import load_document, model_documents, models

HYPOTHESIS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def scopes_for(target: str) -> tuple[str, ...]:
    # A Cedar decision is about a record, and no record has the relation `none`.
    return SCOPES[1:] if target == "cedar" else SCOPES


def engine_decided(target: str, model: Model, queries: list[DecideQuery]) -> list[DecideQuery]:
    """The decide() questions the target's engine answers alone."""
    if target != "casbin":
        return queries
    # The application applies sharing rules (docs/exports.md): Casbin decides allows()
    # at the record's relation, which is the decision where no rule shares the record.
    shared = model.access.sharing.by_permission
    return [q for q in queries if (q[2], q[1]) not in shared]


def assert_equivalent(target: str, model: Model, *, exhaustive_records: bool = True) -> None:
    engine = make_engine(target, model, sliced=not exhaustive_records)
    problems = mismatches_allows(model, engine, allows_queries(model, scopes_for(target)))
    queries = (
        decide_queries(model, records(model))
        if exhaustive_records
        else sampled_decide_queries(model, 4000)
    )
    problems += mismatches_decide(model, engine, engine_decided(target, model, queries))
    if isinstance(engine, (CedarEngine, RegoEngine)):  # the engines that decide fields
        problems += mismatches_fields(model, engine, field_queries(model))
    assert not problems, f"{len(problems)} differences, e.g.:\n" + "\n".join(problems[:10])
    if target == "cedar":
        files = EXPORTERS["cedar"].render(model)
        result = cedarpy.validate_policies(files["policies.cedar"], files["schema.cedarschema"])
        assert result.validation_passed, result.errors


@pytest.mark.parametrize("target", ENGINE_TARGETS)
@settings(max_examples=100, parent=HYPOTHESIS)
@given(model=models())
def test_generated_models(target: str, model: Model) -> None:
    """100 models per engine; the slow run below asks 2,000."""
    assert_equivalent(target, model)


@pytest.mark.slow
@pytest.mark.parametrize("target", ENGINE_TARGETS)
@settings(max_examples=2000, parent=HYPOTHESIS)
@given(model=models())
def test_generated_models_large_run(target: str, model: Model) -> None:
    assert_equivalent(target, model)


@pytest.mark.parametrize("target", ENGINE_TARGETS)
@settings(max_examples=15, parent=HYPOTHESIS)
@given(model=models(deep=True))
def test_inheritance_deeper_than_ten_levels(target: str, model: Model) -> None:
    chain = [r for r in model.roles if r.startswith("c")]
    assert len(chain) > 10
    assert_equivalent(target, model)


def test_generated_models_have_what_makes_exports_hard() -> None:
    """The strategy really produces deep chains, several roles per person, wildcards."""
    from hypothesis import Phase, find

    def exists(predicate: Callable[[Model], bool]) -> None:
        # Only that an example exists: no time spent shrinking it.
        find(models(), predicate, settings=settings(phases=[Phase.generate], database=None))

    exists(lambda m: len([r for r in m.roles if r.startswith("c")]) > 10)
    exists(lambda m: any(len(p.roles) >= 2 for p in m.people.values()))
    exists(lambda m: any("*" in r.grants for r in m.roles.values()))
    exists(lambda m: any(t.lead is not None for t in m.teams.values()))
    exists(lambda m: any(d.parent is not None for d in m.departments.values()))
    # Format v1.1, carried by every engine target here.
    exists(lambda m: "subordinates" in str([r.grants for r in m.roles.values()]))
    exists(lambda m: any(r.baseline for r in m.resources.values()))
    exists(lambda m: bool(m.sharing) and any(p.roles for p in m.people.values()))
    exists(lambda m: any(r.fields for r in m.roles.values()))


# --- the fixture and the reference model --------------------------------------------------
@pytest.fixture(scope="module")
def small_model() -> Model:
    return crmorg.load(FIXTURES / "small")


@pytest.mark.parametrize("target", ENGINE_TARGETS)
def test_small_fixture(target: str, small_model: Model) -> None:
    assert_equivalent(target, small_model)


@pytest.fixture(scope="module")
def reference_model() -> Model:
    if not REFERENCE.is_dir():
        pytest.skip("examples/reference is not there")
    model = crmorg.load(REFERENCE)
    if crmorg.validate(model).errors:
        pytest.skip("examples/reference does not validate yet")
    return model


@pytest.mark.parametrize("target", ENGINE_TARGETS)
def test_reference_model(target: str, reference_model: Model) -> None:
    """Every allows() question; decide() on a large sample of records (see
    sampled_decide_queries: every person × record shape at its boundary, plus random)."""
    assert_equivalent(target, reference_model, exhaustive_records=False)


@pytest.mark.slow
@pytest.mark.parametrize("target", ENGINE_TARGETS)
def test_reference_model_larger_sample(target: str, reference_model: Model) -> None:
    engine = make_engine(target, reference_model, sliced=True)
    queries = sampled_decide_queries(reference_model, 60_000, seed=11)
    problems = mismatches_decide(
        reference_model, engine, engine_decided(target, reference_model, queries)
    )
    assert not problems, "\n".join(problems[:10])


# --- what an engine cannot express --------------------------------------------------------
def _cyclic_document() -> dict[str, object]:
    return {
        "version": 1,
        "organization": {"name": "Cycles"},
        "resources": {"lead": {"actions": ["read", "update"]}},
        "departments": {"a": {"name": "A", "parent": "b"}, "b": {"name": "B", "parent": "a"}},
        "roles": {
            "x": {"inherits": ["y"], "department": "a", "grants": {"lead": {"read": "team"}}},
            "y": {"inherits": ["x"], "grants": {"lead": {"update": "department"}}},
            "z": {"inherits": ["x"], "grants": {}},
        },
        "teams": {"t": {"department": "b", "lead": "p1"}},
        "people": {"p1": {"roles": ["z"]}, "p2": {"roles": ["y"], "teams": ["t"]}},
    }


@pytest.mark.parametrize("target", ["casbin", "rego"])
def test_forced_cycles_still_decide_as_the_model(target: str) -> None:
    model = load_document(_cyclic_document())
    assert crmorg.validate(model).errors  # inheritance-cycle, department-cycle
    render_target(model, target, force=True)
    assert_equivalent(target, model)


def test_cedar_refuses_a_forced_cycle() -> None:
    model = load_document(_cyclic_document())
    with pytest.raises(UnsupportedModelError, match="acyclic"):
        render_target(model, "cedar", force=True)


def _reporting_cycle_document() -> dict[str, object]:
    return {
        "version": 1,
        "organization": {"name": "Reporting cycle"},
        "resources": {"lead": {"actions": ["read", "update"], "baseline": {"update": "own"}}},
        "roles": {"boss": {"grants": {"lead": {"read": "subordinates", "update": "own"}}}},
        "people": {
            "a": {"roles": ["boss"], "reports_to": "b"},
            "b": {"roles": ["boss"], "reports_to": "a"},
            "c": {"roles": ["boss"], "reports_to": "a"},
            "d": {"roles": [], "reports_to": "c"},
        },
    }


@pytest.mark.parametrize("target", ["casbin", "rego"])
def test_a_forced_reporting_cycle_decides_as_the_model(target: str) -> None:
    model = load_document(_reporting_cycle_document())
    assert any(f.rule == "reporting-cycle" for f in crmorg.validate(model).errors)
    render_target(model, target, force=True)
    assert_equivalent(target, model)


def test_cedar_refuses_a_forced_reporting_cycle_with_subordinates() -> None:
    model = load_document(_reporting_cycle_document())
    with pytest.raises(UnsupportedModelError, match="reporting-cycle"):
        render_target(model, "cedar", force=True)


def test_a_person_and_a_role_with_one_id() -> None:
    """allows() reads the id as the role, decide() as the person; Casbin names both by
    the bare id and refuses, Cedar and Rego keep them apart."""
    doc = {
        "version": 1,
        "organization": {"name": "Shared ids"},
        "resources": {"lead": {"actions": ["read"]}},
        "roles": {
            "boss": {"grants": {"lead": {"read": "organization"}}},
            "clerk": {"grants": {"lead": {"read": "own"}}},
        },
        "people": {"boss": {"roles": ["clerk"]}, "ann": {"roles": ["boss"]}},
    }
    model = load_document(doc)
    assert "boss" in subjects(model) and model.allows("boss", "read", "lead", "organization")
    assert not model.decide("boss", "read", "lead", owner="ann")
    with pytest.raises(UnsupportedModelError, match="boss"):
        render_target(model, "casbin", force=True)
    for target in ("cedar", "rego"):
        assert_equivalent(target, model)


def test_strategy_documents_are_valid_models(tmp_path: Path) -> None:
    """The generated documents validate without errors: nothing is proved on broken input."""
    from hypothesis import given as given_

    @settings(max_examples=30, parent=HYPOTHESIS)
    @given_(doc=model_documents())
    def check(doc: dict[str, object]) -> None:
        model = load_document(doc)
        model_errors = [f for f in crmorg.validate(model).errors if f.rule in _MODEL_ERRORS]
        assert not model_errors, model_errors

    check()


_MODEL_ERRORS = {
    "yaml-syntax",
    "schema",
    "duplicate-id",
    "unknown-reference",
    "inheritance-cycle",
    "department-cycle",
    "reporting-cycle",
}
