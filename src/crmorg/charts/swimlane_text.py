"""Render a :class:`~crmorg.charts.swimlane.Swimlane` as Mermaid or Graphviz DOT source.

- Mermaid: a ``flowchart LR`` with one ``subgraph`` per lane; steps are boxes,
  decisions hexagons, end steps stadiums; back edges (loops) are dotted.
- DOT: a ``digraph`` with ``rankdir=LR`` and one ``cluster`` per lane; decisions
  are hexagons, end steps have a double border; back edges are dashed and do not
  constrain the ranks, so loops do not drag steps leftwards.

Labels are escaped exactly as in the org charts (:func:`crmorg.charts.mermaid.escape_label`,
:func:`crmorg.charts.dot.escape_string`); node and lane names are generated
(``s0``..., ``lane0``...), so user ids never reach the syntax. Deterministic.
"""

from __future__ import annotations

from .dot import escape_string
from .mermaid import _title_scalar, escape_label
from .swimlane import BoxKind, LaneBox, Swimlane

__all__ = ["render_swimlane_dot", "render_swimlane_mermaid"]

# "end" is a Mermaid keyword, so the classes have a prefix.
_MERMAID_CLASSES: tuple[tuple[BoxKind, str, str], ...] = (
    ("step", "swl_step", "fill:#ffffff,stroke:#4b5563"),
    ("decision", "swl_decision", "fill:#fef3c7,stroke:#b45309,stroke-width:2px"),
    ("end", "swl_end", "fill:#ecfdf5,stroke:#047857,stroke-width:3px"),
)
_MERMAID_SHAPES: dict[BoxKind, tuple[str, str]] = {
    "step": ("[", "]"),
    "decision": ("{{", "}}"),
    "end": ("([", "])"),
}


def _mermaid_label(box: LaneBox) -> str:
    parts = [escape_label(box.label)] + [escape_label(note) for note in box.notes]
    return "<br>".join(part for part in parts if part)


def render_swimlane_mermaid(chart: Swimlane) -> str:
    """The swimlane as Mermaid flowchart source text (ends with a newline)."""
    names = {box.id: f"s{index}" for index, box in enumerate(chart.boxes)}
    lines = ["flowchart LR"]
    if chart.title.strip():
        lines = ["---", f"title: {_title_scalar(chart.title)}", "---", *lines]
    for index, lane in enumerate(chart.lanes):
        lines.append(f'    subgraph lane{index}["{escape_label(lane.label)}"]')
        for box in chart.boxes:
            if box.lane == lane.id:
                start, end = _MERMAID_SHAPES[box.kind]
                lines.append(f'        {names[box.id]}{start}"{_mermaid_label(box)}"{end}')
        lines.append("    end")
    for edge in chart.edges:
        arrow = "-.->" if edge.back else "-->"
        text = f'|"{escape_label(edge.label)}"|' if edge.label else ""
        lines.append(f"    {names[edge.source]} {arrow}{text} {names[edge.target]}")
    for kind, class_name, style in _MERMAID_CLASSES:
        members = [names[box.id] for box in chart.boxes if box.kind == kind]
        if members:
            lines.append(f"    classDef {class_name} {style}")
            lines.append(f"    class {','.join(members)} {class_name}")
    return "\n".join(lines) + "\n"


_DOT_KINDS: dict[BoxKind, str] = {
    "step": 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#4b5563"',
    "decision": 'shape=hexagon, style="filled", fillcolor="#fef3c7", color="#b45309"',
    "end": 'shape=box, style="rounded,filled", peripheries=2, fillcolor="#ecfdf5", color="#047857"',
}


def _dot_label(box: LaneBox) -> str:
    return "\\n".join(escape_string(text) for text in (box.label, *box.notes))


def render_swimlane_dot(chart: Swimlane) -> str:
    """The swimlane as Graphviz DOT source text (ends with a newline)."""
    names = {box.id: f"s{index}" for index, box in enumerate(chart.boxes)}
    lines = [
        "digraph swimlane {",
        f'    graph [charset="UTF-8", rankdir=LR, label="{escape_string(chart.title)}",'
        ' labelloc=t, fontname="Helvetica", fontsize=16, nodesep=0.3, ranksep=0.5,'
        " newrank=true];",
        '    node [fontname="Helvetica", fontsize=11, margin="0.15,0.06"];',
        '    edge [color="#374151", fontname="Helvetica", fontsize=9];',
    ]
    for index, lane in enumerate(chart.lanes):
        lines.append(f"    subgraph cluster_lane{index} {{")
        lines.append(
            f'        graph [id="l-{escape_string(lane.id)}", label="{escape_string(lane.label)}",'
            ' labeljust=l, style="filled", fillcolor="#f9fafb", color="#9ca3af"];'
        )
        for box in chart.boxes:
            if box.lane == lane.id:
                lines.append(
                    f'        {names[box.id]} [id="s-{escape_string(box.id)}",'
                    f' label="{_dot_label(box)}", {_DOT_KINDS[box.kind]}];'
                )
        lines.append("    }")
    for edge in chart.edges:
        attributes = []
        if edge.back:
            attributes.append('style=dashed, color="#9333ea", constraint=false')
        if edge.label:
            attributes.append(f'label="{escape_string(edge.label)}"')
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"    {names[edge.source]} -> {names[edge.target]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
