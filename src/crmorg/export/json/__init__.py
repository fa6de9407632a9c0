"""The ``json`` target: ``matrix.json``, the resolved effective-permission matrix.

``{"roles": {role: {resource: {action: scope}}}, "people": {person: ...}}`` with the
scope of every permission wider than ``none``, and under ``provenance`` where each one
comes from (inheritance path, grant keys, ``file:line``).
"""

from __future__ import annotations

from crmorg.export.access_formats import matrix_target, render_json

MATRIX = "matrix.json"

EXPORTER = matrix_target(
    "json",
    MATRIX,
    "the effective-permission matrix of every role and person, with provenance",
    render_json,
)
