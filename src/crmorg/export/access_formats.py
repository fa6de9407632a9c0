"""The access-review matrix as JSON, CSV, a terminal table and Markdown.

The ``json`` and ``csv`` export targets write the first two (:func:`matrix_target`);
``crmorg matrix`` prints any of them. Each is deterministic: sorted, fixed formatting,
no timestamps.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.export.capabilities import ACCESS_V1_1, Capabilities
from crmorg.export.compiled import source_of
from crmorg.export.target import Exporter
from crmorg.model import Model
from crmorg.permissions.review import Access, AccessMatrix, access_matrix
from crmorg.roles.scopes import SCOPE_NAMES, SCOPES, Scope
from crmorg.text import json_text, localize

FORMAT_ID = "crmorg.access-matrix/1"
CSV_HEADER = (
    "subject_type",
    "subject",
    "subject_name",
    "resource",
    "action",
    "scope",
    "role",
    "inherited_from",
    "source",
)
_ABBREVIATIONS = {Scope.DEPARTMENT: "dept", Scope.ORGANIZATION: "org"}
"""Scopes whose name is too long for a cell of the table; the others show their name."""


def _short(scope: Scope) -> str:
    return _ABBREVIATIONS.get(scope, scope.label)


def _source(model: Model, access: Access) -> str:
    return source_of(model, access.grant.source.path)


def _provenance(model: Model, access: Access) -> dict[str, Any]:
    source = access.grant.source
    data: dict[str, Any] = {
        "via": list(access.grant.via),
        "grant": f"{source.resource_key}.{source.action_key}",
        "source": _source(model, access),
    }
    if access.kind == "person":
        data["role"] = access.role
    return data


def render_json(model: Model, matrix: AccessMatrix) -> str:
    """``{"roles": {role: {resource: {action: scope}}}, "people": {...}, "provenance"}``."""
    scopes: dict[str, dict[str, Any]] = {"roles": {}, "people": {}}
    provenance: dict[str, dict[str, Any]] = {"roles": {}, "people": {}}
    for access in matrix.rows():
        section = "roles" if access.kind == "role" else "people"
        scopes[section].setdefault(access.subject, {}).setdefault(access.resource, {})[
            access.action
        ] = access.scope.label
        provenance[section].setdefault(access.subject, {}).setdefault(access.resource, {})[
            access.action
        ] = _provenance(model, access)
    for section, subjects in (("roles", matrix.roles), ("people", matrix.people)):
        for subject in subjects:
            scopes[section].setdefault(subject, {})
            provenance[section].setdefault(subject, {})
    document = {
        "format": FORMAT_ID,
        "organization": model.name,
        "scopes": list(SCOPE_NAMES),
        "resources": {r: sorted(a) for r, a in matrix.applicable.items()},
        "roles": scopes["roles"],
        "people": scopes["people"],
        "provenance": provenance,
    }
    return json_text(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def subject_name(model: Model, kind: str, subject: str) -> str:
    """A role's or a person's name as the model writes it (English first)."""
    if kind == "role":
        return localize(model.roles[subject].name)
    return localize(model.people[subject].name)


def render_csv(model: Model, matrix: AccessMatrix) -> str:
    """One row per subject, resource and action with a scope wider than ``none``."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CSV_HEADER)
    for access in matrix.rows():
        writer.writerow(
            [
                access.kind,
                access.subject,
                spreadsheet_cell(subject_name(model, access.kind, access.subject)),
                access.resource,
                access.action,
                access.scope.label,
                access.role,
                " > ".join(access.inherited_via),
                spreadsheet_cell(_source(model, access)),
            ]
        )
    return buffer.getvalue()


def _grid(matrix: AccessMatrix) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per subject and resource it has any grant on."""
    header = ["", "resource", *matrix.actions]
    rows: list[list[str]] = []
    for kind, section in (("role", matrix.roles), ("person", matrix.people)):
        for subject in sorted(section):
            entries = section[subject]
            for resource in sorted({r for r, _ in entries}):
                applicable = matrix.applicable.get(resource, ())
                cells = [
                    _short(entries[(resource, a)].scope)
                    if (resource, a) in entries
                    else ("-" if a in applicable else "")
                    for a in matrix.actions
                ]
                rows.append([f"{kind} {subject}", resource, *cells])
    return header, rows


LEGEND = (
    "/".join(_short(scope) for scope in SCOPES if scope is not Scope.NONE)
    + ": the widest scope; -: no grant; blank: the action does not apply. "
    "Subjects without any grant are not listed."
)


def grid_table(header: list[str], rows: list[list[str]], legend: str) -> str:
    """A grid as aligned columns for a terminal, a rule under the header, the legend last."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", legend]) + "\n"


def grid_markdown(header: list[str], rows: list[list[str]], legend: str) -> str:
    """A grid as a Markdown table (cells hold ids and fixed words), the legend last."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join([*lines, "", legend]) + "\n"


def render_table(matrix: AccessMatrix) -> str:
    header, rows = _grid(matrix)
    header[0] = "subject"
    return grid_table(header, rows, LEGEND)


def render_markdown(matrix: AccessMatrix) -> str:
    header, rows = _grid(matrix)
    header[0] = "subject"
    return grid_markdown(header, rows, LEGEND)


def matrix_target(
    name: str, file: str, summary: str, write: Callable[[Model, AccessMatrix], str]
) -> Exporter:
    """A target that writes the matrix as one ``file``: for review, not an engine.

    It decides nothing itself, and a matrix can hold whatever the model says.
    """

    def render(model: Model) -> dict[str, str]:
        return {file: write(model, access_matrix(model))}

    # The matrix is allows(): baselines are in the effective grants it lists, and sharing
    # rules and fields, which decide records, leave it as it is.
    return Exporter(name, summary, (file,), render, Capabilities.v1(also=ACCESS_V1_1))
