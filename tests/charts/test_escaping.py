"""User text is inert in every format (checked here without the real engines)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.charts.dot import escape_string, render_dot
from crmorg.charts.mermaid import escape_label, render_mermaid
from crmorg.charts.svg import escape_xml, render_svg
from crmorg.charts.text import VACANT_MARKER, display_width, text_lines
from crmorg.charts.tree import Chart, ChartNode
from crmorg.text import clean_text

from .samples import HOSTILE_LABELS, hostile_chart

SVG = "{http://www.w3.org/2000/svg}"


def svg_node_texts(svg: str) -> dict[str, list[str]]:
    """For each node group (``data-node="<id>"``): its drawn lines, in order."""
    root = ET.fromstring(svg.encode("utf-8"))
    found: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        node_id = group.get("data-node")
        if node_id:
            found[node_id] = [span.text or "" for span in group.iter(f"{SVG}tspan")]
    return found


def expected_lines(node: ChartNode) -> list[str]:
    lines = text_lines(node.label) + text_lines(node.sublabel)
    return lines + ([VACANT_MARKER] if "vacant" in node.kinds else [])


# --- shared text handling ------------------------------------------------------------


def test_clean_text_normalises_breaks_reveals_hidden_and_drops_invalid_characters() -> None:
    assert clean_text("a\r\nb\rc\u2028d\te\x00f\x1bg\ufffeh\x85i") == (
        "a\nb\nc\nd e\\x00f\\x1bgh\ni"
    )
    assert clean_text("Sales\u202eRep\u200b\x7f\x9b") == "Sales\\u202eRep\\u200b\\x7f\\x9b"
    assert clean_text("销售 😀 é") == "销售 😀 é"


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("销售代表") == 8
    assert display_width("e\u0301") == 1  # combining accent takes no column


# --- SVG ---------------------------------------------------------------------------


def test_escape_xml() -> None:
    assert escape_xml("<a href='x'>\"&\"</a>") == (
        "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
    )


def test_svg_hostile_labels_are_literal_text() -> None:
    chart = hostile_chart()
    svg = render_svg(chart)
    root = ET.fromstring(svg.encode("utf-8"))
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "style", "defs", "marker", "path", "rect", "g", "text", "tspan"}
    texts = svg_node_texts(svg)
    for step_node in (chart.roots[0], *chart.roots[0].children):
        assert texts[step_node.id] == expected_lines(step_node), step_node.id
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == '<title>Hostile "chart" & co</title>'  # type: ignore[union-attr]
    edge_labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "edge-label"]
    assert edge_labels == [HOSTILE_LABELS[0], '"|x|"']


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text(max_size=5))
def test_svg_is_well_formed_for_any_text(label: str, title: str) -> None:
    node = ChartNode("a", label, label, frozenset({"role", "vacant"}))
    svg = render_svg(Chart(title, (node,)))
    assert svg_node_texts(svg)["a"] == expected_lines(node)


# --- Mermaid -------------------------------------------------------------------------

# What may appear inside a quoted Mermaid label: inert ASCII, entity codes, <br>, and
# printable non-ASCII text.
_MERMAID_SAFE = re.compile(r"(?:[A-Za-z0-9 .,_()/!?+=@'-]|#[0-9]+;|<br>|[^\x00-\x7f])*")


def test_escape_label_examples() -> None:
    assert escape_label('<b>"x"</b>') == "#60;b#62;#34;x#34;#60;/b#62;"
    assert escape_label("a\nb") == "a<br>b"
    assert escape_label("销售 #1: 100%") == "销售 #35;1#58; 100#37;"
    assert escape_label("a\\nb") == "a#92;#8288;nb"  # Mermaid reads \n as a break


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_mermaid_labels_only_hold_inert_characters(text: str) -> None:
    escaped = escape_label(text)
    assert _MERMAID_SAFE.fullmatch(escaped), escaped
    assert '"' not in escaped and "%" not in escaped and "\n" not in escaped


def test_mermaid_hostile_chart_has_one_statement_per_line() -> None:
    text = render_mermaid(hostile_chart())
    lines = text.splitlines()
    assert lines[:2] == [
        "---",
        'title: "\\uff1ctitle\\uff1eHostile \\u0022chart\\u0022 \\uff06 co'
        '\\uff1c\\u002ftitle\\uff1e"',
    ]
    body = lines[lines.index("flowchart TD") + 1 :]
    for line in body:
        assert re.fullmatch(
            r'    (n\d+\["[^"\n]*"\]'
            r'|n\d+ (-->|-\.->|<---|<-\.-)(\|"[^"\n]*"\|)? n\d+'
            r'|classDef [a-z]+ [^"]+'
            r"|class (n\d+,)*n\d+ [a-z]+)",
            line,
        ), line


# --- DOT -------------------------------------------------------------------------------


def _unescape_dot(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            nxt = text[i + 1]
            out.append({"\\": "\\", '"': '"', "n": "\n"}[nxt])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("&amp;", "&")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_dot_strings_round_trip(text: str) -> None:
    escaped = escape_string(text)
    assert "\n" not in escaped
    assert re.fullmatch(r'(?:[^"\\]|\\["\\n])*', escaped)
    assert _unescape_dot(escaped) == clean_text(text)


def test_dot_escapes_backslash_sequences_and_entities() -> None:
    assert escape_string('\\N "x" &lt;\nnext') == '\\\\N \\"x\\" &amp;lt;\\nnext'
    text = render_dot(hostile_chart())
    assert text.startswith("digraph orgchart {\n")
    assert 'charset="UTF-8"' in text and "rankdir=TB" in text
