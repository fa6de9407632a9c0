"""The diff equals a plain recomputation of both sides' access (every subject, resource,
action, restricted field and sharing rule asked of the public API), and of their
processes (read from the YAML documents alone), on generated pairs."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.diff.mutations import document_pairs
from tests.diff.plain import expected_changes, expected_processes, reach_permissions, reports
from tests.export.strategies import load_document

import crmorg
from crmorg.diff.results import ModelDiff, ProcessChange, SubjectDiff


def _reported(subjects: tuple[SubjectDiff, ...]) -> dict[str, dict[tuple[str, ...], Any]]:
    found: dict[str, dict[tuple[str, ...], Any]] = {}
    for subject in subjects:
        for change in subject.changes:
            if change.aspect == "scope":
                key: tuple[str, ...] = ("scope", change.resource, change.action)
            elif change.aspect == "field":
                key = ("field", change.resource, change.field or "")
            elif change.aspect == "reach":
                key = ("reach", change.resource, change.action)
            else:
                key = ("sharing", change.resource, change.action, change.rule or "")
            values = (tuple(sorted(change.old)), tuple(sorted(change.new)))
            assert key not in found.get(subject.id, {}), (subject.id, key)
            found.setdefault(subject.id, {})[key] = values
    return found


def _check_causes(result: ModelDiff, old_file: str, new_file: str) -> None:
    for subject in (*result.roles, *result.people):
        for change in subject.changes:
            assert change.causes, (subject.id, change)
            sides = {cause.side for cause in change.causes}
            assert ("new" in sides) == change.gains, (subject.id, change)
            assert ("old" in sides) == change.loses, (subject.id, change)
            for cause in change.causes:
                file = new_file if cause.side == "new" else old_file
                assert cause.where.startswith(file + ":"), cause


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_pairs())
def test_diff_equals_plain_recomputation(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old_doc, new_doc = pair
    old, new = load_document(old_doc), load_document(new_doc)
    result = crmorg.diff(old, new, findings=False)
    roles, people = expected_changes((old_doc, old), (new_doc, new))
    assert _reported(result.roles) == roles
    assert _reported(result.people) == people
    gaining = {
        person
        for person, changes in people.items()
        if any(
            _reach_gains(new_doc, new, old_doc, person, key)
            if key[0] == "reach"
            else _gains(key, then, now)
            for key, (then, now) in changes.items()
        )
    }
    assert set(result.people_gaining) == gaining
    _check_causes(result, old.locate(("roles",)).file, new.locate(("roles",)).file)
    _check_processes(result, old_doc, new_doc, old.locate(("roles",)).file)


_OLD_SIDE = frozenset({"removed", "next-removed", "no-longer-ends", "left"})
"""The kinds whose position is OLD's (what no longer holds)."""


def _check_processes(
    result: ModelDiff, old_doc: dict[str, Any], new_doc: dict[str, Any], old_file: str
) -> None:
    changes, raci = expected_processes(old_doc, new_doc)
    found = [(c.process, c.kind, c.step, c.attribute, c.old, c.new) for c in result.processes]
    assert len(found) == len(set(found)), found
    assert set(found) == changes
    steps = [c for c in result.raci if c.step is not None]
    reported = [(c.process, c.step, c.kind, c.part, c.role) for c in steps]
    assert len(reported) == len(set(reported)) and set(reported) == raci
    assert all(c.responsibility == f"{c.process}/{c.step}" for c in steps)
    for change in (*result.processes, *steps):
        old_side = change.kind in _OLD_SIDE or (
            isinstance(change, ProcessChange) and change.kind == "requires" and change.new is None
        )
        assert change.where.startswith(old_file + ":") == old_side, change


def _reach_gains(
    new_doc: dict[str, Any], new: Any, old_doc: dict[str, Any], person: str, key: tuple[str, ...]
) -> bool:
    """A reach change gains when the person reaches new reports at that permission."""
    gained = reports(new_doc, person) - reports(old_doc, person)
    return bool(gained) and (key[1], key[2]) in reach_permissions(new, person)


def _gains(key: tuple[str, ...], then: tuple[str, ...], now: tuple[str, ...]) -> bool:
    """Whether the new value gives something the old did not (scope sets as down-sets)."""
    from crmorg.roles.scopes import Scope, includes

    if key[0] == "field":
        order = ["none", "read", "edit"]
        return order.index(now[0]) > order.index(then[0])
    if key[0] == "sharing":
        return bool(now)
    return any(not any(includes(Scope.parse(o), Scope.parse(n)) for o in then) for n in now)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_pairs())
def test_one_role_grant_equals_the_full_table(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The diff asks each role's grant of one permission before any table is built."""
    fresh, table = load_document(pair[1]), load_document(pair[1])
    for role, grants in table.access.role_grants.items():
        for permission in table.access.catalog.permissions():
            assert fresh.access.role_grant(role, permission) == grants.get(permission)
