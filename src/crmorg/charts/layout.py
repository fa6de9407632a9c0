"""Tidy-tree layout of a chart: a position and a size for every node's box.

The algorithm is Walker's, in the linear-time form of Buchheim, Jünger and Leipert
("Improving Walker's algorithm to run in linear time", 2002), extended to boxes of
different widths: two neighbouring boxes on one level are kept apart by half of
each one's width plus a gap. Like the original, it centres every parent above its
first and last child and places subtrees as close as their contours allow. Both
walks run over explicit index arrays in pre-order / reverse pre-order instead of
recursing, so trees of any depth lay out in time linear in their size. The trees
of a forest are laid side by side, left to right, separated by ``tree_gap``.

Box sizes come from the text: a column per character, two for wide (CJK)
characters (see :func:`~crmorg.charts.text.display_width`).

A tidy tree of a large organisation is one very wide strip. :func:`layout_chart`
therefore checks the tidy drawing against :class:`Limits` (width, aspect ratio)
and, when it breaks them, lays the chart out compactly instead
(:mod:`crmorg.charts.compact`: leaves stacked, rows wrapped), trying a few row
widths and keeping the one closest to a landscape page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .compact import CompactMetrics, Point, compact_layout
from .text import VACANT_MARKER, display_width, text_lines
from .tree import Chart, ChartNode, walk

__all__ = ["Box", "Layout", "LayoutMode", "Limits", "Metrics", "layout_chart", "node_lines"]

LayoutMode = Literal["auto", "tidy", "compact"]


@dataclass(frozen=True)
class Metrics:
    """Sizes (in SVG user units, i.e. pixels) that the layout works with."""

    char_width: float = 7.2
    line_height: float = 16.0
    padding_x: float = 10.0
    padding_y: float = 7.0
    min_width: float = 64.0
    sibling_gap: float = 16.0
    cousin_gap: float = 28.0
    level_gap: float = 44.0
    tree_gap: float = 48.0
    stack_gap: float = 10.0
    stack_indent: float = 22.0
    stack_rows: int = 12
    """Leaves stacked in one column before a second column starts."""
    trunk_gutter: float = 20.0


@dataclass(frozen=True)
class Limits:
    """The largest drawing :func:`layout_chart` accepts before it goes compact.

    ``frame`` is what the renderer adds around the layout (margins, title, legend),
    counted in when checking the limits.
    """

    max_width: float = 16000.0
    max_aspect: float = 4.0
    frame: tuple[float, float] = (0.0, 0.0)
    target_aspect: float = 1.6
    """Width to height that the compact layout aims at."""

    def fits(self, width: float, height: float) -> bool:
        """Whether a layout of this size, framed, is within the limits."""
        total_w = width + self.frame[0]
        total_h = height + self.frame[1]
        if total_w > self.max_width:
            return False
        return max(total_w, 1.0) <= self.max_aspect * max(total_h, 1.0)


@dataclass(frozen=True)
class Box:
    """Where one node goes: ``x``/``y`` is the top-left corner of its box."""

    node: ChartNode
    parent: int | None
    depth: int
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]

    @property
    def center_x(self) -> float:
        """Horizontal centre of the box."""
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        """Lower edge of the box."""
        return self.y + self.height


@dataclass(frozen=True)
class Layout:
    """Every node's box, in pre-order of the chart, and the size of the drawing.

    ``level_tops[d]`` and ``level_bottoms[d]`` bound the boxes of depth ``d``;
    connectors turn half-way between one level's bottom and the next one's top.
    """

    boxes: tuple[Box, ...]
    width: float
    height: float
    level_tops: tuple[float, ...]
    level_bottoms: tuple[float, ...]
    links: tuple[tuple[int, tuple[Point, ...]], ...] = ()
    """(child box index, connector polyline from its parent) for every non-root box."""
    compact: bool = False


def node_lines(node: ChartNode, vacant_marker: str = VACANT_MARKER) -> tuple[str, ...]:
    """The text lines drawn in a node's box: label, sublabel, vacancy marker."""
    lines = text_lines(node.label) + text_lines(node.sublabel)
    if "vacant" in node.kinds:
        lines.append(vacant_marker)
    return tuple(lines)


def _box_size(lines: tuple[str, ...], metrics: Metrics) -> tuple[float, float]:
    columns = max((display_width(line) for line in lines), default=0)
    width = max(metrics.min_width, columns * metrics.char_width + 2 * metrics.padding_x)
    height = max(1, len(lines)) * metrics.line_height + 2 * metrics.padding_y
    return width, height


class _Tidy:
    """Buchheim-Walker over one forest flattened into arrays (index = pre-order)."""

    def __init__(self, parents: list[int], widths: list[float], metrics: Metrics) -> None:
        count = len(parents)
        self.parent = parents
        self.width = widths
        self.metrics = metrics
        self.children: list[list[int]] = [[] for _ in range(count)]
        self.number = [0] * count  # 1-based position among siblings
        for v, p in enumerate(parents):
            if p >= 0:
                self.children[p].append(v)
                self.number[v] = len(self.children[p])
        self.prelim = [0.0] * count
        self.mod = [0.0] * count
        self.shift = [0.0] * count
        self.change = [0.0] * count
        self.middle = [0.0] * count  # centre of a node's children, relative
        self.thread = [-1] * count
        self.ancestor = list(range(count))

    def _distance(self, left: int, right: int) -> float:
        same_parent = self.parent[left] == self.parent[right]
        gap = self.metrics.sibling_gap if same_parent else self.metrics.cousin_gap
        return (self.width[left] + self.width[right]) / 2 + gap

    def _next_left(self, v: int) -> int:
        kids = self.children[v]
        return kids[0] if kids else self.thread[v]

    def _next_right(self, v: int) -> int:
        kids = self.children[v]
        return kids[-1] if kids else self.thread[v]

    def _left_sibling(self, v: int) -> int:
        p = self.parent[v]
        return self.children[p][self.number[v] - 2] if p >= 0 and self.number[v] > 1 else -1

    def _place(self, v: int) -> None:
        """Position ``v`` next to its left sibling (the end of Walker's first walk)."""
        left = self._left_sibling(v)
        if left < 0:
            self.prelim[v] = self.middle[v]
            return
        self.prelim[v] = self.prelim[left] + self._distance(left, v)
        if self.children[v]:
            self.mod[v] = self.prelim[v] - self.middle[v]

    def _move_subtree(self, wl: int, wr: int, shift: float) -> None:
        subtrees = self.number[wr] - self.number[wl]
        self.change[wr] -= shift / subtrees
        self.shift[wr] += shift
        self.change[wl] += shift / subtrees
        self.prelim[wr] += shift
        self.mod[wr] += shift

    def _apportion(self, v: int, default_ancestor: int) -> int:
        left = self._left_sibling(v)
        if left < 0:
            return default_ancestor
        vir = vor = v
        vil = left
        vol = self.children[self.parent[v]][0]
        sir = sor = self.mod[v]
        sil = self.mod[vil]
        sol = self.mod[vol]
        while True:
            next_vil = self._next_right(vil)
            next_vir = self._next_left(vir)
            if next_vil < 0 or next_vir < 0:
                break
            vil, vir = next_vil, next_vir
            vol = self._next_left(vol)
            vor = self._next_right(vor)
            self.ancestor[vor] = v
            shift = (self.prelim[vil] + sil) - (self.prelim[vir] + sir) + self._distance(vil, vir)
            if shift > 0:
                candidate = self.ancestor[vil]
                if self.parent[candidate] != self.parent[v]:
                    candidate = default_ancestor
                self._move_subtree(candidate, v, shift)
                sir += shift
                sor += shift
            sil += self.mod[vil]
            sir += self.mod[vir]
            sol += self.mod[vol]
            sor += self.mod[vor]
        if self._next_right(vil) >= 0 and self._next_right(vor) < 0:
            self.thread[vor] = self._next_right(vil)
            self.mod[vor] += sil - sor
        else:
            if self._next_left(vir) >= 0 and self._next_left(vol) < 0:
                self.thread[vol] = self._next_left(vir)
                self.mod[vol] += sir - sol
            default_ancestor = v
        return default_ancestor

    def _execute_shifts(self, v: int) -> None:
        shift = change = 0.0
        for w in reversed(self.children[v]):
            self.prelim[w] += shift
            self.mod[w] += shift
            change += self.change[w]
            shift += self.shift[w] + change

    def centres(self) -> list[float]:
        """The horizontal centre of every node, each tree starting near 0."""
        count = len(self.parent)
        # Reverse pre-order visits every node after all of its descendants.
        for v in range(count - 1, -1, -1):
            kids = self.children[v]
            if not kids:
                continue
            default_ancestor = kids[0]
            for w in kids:
                self._place(w)
                default_ancestor = self._apportion(w, default_ancestor)
            self._execute_shifts(v)
            self.middle[v] = (self.prelim[kids[0]] + self.prelim[kids[-1]]) / 2
        x = [0.0] * count
        offset = [0.0] * count  # sum of the ancestors' mods
        for v in range(count):
            p = self.parent[v]
            if p < 0:
                self.prelim[v] = self.middle[v]
            else:
                offset[v] = offset[p] + self.mod[p]
            x[v] = self.prelim[v] + offset[v]
        return x


def _flatten(chart: Chart) -> tuple[list[ChartNode], list[int], list[int]]:
    nodes: list[ChartNode] = []
    parents: list[int] = []
    depths: list[int] = []
    index: dict[str, int] = {}
    for step in walk(chart.roots):
        index[step.node.id] = len(nodes)
        nodes.append(step.node)
        parents.append(index[step.parent.id] if step.parent is not None else -1)
        depths.append(step.depth)
    return nodes, parents, depths


def layout_chart(
    chart: Chart,
    metrics: Metrics | None = None,
    *,
    mode: LayoutMode = "auto",
    limits: Limits | None = None,
) -> Layout:
    """Lay the chart's forest out; coordinates start at (0, 0).

    ``mode="tidy"`` always draws the tidy tree, ``"compact"`` always packs it, and
    ``"auto"`` (the default) draws it tidy when that fits ``limits``, else compact.
    """
    metrics = metrics or Metrics()
    limits = limits or Limits()
    nodes, parents, depths = _flatten(chart)
    lines = [node_lines(node, chart.vacant_marker) for node in nodes]
    sizes = [_box_size(node_text, metrics) for node_text in lines]
    if mode != "compact":
        tidy = _tidy_layout(nodes, parents, depths, lines, sizes, metrics)
        if mode == "tidy" or limits.fits(tidy.width, tidy.height):
            return tidy
    return _compact(nodes, parents, depths, lines, sizes, metrics, limits)


def _compact(
    nodes: list[ChartNode],
    parents: list[int],
    depths: list[int],
    lines: list[tuple[str, ...]],
    sizes: list[tuple[float, float]],
    metrics: Metrics,
    limits: Limits,
) -> Layout:
    """The compact layout whose framed aspect ratio is closest to the target."""
    packing = CompactMetrics(
        metrics.sibling_gap,
        metrics.level_gap,
        metrics.tree_gap,
        metrics.stack_gap,
        metrics.stack_indent,
        metrics.stack_rows,
        metrics.trunk_gutter,
    )
    widest = max((w for w, _ in sizes), default=0.0) + metrics.stack_indent
    # Row widths from one box to the width limit, in geometric steps.
    low = max(widest, 1.0)
    high = max(low, limits.max_width - limits.frame[0])
    steps = 14
    best = None
    best_score = math.inf
    for step in range(steps + 1):
        wrap = low * (high / low) ** (step / steps)
        result = compact_layout(parents, sizes, packing, wrap)
        total_w = result.width + limits.frame[0]
        total_h = result.height + limits.frame[1]
        score = abs(math.log(max(total_w, 1.0) / max(total_h, 1.0) / limits.target_aspect))
        if total_w > limits.max_width:
            score += 100.0
        if score < best_score - 1e-9:
            best, best_score = result, score
    assert best is not None
    boxes = tuple(
        Box(
            node=nodes[v],
            parent=parents[v] if parents[v] >= 0 else None,
            depth=depths[v],
            x=best.x[v],
            y=best.y[v],
            width=sizes[v][0],
            height=sizes[v][1],
            lines=lines[v],
        )
        for v in range(len(nodes))
    )
    levels = max(depths, default=-1) + 1
    tops = [math.inf] * levels
    bottoms = [0.0] * levels
    for box in boxes:
        tops[box.depth] = min(tops[box.depth], box.y)
        bottoms[box.depth] = max(bottoms[box.depth], box.bottom)
    links = tuple(sorted(best.links.items()))
    return Layout(boxes, best.width, best.height, tuple(tops), tuple(bottoms), links, compact=True)


def _tidy_layout(
    nodes: list[ChartNode],
    parents: list[int],
    depths: list[int],
    lines: list[tuple[str, ...]],
    sizes: list[tuple[float, float]],
    metrics: Metrics,
) -> Layout:
    widths = [w for w, _ in sizes]
    centres = _Tidy(parents, widths, metrics).centres()
    # Trees side by side: each tree is shifted right past the previous one.
    cursor = 0.0
    start = 0
    count = len(nodes)
    while start < count:
        end = start + 1
        while end < count and parents[end] >= 0:
            end += 1
        left = min(centres[v] - widths[v] / 2 for v in range(start, end))
        right = max(centres[v] + widths[v] / 2 for v in range(start, end))
        delta = cursor - left
        for v in range(start, end):
            centres[v] += delta
        cursor = right + delta + metrics.tree_gap
        start = end

    levels = max(depths, default=-1) + 1
    level_heights = [0.0] * levels
    for v in range(count):
        level_heights[depths[v]] = max(level_heights[depths[v]], sizes[v][1])
    tops: list[float] = []
    y = 0.0
    for height in level_heights:
        tops.append(y)
        y += height + metrics.level_gap
    bottoms = [top + height for top, height in zip(tops, level_heights, strict=False)]

    boxes = tuple(
        Box(
            node=nodes[v],
            parent=parents[v] if parents[v] >= 0 else None,
            depth=depths[v],
            x=centres[v] - widths[v] / 2,
            y=tops[depths[v]],
            width=widths[v],
            height=sizes[v][1],
            lines=lines[v],
        )
        for v in range(count)
    )
    links = []
    for v, box in enumerate(boxes):
        if box.parent is None:
            continue
        parent = boxes[box.parent]
        turn = bottoms[parent.depth] + metrics.level_gap / 2
        links.append(
            (
                v,
                (
                    (parent.center_x, parent.bottom),
                    (parent.center_x, turn),
                    (box.center_x, turn),
                    (box.center_x, box.y),
                ),
            )
        )
    width = cursor - metrics.tree_gap if count else 0.0
    height = bottoms[-1] if bottoms else 0.0
    return Layout(boxes, width, height, tuple(tops), tuple(bottoms), tuple(links))
