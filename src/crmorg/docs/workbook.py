"""The handbook as an Excel workbook: RACI, permissions, field access, people, KPIs.

:func:`handbook_workbook` (``crmorg docs --xlsx``) holds five sheets, :func:`access_workbook`
(``crmorg matrix --format xlsx``) the two about access. Every sheet has its header row
frozen (and its naming columns, where rows are named), an auto-filter over the whole
table and column widths fitted to the text; a RACI letter and a scope are coloured as in
the HTML handbook's legend. Every text cell goes through the product's one spreadsheet
neutraliser (:func:`crmorg.cells.spreadsheet_cell`), so no name starts a formula.

The bytes are the same on every run: fixed document times, and zip entries sorted with
fixed timestamps.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from crmorg.cells import spreadsheet_cell
from crmorg.docs.context import Names
from crmorg.docs.i18n import Translator
from crmorg.docs.matrices import raci_matrix, role_resource_cell
from crmorg.docs.pages import formula_metrics
from crmorg.model import Model
from crmorg.permissions.field_review import field_matrix
from crmorg.xlsx import workbook_bytes

__all__ = [
    "FILLS",
    "Cell",
    "Sheet",
    "access_sheets",
    "access_workbook",
    "handbook_sheets",
    "handbook_workbook",
    "render_workbook",
]


FILLS: Final[dict[str, tuple[str, str]]] = {
    # (background, text) as in style.css: the RACI letters and the scope legend.
    "raci-A": ("1E3A5F", "FFFFFF"),
    "raci-R": ("D1FAE5", "065F46"),
    "raci-C": ("FEF3C7", "92400E"),
    "raci-I": ("F3F4F6", "4B5563"),
    "scope-own": ("F0F7FF", "0B2545"),
    "scope-subordinates": ("E6F4EA", "0B2545"),
    "scope-team": ("D9EAFC", "0B2545"),
    "scope-department": ("B3D3F5", "0B2545"),
    "scope-organization": ("7FB1EA", "0B2545"),
    "field-edit": ("7FB1EA", "0B2545"),
    "field-read": ("D9EAFC", "0B2545"),
    "field-none": ("F3F4F6", "6B7280"),
}
"""Fill and font colour of a coloured cell, by the CSS class the HTML page gives it."""
_HEADER_FILL: Final = "F1F4F8"
_MIN_WIDTH: Final = 6
_MAX_WIDTH: Final = 60


@dataclass(frozen=True)
class Cell:
    """One cell: text (neutralised on writing) or a number, and an optional colour."""

    value: str | float | None
    style: str | None = None


@dataclass(frozen=True)
class Sheet:
    """A table: a header row, rows, and the top-left cell below and right of the frozen
    panes (``"C2"``: header row and two naming columns stay in view)."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    freeze: str = "A2"
    upright_headers_from: int | None = None
    """Columns from this index (0-based) have narrow, vertical headers (RACI roles)."""


def _text(value: str | None) -> Cell:
    return Cell(value or None)


class _Words:
    """The names and interface words one workbook needs, in one language."""

    def __init__(self, model: Model, lang: str) -> None:
        self.t = Translator(lang)
        self.n = Names(model, lang)
        self.lang = lang

    def yes_no(self, value: bool) -> Cell:
        return Cell(self.t("yes") if value else self.t("no"))

    def join(self, items: Iterable[str]) -> str:
        return self.t("list_sep").join(items)


def raci_sheet(model: Model, words: _Words) -> Sheet:
    """Responsibilities against the roles taking part, one RACI letter group a cell."""
    t, n = words.t, words.n
    matrix = raci_matrix(model)
    fixed = (t("workbook.id"), t("workbook.responsibility"), t("workbook.department"))
    sheet = Sheet(
        t("workbook.sheet.raci"),
        (*fixed, t("workbook.critical"), *(n.role(r) for r in matrix.roles)),
        freeze="C2",
        upright_headers_from=len(fixed) + 1,
    )
    for resp_id in matrix.responsibilities:
        resp = model.responsibilities[resp_id]
        letters = (matrix.cell(resp_id, role_id) for role_id in matrix.roles)
        sheet.rows.append(
            (
                Cell(resp_id),
                Cell(n.responsibility(resp_id)),
                _text(n.department(resp.department) if resp.department else None),
                words.yes_no(resp.critical),
                *(Cell(held or None, f"raci-{held[0]}" if held else None) for held in letters),
            )
        )
    return sheet


def permissions_sheet(model: Model, words: _Words) -> Sheet:
    """Role x record type x action, with the scope (coloured) and whose records it means."""
    t, n = words.t, words.n
    sheet = Sheet(
        t("workbook.sheet.permissions"),
        (
            t("workbook.role_id"),
            t("workbook.role"),
            t("workbook.resource_id"),
            t("workbook.resource"),
            t("workbook.action"),
            t("workbook.scope"),
            t("workbook.scope_text"),
            t("workbook.baseline"),
        ),
        freeze="C2",
    )
    for role_id in model.roles:
        for resource_id in model.resources:
            cell = role_resource_cell(model, role_id, resource_id)
            for action, scope, baseline in cell.actions if cell is not None else ():
                sheet.rows.append(
                    (
                        Cell(role_id),
                        Cell(n.role(role_id)),
                        Cell(resource_id),
                        Cell(n.resource(resource_id)),
                        Cell(action),
                        Cell(t(f"scope.{scope.label}"), f"scope-{scope.label}"),
                        Cell(t(f"scope.{scope.label}_help")),
                        words.yes_no(baseline),
                    )
                )
    return sheet


def fields_sheet(model: Model, words: _Words) -> Sheet:
    """Every role's access (hidden, read, edit) to every declared field."""
    t, n = words.t, words.n
    matrix = field_matrix(model.access)
    resources = model.resources
    sheet = Sheet(
        t("workbook.sheet.fields"),
        (
            t("workbook.role_id"),
            t("workbook.role"),
            t("workbook.resource"),
            t("workbook.field_id"),
            t("workbook.field"),
            t("workbook.restricted"),
            t("workbook.access"),
        ),
        freeze="C2",
    )
    for role_id, cells in matrix.roles.items():
        for resource_id, field_id in matrix.fields:
            level = cells[(resource_id, field_id)].level
            declared = resources[resource_id].fields[field_id]
            sheet.rows.append(
                (
                    Cell(role_id),
                    Cell(n.role(role_id)),
                    Cell(n.resource(resource_id)),
                    Cell(field_id),
                    Cell(n.text(declared.name) or field_id),
                    words.yes_no((resource_id, field_id) in matrix.restricted),
                    Cell(t(f"field_access.{level}"), f"field-{level}"),
                )
            )
    return sheet


def people_sheet(model: Model, words: _Words) -> Sheet:
    """Every person with their roles, teams and manager."""
    t, n = words.t, words.n
    sheet = Sheet(
        t("workbook.sheet.people"),
        (
            t("workbook.person_id"),
            t("workbook.person"),
            t("workbook.title"),
            t("workbook.email"),
            t("workbook.roles"),
            t("workbook.departments"),
            t("workbook.teams"),
            t("workbook.manager"),
        ),
        freeze="C2",
    )
    for person_id, person in model.people.items():
        departments = dict.fromkeys(
            role.department
            for role_id in person.roles
            if (role := model.roles.get(role_id)) is not None and role.department
        )
        sheet.rows.append(
            (
                Cell(person_id),
                Cell(n.person(person_id)),
                _text(n.text(person.title)),
                _text(person.email),
                _text(words.join(n.role(r) for r in person.roles)),
                _text(words.join(n.department(d) for d in departments if d)),
                _text(words.join(n.team(team) for team in person.teams)),
                _text(n.person(person.reports_to) if person.reports_to else None),
            )
        )
    return sheet


def kpi_sheet(model: Model, words: _Words) -> Sheet:
    """The KPI dictionary: formula, unit, direction, target, owner, frequency, metrics."""
    t, n = words.t, words.n
    sheet = Sheet(
        t("workbook.sheet.kpis"),
        (
            t("workbook.id"),
            t("kpi.name"),
            t("workbook.description"),
            t("kpi.formula"),
            t("kpi.unit"),
            t("kpi.direction"),
            t("kpi.target"),
            t("kpi.owner"),
            t("kpi.department"),
            t("kpi.frequency"),
            t("kpi.metrics"),
        ),
        freeze="C2",
    )
    for kpi_id, kpi in model.kpis.items():
        metrics = formula_metrics(kpi.formula)
        sheet.rows.append(
            (
                Cell(kpi_id),
                Cell(n.kpi(kpi_id)),
                _text(n.text(kpi.description)),
                _text(kpi.formula),
                _text(t(f"unit.{kpi.unit}") if kpi.unit else None),
                _text(t(f"direction.{kpi.direction}") if kpi.direction else None),
                Cell(kpi.target),
                _text(n.role(kpi.owner) if kpi.owner else None),
                _text(n.department(kpi.department) if kpi.department else None),
                _text(t(f"frequency.{kpi.frequency}") if kpi.frequency else None),
                _text(words.join(metrics)),
            )
        )
    return sheet


SheetBuilder = Callable[[Model, _Words], Sheet]
_HANDBOOK: Final[tuple[SheetBuilder, ...]] = (
    raci_sheet,
    permissions_sheet,
    fields_sheet,
    people_sheet,
    kpi_sheet,
)
_ACCESS: Final[tuple[SheetBuilder, ...]] = (permissions_sheet, fields_sheet)


def handbook_sheets(model: Model, lang: str = "en") -> list[Sheet]:
    words = _Words(model, lang)
    return [build(model, words) for build in _HANDBOOK]


def access_sheets(model: Model, lang: str = "en") -> list[Sheet]:
    words = _Words(model, lang)
    return [build(model, words) for build in _ACCESS]


def handbook_workbook(model: Model, lang: str = "en") -> bytes:
    """``crmorg docs --xlsx``: RACI, permissions, field access, people and KPIs."""
    return render_workbook(handbook_sheets(model, lang), vertical_cjk=lang == "zh")


def access_workbook(model: Model, lang: str = "en") -> bytes:
    """``crmorg matrix --format xlsx``: permissions and field access."""
    return render_workbook(access_sheets(model, lang), vertical_cjk=lang == "zh")


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _safe_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title)
    return cleaned[:31] or "Sheet"


def render_workbook(sheets: Sequence[Sheet], *, vertical_cjk: bool = False) -> bytes:
    """The workbook's bytes, the same on every run."""
    # Imported here: openpyxl takes a noticeable part of a second to import.
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    styles: dict[str, tuple[Any, Any]] = {
        name: (PatternFill(fill_type="solid", fgColor="FF" + fill), Font(color="FF" + ink))
        for name, (fill, ink) in FILLS.items()
    }
    header_fill = PatternFill(fill_type="solid", fgColor="FF" + _HEADER_FILL)
    header_font = Font(bold=True)
    upright = Alignment(textRotation=255 if vertical_cjk else 90, vertical="bottom")
    flat = Alignment(wrap_text=True, vertical="bottom")

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_safe_title(sheet.title))
        widths = [_display_width(h) for h in sheet.headers]
        worksheet.append([spreadsheet_cell(h) for h in sheet.headers])
        for row in sheet.rows:
            values: list[str | float | None] = []
            for index, cell in enumerate(row):
                value = spreadsheet_cell(cell.value) if isinstance(cell.value, str) else cell.value
                values.append(value)
                if isinstance(value, str):
                    widths[index] = max(widths[index], _display_width(value))
            worksheet.append(values)
            for index, cell in enumerate(row):
                if cell.style is not None:
                    target = worksheet.cell(row=worksheet.max_row, column=index + 1)
                    target.fill, target.font = styles[cell.style]
        for index, width in enumerate(widths, start=1):
            header = worksheet.cell(row=1, column=index)
            header.fill, header.font = header_fill, header_font
            vertical = sheet.upright_headers_from is not None and index > sheet.upright_headers_from
            header.alignment = upright if vertical else flat
            shown = 5 if vertical else min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
            worksheet.column_dimensions[get_column_letter(index)].width = shown
        worksheet.freeze_panes = sheet.freeze
        last = get_column_letter(len(sheet.headers))
        worksheet.auto_filter.ref = f"A1:{last}{max(worksheet.max_row, 1)}"
    return workbook_bytes(workbook)
