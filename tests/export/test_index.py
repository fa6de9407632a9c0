"""Model.allows() answers from its index exactly what the effective grants say."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from crmorg.model import Model
from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.scopes import Scope
from crmorg.roles.scopes import includes

from .equivalence import subjects
from .strategies import models


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=models())
def test_index_agrees_with_effective_grants(model: Model) -> None:
    for subject in subjects(model):
        # The HeldGrant / EffectiveGrant path: every maximal scope (several, from v1.1).
        if subject in model.roles:
            maximal = {p: g.scopes for p, g in model.access.role_grants[subject].items()}
        else:
            held = model.access.person_grants(subject)
            maximal = {p: tuple(m.scope for m in g.members) for p, g in held.items()}
        for resource in model.resources:
            for action in model.access.catalog.actions:
                expected = maximal.get((resource, action), (Scope.NONE,))
                assert model.access.effective_scope(subject, action, resource) == expected[-1]
                for scope in Scope:
                    covered = any(includes(held_scope, scope) for held_scope in expected)
                    assert model.allows(subject, action, resource, scope) == covered
                    assert model.allows(subject, action, resource, scope.label) == covered


@given(model=models(deep=False))
@settings(max_examples=10, deadline=None)
def test_unknown_ids_and_scopes_are_refused_on_every_path(model: Model) -> None:
    subject = subjects(model)[0]
    resource = next(iter(model.resources))
    for _ in range(2):  # before and after the subject is indexed
        with pytest.raises(UnknownIdError):
            model.allows("nobody", "read", resource)
        with pytest.raises(UnknownIdError):
            model.allows(subject, "read", "no_such_resource")
        with pytest.raises(UnknownIdError):
            model.allows(subject, "no_such_action", resource)
        with pytest.raises(ValueError, match="unknown scope"):
            model.allows(subject, "read", resource, "galaxy")
        model.allows(subject, "read", resource)
