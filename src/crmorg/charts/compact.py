"""Compact layout of a chart: stacked leaves and wrapped rows, for charts at size.

The tidy tree (:mod:`crmorg.charts.layout`) puts every node of a level on one row,
so a manager with forty reports makes a row forty boxes wide, and a chart of
2,000 people is hundreds of thousands of pixels wide. This layout packs subtrees
as rectangles instead:

- a node's leaf children are drawn as a vertical *stack* (in a few columns when
  there are many), hanging from a spine on their left;
- a node's other children (subtrees) sit side by side in *rows* below it; a row
  that would grow wider than ``wrap`` continues on a new row below, reached by a
  trunk that runs down the left edge of the block;
- the trees of a forest are packed into rows the same way.

Every subtree occupies a rectangle that no other subtree's rectangle overlaps, so
no two boxes and no two connectors of different subtrees cross. Positions are
kept relative to the parent's block and summed up in one pre-order pass at the
end, so the layout runs in time linear in the number of nodes, however deep.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CompactResult", "Point", "compact_layout"]

Point = tuple[float, float]


@dataclass(frozen=True)
class CompactResult:
    """Top-left corners of the boxes, one connector polyline per non-root node."""

    x: list[float]
    y: list[float]
    links: dict[int, tuple[Point, ...]]
    width: float
    height: float


@dataclass(frozen=True)
class CompactMetrics:
    sibling_gap: float
    level_gap: float
    tree_gap: float
    stack_gap: float
    stack_indent: float
    stack_rows: int
    trunk_gutter: float


@dataclass
class _Item:
    """A child subtree (``members`` = its root) or a column of stacked leaves."""

    members: list[int]
    stacked: bool
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0
    row: int = 0


class _Packer:
    def __init__(
        self,
        parents: list[int],
        sizes: list[tuple[float, float]],
        metrics: CompactMetrics,
        wrap: float,
    ) -> None:
        count = len(parents)
        self.parents = parents
        self.sizes = sizes
        self.metrics = metrics
        self.wrap = wrap
        self.children: list[list[int]] = [[] for _ in range(count)]
        for v, p in enumerate(parents):
            if p >= 0:
                self.children[p].append(v)
        self.block_w = [0.0] * count
        self.block_h = [0.0] * count
        self.box_dx = [0.0] * count  # the node's box inside its own block
        self.off_x = [0.0] * count  # a node's block inside its parent's block
        self.off_y = [0.0] * count
        # How a node's connector runs, relative to its parent's block:
        # (bus y, trunk x or None, spine x or None).
        self.route: list[tuple[float, float | None, float | None]] = [(0.0, None, None)] * count

    def _items(self, kids: list[int]) -> list[_Item]:
        m = self.metrics
        inner = [c for c in kids if self.children[c]]
        leaves = [c for c in kids if not self.children[c]]
        if len(leaves) < 2:
            return [_Item([c], False, self.block_w[c], self.block_h[c]) for c in kids]
        items = [_Item([c], False, self.block_w[c], self.block_h[c]) for c in inner]
        columns = -(-len(leaves) // m.stack_rows)
        per_column = -(-len(leaves) // columns)
        for start in range(0, len(leaves), per_column):
            column = leaves[start : start + per_column]
            cursor = 0.0
            for c in column:
                self.off_y[c] = cursor  # relative to the column for now
                cursor += self.sizes[c][1] + m.stack_gap
            width = m.stack_indent + max(self.sizes[c][0] for c in column)
            items.append(_Item(column, True, width, cursor - m.stack_gap))
        return items

    def _rows(self, items: list[_Item], gap: float) -> list[list[_Item]]:
        rows: list[list[_Item]] = []
        width = 0.0
        for item in items:
            if rows and rows[-1] and width + gap + item.width <= self.wrap:
                rows[-1].append(item)
                width += gap + item.width
            else:
                rows.append([item])
                width = item.width
        return rows

    def block(self, v: int, box_w: float, box_h: float, gap: float, first_gap: float) -> None:
        """Lay out ``v``'s children below a box of ``box_w`` x ``box_h`` (0 x 0: none)."""
        m = self.metrics
        rows = self._rows(self._items(self.children[v]), gap)
        gutter = m.trunk_gutter if len(rows) > 1 else 0.0
        top = box_h + first_gap
        widest = 0.0
        row_spans: list[tuple[float, float]] = []
        for index, row in enumerate(rows):
            x = gutter
            for item in row:
                item.x, item.y, item.row = x, top, index
                x += item.width + gap
            span = x - gap
            row_spans.append((gutter, span))
            widest = max(widest, span)
            top += max(item.height for item in row) + m.level_gap
        height = top - m.level_gap if rows else box_h
        # The box is centred over its first row; nothing may start left of 0.
        first_left, first_right = row_spans[0] if row_spans else (0.0, 0.0)
        box_x = (first_left + first_right) / 2 - box_w / 2
        shift = max(0.0, -box_x)
        box_x += shift
        self.box_dx[v] = box_x
        self.block_w[v] = max(box_x + box_w, widest + shift)
        self.block_h[v] = max(height, box_h)
        trunk = shift + gutter / 2 if gutter else None
        for row in rows:
            bus = row[0].y - m.level_gap / 2
            row_trunk = trunk if row[0].row > 0 else None
            for item in row:
                if not item.stacked:
                    c = item.members[0]
                    self.off_x[c] = item.x + shift
                    self.off_y[c] = item.y
                    self.route[c] = (bus, row_trunk, None)
                    continue
                spine = item.x + shift + m.stack_indent / 2
                for c in item.members:
                    self.off_x[c] = item.x + shift + m.stack_indent
                    self.off_y[c] = item.y + self.off_y[c]
                    self.route[c] = (bus, row_trunk, spine)


def compact_layout(
    parents: list[int],
    sizes: list[tuple[float, float]],
    metrics: CompactMetrics,
    wrap: float,
) -> CompactResult:
    """Place the forest given by ``parents`` (pre-order) and box ``sizes``, rows wrapped at
    ``wrap`` user units (a row always holds at least one item)."""
    count = len(parents)
    packer = _Packer(parents, sizes, metrics, wrap)
    for v in range(count - 1, -1, -1):
        w, h = sizes[v]
        if not packer.children[v]:
            packer.block_w[v], packer.block_h[v] = w, h
            continue
        packer.block(v, w, h, metrics.sibling_gap, metrics.level_gap)
    # The forest: roots packed in rows under an invisible node of size 0.
    roots = [v for v in range(count) if parents[v] < 0]
    forest = _Packer([-1] + [0] * len(roots), [(0.0, 0.0)] * (len(roots) + 1), metrics, wrap)
    forest.children[0] = list(range(1, len(roots) + 1))
    for slot, root in enumerate(roots, start=1):
        forest.block_w[slot] = packer.block_w[root]
        forest.block_h[slot] = packer.block_h[root]
        forest.children[slot] = [0]  # never a leaf to stack: a tree is packed as a block
    forest.block(0, 0.0, 0.0, metrics.tree_gap, 0.0)

    origin_x = [0.0] * count
    origin_y = [0.0] * count
    for slot, root in enumerate(roots, start=1):
        origin_x[root] = forest.off_x[slot]
        origin_y[root] = forest.off_y[slot]
    xs = [0.0] * count
    ys = [0.0] * count
    links: dict[int, tuple[Point, ...]] = {}
    for v in range(count):
        p = parents[v]
        if p >= 0:
            origin_x[v] = origin_x[p] + packer.off_x[v]
            origin_y[v] = origin_y[p] + packer.off_y[v]
        xs[v] = origin_x[v] + packer.box_dx[v]
        ys[v] = origin_y[v]
        if p < 0:
            continue
        bus, trunk, spine = packer.route[v]
        start = (xs[p] + sizes[p][0] / 2, ys[p] + sizes[p][1])
        bus_y = origin_y[p] + bus
        points: list[Point] = [start]
        if trunk is None:
            points.append((start[0], bus_y))
        else:
            first_bus = origin_y[p] + sizes[p][1] + metrics.level_gap / 2
            trunk_x = origin_x[p] + trunk
            points += [(start[0], first_bus), (trunk_x, first_bus), (trunk_x, bus_y)]
        if spine is None:
            centre = xs[v] + sizes[v][0] / 2
            points += [(centre, bus_y), (centre, ys[v])]
        else:
            spine_x = origin_x[p] + spine
            middle = ys[v] + sizes[v][1] / 2
            points += [(spine_x, bus_y), (spine_x, middle), (xs[v], middle)]
        links[v] = tuple(points)
    width = forest.block_w[0] if roots else 0.0
    height = forest.block_h[0] if roots else 0.0
    return CompactResult(xs, ys, links, width, height)
