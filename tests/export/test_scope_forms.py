"""Exporters read the scopes from the registry, and refuse a scope they cannot write."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

import crmorg
from crmorg.export import EXPORTERS, UnsupportedModelError, render_target
from crmorg.export.capabilities import SCOPE_CONSTRUCTS, Capabilities, inexpressible
from crmorg.export.casbin.render import SCOPE_ORDER
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
    assert expressible(forms) == (Scope.NONE, Scope.OWN)
    assert down_set(Scope.TEAM) == (Scope.NONE, Scope.OWN, Scope.TEAM)
    assert reaching(RECORD_REACH) == (
        Scope.OWN,
        Scope.SUBORDINATES,
        Scope.TEAM,
        Scope.DEPARTMENT,
        Scope.ORGANIZATION,
    )
    assert directly_wider(Scope.OWN, tuple(SCOPES)) == (Scope.TEAM,)
    assert directly_wider(Scope.OWN, (Scope.OWN, Scope.ORGANIZATION)) == (Scope.ORGANIZATION,)
    assert directly_wider(Scope.ORGANIZATION, tuple(SCOPES)) == ()


def test_each_target_expresses_the_scopes_its_forms_express() -> None:
    for name, exporter in EXPORTERS.items():
        capabilities = exporter.capabilities
        scopes = exporter.capabilities.expresses & EVERY_SCOPE_CONSTRUCT
        if capabilities.scope_forms is None:  # names and order only: every scope
            assert scopes == EVERY_SCOPE_CONSTRUCT, name
        else:
            expected = {SCOPE_CONSTRUCTS[s] for s in expressible(capabilities.scope_forms)}
            assert scopes == expected == EVERY_SCOPE_CONSTRUCT, name
    assert {n for n, e in EXPORTERS.items() if e.capabilities.scope_forms is None} == {
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


def test_casbin_orders_scopes_as_the_registry_includes_them() -> None:
    edges = {tuple(line.split(", ")[1:]) for line in SCOPE_ORDER}
    assert edges == {
        (narrower.label, scope.label)
        for scope, definition in SCOPES.items()
        for narrower in definition.includes
        if narrower is not Scope.NONE
    }


def test_rego_ranks_a_chain_and_refuses_scopes_beside_each_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert list(rego.RANKS) == list(SCOPES)
    assert list(rego.RANKS.values()) == list(range(len(SCOPES)))
    monkeypatch.setattr(rego, "includes", lambda wider, narrower: narrower is not Scope.TEAM)
    with pytest.raises(ValueError, match="department does not include team"):
        rego.scope_ranks((Scope.NONE, Scope.OWN, Scope.TEAM, Scope.DEPARTMENT))
