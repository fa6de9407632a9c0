"""The domain core: OrgGraph's facets, RACI parts, the scope registry, AccessModel."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.model import Model
from crmorg.permissions.access import Permission
from crmorg.roles import raci, scopes
from crmorg.roles.scopes import COVERED, SCOPE_NAMES, SCOPES, Scope

MODEL = """\
organization: {name: T}
resources:
  lead: {name: Lead}
departments:
  hq: {name: HQ}
  sales: {name: Sales, parent: hq}
  north: {name: North, parent: sales}
  loop1: {name: L1, parent: loop2}
  loop2: {name: L2, parent: loop1}
roles:
  employee: {grants: {lead: {read: own}}}
  sales_rep: {department: sales, inherits: [employee], grants: {lead: {read: team}}}
  sales_manager: {department: sales, inherits: [sales_rep]}
  loop_a: {inherits: [loop_b]}
  loop_b: {inherits: [loop_a, employee]}
teams:
  north_team: {department: north, lead: ann}
responsibilities:
  sell: {accountable: sales_manager, responsible: [sales_rep, sales_manager], consulted: [employee]}
people:
  ann: {roles: [sales_manager]}
  bob: {roles: [sales_rep], teams: [north_team], reports_to: ann}
  cy: {roles: [loop_a], reports_to: bob}
  dee: {reports_to: eve}
  eve: {reports_to: dee}
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path: Path = tmp_path_factory.mktemp("core") / "model.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return load_partial(path)


def test_inheritance_and_holders(model: Model) -> None:
    org = model.org
    assert org.lineage["sales_manager"] == {"sales_manager", "sales_rep", "employee"}
    assert org.heirs["sales_rep"] == {"sales_rep", "sales_manager"}
    assert org.ancestors("sales_manager") == ["sales_rep", "employee"]
    assert org.direct_holders["employee"] == ()
    assert org.effective_holders["employee"] == ("ann", "bob", "cy")
    assert org.roles_of("ann") == {
        "sales_manager": "sales_manager",
        "sales_rep": "sales_manager",
        "employee": "sales_manager",
    }
    assert org.parents_first is None  # loop_a and loop_b inherit each other
    assert org.inheritance_cycles == [["loop_a", "loop_b"]]


def test_departments_people_and_reports(model: Model) -> None:
    org = model.org
    assert org.department_order[:3] == (("hq", 0), ("sales", 1), ("north", 2))
    assert org.department_below["sales"] == {"sales", "north"}
    assert org.department_roles["sales"] == ("sales_rep", "sales_manager")
    assert org.person_teams["ann"] == {"north_team"}  # she leads it
    assert org.team_members["north_team"] == {"ann", "bob"}
    assert org.department_people["north"] == ("ann", "bob")
    assert org.reach("bob") == {"sales", "north"}
    assert org.direct_reports["ann"] == ("bob",)
    assert org.reports("ann") == {"bob", "cy"}
    assert org.reports("cy") == frozenset()
    assert org.reporting_cycles == [["dee", "eve"]]
    assert org.department_cycles == [["loop1", "loop2"]]
    assert org.duties["sales_manager"] == ("sell",)


def test_raci_parts(model: Model) -> None:
    sell = model.responsibilities["sell"]
    assert raci.letters(sell) == {"sales_rep": "R", "sales_manager": "RA", "employee": "C"}
    assert raci.owners(sell) == ("sales_manager", "sales_rep")


def test_the_registry_defines_the_order() -> None:
    assert SCOPE_NAMES == ("none", "own", "subordinates", "team", "department", "organization")
    for scope, definition in SCOPES.items():
        for narrower in definition.includes:  # each scope comes after what it includes
            assert list(SCOPES).index(narrower) < list(SCOPES).index(scope)
    assert scopes.includes(Scope.DEPARTMENT, Scope.OWN)
    assert not scopes.includes(Scope.OWN, Scope.TEAM)
    assert scopes.wider(Scope.TEAM, Scope.OWN) and not scopes.wider(Scope.TEAM, Scope.TEAM)
    assert scopes.maximal(COVERED[Scope.TEAM] | COVERED[Scope.OWN]) == (Scope.TEAM,)
    assert scopes.widest(COVERED[Scope.OWN] | COVERED[Scope.DEPARTMENT]) is Scope.DEPARTMENT
    # v1.1: subordinates is comparable with neither team nor department
    assert scopes.includes(Scope.ORGANIZATION, Scope.SUBORDINATES)
    assert scopes.includes(Scope.SUBORDINATES, Scope.OWN)
    assert not scopes.includes(Scope.DEPARTMENT, Scope.SUBORDINATES)
    assert not scopes.includes(Scope.SUBORDINATES, Scope.TEAM)
    both = COVERED[Scope.SUBORDINATES] | COVERED[Scope.DEPARTMENT]
    assert scopes.maximal(both) == (Scope.SUBORDINATES, Scope.DEPARTMENT)


def test_access_model_agrees_with_the_facade(model: Model) -> None:
    access = model.access
    assert access.role_grants["sales_manager"][("lead", "read")].via == (
        "sales_manager",
        "sales_rep",
    )
    assert access.own_grants["sales_rep"][("lead", "read")].path == (
        "roles",
        "sales_rep",
        "grants",
        "lead",
        "read",
    )
    assert Permission("lead", "read").key == ("lead", "read")
    for subject in [*model.roles, *model.people]:
        for scope in SCOPE_NAMES:
            assert access.allows(subject, "read", "lead", scope) == model.allows(
                subject, "read", "lead", scope
            )
    record = access.record("bob")
    assert access.relation("ann", record) is Scope.TEAM
    assert model.decide("ann", "read", "lead", owner="bob").allowed
    assert not model.decide("cy", "read", "lead", owner="bob").allowed
