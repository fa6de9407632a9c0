"""The field-access matrix (``crmorg matrix --fields``) as JSON, CSV, a table and Markdown.

Rows are roles and people, columns ``resource.field``, cells ``none``, ``read`` or
``edit`` (format v1.1, section 12). Deterministic like the access matrix; names from
the model are made safe as there: spreadsheet cells neutralised in CSV, ``\\uXXXX``
escapes for hidden characters in JSON.
"""

from __future__ import annotations

import io
from typing import Any

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.export.access_formats import grid_markdown, grid_table, subject_name
from crmorg.export.compiled import source_of
from crmorg.model import Model
from crmorg.permissions.field_review import FieldCell, FieldMatrix
from crmorg.roles.models import FIELD_ACCESS
from crmorg.text import json_text, localize

FORMAT_ID = "crmorg.field-matrix/1"
CSV_HEADER = (
    "subject_type",
    "subject",
    "subject_name",
    "resource",
    "field",
    "field_name",
    "restricted",
    "access",
    "granted_by",
    "source",
)
RESTRICTED_MARK = "*"
LEGEND = (
    "edit/read: the field access; -: none (the record cannot be read, or a restricted field "
    f"is not granted); {RESTRICTED_MARK}: a restricted field, hidden unless a role grants it. "
    "Subjects without access to any field are not listed."
)


def _grant(model: Model, cell: FieldCell, resource: str, field: str) -> dict[str, str] | None:
    if cell.grant is None:
        return None
    return {"role": cell.grant.role, "source": source_of(model, cell.grant.path(resource, field))}


def render_json(model: Model, matrix: FieldMatrix) -> str:
    """``{"fields": {resource: {field: {...}}}, "roles": {role: {resource: {field: level}}},
    "people": {...}, "grants": {...}}``: every subject, every declared field."""
    fields: dict[str, dict[str, Any]] = {}
    for resource, field in matrix.fields:
        declared = model.resources[resource].fields[field]
        fields.setdefault(resource, {})[field] = {
            "name": localize(declared.name, fallback=field),
            "restricted": declared.restricted,
            "sensitive": declared.sensitive,
        }
    document: dict[str, Any] = {
        "format": FORMAT_ID,
        "organization": model.name,
        "levels": list(FIELD_ACCESS),
        "fields": fields,
        "grants": {"roles": {}, "people": {}},
    }
    for kind, section in matrix.sections():
        key = "roles" if kind == "role" else "people"
        levels: dict[str, dict[str, dict[str, str]]] = {}
        for subject, cells in section.items():
            levels[subject] = {}
            for (resource, field), cell in cells.items():
                levels[subject].setdefault(resource, {})[field] = cell.level
                grant = _grant(model, cell, resource, field)
                if grant is not None:
                    granted = document["grants"][key].setdefault(subject, {})
                    granted.setdefault(resource, {})[field] = grant
        document[key] = levels
    return json_text(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_csv(model: Model, matrix: FieldMatrix) -> str:
    """One row per subject and field it may read or edit."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CSV_HEADER)
    for kind, section in matrix.sections():
        for subject in sorted(section):
            name = spreadsheet_cell(subject_name(model, kind, subject))
            for (resource, field), cell in section[subject].items():
                if cell.level == "none":
                    continue
                declared = model.resources[resource].fields[field]
                grant = _grant(model, cell, resource, field)
                writer.writerow(
                    [
                        kind,
                        subject,
                        name,
                        resource,
                        field,
                        spreadsheet_cell(localize(declared.name, fallback=field)),
                        "true" if declared.restricted else "false",
                        cell.level,
                        grant["role"] if grant else "",
                        spreadsheet_cell(grant["source"]) if grant else "",
                    ]
                )
    return buffer.getvalue()


def _grid(matrix: FieldMatrix) -> tuple[list[str], list[list[str]]]:
    header = [
        "subject",
        *(
            f"{r}.{f}{RESTRICTED_MARK if (r, f) in matrix.restricted else ''}"
            for r, f in matrix.fields
        ),
    ]
    rows: list[list[str]] = []
    for kind, section in matrix.sections():
        for subject in sorted(section):
            cells = section[subject]
            if all(cell.level == "none" for cell in cells.values()):
                continue
            shown = [
                cells[key].level if cells[key].level != "none" else "-" for key in matrix.fields
            ]
            rows.append([f"{kind} {subject}", *shown])
    return header, rows


def render_table(matrix: FieldMatrix) -> str:
    if not matrix.fields:
        return "the model declares no fields (resources.<id>.fields)\n"
    return grid_table(*_grid(matrix), LEGEND)


def render_markdown(matrix: FieldMatrix) -> str:
    if not matrix.fields:
        return "*The model declares no fields (`resources.<id>.fields`).*\n"
    return grid_markdown(*_grid(matrix), LEGEND)
