"""Hostile text through every output format: nothing hidden reaches a reader.

One model whose names, descriptions and titles hold ESC (and an OSC sequence that
sets a terminal's title), DEL, C1 controls, bidi controls, zero-width characters and
spreadsheet formulas behind a leading space, a zero-width space, a BOM, a line feed or
a full-width ``＝``, in a file whose name holds an OSC sequence too. Every command that
writes it is run: ``validate`` (every format), ``docs`` (HTML and Markdown), ``chart``
(every format and view), ``export`` (every target), ``kpi`` (every scorecard format),
``matrix``, ``who-can`` and ``explain``. No output holds a raw control, bidi or
zero-width character (JSON escapes them, documents show them as ``\\u202e``), every
CSV parses and round-trips, and no CSV cell starts a formula.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.charts import RENDERERS as CHART_FORMATS
from crmorg.charts.views import VIEWS
from crmorg.cli.common import EXIT_USAGE
from crmorg.cli.main import main
from crmorg.export import EXPORTERS
from crmorg.text import json_text, reveal

from .helpers import cli

OSC_TITLE = "\x1b]0;pwned\x07"
"""Sets the terminal's window title when printed raw."""
HOSTILE = (
    "Esc\x1b[31mred\x1b[0m",
    f"Title{OSC_TITLE}end",
    "Del\x7f nel\x85 csi\x9b1m",
    "Sales\u202eRep\u200bzw",
    ' =HYPERLINK("http://x.invalid")',
    "\u200b=1+2",
    "\ufeff@SUM(A1)",
    "＝1+1",
    "\t-2+3",
    "\n+cmd|' /C calc'!A0",
    "Win\rrate",
    "lrm\u200e rlm\u200f alm\u061c wj\u2060 lri\u2066 pdi\u2069 zwj\u200d lro\u202d",
)
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
"""What no output may hold raw (written out here, not imported, to test the product's
own definition). Carriage returns are allowed only as CSV line ends and in quoted cells."""
FORMULA_START = ("=", "+", "-", "@")
NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")
MODEL_FILE = f"model{OSC_TITLE}.yaml"
BINARY_SUFFIXES = frozenset({".zip", ".xlsx"})
"""Containers each CRM target checks itself, by reading them back (their text parts are
unpacked beside them, and checked here)."""


ROLES = ("boss", "worker", "agent", "clerk", "scout", "guard")
PEOPLE = ("pat", "sam", "kim", "lee", "ada", "zoe")


def _hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


def _document() -> dict[str, Any]:
    """Roles and then people are named by every hostile text, and so are the KPIs; the
    other texts take them round-robin."""
    other = iter(range(3, 1000))

    def text() -> str:
        return _hostile(next(other))

    return {
        "version": 1,
        "organization": {"name": text(), "description": text()},
        "resources": {"lead": {"name": text(), "description": text()}, "quote": {"name": text()}},
        "departments": {
            "hq": {"name": text(), "head": "boss", "description": text()},
            "ops": {"name": text(), "parent": "hq", "head": "worker"},
        },
        "roles": {
            role: {
                "name": HOSTILE[index],
                "description": text(),
                "department": "hq" if role == "boss" else "ops",
                **({"reports_to": "boss", "inherits": ["boss"]} if role != "boss" else {}),
                "grants": {"lead": {"read": "organization"}, "quote": {"create": "own"}},
            }
            for index, role in enumerate(ROLES)
        },
        "responsibilities": {
            "work": {
                "name": text(),
                "description": text(),
                "department": "ops",
                "accountable": "boss",
                "responsible": ["worker"],
            },
        },
        "teams": {"crew": {"name": text(), "department": "ops", "lead": "pat"}},
        "people": {
            person: {"name": HOSTILE[len(ROLES) + index], "roles": [role], "teams": ["crew"]}
            for index, (person, role) in enumerate(zip(PEOPLE, ROLES, strict=True))
        },
        "metrics": {"won": {"unit": "count"}, "lost": {"unit": "count"}},
        "kpis": {
            f"kpi_{index}": {
                "name": name,
                "description": text(),
                "department": "ops",
                "owner": "worker",
                "formula": "won / (won + lost)",
                "unit": "percent",
                "direction": "higher",
                "target": 0.5,
            }
            for index, name in enumerate(HOSTILE)
        },
    }


METRICS = (
    'period,metric,value\n2026-01,won,3\n2026-01,lost,2\n"=2026-02",won,1\n"=2026-02",lost,1\n'
)


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every output of every command, by a name that ends with its format."""
    root = tmp_path_factory.mktemp("hostile-text")
    model_dir = root / "org"
    model_dir.mkdir()
    (model_dir / MODEL_FILE).write_text(
        yaml.safe_dump(_document(), allow_unicode=True), encoding="utf-8"
    )
    data = root / "metrics.csv"
    data.write_text(METRICS, encoding="utf-8")
    model, out = str(model_dir), root / "out"
    found: dict[str, str] = {}

    def stdout_of(name: str, argv: list[str], expected: tuple[int, ...] = (0,)) -> None:
        code, text = _run(argv)
        assert code in expected, (argv, code, text)
        found[name] = text

    for fmt in ("text", "json", "sarif", "github"):
        stdout_of(f"validate.{fmt}", ["validate", "--format", fmt, model])
    for fmt in ("csv", "html", "json", "markdown", "table"):
        stdout_of(f"kpi.{fmt}", ["kpi", model, "--data", str(data), "--format", fmt])
    for fmt in ("table", "csv", "json", "markdown"):
        stdout_of(f"matrix.{fmt}", ["matrix", model, "--format", fmt])
    for fmt in ("text", "json"):
        stdout_of(f"who-can.{fmt}", ["who-can", model, "read", "lead", "--format", fmt])
        stdout_of(f"explain.{fmt}", ["explain", model, "pat", "read", "lead", "--format", fmt])
    written: list[list[str]] = [
        ["docs", model, "--format", fmt, "--kpi-data", str(data), "--out", str(out / f"docs-{fmt}")]
        for fmt in ("html", "markdown")
    ]
    written += [
        ["chart", model, "--format", fmt, "--view", view, "--out", str(out / f"{view}.{fmt}")]
        for fmt in CHART_FORMATS
        for view in VIEWS
    ]
    written += [
        ["export", model, "--target", target, "--out", str(out / f"export-{target}")]
        for target in EXPORTERS
    ]
    for argv in written:
        code, text = _run(argv)
        assert code == 0, (argv, text)
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix not in BINARY_SUFFIXES:
            found[str(path.relative_to(out))] = path.read_bytes().decode("utf-8")
    return found


def _cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _starts_a_formula(cell: str) -> bool:
    """What a spreadsheet may read as a formula (checked here independently); a plain
    number the product wrote, such as a negative change, is a number."""
    if NUMBER.fullmatch(cell):
        return False
    if cell.startswith(("\t", "\r")):
        return True
    start = unicodedata.normalize("NFKC", cell).lstrip()
    return re.sub(f"^(?:\\s|{RAW.pattern})+", "", start).startswith(FORMULA_START)


def _is_csv(name: str) -> bool:
    # Casbin's policy.csv is Casbin's own line format (comments, ids), not a spreadsheet.
    return name.endswith(".csv") and not name.startswith("export-casbin")


def test_every_format_was_written(outputs: dict[str, str]) -> None:
    suffixes = {name.rsplit(".", 1)[-1] for name in outputs}
    assert {"html", "md", "svg", "dot", "mermaid", "json", "csv", "cedar", "rego"} <= suffixes
    assert {"validate.text", "validate.sarif", "validate.github", "kpi.table"} <= set(outputs)


def test_no_output_holds_a_raw_hidden_character(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        if _is_csv(name):
            text = "".join(_cells(text))  # line ends and quoted carriage returns are the CSV's
            text = text.replace("\r", "")
        found = sorted({f"U+{ord(char):04X}" for char in RAW.findall(text)})
        assert not found, f"{name} holds {', '.join(found)}"


def test_documents_and_charts_show_hidden_characters_as_escapes(outputs: dict[str, str]) -> None:
    shown = "Sales\\u202eRep\\u200bzw"  # the name of role clerk
    for name in (
        "docs-html/roles.html",
        "docs-markdown/roles.md",
        "roles.svg",
        "roles.dot",
        "roles.html",
        "kpi.html",
        "kpi.markdown",
    ):
        assert shown in outputs[name].replace("\\\\", "\\"), name  # DOT and Markdown double "\\"
    # Mermaid writes the backslash as its entity code.
    assert "Sales#92;u202eRep#92;u200bzw" in outputs["roles.mermaid"]
    assert "Esc\\x1b[31mred\\x1b[0m" in outputs["docs-html/roles/boss.html"]


def test_json_keeps_the_text_exact(outputs: dict[str, str]) -> None:
    documents = {
        name: json.loads(text)
        for name, text in outputs.items()
        if name.endswith((".json", ".sarif"))
    }
    assert set(HOSTILE) <= set(_strings(documents["kpi.json"]))  # every KPI's name
    assert set(HOSTILE) <= set(_strings(documents["export-cedar/entities.json"]))
    assert set(HOSTILE[: len(ROLES)]) <= set(_strings(documents["export-rego/data.json"]))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_csv_parses_round_trips_and_starts_no_formula(outputs: dict[str, str]) -> None:
    csvs = {name: text for name, text in outputs.items() if _is_csv(name)}
    assert {"kpi.csv", "matrix.csv", "export-csv/matrix.csv"} <= set(csvs)
    for name, text in csvs.items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        widths = {len(row) for row in rows}
        assert len(widths) == 1, f"{name}: rows of {widths} cells"
        again = io.StringIO()
        csv_writer(again).writerows(rows)
        assert again.getvalue() == text, f"{name} does not round-trip"
        for cell in _cells(text):
            assert not _starts_a_formula(cell), f"{name}: {cell!r}"
    names = {row[1] for row in csv.reader(io.StringIO(csvs["kpi.csv"], newline=""))}
    assert "Win\rrate" in names  # a carriage return stays inside its quoted cell
    assert "'＝1+1" in names


def test_svg_outputs_are_well_formed(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        if name.endswith(".svg"):
            ET.fromstring(text.encode("utf-8"))


def test_terminal_output_names_the_file_without_its_escape_sequence(
    outputs: dict[str, str],
) -> None:
    assert "model\\x1b]0;pwned\\x07.yaml" in outputs["validate.text"]
    assert "model\\x1b]0;pwned\\x07.yaml" in outputs["validate.github"]
    assert "hidden-characters" in outputs["validate.text"]


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (" =1+1", "' =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\u3000=1", "'\u3000=1"),
        ("\u200b=1+2", "'\\u200b=1+2"),
        ("\ufeff@SUM(A1)", "'\\ufeff@SUM(A1)"),
        ("\u202e=1", "'\\u202e=1"),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("﹣1", "'﹣1"),
        ("＠x", "'＠x"),
        ("a=b", "a=b"),
        ("销售", "销售"),
        ("Sales\u202eRep", "Sales\\u202eRep"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("two\nlines\tand\rreturn", "two\nlines\tand\rreturn"),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(cell: str, shown: str) -> None:
    assert spreadsheet_cell(cell) == shown


def test_reveal_and_json_text() -> None:
    assert reveal("a\x1b]0;x\x07b\u202ec\x85d\tf\ng") == "a\\x1b]0;x\\x07b\\u202ec\\x85d\tf\ng"
    assert reveal("a\rb", keep="\r") == "a\rb"
    text = json_text({"k\u2066": ["\x7f\u200b\\\u202e"]}, ensure_ascii=False)
    assert not RAW.search(text)
    assert json.loads(text) == {"k\u2066": ["\x7f\u200b\\\u202e"]}


def test_usage_errors_quote_the_command_line_without_its_escape_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(yaml.safe_dump(_document(), allow_unicode=True), encoding="utf-8")
    for argv in (
        ["explain", str(model), f"pat{OSC_TITLE}", "read", "lead"],  # the command's own error
        ["chart", str(model), "--view", f"roles{OSC_TITLE}"],  # argparse's
    ):
        code, _, err = cli(argv, capsys)
        assert code == EXIT_USAGE
        assert "\\x1b]0;pwned\\x07" in err and not RAW.search(err), err
