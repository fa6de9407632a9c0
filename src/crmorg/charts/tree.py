"""The renderer-neutral org-chart structure and the operations on it.

A :class:`Chart` is a forest of :class:`ChartNode` trees plus optional extra edges
(dotted reporting lines, cross links) that are not part of the tree. Views build a
chart from a model; renderers (Mermaid, DOT, SVG, ...) turn a chart into text. Every
traversal here is iterative so that very deep trees never hit Python's recursion
limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, get_args

from .text import VACANT_MARKER

__all__ = [
    "NODE_KINDS",
    "Chart",
    "ChartEdge",
    "ChartNode",
    "EdgeStyle",
    "NodeKind",
    "WalkStep",
    "find_node",
    "iter_edges",
    "prune",
    "walk",
]

NodeKind = Literal[
    "department", "role", "person", "team", "head", "lead", "external", "vacant", "root"
]
"""What a node stands for ("department", "role", ...) and how it is marked ("head", ...)."""

NODE_KINDS: frozenset[str] = frozenset(get_args(NodeKind))

EdgeStyle = Literal["solid", "dotted"]
EDGE_STYLES: frozenset[str] = frozenset(get_args(EdgeStyle))

# Model ids match ^[a-z][a-z0-9_]{0,63}$; views may prefix them ("team:sales_east")
# to keep ids unique across kinds, hence ":" and "-". Renderers never embed these
# ids verbatim where that could be unsafe: each maps them to its own node names.
_NODE_ID = re.compile(r"[a-z0-9_:-]{1,256}")
# A chart's slug prefixes the ids in its SVG, so that several charts share a page.
_SLUG = re.compile(r"(?:[a-z][a-z0-9_-]{0,127})?")


@dataclass(frozen=True)
class ChartNode:
    """One box of the chart and the subtree below it.

    ``label`` and ``sublabel`` are free user text (any language, possibly hostile);
    renderers escape them. ``kinds`` is a subset of :data:`NODE_KINDS`.
    """

    id: str
    label: str
    sublabel: str | None = None
    kinds: frozenset[NodeKind] = field(default_factory=frozenset)
    children: tuple[ChartNode, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _NODE_ID.fullmatch(self.id):
            raise ValueError(f"invalid chart node id {self.id!r}: expected [a-z0-9_:-]{{1,256}}")
        if not isinstance(self.label, str):
            raise TypeError(f"label of node {self.id!r} must be str")
        if self.sublabel is not None and not isinstance(self.sublabel, str):
            raise TypeError(f"sublabel of node {self.id!r} must be str or None")
        if not isinstance(self.kinds, frozenset):
            raise TypeError(f"kinds of node {self.id!r} must be a frozenset")
        unknown = set(self.kinds) - NODE_KINDS
        if unknown:
            raise ValueError(f"unknown node kinds {sorted(unknown)} on node {self.id!r}")
        if not isinstance(self.children, tuple):
            raise TypeError(f"children of node {self.id!r} must be a tuple")


@dataclass(frozen=True)
class ChartEdge:
    """A line between two nodes that is not a parent-child link of the tree."""

    source: str
    target: str
    label: str | None = None
    style: EdgeStyle = "dotted"

    def __post_init__(self) -> None:
        if self.style not in EDGE_STYLES:
            raise ValueError(f"unknown edge style {self.style!r}")


@dataclass(frozen=True)
class Chart:
    """A titled forest of nodes plus extra edges; node ids are unique chart-wide."""

    title: str
    roots: tuple[ChartNode, ...]
    extra_edges: tuple[ChartEdge, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()
    """(kind, label) pairs for the legend, in the chart's language; empty: English."""
    slug: str = ""
    """Prefix of the ids the chart's SVG defines (``roles``, ``department-sales``); empty:
    one derived from the title."""
    vacant_marker: str = VACANT_MARKER
    """The line a vacant role's box ends with, in the chart's language."""

    def __post_init__(self) -> None:
        if not isinstance(self.slug, str) or not _SLUG.fullmatch(self.slug):
            raise ValueError(f"invalid chart slug {self.slug!r}: expected [a-z][a-z0-9_-]*")
        seen: set[str] = set()
        for step in walk(self.roots):
            if step.node.id in seen:
                raise ValueError(f"duplicate chart node id {step.node.id!r}")
            seen.add(step.node.id)
        for edge in self.extra_edges:
            for end in (edge.source, edge.target):
                if end not in seen:
                    raise ValueError(f"extra edge refers to unknown node {end!r}")


@dataclass(frozen=True)
class WalkStep:
    """One node visited by :func:`walk`: its depth (roots are 0) and its parent."""

    node: ChartNode
    depth: int
    parent: ChartNode | None


def walk(roots: tuple[ChartNode, ...]) -> Iterator[WalkStep]:
    """Visit every node in pre-order (parent, then children left to right)."""
    stack: list[WalkStep] = [WalkStep(root, 0, None) for root in reversed(roots)]
    while stack:
        step = stack.pop()
        yield step
        for child in reversed(step.node.children):
            stack.append(WalkStep(child, step.depth + 1, step.node))


def iter_edges(chart: Chart) -> Iterator[tuple[ChartNode, ChartNode]]:
    """Every (parent, child) tree edge, in pre-order of the child."""
    for step in walk(chart.roots):
        if step.parent is not None:
            yield step.parent, step.node


def find_node(chart: Chart, node_id: str) -> ChartNode:
    """The node with ``node_id``; raises ``KeyError`` when there is none."""
    for step in walk(chart.roots):
        if step.node.id == node_id:
            return step.node
    raise KeyError(node_id)


def _truncate(root: ChartNode, depth: int | None) -> ChartNode:
    """``root`` with every node more than ``depth`` levels below it removed."""
    if depth is None:
        return root
    # Post-order rebuild with an explicit stack: a node is rebuilt once all its kept
    # children are, so no recursion is needed however deep the tree is.
    rebuilt: dict[int, ChartNode] = {}
    stack: list[tuple[ChartNode, int, bool]] = [(root, 0, False)]
    while stack:
        node, level, expanded = stack.pop()
        keep_children = level < depth
        if not expanded and keep_children and node.children:
            stack.append((node, level, True))
            stack.extend((child, level + 1, False) for child in reversed(node.children))
            continue
        children = tuple(rebuilt.pop(id(c)) for c in node.children) if keep_children else ()
        unchanged = len(children) == len(node.children) and all(
            new is old for new, old in zip(children, node.children, strict=False)
        )
        rebuilt[id(node)] = (
            node
            if unchanged
            else ChartNode(node.id, node.label, node.sublabel, node.kinds, children)
        )
    return rebuilt[id(root)]


def prune(chart: Chart, root: str | None = None, depth: int | None = None) -> Chart:
    """A chart cut down to the subtree at ``root`` and to ``depth`` levels below it.

    ``root=None`` keeps every root; ``depth=None`` keeps every level, ``depth=0``
    only the root(s). Extra edges whose ends were cut away are dropped. Raises
    ``KeyError`` for an unknown root and ``ValueError`` for a negative depth.
    """
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    roots = (find_node(chart, root),) if root is not None else chart.roots
    kept_roots = tuple(_truncate(r, depth) for r in roots)
    kept_ids = {step.node.id for step in walk(kept_roots)}
    edges = tuple(e for e in chart.extra_edges if e.source in kept_ids and e.target in kept_ids)
    return Chart(chart.title, kept_roots, edges, chart.legend, chart.slug, chart.vacant_marker)
