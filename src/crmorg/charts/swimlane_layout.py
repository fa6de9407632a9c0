"""Grid layout of a :class:`~crmorg.charts.swimlane.Swimlane`.

Lanes are rows, top to bottom in the chart's order; the flow runs left to right in
columns. A box's column is the length of the longest path of forward edges (back
edges, which close loops, are left out) that leads to it, so every forward arrow
points right and boxes that can run in parallel share a column. Boxes of one lane
and one column are stacked in box order. Columns are as wide as their widest box,
lanes as tall as their tallest stack. Sizes come from the text, as for org charts
(:class:`~crmorg.charts.layout.Metrics`); the result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Metrics
from .swimlane import LaneBox, Swimlane
from .text import display_width, text_lines

__all__ = [
    "COLUMN_GAP",
    "DECISION_POINT",
    "LANE_PADDING",
    "LaneRow",
    "PlacedBox",
    "SwimlaneLayout",
    "box_lines",
    "columns",
    "layout_swimlane",
]

COLUMN_GAP = 56.0
"""Horizontal space between two columns, where the arrows turn."""
LANE_PADDING = 16.0
"""Space between a lane's border and the boxes in it, and between stacked boxes."""
DECISION_POINT = 14.0
"""How far a decision's pointed ends reach beyond its text block, on each side."""
HEADER_MIN_WIDTH = 96.0


@dataclass(frozen=True)
class PlacedBox:
    """A box and its place: ``x``/``y`` is its top-left corner."""

    box: LaneBox
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    label_lines: int

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class LaneRow:
    """A lane's band: from ``y`` down ``height``, the header ``header_width`` wide."""

    id: str
    label_lines: tuple[str, ...]
    y: float
    height: float


@dataclass(frozen=True)
class SwimlaneLayout:
    """Every lane and box placed; ``width`` x ``height`` is the drawing's size."""

    lanes: tuple[LaneRow, ...]
    boxes: tuple[PlacedBox, ...]
    header_width: float
    column_x: tuple[float, ...]
    column_width: tuple[float, ...]
    width: float
    height: float

    def box(self, box_id: str) -> PlacedBox:
        """The placed box with this id (``KeyError`` if there is none)."""
        for placed in self.boxes:
            if placed.box.id == box_id:
                return placed
        raise KeyError(box_id)


def box_lines(box: LaneBox) -> tuple[tuple[str, ...], int]:
    """The cleaned lines a box shows, and how many of them are its label."""
    label = text_lines(box.label) or [""]
    notes = [line for note in box.notes for line in text_lines(note)]
    return (*label, *notes), len(label)


def columns(chart: Swimlane) -> dict[str, int]:
    """Each box's column: the longest chain of forward edges leading to it."""
    order = [box.id for box in chart.boxes]
    incoming = dict.fromkeys(order, 0)
    outgoing: dict[str, list[str]] = {box_id: [] for box_id in order}
    for edge in chart.edges:
        if not edge.back and edge.source != edge.target:
            outgoing[edge.source].append(edge.target)
            incoming[edge.target] += 1
    column = dict.fromkeys(order, 0)
    ready = [box_id for box_id in order if incoming[box_id] == 0]
    while ready:
        current = ready.pop(0)
        for target in outgoing[current]:
            column[target] = max(column[target], column[current] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    # Back edges come from a depth-first walk, so the rest is acyclic and every box
    # is reached; a chart built by hand with a forward cycle keeps what it got.
    return column


def _size(box: LaneBox, metrics: Metrics) -> tuple[float, float, tuple[str, ...], int]:
    lines, label_count = box_lines(box)
    text_width = max(display_width(line) for line in lines) * metrics.char_width
    width = max(metrics.min_width, text_width + 2 * metrics.padding_x)
    if box.kind == "decision":
        width += 2 * DECISION_POINT
    height = len(lines) * metrics.line_height + 2 * metrics.padding_y
    return width, height, lines, label_count


def layout_swimlane(chart: Swimlane, metrics: Metrics | None = None) -> SwimlaneLayout:
    """Place every lane and box of ``chart``; the drawing starts at (0, 0)."""
    metrics = metrics or Metrics()
    column = columns(chart)
    sizes = {box.id: _size(box, metrics) for box in chart.boxes}
    count = max(column.values(), default=-1) + 1
    widths = [0.0] * count
    for box in chart.boxes:
        widths[column[box.id]] = max(widths[column[box.id]], sizes[box.id][0])
    header_lines = {lane.id: tuple(text_lines(lane.label) or [""]) for lane in chart.lanes}
    header_width = max(
        [HEADER_MIN_WIDTH]
        + [
            display_width(line) * metrics.char_width + 2 * metrics.padding_x
            for lines in header_lines.values()
            for line in lines
        ]
    )
    xs: list[float] = []
    cursor = header_width + LANE_PADDING
    for width in widths:
        xs.append(cursor)
        cursor += width + COLUMN_GAP
    total_width = max(cursor - COLUMN_GAP + LANE_PADDING, header_width + 2 * LANE_PADDING)

    cells: dict[tuple[str, int], list[LaneBox]] = {}
    for box in chart.boxes:
        cells.setdefault((box.lane, column[box.id]), []).append(box)
    rows: list[LaneRow] = []
    placed: dict[str, PlacedBox] = {}
    top = 0.0
    for lane in chart.lanes:
        header_height = len(header_lines[lane.id]) * metrics.line_height + 2 * metrics.padding_y
        stacks = {col: cells.get((lane.id, col), []) for col in range(count)}
        heights = {
            col: sum(sizes[box.id][1] + LANE_PADDING for box in stack)
            for col, stack in stacks.items()
        }
        tallest = max([header_height, *(h + LANE_PADDING for h in heights.values())])
        for col, stack in stacks.items():
            # Each stack is centred in its lane, so that arrows run straight across.
            y = top + (tallest - heights[col] + LANE_PADDING) / 2
            for box in stack:
                width, height, lines, label_count = sizes[box.id]
                x = xs[col] + (widths[col] - width) / 2
                placed[box.id] = PlacedBox(box, col, x, y, width, height, lines, label_count)
                y += height + LANE_PADDING
        rows.append(LaneRow(lane.id, header_lines[lane.id], top, tallest))
        top += tallest
    return SwimlaneLayout(
        tuple(rows),
        tuple(placed[box.id] for box in chart.boxes),
        header_width,
        tuple(xs),
        tuple(widths),
        total_width,
        top,
    )
