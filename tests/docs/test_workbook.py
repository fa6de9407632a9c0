"""The Excel workbooks (``crmorg docs --xlsx``, ``crmorg matrix --format xlsx``), opened
with openpyxl: sheets, frozen panes, filters, fills, formula-safe cells, fixed bytes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
import yaml

import crmorg
from crmorg.cli.main import main
from crmorg.docs.context import Names
from crmorg.docs.html import stylesheet
from crmorg.docs.matrices import raci_matrix
from crmorg.docs.workbook import FILLS, access_workbook, handbook_workbook
from crmorg.model import Model

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"
SHEETS = {
    "en": ["RACI", "Permissions", "Field access", "People & roles", "KPI dictionary"],
    "zh": ["RACI", "权限", "字段权限", "人员与角色", "KPI 词典"],
}
FORMULA_NAMES = (
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturn",
    "＝全角公式",
    " =spaced",
    "\u202eRTL override =x",
    "销售<script>&\"'",
)


def _formula_model(directory: Path) -> Path:
    """A model whose every name and text starts a formula in some way."""

    def name(index: int) -> str:
        return FORMULA_NAMES[index % len(FORMULA_NAMES)]

    document: dict[str, Any] = {
        "version": 1,
        "organization": {"name": name(0)},
        "resources": {
            "lead": {
                "name": name(1),
                "fields": {"budget": {"name": name(2), "restricted": True}},
            },
            "quote": {"name": name(3)},
        },
        "departments": {"hq": {"name": name(4), "head": "boss"}},
        "roles": {
            "boss": {
                "name": name(5),
                "department": "hq",
                "grants": {"*": {"read": "organization"}},
                "fields": {"lead": {"budget": "edit"}},
            },
            "worker": {
                "name": name(6),
                "department": "hq",
                "reports_to": "boss",
                "grants": {"lead": {"create": "own", "read": "team"}},
            },
        },
        "people": {
            "ann": {"name": name(7), "title": name(8), "email": "=a@b.c", "roles": ["boss"]},
            "bob": {"name": name(9), "roles": ["worker"], "reports_to": "ann"},
        },
        "responsibilities": {
            "sell": {
                "name": name(0),
                "department": "hq",
                "accountable": "boss",
                "responsible": ["worker"],
            }
        },
        "metrics": {"won": {"name": name(1), "source": "lead"}},
        "kpis": {
            "wins": {
                "name": name(2),
                "description": name(3),
                "formula": "won",
                "owner": "boss",
                "target": 5,
            }
        },
    }
    path = directory / "model.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference() -> Model:
    return crmorg.load(REFERENCE)


@pytest.fixture(scope="module")
def books(reference: Model, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("books")
    opened = {}
    for lang in ("en", "zh"):
        path = folder / f"{lang}.xlsx"
        path.write_bytes(handbook_workbook(reference, lang))
        opened[lang] = openpyxl.load_workbook(path)
    return opened


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_handbook_workbook_has_its_five_sheets(books: dict[str, Any], lang: str) -> None:
    assert books[lang].sheetnames == SHEETS[lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_sheet_freezes_its_header_and_filters_its_table(
    books: dict[str, Any], lang: str
) -> None:
    for sheet in books[lang].worksheets:
        assert sheet.freeze_panes == "C2", sheet.title
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        for letter in ("A", "B"):
            assert sheet.column_dimensions[letter].width >= 6, (sheet.title, letter)


def test_the_sheets_hold_the_whole_model(books: dict[str, Any], reference: Model) -> None:
    book = books["en"]
    raci, permissions, fields, people, kpis = book.worksheets
    matrix = raci_matrix(reference)
    assert raci.max_row - 1 == len(reference.responsibilities)
    assert raci.max_column == 4 + len(matrix.roles)
    names = Names(reference, "en")
    assert {c.value for c in permissions["B"][1:]} <= {names.role(r) for r in reference.roles}
    assert {c.value for c in permissions["A"][1:]} <= set(reference.roles)
    assert {c.value for c in permissions["C"][1:]} == set(reference.resources)
    assert people.max_row - 1 == len(reference.people)
    assert [c.value for c in kpis["A"][1:]] == list(reference.kpis)
    assert fields.max_row - 1 == len(reference.roles) * sum(
        len(resource.fields) for resource in reference.resources.values()
    )


def _css_colour(css_class: str) -> str:
    """The background colour style.css gives ``css_class`` (through a variable or not)."""
    css = stylesheet()
    rule = re.search(r"(?:^|\n)[^{}\n]*\." + re.escape(css_class) + r"\s*\{([^}]*)\}", css)
    assert rule is not None, css_class
    value = re.search(r"background:\s*([^;]+);", rule.group(1))
    assert value is not None, css_class
    colour = value.group(1).strip()
    variable = re.fullmatch(r"var\((--[a-z0-9-]+)\)", colour)
    if variable:
        found = re.search(re.escape(variable.group(1)) + r":\s*(#[0-9a-fA-F]{6})", css)
        assert found is not None
        colour = found.group(1)
    return colour.lstrip("#").upper()


def test_fills_are_the_html_legend_colours() -> None:
    for css_class in ("raci-A", "raci-R", "raci-C", "raci-I", "scope-own", "scope-team"):
        assert FILLS[css_class][0] == _css_colour(css_class), css_class
    for label in ("subordinates", "department", "organization"):
        assert FILLS[f"scope-{label}"][0] == _css_colour(f"scope-{label}")


def test_raci_letters_and_scopes_are_coloured(books: dict[str, Any]) -> None:
    raci, permissions, fields = books["en"].worksheets[:3]
    letters = [cell for row in raci.iter_rows(min_row=2, min_col=5) for cell in row if cell.value]
    assert letters
    for cell in letters:
        assert cell.fill.fgColor.rgb == "FF" + FILLS[f"raci-{cell.value[0]}"][0], cell.coordinate
    scope_cells = [row[5] for row in permissions.iter_rows(min_row=2)]
    assert {c.value for c in scope_cells} >= {"organization", "own"}
    for cell in scope_cells:
        assert cell.fill.fgColor.rgb == "FF" + FILLS[f"scope-{cell.value}"][0], cell.coordinate
    levels = {"Hidden": "none", "Read": "read", "Edit": "edit"}
    access_cells = [row[6] for row in fields.iter_rows(min_row=2)]
    assert {c.value for c in access_cells} == set(levels)
    for cell in access_cells:
        level = levels[cell.value]
        assert cell.fill.fgColor.rgb == "FF" + FILLS[f"field-{level}"][0], cell.coordinate


def test_zh_role_headers_stand_upright(books: dict[str, Any]) -> None:
    raci = books["zh"]["RACI"]
    assert raci.cell(row=1, column=5).alignment.textRotation == 255  # stacked: CJK upright
    assert books["en"]["RACI"].cell(row=1, column=5).alignment.textRotation == 90


def _text_cells(book: Any) -> list[str]:
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def test_no_cell_starts_a_formula(tmp_path: Path) -> None:
    model = crmorg.load(_formula_model(tmp_path))
    for lang in ("en", "zh"):
        path = tmp_path / f"{lang}.xlsx"
        path.write_bytes(handbook_workbook(model, lang))
        book = openpyxl.load_workbook(path)
        cells = _text_cells(book)
        for cell in book.worksheets[0]._cells.values():
            assert cell.data_type != "f", cell.coordinate
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "＝")]
        assert dangerous == []
        # the names are there, neutralised with a leading apostrophe
        assert "'=cmd|' /C calc'!A0" in cells
        assert "'+SUM(1,2)" in cells
        assert "'@SUM(A1)" in cells
        assert "'＝全角公式" in cells
        assert "销售<script>&\"'" in cells
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), sheet.title


def test_the_bytes_are_the_same_on_every_build(reference: Model) -> None:
    assert handbook_workbook(reference, "zh") == handbook_workbook(reference, "zh")
    assert access_workbook(reference, "en") == access_workbook(reference, "en")


def test_crmorg_docs_and_matrix_write_workbooks(tmp_path: Path) -> None:
    book = tmp_path / "handbook.xlsx"
    assert main(["docs", str(REFERENCE), "--xlsx", str(book), "--lang", "zh"]) == 0
    assert openpyxl.load_workbook(book).sheetnames == SHEETS["zh"]
    assert not (tmp_path / "site").exists()  # no --out: no site
    matrix = tmp_path / "access.xlsx"
    assert main(["matrix", str(REFERENCE), "--format", "xlsx", "--out", str(matrix)]) == 0
    assert openpyxl.load_workbook(matrix).sheetnames == ["Permissions", "Field access"]
    assert matrix.read_bytes() == access_workbook(crmorg.load(REFERENCE), "en")


def test_matrix_xlsx_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", str(REFERENCE), "--format", "xlsx"]) == 2
    assert "--out" in capsys.readouterr().err


def test_an_unwritable_workbook_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "book.xlsx"
    site = tmp_path / "site"
    args = ["docs", str(REFERENCE), "--out", str(site), "--xlsx", str(target)]
    assert main(args) == 2  # refused before anything is made
    assert main(["docs", str(REFERENCE), "--xlsx", str(tmp_path)]) == 2  # a directory
    inside = ["docs", str(REFERENCE), "--out", str(site), "--xlsx", str(site / "b.xlsx")]
    assert main(inside) == 2
    assert blocker.read_text() == "x"
    assert list(tmp_path.iterdir()) == [blocker]
