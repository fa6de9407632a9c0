"""The ``casbin`` target: a Casbin RBAC model and policy.

``enforce(subject, resource, action, scope)`` answers ``Model.allows``; a person on a
record is asked at the scope that the application computes (``docs/exports.md``).
Casbin names roles and people by bare id in one role graph, so it cannot express an id
shared by a person and a role.
"""

from __future__ import annotations

from crmorg.export.capabilities import (
    ACCESS_V1_1,
    SHARED_PERSON_ROLE_ID,
    Capabilities,
    Question,
)
from crmorg.export.casbin.render import MODEL, POLICY, render
from crmorg.export.target import Exporter

_ONE_NAMESPACE = (
    "Casbin names roles and people by bare id in one namespace: rename the role or the person"
)

EXPORTER = Exporter(
    name="casbin",
    summary="Casbin RBAC model and policy (enforce(subject, resource, action, scope))",
    files=(MODEL, POLICY),
    render=render,
    # Sharing rules and fields change decisions on records, not allows(): Casbin's answer
    # is exact for every model, and the application applies them (docs/exports.md).
    capabilities=Capabilities.v1(
        Question.SUBJECT_AT_SCOPE,
        refuses={SHARED_PERSON_ROLE_ID: _ONE_NAMESPACE},
        also=ACCESS_V1_1,
    ),
)
