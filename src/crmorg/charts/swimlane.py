"""Swimlane charts: a renderer-neutral flow of boxes in lanes.

A :class:`Swimlane` is what every swimlane renderer (Mermaid, DOT, SVG, HTML) draws:
lanes (rows, e.g. one per role or department), boxes (one per process step, each in
one lane, with annotation lines such as ``A: Service manager``) and edges between
boxes. Nothing here knows about processes or models; an adapter
(:mod:`crmorg.charts.swimlane_process`) builds the chart from a model's process.

:func:`flow` derives what the drawing needs from a plain successor map: a box with
several successors is a ``decision``, one with none an ``end``, and an edge that
closes a loop (a back edge of a depth-first walk from the first box, successors in
their given order) is marked ``back``. Everything is deterministic.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["BOX_KINDS", "BoxKind", "Lane", "LaneBox", "LaneEdge", "Swimlane", "flow"]

BoxKind = Literal["step", "decision", "end"]
BOX_KINDS: tuple[BoxKind, ...] = ("step", "decision", "end")


@dataclass(frozen=True)
class Lane:
    """One row of the chart; ``label`` is shown at its left end."""

    id: str
    label: str


@dataclass(frozen=True)
class LaneBox:
    """One step: ``label`` on top, then each of ``notes`` as a smaller line."""

    id: str
    label: str
    lane: str
    notes: tuple[str, ...] = ()
    kind: BoxKind = "step"


@dataclass(frozen=True)
class LaneEdge:
    """An arrow from box ``source`` to box ``target``; ``back`` when it closes a loop."""

    source: str
    target: str
    label: str | None = None
    back: bool = False


@dataclass(frozen=True)
class Swimlane:
    """Lanes top to bottom, boxes in flow order, edges in drawing order.

    Raises ``ValueError`` when a box names an unknown lane, an edge an unknown box,
    or two lanes or two boxes share an id.
    """

    title: str
    lanes: tuple[Lane, ...]
    boxes: tuple[LaneBox, ...]
    edges: tuple[LaneEdge, ...] = ()

    def __post_init__(self) -> None:
        lane_ids = [lane.id for lane in self.lanes]
        box_ids = [box.id for box in self.boxes]
        for kind, ids in (("lanes", lane_ids), ("boxes", box_ids)):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise ValueError(f"two {kind} with the id {item!r}")
                seen.add(item)
        lanes, boxes = set(lane_ids), set(box_ids)
        for box in self.boxes:
            if box.lane not in lanes:
                raise ValueError(f"box {box.id!r} is in an unknown lane {box.lane!r}")
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in boxes:
                    raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: no box {end!r}")


def _back_edges(
    order: Sequence[str], successors: Mapping[str, Sequence[str]]
) -> set[tuple[str, str]]:
    """Edges that lead back to a box still on the walk's path (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    back: set[tuple[str, str]] = set()
    for start in order:
        if start in state:
            continue
        state[start] = 1
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack[-1]
            nexts = successors.get(node, ())
            if index == len(nexts):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, index + 1)
            target = nexts[index]
            seen = state.get(target)
            if seen == 1:
                back.add((node, target))
            elif seen is None:
                state[target] = 1
                stack.append((target, 0))
    return back


def flow(
    title: str,
    lanes: Sequence[Lane],
    boxes: Sequence[LaneBox],
    successors: Mapping[str, Sequence[str]],
    labels: Mapping[tuple[str, str], str] | None = None,
    back: Collection[tuple[str, str]] | None = None,
) -> Swimlane:
    """The swimlane of ``boxes`` whose arrows follow ``successors``.

    Each box's kind is set from its successors (several: ``decision``, none:
    ``end``, else ``step``); successors that name no box are left out (validation
    reports them), a repeated one is drawn once. ``labels`` names edges. ``back``
    says which edges close a loop; by default, the back edges of a depth-first walk
    from the first box. Whatever is given, the other edges must not form a cycle
    (their columns are the longest paths through them).
    """
    known = {box.id for box in boxes}
    nexts = {
        box.id: list(dict.fromkeys(t for t in successors.get(box.id, ()) if t in known))
        for box in boxes
    }
    loops = set(back) if back is not None else _back_edges([box.id for box in boxes], nexts)
    kinds: dict[str, BoxKind] = {
        box_id: "end" if not targets else "decision" if len(targets) > 1 else "step"
        for box_id, targets in nexts.items()
    }
    edges = tuple(
        LaneEdge(source, target, (labels or {}).get((source, target)), (source, target) in loops)
        for source, targets in nexts.items()
        for target in targets
    )
    return Swimlane(
        title,
        tuple(lanes),
        tuple(replace(box, kind=kinds[box.id]) for box in boxes),
        edges,
    )
