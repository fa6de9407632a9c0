"""The decision index: built on the first decision, denials on the hot path, shared rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.model import Model
from crmorg.permissions.decisions import UnknownIdError
from crmorg.roles.scopes import COVERED, Scope

MODEL = """\
organization: {name: T}
resources:
  lead: {name: Lead}
  invoice: {name: Invoice, actions: [read, refund]}
actions: [refund]
roles:
  employee: {grants: {lead: {read: own}}}
  sales_rep: {inherits: [employee], grants: {lead: {update: team}}}
  billing: {grants: {invoice: {"*": department}}}
  bob: {grants: {lead: {delete: organization}}}
teams:
  north: {lead: ann}
people:
  ann: {roles: [sales_rep, billing]}
  cy: {roles: [billing, sales_rep]}
  dee: {roles: [employee]}
  bob: {roles: [employee]}
"""


@pytest.fixture
def model(tmp_path: Path) -> Model:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return load_partial(path)


def test_loading_builds_no_index(model: Model) -> None:
    assert not model.access.index.built
    assert model.access.index.rows == {}


def test_the_first_decision_builds_every_role_row(model: Model) -> None:
    assert model.allows("dee", "read", "lead", "own")
    index = model.access.index
    assert index.built
    assert set(model.roles) <= set(index.rows)
    assert "ann" not in index.rows  # people are joined when first asked about


def test_a_denial_for_an_ungranted_permission_is_on_the_hot_path(model: Model) -> None:
    model.allows("dee", "read", "lead")  # builds the index and dee's row
    fallback = model.access.allows

    def no_fallback(*args: object) -> bool:
        raise AssertionError(f"allows{args} left the hot path")

    model.access.allows = no_fallback  # type: ignore[method-assign]
    try:
        assert not model.allows("dee", "delete", "lead", "own")  # nobody of dee's grants it
        assert not model.allows("dee", "read", "lead", "team")  # granted, too narrowly
        assert not model.allows("billing", "read", "lead", Scope.OWN)
        assert model.allows("billing", "refund", "invoice", "department")
    finally:
        model.access.allows = fallback  # type: ignore[method-assign]


def test_people_sharing_a_role_set_share_a_row(model: Model) -> None:
    index = model.access.index
    assert index.person_row("ann") is index.person_row("cy")  # the same roles, in any order
    assert index.person_row("ann") != index.person_row("dee")
    assert model.allows("cy", "update", "lead", "team")
    assert model.allows("cy", "read", "invoice", "own")
    assert not model.allows("cy", "update", "lead", "department")


def test_a_role_id_is_the_role_and_decide_reads_the_person(model: Model) -> None:
    assert model.allows("bob", "delete", "lead", "organization")  # the role bob
    assert not model.decide("bob", "delete", "lead", owner="bob")  # the person bob
    assert model.decide("bob", "read", "lead", owner="bob")


def test_unknown_ids_and_actions_that_do_not_apply(model: Model) -> None:
    with pytest.raises(UnknownIdError, match="no role or person `zed`"):
        model.allows("zed", "read", "lead")
    with pytest.raises(UnknownIdError, match="no resource `deal`"):
        model.allows("ann", "read", "deal")
    with pytest.raises(UnknownIdError, match="no action `fly`"):
        model.allows("ann", "fly", "lead")
    with pytest.raises(ValueError, match="unknown scope 'galaxy'"):
        model.allows("ann", "read", "lead", "galaxy")
    assert not model.allows("ann", "refund", "lead", "own")  # refund does not apply to lead
    assert model.access.index.covered("ann", "lead", "refund") == COVERED[Scope.NONE]


def test_decide_before_and_after_the_grant_tables(model: Model) -> None:
    """The winning grant of one permission, before role_grants exists, is the same one."""
    questions = [
        (person, action, resource, owner)
        for person in model.people
        for resource, action in model.catalog.permissions()
        for owner in ("ann", "dee")
    ]
    early = [model.decide(*q) for q in questions]
    assert "role_grants" not in model.access.__dict__
    model.access.role_grants  # noqa: B018 - from here on decisions read the tables
    assert [model.decide(*q) for q in questions] == early
    assert any(d.grant is not None and d.role is not None for d in early)
