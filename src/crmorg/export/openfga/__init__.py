"""The ``openfga`` target: an OpenFGA model (DSL and JSON) and relationship tuples.

The schema and tuples of :mod:`crmorg.export.zanzibar` in OpenFGA's syntax. OpenFGA
decides a person on a record once the application writes the record's tuples
(``docs/exports.md``); closures make forced cycles harmless.
"""

from __future__ import annotations

from crmorg.export import zanzibar
from crmorg.export.capabilities import ACCESS_V1_1, Capabilities, Question
from crmorg.export.openfga.render import MODEL, MODEL_JSON, TUPLES, render
from crmorg.export.target import Exporter

EXPORTER = Exporter(
    name="openfga",
    summary="OpenFGA model (DSL and JSON) and tuples (check person on record: docs/exports.md)",
    files=(MODEL, MODEL_JSON, TUPLES),
    render=render,
    capabilities=Capabilities.v1(
        Question.PERSON_ON_RECORD, scope_forms=zanzibar.RECORD_REACH, also=ACCESS_V1_1
    ),
)
