"""Swimlane charts: the flow, the layout's properties, escaping, determinism, golden files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.charts import SWIMLANE_RENDERERS
from crmorg.charts.dot import escape_string
from crmorg.charts.mermaid import escape_label
from crmorg.charts.swimlane import Lane, LaneBox, Swimlane, flow
from crmorg.charts.swimlane_layout import box_lines, columns, layout_swimlane
from crmorg.charts.swimlane_svg import render_swimlane_html, render_swimlane_svg
from crmorg.charts.swimlane_text import render_swimlane_dot, render_swimlane_mermaid

from .conftest import GoldenCheck
from .samples import HOSTILE_LABELS
from .swimlane_samples import hostile_swimlane, sample_swimlane

SVG = "{http://www.w3.org/2000/svg}"
EXTENSIONS = {"mermaid": "mmd", "dot": "dot", "svg": "svg"}


@st.composite
def flows(draw: st.DrawFn) -> tuple[Swimlane, dict[str, list[str]]]:
    """A random flow: 1-12 boxes in 1-4 lanes, each with 0-3 successors (loops included)."""
    lane_count = draw(st.integers(1, 4))
    count = draw(st.integers(1, 12))
    ids = [f"s{i}" for i in range(count)]
    lanes = [Lane(f"lane{i}", f"Lane {i}") for i in range(lane_count)]
    boxes = [
        LaneBox(
            box_id,
            draw(st.sampled_from(["Step", "A longer step name", "步骤 二", "x\ny"])),
            f"lane{draw(st.integers(0, lane_count - 1))}",
            tuple(draw(st.lists(st.sampled_from(["A: Boss", "I: 销售"]), max_size=2))),
        )
        for box_id in ids
    ]
    successors = {box_id: draw(st.lists(st.sampled_from(ids), max_size=3)) for box_id in ids}
    return flow("Random", lanes, boxes, successors), successors


def _reaches(chart: Swimlane, start: str, goal: str) -> bool:
    forward: dict[str, list[str]] = {}
    for edge in chart.edges:
        if not edge.back:
            forward.setdefault(edge.source, []).append(edge.target)
    seen, pending = {start}, [start]
    while pending:
        current = pending.pop()
        if current == goal:
            return True
        for target in forward.get(current, ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return False


@settings(max_examples=50, deadline=None)
@given(flows())
def test_layout_draws_every_step_once_in_its_lane_with_edges_as_written(
    case: tuple[Swimlane, dict[str, list[str]]],
) -> None:
    chart, successors = case
    layout = layout_swimlane(chart)
    assert [placed.box.id for placed in layout.boxes] == [box.id for box in chart.boxes]
    rows = {row.id: row for row in layout.lanes}
    assert [row.id for row in layout.lanes] == [lane.id for lane in chart.lanes]
    for placed in layout.boxes:
        row = rows[placed.box.lane]
        assert row.y <= placed.y and placed.bottom <= row.y + row.height
        assert placed.x >= layout.header_width and placed.right <= layout.width
    # No two boxes overlap.
    for i, a in enumerate(layout.boxes):
        for b in layout.boxes[i + 1 :]:
            apart = a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y
            assert apart, (a.box.id, b.box.id)
    # The edges are the successors, each once, in order.
    expected = [(s, t) for s, targets in successors.items() for t in dict.fromkeys(targets)]
    assert [(e.source, e.target) for e in chart.edges] == expected
    # Several next steps make a decision, none an end.
    for box in chart.boxes:
        out = len(dict.fromkeys(successors[box.id]))
        assert box.kind == ("end" if out == 0 else "decision" if out > 1 else "step")
    by_id = {placed.box.id: placed for placed in layout.boxes}
    for edge in chart.edges:
        source, target = by_id[edge.source], by_id[edge.target]
        if edge.back:
            # A back edge closes a loop: its target leads to its source.
            assert _reaches(chart, edge.target, edge.source)
            assert target.column <= source.column
        else:
            assert target.column > source.column and target.x >= source.right


def test_columns_follow_the_longest_path_and_loops_are_back_edges() -> None:
    chart = sample_swimlane()
    assert columns(chart) == {"receive": 0, "classify": 1, "escalate": 2, "resolve": 3, "reply": 4}
    kinds = {box.id: box.kind for box in chart.boxes}
    assert kinds == {
        "receive": "step",
        "classify": "decision",
        "resolve": "step",
        "escalate": "decision",
        "reply": "end",
    }
    back = [(e.source, e.target) for e in chart.edges if e.back]
    assert back == [("escalate", "classify")]


def test_back_edges_may_be_given_and_a_step_may_loop_on_itself() -> None:
    lanes = [Lane("a", "A")]
    boxes = [LaneBox("one", "One", "a"), LaneBox("two", "Two", "a")]
    chart = flow("t", lanes, boxes, {"one": ["two"], "two": ["two", "one"]}, back=[("two", "two")])
    assert [(e.source, e.target, e.back) for e in chart.edges] == [
        ("one", "two", False),
        ("two", "two", True),
        ("two", "one", False),
    ]
    chart = flow("t", lanes, boxes, {"one": ["one", "two"], "two": []})
    assert [(e.source, e.target, e.back) for e in chart.edges] == [
        ("one", "one", True),
        ("one", "two", False),
    ]
    svg = render_swimlane_svg(chart)
    assert svg.count('class="flow back"') == 2  # the loop and its legend sample


def test_unknown_successors_are_left_out_and_bad_references_refused() -> None:
    chart = flow("t", [Lane("a", "A")], [LaneBox("x", "X", "a")], {"x": ["nowhere"]})
    assert chart.edges == () and chart.boxes[0].kind == "end"
    with pytest.raises(ValueError, match="unknown lane"):
        Swimlane("t", (Lane("a", "A"),), (LaneBox("x", "X", "b"),))
    with pytest.raises(ValueError, match="two boxes"):
        Swimlane("t", (Lane("a", "A"),), (LaneBox("x", "X", "a"), LaneBox("x", "Y", "a")))


# --- escaping ----------------------------------------------------------------------


def test_svg_is_well_formed_and_shows_every_hostile_text_as_text() -> None:
    chart = hostile_swimlane()
    svg = render_swimlane_svg(chart)
    root = ET.fromstring(svg.encode("utf-8"))
    assert not [el for el in root.iter() if el.tag in (f"{SVG}script", f"{SVG}foreignObject")]
    drawn = {
        group.get("id", "")[2:]: [span.text or "" for span in group.iter(f"{SVG}tspan")]
        for group in root.iter(f"{SVG}g")
        if "step" in (group.get("class") or "").split()
    }
    for box in chart.boxes:
        assert drawn[box.id] == list(box_lines(box)[0])
    lane_texts = [
        [span.text or "" for span in group.iter(f"{SVG}tspan")]
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "lane"
    ]
    assert lane_texts[0] == ["<script>alert(1)</script>"]
    edge_labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "edge-label"]
    assert edge_labels == ['"|x|"', "<script>alert(1)</script>"]


def test_html_page_inlines_the_svg_without_scripts() -> None:
    page = render_swimlane_html(hostile_swimlane(), "zh")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-Hans">' in page
    assert "<?xml" not in page and "<script" not in page
    assert "&lt;title&gt;Hostile" in page


def test_mermaid_and_dot_carry_labels_only_in_escaped_form() -> None:
    chart = hostile_swimlane()
    mermaid = render_swimlane_mermaid(chart)
    dot = render_swimlane_dot(chart)
    for label in HOSTILE_LABELS:
        assert escape_label(label) in mermaid
        assert escape_string(label) in dot
    # Outside quoted labels only generated names and syntax appear.
    skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', '""', mermaid.split("---", 2)[2])
    assert re.fullmatch(r"[\sA-Za-z0-9_\[\]{}()\"|.>:,#;-]*", skeleton), skeleton
    dot_skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)
    assert "<" not in dot_skeleton and "script" not in dot_skeleton


# --- determinism and golden files --------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(SWIMLANE_RENDERERS))
def test_output_is_deterministic(fmt: str) -> None:
    render = SWIMLANE_RENDERERS[fmt]
    assert render(sample_swimlane()) == render(sample_swimlane())
    assert render(hostile_swimlane()) == render(hostile_swimlane())


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_sample_swimlane_golden(golden: GoldenCheck, fmt: str) -> None:
    golden(f"swimlane.{EXTENSIONS[fmt]}", SWIMLANE_RENDERERS[fmt](sample_swimlane()))
