"""The ``cedar`` target: Cedar policies, schema and entities (namespace ``CRM``).

Cedar decides a person on a record itself, and a field of it. Its entity hierarchy must
be acyclic, so it cannot express a forced inheritance, department or reporting cycle.
"""

from __future__ import annotations

from crmorg.export.capabilities import (
    ACCESS_V1_1,
    DEPARTMENT_CYCLE,
    INHERITANCE_CYCLE,
    REPORTING_CYCLE,
    Capabilities,
    Question,
)
from crmorg.export.cedar.render import ENTITIES, POLICIES, REACH, SCHEMA, render
from crmorg.export.target import Exporter

_ACYCLIC = "Cedar's entity hierarchy must be acyclic: break the cycle to export to Cedar"

EXPORTER = Exporter(
    name="cedar",
    summary="Cedar policies, schema and entities (namespace CRM)",
    files=(ENTITIES, POLICIES, SCHEMA),
    render=render,
    capabilities=Capabilities.v1(
        Question.PERSON_ON_RECORD,
        refuses={
            INHERITANCE_CYCLE: _ACYCLIC,
            DEPARTMENT_CYCLE: _ACYCLIC,
            REPORTING_CYCLE: _ACYCLIC,
        },
        scope_forms=REACH,
        also=ACCESS_V1_1,
    ),
)
