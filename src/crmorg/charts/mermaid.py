"""Render a :class:`~crmorg.charts.tree.Chart` as a Mermaid ``flowchart TD``.

Mermaid labels are HTML once rendered and pass through several text rewrites
before that (entity codes ``#name;``, ``%%{...}%%`` directives found anywhere in
the text, ``$$...$$`` math, a ``style ...:...;`` rewrite, Markdown in backtick
strings). So every label is a double-quoted string in which every ASCII character
other than letters, digits and a few inert punctuation marks is written as a
Mermaid entity code (``<`` -> ``#60;``): the text reaches the page as text, never
as markup or syntax. Node names are generated (``n0``, ``n1``, ... in pre-order),
so user ids never appear either, and the output is byte-identical across runs.

Known limits of Mermaid itself (checked against the real library by the tests):
it trims spaces at the ends of a label; a title cannot show ``<``, ``>`` or ``&``
(full-width look-alikes stand in); an extra edge between nodes of one level pushes
its target a level down, and one drawn upwards loses its arrowhead; and by default
Mermaid refuses charts with more than 500 edges (use SVG or DOT for those).
"""

from __future__ import annotations

import re
import string

from .text import VACANT_MARKER, text_lines
from .tree import Chart, ChartNode, walk

__all__ = ["CLASS_DEFS", "TITLE_LOOKALIKES", "escape_label", "render_mermaid"]

# Later definitions win where two classes of one node set the same property, so the
# markers (head, lead, external, vacant) come after the base kinds.
CLASS_DEFS: tuple[tuple[str, str], ...] = (
    ("root", "fill:#e5e7eb,stroke:#374151,stroke-width:2px"),
    ("department", "fill:#e8f0fe,stroke:#1a56db"),
    ("team", "fill:#fef9c3,stroke:#a16207"),
    ("person", "fill:#f0fdf4,stroke:#15803d"),
    ("role", "fill:#ffffff,stroke:#4b5563"),
    ("head", "stroke:#1e3a8a,stroke-width:4px,font-weight:bold"),
    ("lead", "fill:#d1fae5,stroke:#047857,stroke-width:3px"),
    ("external", "fill:#fff7ed,stroke:#c2410c,stroke-dasharray:6 4"),
    ("vacant", "fill:#f3f4f6,stroke:#9ca3af,color:#6b7280,font-style:italic"),
)

# Inert inside a quoted Mermaid label and in HTML text; everything else ASCII is
# written as an entity code. "#", ";", ":", "%", "$", "`", "*", "~", "<", ">", "&",
# quotes, brackets and braces are deliberately absent.
_PLAIN = frozenset(string.ascii_letters + string.digits + " .,_()/!?+=@'-")
# Mermaid rewrites three character pairs even after entity codes are decoded: it
# reads a backslash before "n" as a line break, and "\ufb02\xb0" and "\xb6\xdf" as
# the markers of its own entity decoding ("&" and ";"). An invisible WORD JOINER
# between the two characters keeps the pair literal on screen.
_REWRITTEN_PAIRS = re.compile("\\\\(?=n)|\ufb02(?=\xb0)|\xb6(?=\xdf)")
_WORD_JOINER = "\u2060"


def _escape_char(char: str) -> str:
    if char in _PLAIN or (ord(char) > 127 and char.isprintable()):
        return char
    return f"#{ord(char)};"


def escape_label(text: str) -> str:
    """``text`` as the inside of a quoted Mermaid label; lines joined by ``<br>``."""
    lines = (
        _REWRITTEN_PAIRS.sub(lambda m: m.group(0) + _WORD_JOINER, line) for line in text_lines(text)
    )
    return "<br>".join("".join(_escape_char(char) for char in line) for line in lines)


def _node_label(node: ChartNode, vacant_marker: str = VACANT_MARKER) -> str:
    parts = [escape_label(node.label)]
    if node.sublabel is not None:
        parts.append(escape_label(node.sublabel))
    if "vacant" in node.kinds:
        parts.append(escape_label(vacant_marker))
    return "<br>".join(parts)


# Mermaid sanitises the title as HTML and then shows the sanitised markup as text,
# so "<", ">" and "&" cannot come out literally (they show as "&lt;", or tags are
# dropped); their full-width look-alikes do.
TITLE_LOOKALIKES = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


def _yaml_escape(char: str) -> str:
    if char.isalnum() or char == " ":
        return char
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def _title_scalar(title: str) -> str:
    """``title`` as a one-line YAML double-quoted scalar for the front matter.

    Everything but letters, digits and spaces is a YAML escape, so that neither
    YAML nor Mermaid's own scans (directives, entity codes) see any syntax in it.
    """
    flat = " ".join(text_lines(title)).translate(TITLE_LOOKALIKES)
    return '"' + "".join(_yaml_escape(char) for char in flat) + '"'


def render_mermaid(chart: Chart) -> str:
    """The chart as Mermaid flowchart source text (ends with a newline)."""
    names: dict[str, str] = {}
    depths: dict[str, int] = {}
    node_lines: list[str] = []
    edge_lines: list[str] = []
    members: dict[str, list[str]] = {}
    for step in walk(chart.roots):
        name = f"n{len(names)}"
        names[step.node.id] = name
        depths[step.node.id] = step.depth
        node_lines.append(f'    {name}["{_node_label(step.node, chart.vacant_marker)}"]')
        if step.parent is not None:
            edge_lines.append(f"    {names[step.parent.id]} --> {name}")
        for kind in step.node.kinds:
            members.setdefault(kind, []).append(name)
    for edge in chart.extra_edges:
        text = f'|"{escape_label(edge.label)}"|' if edge.label else ""
        source, target = names[edge.source], names[edge.target]
        if depths[edge.target] < depths[edge.source]:
            # Mermaid ranks every link's start above its end; an upward link written
            # forward would drag the source's whole subtree down. Written backward
            # it keeps the tree's levels (Mermaid draws no start arrowhead, though).
            arrow = "<-.-" if edge.style == "dotted" else "<---"
            edge_lines.append(f"    {target} {arrow}{text} {source}")
        else:
            arrow = "-.->" if edge.style == "dotted" else "-->"
            edge_lines.append(f"    {source} {arrow}{text} {target}")
    # Only the classes in use, in CLASS_DEFS order (not frozenset order, which
    # varies between runs), so that the output stays small and deterministic.
    style_lines: list[str] = []
    for class_name, style in CLASS_DEFS:
        if class_name in members:
            style_lines.append(f"    classDef {class_name} {style}")
    for class_name, _style in CLASS_DEFS:
        if class_name in members:
            style_lines.append(f"    class {','.join(members[class_name])} {class_name}")
    header = ["flowchart TD"]
    if chart.title.strip():
        header = ["---", f"title: {_title_scalar(chart.title)}", "---", *header]
    return "\n".join(header + node_lines + edge_lines + style_lines) + "\n"
