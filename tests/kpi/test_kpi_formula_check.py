"""Formulas are checked at load: a bad one is a `schema` finding at the offending token."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.api import load_partial
from crmorg.findings import Location
from crmorg.lint.engine import run
from crmorg.loading.scalar_positions import locate_in_scalar

HEAD = """\
version: 1
organization: {name: T}
metrics:
  won: {unit: count}
  lost: {unit: count}
kpis:
  rate:
"""


def _formula_findings(tmp_path: Path, kpi_body: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "model.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(kpi_body), "    "), encoding="utf-8")
    model = load_partial(path)
    return [
        (f.line, f.column, f.message)
        for f in model.load_findings
        if f.rule == "schema" and "formula" in f.message
    ]


def _char_at(tmp_path: Path, line: int, column: int, length: int = 1) -> str:
    text = (tmp_path / "model.yaml").read_text(encoding="utf-8").split("\n")[line - 1]
    return text[column - 1 : column - 1 + length]


@pytest.mark.parametrize(
    ("body", "token", "words"),
    [
        ("formula: won.total / lost\n", ".", "attribute"),
        ('formula: "won / lost.x"\n', ".", "attribute"),
        ("formula: 'won[0] / lost'\n", "[", "subscripts"),
        ("formula: won ** 2\n", "**", "**"),
        ("formula: won / open(lost)\n", "open", "open"),
        ("formula: won // lost\n", "//", "//"),
        ("formula: |\n  (won +\n   lost.x)\n", ".", "attribute"),
        ("formula: >\n  won +\n  lost.x\n", ".", "attribute"),
        ("formula: won +\n  lost.x\n", ".", "attribute"),
        ("formula: \"it''s\"\n", "'", ""),
        ('formula: "\\x61 + lost.x"\n', ".", "attribute"),
        ("formula: 'it''s + lost.x'\n", "'", ""),
    ],
)
def test_bad_formula_is_a_schema_finding_at_the_token(
    tmp_path: Path, body: str, token: str, words: str
) -> None:
    findings = _formula_findings(tmp_path, body)
    assert len(findings) == 1, findings
    line, column, message = findings[0]
    assert message.startswith("KPI rate: the formula is not valid: ")
    assert words in message
    assert _char_at(tmp_path, line, column, len(token)) == token


def test_position_is_exact_for_a_plain_scalar(tmp_path: Path) -> None:
    # `    formula: won.total / lost` -> the `.` is on line 8, column 17.
    assert _formula_findings(tmp_path, "formula: won.total / lost\n")[0][:2] == (8, 17)


def test_position_skips_the_opening_quote(tmp_path: Path) -> None:
    assert _formula_findings(tmp_path, 'formula: "won.total / lost"\n')[0][:2] == (8, 18)


def test_undeclared_metric_is_not_a_schema_finding_but_kpi_unknown_metric(
    tmp_path: Path,
) -> None:
    body = "formula: won / closed\nunit: count\ndirection: higher\ntarget: 1\nfrequency: monthly\n"
    assert _formula_findings(tmp_path, body) == []
    report = run(load_partial(tmp_path / "model.yaml"))
    rules = [f.rule for f in report.findings if "rate" in f.subjects]
    assert rules == ["kpi-unknown-metric"]


def test_valid_formula_gives_no_finding(tmp_path: Path) -> None:
    assert _formula_findings(tmp_path, "formula: round(won / max(won + lost, 1), 2)\n") == []


def test_empty_formula_points_at_the_value(tmp_path: Path) -> None:
    findings = _formula_findings(tmp_path, 'formula: ""\n')
    assert [(line, column) for line, column, _ in findings] == [(8, 14)]


def test_every_kpi_with_a_bad_formula_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(HEAD + "    formula: won.x\n  other:\n    formula: lost[1]\n", encoding="utf-8")
    model = load_partial(path)
    found = sorted((f.subjects, f.line) for f in model.load_findings if f.rule == "schema")
    assert found == [(("other",), 10), (("rate",), 8)]
    # The KPIs stay in the model (references to them remain valid).
    assert set(model.kpis) == {"rate", "other"}
    report = run(model)
    assert len([f for f in report.findings if f.rule == "schema"]) == 2


# ------------------------------------------------------------ scalar positions


_STYLES = st.sampled_from(["plain", "double", "single"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    left=st.lists(st.sampled_from(["won", "lost", "+", "-", "*", "/", "1", "(", ")"]), max_size=6),
    right=st.lists(st.sampled_from(["won", "lost", "+", "*", "2"]), max_size=6),
    style=_STYLES,
    indent=st.integers(min_value=0, max_value=6),
)
def test_locate_in_scalar_finds_the_character(
    left: list[str], right: list[str], style: str, indent: int
) -> None:
    value = " ".join([*left, "won.x", *right])
    offset = value.index(".")
    if style == "double":
        written = '"' + value + '"'
    elif style == "single":
        written = "'" + value + "'"
    else:
        if value.startswith(("-", "*", "(")) or value.endswith(" "):
            written = '"' + value + '"'
        else:
            written = value
    text = "k:\n" + " " * indent + "  formula: " + written + "\n"
    start = Location("m.yaml", 2, indent + 3 + len("formula: "))
    found = locate_in_scalar(text, start, value, offset)
    line = text.split("\n")[found.line - 1]
    assert line[found.column - 1] == "."


def test_locate_in_scalar_falls_back_to_the_start_when_text_does_not_match() -> None:
    text = "k:\n  formula: abc\n"
    start = Location("m.yaml", 2, 12)
    assert locate_in_scalar(text, start, "something else", 3) == start
    assert locate_in_scalar("not: [valid", start, "abc", 1) == start
