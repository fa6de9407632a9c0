"""Exporters read the scopes from the registry, and refuse a scope they cannot write."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

import crmorg
from crmorg.export import EXPORTERS, UnsupportedModelError, render_target
from crmorg.export.capabilities import SCOPE_CONSTRUCTS, Capabilities, inexpressible
from crmorg.export.scope_forms import Trivial, directly_wider, down_set, expressible, reaching
from crmorg.export.zanzibar import RECORD_REACH
from crmorg.model import Model
from crmorg.roles.scopes import SCOPES, Scope

from .conftest import FIXTURES

EVERY_SCOPE_CONSTRUCT = frozenset(SCOPE_CONSTRUCTS.values())
# The packages export their render function under the module's name.
cedar = importlib.import_module("crmorg.export.cedar.render")
rego = importlib.import_module("crmorg.export.rego.render")


@pytest.fixture(scope="module")
def small() -> Model:
    return crmorg.load(FIXTURES / "small")


def test_a_scope_is_expressed_with_a_form_for_it_and_every_scope_it_includes() -> None:
    forms = {scope: Trivial.EVERY_RECORD for scope in SCOPES if scope is not Scope.TEAM}
    # subordinates stands beside team: it needs no form for team.
    assert expressible(forms) == (Scope.NONE, Scope.OWN, Scope.SUBORDINATES)
    assert down_set(Scope.TEAM) == (Scope.NONE, Scope.OWN, Scope.TEAM)
    assert reaching(RECORD_REACH) == (
        Scope.OWN,
        Scope.SUBORDINATES,
        Scope.TEAM,
        Scope.DEPARTMENT,
        Scope.ORGANIZATION,
    )
    assert directly_wider(Scope.OWN, tuple(SCOPES)) == (Scope.SUBORDINATES, Scope.TEAM)
    assert directly_wider(Scope.OWN, (Scope.OWN, Scope.ORGANIZATION)) == (Scope.ORGANIZATION,)
    assert directly_wider(Scope.ORGANIZATION, tuple(SCOPES)) == ()


_ENGINE_TARGETS = {name: e for name, e in EXPORTERS.items() if e.build is None}
"""The policy and data targets; a CRM system (section 16) takes every scope and reports
what it cannot carry in its fidelity report instead."""


def test_each_target_expresses_the_scopes_its_forms_express() -> None:
    for name, exporter in _ENGINE_TARGETS.items():
        capabilities = exporter.capabilities
        scopes = exporter.capabilities.expresses & EVERY_SCOPE_CONSTRUCT
        if capabilities.scope_forms is None:  # names and order only: every scope
            assert scopes == EVERY_SCOPE_CONSTRUCT, name
        else:
            expected = {SCOPE_CONSTRUCTS[s] for s in expressible(capabilities.scope_forms)}
            assert scopes == expected == EVERY_SCOPE_CONSTRUCT, name
    assert {n for n, e in _ENGINE_TARGETS.items() if e.capabilities.scope_forms is None} == {
        "casbin",
        "json",
        "csv",
    }


@pytest.mark.parametrize("target", ["cedar", "rego", "openfga", "spicedb"])
def test_a_target_without_a_form_refuses_grants_at_that_scope_and_wider(
    target: str, small: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How a new scope (v1.1's ``subordinates``) is met before a target can write it."""
    exporter = EXPORTERS[target]
    forms = dict(exporter.capabilities.scope_forms or {})
    del forms[Scope.DEPARTMENT]
    lacking = replace(exporter.capabilities, scope_forms=forms)
    monkeypatch.setitem(EXPORTERS, target, replace(exporter, capabilities=lacking))
    with pytest.raises(UnsupportedModelError) as refused:
        render_target(small, target)
    problems = refused.value.problems
    assert {p.construct for p in problems} == {"department-scope", "organization-scope"}
    first = problems[0]
    assert first.location == "model.yaml:30"
    assert first.message.startswith("`sales_rep` grants service_case.read at scope department")
    assert "writes no reach for this scope" in first.message


def test_a_refusal_lists_every_grant_at_the_scope(small: Model) -> None:
    capabilities = Capabilities(scope_forms={Scope.NONE: Trivial.NO_RECORD})
    found = inexpressible(small, capabilities)
    assert {p.construct for p in found} == {
        "own-scope",
        "team-scope",
        "department-scope",
        "organization-scope",
    }
    written = sum(
        1
        for role in small.roles.values()
        for actions in role.grants.values()
        for scope in actions.values()
        if scope != "none"
    )
    assert len(found) == written


def test_cedar_composes_a_condition_from_the_scopes_included() -> None:
    own = cedar.scope_condition(Scope.OWN)
    team = cedar.scope_condition(Scope.TEAM)
    assert own == "(resource has owner && resource.owner == principal)"
    assert team is not None and team.startswith(own + " ||\n  ")
    assert team.count(" ||\n  ") == 2
    assert cedar.scope_condition(Scope.ORGANIZATION) is None
    assert cedar.scope_condition(Scope.NONE) == "false"


def test_casbin_links_each_grant_to_the_scopes_the_registry_includes() -> None:
    casbin = importlib.import_module("crmorg.export.casbin.render")
    links = casbin._scope_order({("lead", "read", Scope.ORGANIZATION)})
    edges = {tuple(node.rsplit("/", 1)[1] for node in line.split(", ")[1:]) for line in links}
    assert edges == {
        (scope.label, narrower.label)
        for scope, definition in SCOPES.items()
        for narrower in definition.includes
        if narrower is not Scope.NONE
    }
    assert all(line.startswith("g, grant/lead/read/") for line in links)
    assert casbin._scope_order({("lead", "read", Scope.OWN)}) == []


def test_rego_names_each_set_of_widest_scopes_with_what_it_covers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = rego.scope_covers(tuple(SCOPES))
    # v1.1: subordinates beside team and beside department, named together.
    single = {
        scope.label: {covered.label: True for covered in down_set(scope)[1:]}
        for scope in SCOPES
        if scope is not Scope.NONE
    }
    assert table == {
        **single,
        "subordinates+team": {**single["subordinates"], **single["team"]},
        "subordinates+department": {**single["subordinates"], **single["department"]},
    }
    monkeypatch.setattr(rego, "wider", lambda candidate, current: False)
    beside = rego.scope_covers((Scope.OWN, Scope.TEAM))
    assert beside["own+team"] == {"own": True, "team": True}
    assert rego.held_name((Scope.TEAM, Scope.OWN)) == "own+team"
