"""The output, loaded into the real engines it targets: Graphviz, Mermaid, Chromium.

Every label must come out of the engine as the same text that went in (give or
take whitespace the engine is entitled to collapse) and never as markup.
"""

from __future__ import annotations

import random
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.charts import RENDERERS
from crmorg.charts.mermaid import TITLE_LOOKALIKES
from crmorg.charts.text import VACANT_MARKER, text_lines
from crmorg.charts.tree import Chart, ChartEdge, ChartNode, NodeKind, prune, walk

from .conftest import GOLDEN_DIR, require_renderers
from .renderers import MermaidResult, dot_to_svg, mermaid_check, mermaid_page, screenshot
from .samples import HOSTILE_LABELS, hostile_chart, sample_chart

pytestmark = pytest.mark.render

SVG = "{http://www.w3.org/2000/svg}"
WORD_JOINER = "\u2060"


def expected_text(node: ChartNode) -> str:
    lines = text_lines(node.label) + text_lines(node.sublabel)
    return "\n".join(lines + ([VACANT_MARKER] if "vacant" in node.kinds else []))


def squash(text: str) -> str:
    """Text with runs of whitespace (engines may collapse or trim them) as one space."""
    return " ".join(text.replace("\xa0", " ").replace(WORD_JOINER, "").split())


def dot_node_texts(svg: str) -> dict[str, str]:
    """Node id -> the lines Graphviz drew for it (its SVG ``id`` is ``n-<id>``)."""
    root = ET.fromstring(svg.encode("utf-8"))
    found = {}
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if group.get("class") == "node" and gid.startswith("n-"):
            found[gid[2:]] = "\n".join(t.text or "" for t in group.iter(f"{SVG}text"))
    return found


def no_script_elements(svg: str) -> None:
    root = ET.fromstring(svg.encode("utf-8"))
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert not tags & {"script", "foreignObject", "a", "image", "iframe"}, tags


# --- random labels -------------------------------------------------------------------

_ALPHABET = (
    [chr(c) for c in range(0x20, 0x7F)] * 4
    + list("\n\t\r\x00\x07\x1b\x7f\x85\u2028\u00a0\u00e9\u00df\u00b0\u00b6\ufb02")
    + list("销售代表客户经理數據分析ＡＢ（）【】「」")
    + list("😀👩‍💻🏳️‍🌈")
    + list("\u0301\u200b\u200d\u202e\u2060\ufeff\U0001f600")
)


def random_chart(rng: random.Random, index: int, size: int = 8) -> Chart:
    kinds: list[frozenset[NodeKind]] = [
        frozenset({"role"}),
        frozenset({"role", "head"}),
        frozenset({"role", "external", "vacant"}),
        frozenset({"person", "lead"}),
    ]

    def text() -> str:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 24)))

    nodes: list[ChartNode] = []
    for i in range(size):
        sublabel = text() if rng.random() < 0.5 else None
        nodes.append(ChartNode(f"r{index}_{i}", text(), sublabel, rng.choice(kinds)))
    root = ChartNode(f"r{index}", text(), None, frozenset({"root"}), tuple(nodes))
    return Chart(text(), (root,), (ChartEdge(f"r{index}_0", f"r{index}_1", text()),))


# --- Graphviz ------------------------------------------------------------------------


def check_dot(chart: Chart, svg: str) -> None:
    no_script_elements(svg)
    drawn = dot_node_texts(svg)
    for step in walk(chart.roots):
        assert squash(drawn[step.node.id]) == squash(expected_text(step.node)), step.node.id


def test_dot_golden_file_renders(graphviz: None) -> None:
    text = (GOLDEN_DIR / "sample.dot").read_text(encoding="utf-8")
    check_dot(sample_chart(), dot_to_svg(text))


def test_dot_hostile_labels_are_literal(graphviz: None) -> None:
    chart = hostile_chart()
    svg = dot_to_svg(RENDERERS["dot"](chart))
    check_dot(chart, svg)
    # Graphviz keeps line structure exactly, so compare line by line as well.
    drawn = dot_node_texts(svg)
    for step in walk(chart.roots):
        lines = [line.replace("\xa0", " ") for line in drawn[step.node.id].split("\n")]
        expected = expected_text(step.node).split("\n")
        assert [ln.strip() for ln in lines] == [ln.strip() for ln in expected]
    root = ET.fromstring(svg.encode("utf-8"))
    titles = [t.text for t in root.iter(f"{SVG}text") if t.text and "Hostile" in t.text]
    assert titles == ['<title>Hostile "chart" & co</title>']
    assert HOSTILE_LABELS[0] in {t.text for t in root.iter(f"{SVG}text")}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=6))
def test_dot_renders_any_text(graphviz: None, labels: list[str]) -> None:
    nodes = tuple(
        ChartNode(f"x{i}", label, label[::-1], frozenset({"role"}))
        for i, label in enumerate(labels)
    )
    chart = Chart(labels[0], (ChartNode("top", labels[-1], None, frozenset(), nodes),))
    check_dot(chart, dot_to_svg(RENDERERS["dot"](chart)))


def test_dot_handles_a_large_chart(graphviz: None) -> None:
    nodes = tuple(ChartNode(f"m{i}", f"成员 {i}", None, frozenset({"person"})) for i in range(300))
    chart = Chart("big", (ChartNode("boss", "Boss", None, frozenset({"head"}), nodes),))
    assert len(dot_node_texts(dot_to_svg(RENDERERS["dot"](chart)))) == 301


# --- Mermaid (one Chromium page load for every text) ------------------------------------

RANDOM_CHARTS = [random_chart(random.Random(seed), seed) for seed in range(30)]
MERMAID_CASES: dict[str, Chart] = {
    "sample": sample_chart(),
    "sample-pruned": prune(sample_chart(), root="sales_director", depth=1),
    "hostile": hostile_chart(),
    **{f"random-{i}": chart for i, chart in enumerate(RANDOM_CHARTS)},
}


@pytest.fixture(scope="module")
def mermaid_results() -> dict[str, MermaidResult]:
    require_renderers("chromium", "mermaid")
    names = list(MERMAID_CASES)
    texts = [RENDERERS["mermaid"](MERMAID_CASES[name]) for name in names]
    texts.append((GOLDEN_DIR / "sample.mmd").read_text(encoding="utf-8"))
    texts.append('flowchart TD\n    n0["unterminated\n')  # proves errors are reported
    results = mermaid_check(texts)
    return dict(zip([*names, "golden", "broken"], results, strict=True))


def check_mermaid(chart: Chart, result: MermaidResult) -> None:
    assert result.error is None, result.error
    assert set(result.elements) <= {"div", "span", "p", "br"}, result.elements
    names = {step.node.id: f"n{i}" for i, step in enumerate(walk(chart.roots))}
    for step in walk(chart.roots):
        drawn = result.labels[names[step.node.id]]
        assert squash(drawn) == squash(expected_text(step.node)), step.node.id
    expected_edges = [squash(" ".join(text_lines(e.label))) for e in chart.extra_edges if e.label]
    assert [squash(label) for label in result.edge_labels] == [e for e in expected_edges if e]
    if chart.title.strip():
        title = " ".join(text_lines(chart.title)).translate(TITLE_LOOKALIKES)
        assert squash(result.title or "") == squash(title)


@pytest.mark.parametrize("name", list(MERMAID_CASES))
def test_mermaid_renders_labels_literally(
    mermaid_results: dict[str, MermaidResult], name: str
) -> None:
    check_mermaid(MERMAID_CASES[name], mermaid_results[name])


def test_mermaid_golden_file_renders(mermaid_results: dict[str, MermaidResult]) -> None:
    check_mermaid(sample_chart(), mermaid_results["golden"])


def test_mermaid_line_breaks_survive(mermaid_results: dict[str, MermaidResult]) -> None:
    # The hostile chart's node h4 has a two-line label; Mermaid must keep the break.
    result = mermaid_results["hostile"]
    assert result.labels["n5"].split("\n") == ["first line", "second line"]


def test_mermaid_errors_are_reported(mermaid_results: dict[str, MermaidResult]) -> None:
    assert mermaid_results["broken"].error


# --- Chromium screenshots ---------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_svg_screenshot(chromium: None, tmp_path: Path) -> None:
    svg_path = tmp_path / "sample.svg"
    svg_path.write_text(RENDERERS["svg"](sample_chart()), encoding="utf-8")
    png = screenshot(svg_path, tmp_path / "sample.png")
    assert png_size(png) == (1400, 1000)
    # A blank page compresses to a few hundred bytes; a drawn chart does not.
    assert png.stat().st_size > 10_000


def test_mermaid_screenshot(mermaid_js: None, tmp_path: Path) -> None:
    page = mermaid_page(RENDERERS["mermaid"](sample_chart()), tmp_path / "sample.html")
    png = screenshot(page, tmp_path / "sample-mermaid.png")
    assert png_size(png) == (1400, 1000)
    assert png.stat().st_size > 10_000
