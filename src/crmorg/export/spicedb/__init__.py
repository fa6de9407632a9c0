"""The ``spicedb`` target: a SpiceDB schema and relationships (``zed import`` format).

The schema and relationships of :mod:`crmorg.export.zanzibar` in SpiceDB's syntax.
SpiceDB decides a person on a record once the application writes the record's
relationships (``docs/exports.md``); closures make forced cycles harmless.
"""

from __future__ import annotations

from crmorg.export import zanzibar
from crmorg.export.capabilities import ACCESS_V1_1, Capabilities, Question
from crmorg.export.spicedb.render import RELATIONSHIPS, SCHEMA, render
from crmorg.export.target import Exporter

EXPORTER = Exporter(
    name="spicedb",
    summary="SpiceDB schema and relationships (check person on record: docs/exports.md)",
    files=(RELATIONSHIPS, SCHEMA),
    render=render,
    capabilities=Capabilities.v1(
        Question.PERSON_ON_RECORD, scope_forms=zanzibar.RECORD_REACH, also=ACCESS_V1_1
    ),
)
