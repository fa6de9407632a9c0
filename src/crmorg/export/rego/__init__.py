"""The ``rego`` target: a Rego policy (package ``crmorg.authz``) and its data.

Rule ``allow`` decides a person on a record, rule ``allow_scope`` answers
``Model.allows``; nothing in the format is inexpressible in Rego.
"""

from __future__ import annotations

from crmorg.export.capabilities import ACCESS_V1_1, Capabilities, Question
from crmorg.export.rego.render import DATA, POLICY, REACH, render
from crmorg.export.target import Exporter

EXPORTER = Exporter(
    name="rego",
    summary="Rego policy for OPA or regorus (package crmorg.authz, rules allow, allow_scope)",
    files=(DATA, POLICY),
    render=render,
    capabilities=Capabilities.v1(
        Question.SUBJECT_AT_SCOPE, Question.PERSON_ON_RECORD, scope_forms=REACH, also=ACCESS_V1_1
    ),
)
