"""The ``json`` target: ``matrix.json``, the resolved effective-permission matrix.

``{"roles": {role: {resource: {action: scope}}}, "people": {person: ...}}`` with the
scope of every permission wider than ``none``, and under ``provenance`` where each one
comes from (inheritance path, grant keys, ``file:line``). A matrix for review, not an
engine: it answers no question itself, and expresses every construct.
"""

from __future__ import annotations

from crmorg.export.access_formats import render_json
from crmorg.export.capabilities import (
    DEPARTMENT_CYCLE,
    INHERITANCE_CYCLE,
    SHARED_PERSON_ROLE_ID,
    Capabilities,
)
from crmorg.export.target import Exporter
from crmorg.model import Model
from crmorg.permissions.review import access_matrix

MATRIX = "matrix.json"


def render(model: Model) -> dict[str, str]:
    return {MATRIX: render_json(model, access_matrix(model))}


EXPORTER = Exporter(
    name="json",
    summary="the effective-permission matrix of every role and person, with provenance",
    files=(MATRIX,),
    render=render,
    capabilities=Capabilities(
        expresses=frozenset({INHERITANCE_CYCLE, DEPARTMENT_CYCLE, SHARED_PERSON_ROLE_ID})
    ),
)
