"""``Decision.reason``: which role, through which inheritance path, from which line.

Also the errors for questions about ids the model does not define.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import crmorg
from crmorg import Scope

from .helpers import SALES_MODEL as MODEL
from .helpers import write


@pytest.fixture
def model(workdir: Path) -> crmorg.Model:
    return crmorg.load(write(workdir / "model.yaml", MODEL))


def where(line_text: str, token: str, occurrence: int = 1) -> str:
    """``model.yaml:L:C`` of ``token`` on the ``occurrence``-th line holding ``line_text``."""
    hits = [
        (number, line)
        for number, line in enumerate(MODEL.splitlines(), start=1)
        if line_text in line
    ]
    number, line = hits[occurrence - 1]
    start = line.index(line_text)
    return f"model.yaml:{number}:{line.index(token, start) + 1}"


def test_an_inherited_grant_names_role_path_and_place(model: crmorg.Model) -> None:
    decision = model.explain("sales_manager", "read", "lead", "own")
    assert bool(decision) is True
    assert decision.allowed is True
    assert decision.role == "sales_manager"
    assert decision.grant is not None
    assert decision.grant.via == ("sales_manager", "team_leader", "sales_rep", "employee")
    assert decision.grant.source.role == "employee"
    location = where("lead: {read: own}", "own")
    assert location == "model.yaml:13:20"
    assert decision.grant_location == location
    assert "inherited sales_manager -> team_leader -> sales_rep -> employee" in decision.reason
    assert f"lead: {{read: own}} on role employee at {location}" in decision.reason


def test_a_persons_decision_names_the_role_they_hold(model: crmorg.Model) -> None:
    decision = model.decide("mia", "update", "deal", owner="ann")
    assert decision
    assert decision.required is Scope.TEAM  # mia leads east, where ann is
    assert decision.granted is Scope.TEAM
    assert decision.role == "sales_manager"
    location = where('deal: {"*": team}', "team")
    assert decision.grant_location == location
    assert "mia holds sales_manager" in decision.reason
    assert "inherited sales_manager -> team_leader" in decision.reason
    assert f"deal: {{*: team}} on role team_leader at {location}" in decision.reason
    assert "owner ann" in decision.reason


def test_a_direct_grant_has_no_inheritance_path(model: crmorg.Model) -> None:
    decision = model.explain("sales_rep", "read", "deal", "team")
    assert decision
    assert decision.grant is not None
    assert decision.grant.via == ("sales_rep",)
    assert "inherited" not in decision.reason
    assert f"on role sales_rep at {where('deal: {read: team', 'team')}" in decision.reason


def test_too_narrow_a_grant_says_what_is_missing(model: crmorg.Model) -> None:
    decision = model.decide("ann", "update", "deal", owner="bob")
    assert not decision
    assert decision.allowed is False
    assert decision.required is Scope.TEAM
    assert decision.granted is Scope.OWN
    assert "ann may not update deal" in decision.reason
    assert "needs team scope, but ann holds sales_rep, which has own scope" in decision.reason
    assert where("deal: {read: team, update: own}", "own") in decision.reason
    assert "grant deal.update at team scope or wider to allow it" in decision.reason


def test_no_grant_at_all_says_whose_roles_lack_it(model: crmorg.Model) -> None:
    decision = model.decide("ann", "delete", "lead", owner="ann")
    assert not decision
    assert decision.granted is Scope.NONE
    assert decision.role is None
    assert decision.grant is None
    assert decision.grant_location is None
    assert "no grant of lead.delete in ann's roles (sales_rep)" in decision.reason


def test_a_person_without_roles(model: crmorg.Model) -> None:
    decision = model.decide("zed", "read", "lead", owner="zed")
    assert not decision
    assert "zed (who holds no role)" in decision.reason


def test_a_role_without_the_grant_names_what_it_inherits(model: crmorg.Model) -> None:
    decision = model.explain("team_leader", "delete", "lead")
    assert not decision
    assert "no grant of lead.delete in role team_leader or what it inherits (sales_rep)" in (
        decision.reason
    )


def test_an_action_that_does_not_apply(model: crmorg.Model) -> None:
    decision = model.explain("sales_manager", "update", "payment")
    assert not decision
    assert "`update` does not apply to payment" in decision.reason
    assert model.allows("sales_manager", "refund", "payment", "none") is True
    assert model.allows("sales_manager", "refund", "payment", "own") is False
    assert model.allows("sales_manager", "refund", "deal", "own") is False


def test_the_most_specific_of_equally_wide_grants_is_named(model: crmorg.Model) -> None:
    explicit = model.explain("wildcard", "read", "lead", "team")
    assert explicit.grant_location == where("lead: {read: team}", "team")
    assert "from the grant lead: {read: team}" in explicit.reason
    wildcard = model.explain("wildcard", "read", "deal", "team")
    assert wildcard.grant_location == where('"*": {read: team}', "team")
    assert "from the grant *: {read: team}" in wildcard.reason


def test_a_person_whose_id_is_also_a_role_is_judged_by_their_own_roles(
    model: crmorg.Model,
) -> None:
    # The person `employee` holds sales_rep (deal.update: own); the role `employee`
    # has no grant on deals. decide() is about the person.
    decision = model.decide("employee", "update", "deal", owner="employee")
    assert decision
    assert decision.role == "sales_rep"
    assert "employee holds sales_rep" in decision.reason
    denied = model.decide("employee", "read", "deal", owner="ann")
    assert denied.granted is Scope.TEAM


def test_decision_for_each_relation_to_the_record(model: crmorg.Model) -> None:
    assert model.decide("ann", "update", "deal", owner="ann").required is Scope.OWN
    assert model.decide("ann", "read", "deal", owner="bob").required is Scope.TEAM
    assert model.decide("ann", "read", "deal", owner="bob", team="east").required is Scope.TEAM
    # mia's department comes from the team she leads (east is in sales); her role
    # names none. The record names sales explicitly; its owner zed has no team.
    assert model.decide("mia", "read", "deal", owner="zed", department="sales").required is (
        Scope.DEPARTMENT
    )
    assert model.decide("zed", "read", "deal", owner="ann").required is Scope.ORGANIZATION
    text = model.decide("zed", "read", "deal", owner="ann").reason
    assert "it is outside zed's teams and departments" in text


def test_unknown_ids_raise_unknown_id_error(model: crmorg.Model) -> None:
    questions: list[tuple[Callable[[], object], str]] = [
        (lambda: model.allows("nobody", "read", "lead"), "`nobody`"),
        (lambda: model.allows("ann", "fly", "lead"), "`fly`"),
        (lambda: model.allows("sales_rep", "read", "ghost"), "`ghost`"),
        (lambda: model.explain("nobody", "read", "lead"), "no role or person `nobody`"),
        (lambda: model.decide("nobody", "read", "lead", owner="ann"), "no person `nobody`"),
        (lambda: model.decide("ann", "read", "lead", owner="nobody"), "`nobody`"),
        (lambda: model.decide("ann", "read", "lead", owner="ann", team="west"), "team `west`"),
        (
            lambda: model.decide("ann", "read", "lead", owner="ann", department="hr"),
            "department `hr`",
        ),
        (lambda: model.decide("ann", "read", "ghost", owner="ann"), "`ghost`"),
        (lambda: model.decide("ann", "fly", "lead", owner="ann"), "`fly`"),
        (lambda: model.decide("employee", "fly", "lead", owner="ann"), "`fly`"),
        (lambda: model.effective_scope("nobody", "read", "lead"), "`nobody`"),
    ]
    for ask, says in questions:
        with pytest.raises(crmorg.UnknownIdError) as caught:
            ask()
        assert says in str(caught.value)
    assert issubclass(crmorg.UnknownIdError, LookupError)


def test_decide_with_a_role_explains_what_to_use(model: crmorg.Model) -> None:
    with pytest.raises(crmorg.UnknownIdError) as caught:
        model.decide("sales_rep", "read", "lead", owner="ann")
    message = str(caught.value)
    assert "`sales_rep` is a role" in message
    assert "allows()" in message


def test_an_unknown_scope_is_a_value_error(model: crmorg.Model) -> None:
    with pytest.raises(ValueError, match="unknown scope 'galaxy'"):
        model.allows("ann", "read", "lead", "galaxy")
    with pytest.raises(ValueError, match="none, own, subordinates, team, department, organization"):
        model.explain("ann", "read", "lead", "everywhere")


def test_scopes_may_be_given_as_enum_members(model: crmorg.Model) -> None:
    assert model.allows("sales_rep", "read", "deal", Scope.TEAM) is True
    assert model.allows("sales_rep", "read", "deal", Scope.DEPARTMENT) is False
    assert model.explain("sales_rep", "read", "deal", Scope.TEAM).required is Scope.TEAM
    assert model.effective_scope("mia", "read", "payment") is Scope.DEPARTMENT


def test_the_grant_location_names_the_file_it_is_written_in(workdir: Path) -> None:
    root = workdir / "model"
    write(root / "org.yaml", "version: 1\norganization: {name: Acme}\nresources: {lead: {}}\n")
    write(
        root / "roles" / "base.yaml",
        "roles:\n  employee:\n    grants:\n      lead: {read: own}\n",
    )
    write(root / "roles" / "sales.yaml", "roles:\n  rep: {inherits: [employee]}\n")
    write(root / "people.yaml", "people:\n  ann: {roles: [rep]}\n")
    decision = crmorg.load(root).decide("ann", "read", "lead", owner="ann")
    assert decision
    assert decision.grant_location == "model/roles/base.yaml:4:20"
    assert "(inherited rep -> employee)" in decision.reason
    assert decision.reason.endswith("on role employee at model/roles/base.yaml:4:20")
