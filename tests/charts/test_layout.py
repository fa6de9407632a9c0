"""The tidy-tree layout and the SVG built on it: geometry, determinism, scale."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.charts import RENDERERS
from crmorg.charts.layout import Layout, Limits, Metrics, layout_chart
from crmorg.charts.svg import render_svg
from crmorg.charts.tree import NODE_KINDS, Chart, ChartEdge, ChartNode, NodeKind

from .samples import hostile_chart, sample_chart

KINDS: list[NodeKind] = sorted(NODE_KINDS)  # type: ignore[arg-type]


@st.composite
def charts(draw: st.DrawFn, max_nodes: int = 30) -> Chart:
    """Random forests: node i hangs below an earlier node or starts a new tree."""
    count = draw(st.integers(min_value=1, max_value=max_nodes))
    parents = [-1] + [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(1, count)]
    labels = draw(st.lists(st.text(max_size=24), min_size=count, max_size=count))
    sublabels = draw(st.lists(st.none() | st.text(max_size=16), min_size=count, max_size=count))
    kinds = draw(st.lists(st.frozensets(st.sampled_from(KINDS)), min_size=count, max_size=count))
    children: list[list[int]] = [[] for _ in range(count)]
    for node, parent in enumerate(parents):
        if parent >= 0:
            children[parent].append(node)
    built: dict[int, ChartNode] = {}
    for node in range(count - 1, -1, -1):
        built[node] = ChartNode(
            f"n{node}",
            labels[node],
            sublabels[node],
            kinds[node],
            tuple(built.pop(child) for child in children[node]),
        )
    roots = tuple(built[node] for node in sorted(built))
    edges: tuple[ChartEdge, ...] = ()
    if count > 1 and draw(st.booleans()):
        edges = (ChartEdge("n0", f"n{count - 1}", draw(st.text(max_size=8))),)
    return Chart(draw(st.text(max_size=12)), roots, edges)


def assert_tidy(layout: Layout, metrics: Metrics) -> None:
    by_level: dict[int, list[int]] = {}
    for index, box in enumerate(layout.boxes):
        by_level.setdefault(box.depth, []).append(index)
        assert box.x >= -1e-6 and box.x + box.width <= layout.width + 1e-6
        assert box.y >= 0 and box.bottom <= layout.height + 1e-6
        assert box.y == layout.level_tops[box.depth]
    for indices in by_level.values():
        ordered = sorted(indices, key=lambda i: layout.boxes[i].x)
        # Pre-order equals left-to-right order on every level.
        assert ordered == sorted(indices)
        for left, right in itertools.pairwise(ordered):
            a, b = layout.boxes[left], layout.boxes[right]
            assert a.x + a.width + metrics.sibling_gap <= b.x + 1e-6, (a.node.id, b.node.id)
    for index, box in enumerate(layout.boxes):
        kids = [child for child in layout.boxes if child.parent == index]
        if kids:
            middle = (kids[0].center_x + kids[-1].center_x) / 2
            assert abs(box.center_x - middle) < 1e-6, box.node.id
            assert all(kid.y > box.bottom for kid in kids)


@settings(max_examples=200, deadline=None)
@given(charts())
def test_layout_is_tidy(chart: Chart) -> None:
    metrics = Metrics()
    assert_tidy(layout_chart(chart, metrics, mode="tidy"), metrics)


def assert_compact(layout: Layout) -> None:
    """No two boxes overlap, children sit below their parent, connectors join them."""
    boxes = layout.boxes
    for box in boxes:
        assert box.x >= -1e-6 and box.x + box.width <= layout.width + 1e-6
        assert box.y >= -1e-6 and box.bottom <= layout.height + 1e-6
    # Sweep by x: only boxes whose x-ranges meet can overlap.
    ordered = sorted(range(len(boxes)), key=lambda i: boxes[i].x)
    for n, i in enumerate(ordered):
        a = boxes[i]
        for j in ordered[n + 1 :]:
            b = boxes[j]
            if b.x >= a.x + a.width:
                break
            assert b.y >= a.bottom or a.y >= b.bottom, (a.node.id, b.node.id)
    linked = {child for child, _ in layout.links}
    assert linked == {i for i, box in enumerate(boxes) if box.parent is not None}
    for child, points in layout.links:
        box = boxes[child]
        assert box.parent is not None
        parent = boxes[box.parent]
        assert box.y > parent.bottom
        assert points[0] == (parent.center_x, parent.bottom)
        end = points[-1]
        assert end in ((box.center_x, box.y), (box.x, box.y + box.height / 2))
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2  # connectors run straight, with elbows


@settings(max_examples=50, deadline=None)
@given(charts(max_nodes=40))
def test_compact_layout_never_overlaps(chart: Chart) -> None:
    assert_compact(layout_chart(chart, mode="compact"))


def test_the_auto_layout_keeps_a_large_chart_within_the_limits() -> None:
    """A 2,000-node chart, 40 managers of 50 reports each under one head: the tidy tree
    would be ~2,000 boxes wide; the compact one stacks the reports."""
    managers = tuple(
        ChartNode(
            f"m{m}",
            f"Manager {m}",
            "Sales",
            frozenset({"person"}),
            tuple(
                ChartNode(f"p{m}-{p}", f"Person {m}.{p} 员工", "Representative") for p in range(48)
            ),
        )
        for m in range(40)
    )
    chart = Chart("People", (ChartNode("ceo", "Chief Executive", None, children=managers),))
    tidy = layout_chart(chart, mode="tidy")
    assert tidy.width > 50_000
    limits = Limits()
    layout = layout_chart(chart, limits=limits)
    assert layout.compact
    assert limits.fits(layout.width, layout.height)
    assert max(layout.width, layout.height) <= 4 * min(layout.width, layout.height)
    assert_compact(layout)
    svg = ET.fromstring(render_svg(chart).encode("utf-8"))
    width, height = float(svg.get("width", "0")), float(svg.get("height", "0"))
    assert width <= 16_000 and width <= 4 * height


@settings(max_examples=100, deadline=None)
@given(charts(max_nodes=12))
def test_svg_is_well_formed_and_deterministic(chart: Chart) -> None:
    svg = render_svg(chart)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    node_groups = [g for g in root.iter() if "node" in g.get("class", "").split()]
    assert len(node_groups) == len(layout_chart(chart).boxes)
    for render in RENDERERS.values():
        assert render(chart) == render(chart)


def test_wide_characters_widen_boxes() -> None:
    latin = layout_chart(Chart("", (ChartNode("a", "abcdefghijkl"),))).boxes[0]
    cjk = layout_chart(Chart("", (ChartNode("a", "销售代表销售代表销售代表"),))).boxes[0]
    assert cjk.width > 1.8 * (latin.width - 2 * Metrics().padding_x)


def test_forest_trees_sit_side_by_side() -> None:
    layout = layout_chart(sample_chart(), mode="tidy")
    first = [b for b in layout.boxes if b.node.id != "advisory_board"]
    board = next(b for b in layout.boxes if b.node.id == "advisory_board")
    assert board.x >= max(b.x + b.width for b in first) + Metrics().tree_gap - 1e-6


def _wide_and_deep(count: int) -> Chart:
    """A 10-ary tree of ``count`` nodes plus a 3000-deep chain under its last leaf."""
    children: list[list[int]] = [[] for _ in range(count)]
    for node in range(1, count):
        children[(node - 1) // 10].append(node)
    built: dict[int, ChartNode] = {}
    chain: ChartNode | None = None
    for depth in range(2999, -1, -1):
        chain = ChartNode(f"d{depth}", f"链 {depth}", children=(chain,) if chain else ())
    for node in range(count - 1, -1, -1):
        kids = tuple(built.pop(child) for child in children[node])
        if node == count - 1 and chain is not None:
            kids = (chain,)
        kinds: frozenset[NodeKind] = frozenset({"role", "vacant"} if node % 7 == 0 else {"role"})
        built[node] = ChartNode(f"n{node}", f"Role {node} 角色", f"Person {node}", kinds, kids)
    return Chart("big", (built[0],))


def test_thousands_of_nodes_render_fast() -> None:
    chart = _wide_and_deep(3000)
    started = time.perf_counter()
    layout = layout_chart(chart)
    outputs = {name: render(chart) for name, render in RENDERERS.items()}
    elapsed = time.perf_counter() - started
    assert len(layout.boxes) == 6000
    assert elapsed < 10, f"6000 nodes took {elapsed:.1f}s"
    ET.fromstring(outputs["svg"].encode("utf-8"))
    assert outputs["mermaid"].count("-->") == 5999
    assert outputs["dot"].count(" -> ") == 5999


def test_output_is_identical_across_processes(tmp_path: Path) -> None:
    """Byte-identical output whatever the hash seed (frozenset order varies with it)."""
    script = (
        "import sys\n"
        "from charts.samples import sample_chart, hostile_chart\n"
        "from crmorg.charts import RENDERERS\n"
        "out = []\n"
        "for chart in (sample_chart(), hostile_chart()):\n"
        "    for name in sorted(RENDERERS):\n"
        "        out.append(RENDERERS[name](chart))\n"
        "sys.stdout.buffer.write('\\x00'.join(out).encode('utf-8'))\n"
    )
    tests_dir = Path(__file__).resolve().parents[1]
    path_entries = [str(tests_dir), *sys.path]
    results = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(path_entries)}
        proc = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, env=env, check=True, timeout=60
        )
        results.append(proc.stdout)
    assert results[0] == results[1] == results[2]
    here = "\x00".join(
        RENDERERS[name](chart)
        for chart in (sample_chart(), hostile_chart())
        for name in sorted(RENDERERS)
    )
    assert results[0] == here.encode("utf-8")
