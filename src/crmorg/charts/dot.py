"""Render a :class:`~crmorg.charts.tree.Chart` as a Graphviz DOT ``digraph``.

Labels are DOT double-quoted strings. Inside them Graphviz gives meaning to
backslash escapes (``\\N`` is the node name, ``\\l`` a left-justified break) and
to HTML entities (``&lt;`` shows as ``<``), so backslashes are escaped first, then
``&`` becomes ``&amp;``, ``"`` becomes ``\\"`` and line breaks become ``\\n``:
the text shows exactly as written. Node names are generated (``n0``, ``n1``, ...
in pre-order) and each node's SVG ``id`` is ``n-<chart id>``; the output is
byte-identical across runs.
"""

from __future__ import annotations

from .text import VACANT_MARKER, text_lines
from .tree import Chart, ChartNode, walk

__all__ = ["KIND_ATTRIBUTES", "escape_string", "render_dot"]

# Applied in this order; a later kind overrides an attribute set by an earlier one,
# and "style" values accumulate, so markers (head ... vacant) win over base kinds.
KIND_ATTRIBUTES: tuple[tuple[str, dict[str, str]], ...] = (
    ("root", {"fillcolor": "#e5e7eb", "color": "#374151", "penwidth": "2"}),
    ("department", {"fillcolor": "#e8f0fe", "color": "#1a56db"}),
    ("team", {"fillcolor": "#fef9c3", "color": "#a16207"}),
    ("person", {"fillcolor": "#f0fdf4", "color": "#15803d"}),
    ("role", {"fillcolor": "#ffffff", "color": "#4b5563"}),
    ("head", {"penwidth": "2", "color": "#1e3a8a", "fontname": "Helvetica-Bold"}),
    ("lead", {"penwidth": "2", "color": "#047857", "fillcolor": "#d1fae5"}),
    ("external", {"style": "dashed", "color": "#c2410c", "fillcolor": "#fff7ed"}),
    (
        "vacant",
        {
            "style": "filled",
            "fillcolor": "grey90",
            "fontcolor": "grey40",
            "color": "grey60",
            "fontname": "Helvetica-Oblique",
        },
    ),
)


def escape_string(text: str) -> str:
    """``text`` as the inside of a DOT double-quoted string, lines joined by ``\\n``."""
    escaped = (
        line.replace("\\", "\\\\").replace("&", "&amp;").replace('"', '\\"')
        for line in text_lines(text)
    )
    return "\\n".join(escaped)


def _node_attributes(node: ChartNode, vacant_marker: str = VACANT_MARKER) -> dict[str, str]:
    attributes: dict[str, str] = {}
    styles = ["rounded", "filled"]
    for kind, kind_attributes in KIND_ATTRIBUTES:
        if kind not in node.kinds:
            continue
        for key, value in kind_attributes.items():
            if key == "style":
                styles.append(value)
            else:
                attributes[key] = value
    lines = [escape_string(node.label)]
    if node.sublabel is not None:
        lines.append(escape_string(node.sublabel))
    if "vacant" in node.kinds:
        lines.append(escape_string(vacant_marker))
    # Sorted keys keep the output stable whichever kinds set them.
    ordered = {
        "id": f"n-{node.id}",
        "label": "\\n".join(lines),
        "style": ",".join(dict.fromkeys(styles)),
    }
    ordered.update(sorted(attributes.items()))
    return ordered


def _attribute_list(attributes: dict[str, str]) -> str:
    # Values are either escaped user text or constants from this module; node ids
    # are [a-z0-9_:-] only, so quoting them as they are is safe.
    return ", ".join(f'{key}="{value}"' for key, value in attributes.items())


def render_dot(chart: Chart) -> str:
    """The chart as Graphviz DOT source text (ends with a newline)."""
    lines = [
        "digraph orgchart {",
        f'    graph [charset="UTF-8", rankdir=TB, label="{escape_string(chart.title)}",'
        ' labelloc=t, fontname="Helvetica", fontsize=16, nodesep=0.3, ranksep=0.5];',
        '    node [shape=box, fontname="Helvetica", fontsize=11, margin="0.15,0.06"];',
        '    edge [dir=none, color="#6b7280", fontname="Helvetica", fontsize=9];',
    ]
    names: dict[str, str] = {}
    edges: list[str] = []
    for step in walk(chart.roots):
        name = f"n{len(names)}"
        names[step.node.id] = name
        attributes = _node_attributes(step.node, chart.vacant_marker)
        lines.append(f"    {name} [{_attribute_list(attributes)}];")
        if step.parent is not None:
            edges.append(f"    {names[step.parent.id]} -> {name};")
    for edge in chart.extra_edges:
        attributes = {
            "dir": "forward",
            "constraint": "false",
            "style": edge.style,
            "color": "#9333ea",
        }
        if edge.label:
            attributes["label"] = escape_string(edge.label)
        edges.append(
            f"    {names[edge.source]} -> {names[edge.target]} [{_attribute_list(attributes)}];"
        )
    return "\n".join([*lines, *edges, "}"]) + "\n"
