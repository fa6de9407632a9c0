"""Swimlane output loaded into the real engines: Mermaid (in Chromium) and Graphviz."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.charts.swimlane import Swimlane
from crmorg.charts.swimlane_layout import box_lines
from crmorg.charts.swimlane_process import LANE_MODES, process_swimlane
from crmorg.charts.swimlane_text import render_swimlane_dot, render_swimlane_mermaid

from .conftest import GOLDEN_DIR, require_renderers
from .renderers import MermaidResult, dot_to_svg, mermaid_check
from .swimlane_samples import hostile_swimlane, sample_swimlane

pytestmark = pytest.mark.render

SVG = "{http://www.w3.org/2000/svg}"
WORD_JOINER = "\u2060"


def squash(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace(WORD_JOINER, "").split())


def expected(chart: Swimlane) -> dict[str, str]:
    """Generated node name (s0, s1, ...) -> the text the box must show."""
    return {f"s{i}": squash(" ".join(box_lines(box)[0])) for i, box in enumerate(chart.boxes)}


REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"


def reference_charts() -> list[Swimlane]:
    """Every reference seed process, lanes per role and per department, en and zh."""
    model = load(REFERENCE)
    assert len(model.processes) >= 4
    return [
        process_swimlane(model, process_id, lanes, lang)
        for process_id in model.processes
        for lanes in LANE_MODES
        for lang in ("en", "zh")
    ]


@pytest.fixture(scope="module")
def mermaid_results() -> tuple[list[Swimlane], list[MermaidResult]]:
    """Every Mermaid text of this module, checked in one Chromium launch."""
    require_renderers("chromium", "mermaid")
    charts = [sample_swimlane(), hostile_swimlane(), *reference_charts()]
    texts = [render_swimlane_mermaid(chart) for chart in charts]
    texts.append((GOLDEN_DIR / "swimlane.mmd").read_text(encoding="utf-8"))
    return [*charts, sample_swimlane()], mermaid_check(texts)


def test_mermaid_parses_and_renders_every_label_as_text(
    mermaid_results: tuple[list[Swimlane], list[MermaidResult]],
) -> None:
    charts, results = mermaid_results
    for chart, result in zip(charts, results, strict=True):
        assert result.error is None, (chart.title, result.error)
        shown = {name: squash(text) for name, text in result.labels.items()}
        assert shown == expected(chart)
        # Only Mermaid's own line breaks and wrappers, never user markup.
        assert set(result.elements) <= {"br", "span", "div", "p"}, result.elements
    assert squash(results[1].title or "") == squash('＜title＞Hostile "swimlane" ＆ co＜/title＞')
    assert sorted(squash(t) for t in results[0].edge_labels) == ["reclassify 重新分类"]


@pytest.mark.parametrize("make", [sample_swimlane, hostile_swimlane])
def test_dot_renders_lanes_as_clusters_and_labels_as_written(
    graphviz: None, make: Callable[[], Swimlane]
) -> None:
    chart = make()
    svg = dot_to_svg(render_swimlane_dot(chart))
    root = ET.fromstring(svg.encode("utf-8"))
    nodes, clusters = {}, {}
    for group in root.iter(f"{SVG}g"):
        gid, css = group.get("id", ""), group.get("class")
        texts = "\n".join(t.text or "" for t in group.iter(f"{SVG}text"))
        if css == "node" and gid.startswith("s-"):
            nodes[gid[2:]] = texts
        elif css == "cluster" and gid.startswith("l-"):
            clusters[gid[2:]] = group.findtext(f"{SVG}text") or ""
    assert {k: squash(v) for k, v in nodes.items()} == {
        box.id: squash(" ".join(box_lines(box)[0])) for box in chart.boxes
    }
    assert {k: squash(v) for k, v in clusters.items()} == {
        lane.id: squash(lane.label) for lane in chart.lanes
    }
    assert not list(root.iter(f"{SVG}script"))


def test_every_reference_process_renders_in_graphviz(graphviz: None) -> None:
    for chart in reference_charts():
        svg = dot_to_svg(render_swimlane_dot(chart))
        assert svg.count('class="cluster"') == len(chart.lanes)
        assert svg.count('class="node"') == len(chart.boxes)
