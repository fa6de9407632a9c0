"""Render a :class:`~crmorg.charts.tree.Chart` as a standalone SVG 1.1 document.

The boxes come from :func:`~crmorg.charts.layout.layout_chart`; parents and
children are joined by elbow connectors, extra edges are drawn as curves with an
arrow. Heads (thick dark border, bold), team leads (green), external roles
(dashed orange border) and vacant roles (grey, italic, "(vacant)") look distinct,
and a legend lists the kinds that occur. All user text is XML-escaped; hidden
characters are shown as escapes and those XML 1.0 forbids are dropped (see
:func:`~crmorg.text.clean_text`).
Numbers have one decimal at most, so the output is byte-identical across runs.
No system package or font is needed to produce it.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from crmorg.text import clean_text

from .layout import Box, Layout, Metrics, layout_chart
from .text import display_width, text_lines
from .tree import Chart, ChartEdge

__all__ = ["LEGEND", "escape_xml", "render_svg"]

MARGIN = 24.0
TITLE_HEIGHT = 36.0
LEGEND_HEIGHT = 14.0
FONT_FAMILY = (
    "'Noto Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'DejaVu Sans', Arial, sans-serif"
)

# The kinds a legend entry stands for, in the order the legend shows them.
LEGEND: tuple[tuple[str, str], ...] = (
    ("department", "Department"),
    ("team", "Team"),
    ("role", "Role"),
    ("person", "Person"),
    ("head", "Head"),
    ("lead", "Team lead"),
    ("external", "External"),
    ("vacant", "Vacant"),
)

# Rules are scoped to the chart's root class so that the SVG can be inlined into an
# HTML page next to other drawings. Later rules win: markers come after base kinds.
_STYLE = f"""
.crmorg-chart {{ font-family: {FONT_FAMILY}; font-size: 12px; }}
.crmorg-chart .chart-title {{ font-size: 16px; font-weight: bold; fill: #111827; }}
.crmorg-chart text {{ white-space: pre; }}
.crmorg-chart .link {{ fill: none; stroke: #9ca3af; stroke-width: 1.5; }}
.crmorg-chart .extra {{ fill: none; stroke: #9333ea; stroke-width: 1.2; }}
.crmorg-chart .extra.dotted {{ stroke-dasharray: 2 3; }}
.crmorg-chart .edge-label {{ font-size: 10px; fill: #6b21a8; text-anchor: middle;
  paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }}
.crmorg-chart .arrow {{ fill: #9333ea; }}
.crmorg-chart .box {{ fill: #ffffff; stroke: #4b5563; stroke-width: 1.2; }}
.crmorg-chart .label {{ fill: #111827; text-anchor: middle; }}
.crmorg-chart .sublabel {{ fill: #4b5563; font-size: 11px; }}
.crmorg-chart .kind-root .box {{ fill: #e5e7eb; stroke: #374151; stroke-width: 2; }}
.crmorg-chart .kind-department .box {{ fill: #e8f0fe; stroke: #1a56db; }}
.crmorg-chart .kind-team .box {{ fill: #fef9c3; stroke: #a16207; }}
.crmorg-chart .kind-person .box {{ fill: #f0fdf4; stroke: #15803d; }}
.crmorg-chart .kind-role .box {{ fill: #ffffff; stroke: #4b5563; }}
.crmorg-chart .kind-head .box {{ stroke: #1e3a8a; stroke-width: 3; }}
.crmorg-chart .kind-head .main {{ font-weight: bold; }}
.crmorg-chart .kind-lead .box {{ fill: #d1fae5; stroke: #047857; stroke-width: 2.5; }}
.crmorg-chart .kind-external .box {{ fill: #fff7ed; stroke: #c2410c;
  stroke-dasharray: 6 3; }}
.crmorg-chart .kind-vacant .box {{ fill: #f3f4f6; stroke: #9ca3af; }}
.crmorg-chart .kind-vacant .label {{ fill: #6b7280; font-style: italic; }}
.crmorg-chart .legend text {{ fill: #374151; font-size: 11px; }}
"""

_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_XML_TABLE = str.maketrans(_XML_ESCAPES)


def escape_xml(text: str) -> str:
    """``text`` safe in XML character data and attribute values.

    Line breaks are kept (as ``"\\n"``); hidden characters are shown as escapes.
    """
    return clean_text(text).translate(_XML_TABLE)


def _num(value: float) -> str:
    """A fixed-precision number: one decimal, no trailing ".0", never "-0"."""
    text = f"{round(value, 1) + 0.0:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _node(box: Box, dx: float, dy: float, metrics: Metrics) -> list[str]:
    node = box.node
    classes = " ".join(["node", *(f"kind-{kind}" for kind in sorted(node.kinds))])
    x, y = box.x + dx, box.y + dy
    tooltip = "\n".join(box.lines)
    parts = [
        f'<g class="{classes}" id="n-{node.id}">',
        f"<title>{escape_xml(tooltip)}</title>",
        f'<rect class="box" x="{_num(x)}" y="{_num(y)}" width="{_num(box.width)}"'
        f' height="{_num(box.height)}" rx="6" ry="6"/>',
    ]
    label_lines = len(text_lines(node.label))
    centre = _num(x + box.width / 2)
    # The first baseline sits one line down from the padding; 12px text in a 16px
    # line leaves ~4px below the baseline.
    baseline = y + metrics.padding_y + metrics.line_height - 4
    groups = [("label main", box.lines[:label_lines]), ("label sublabel", box.lines[label_lines:])]
    for css_class, lines in groups:
        if not lines:
            continue
        spans = []
        for line in lines:
            spans.append(f'<tspan x="{centre}" y="{_num(baseline)}">{escape_xml(line)}</tspan>')
            baseline += metrics.line_height
        parts.append(f'<text class="{css_class}" xml:space="preserve">{"".join(spans)}</text>')
    parts.append("</g>")
    return parts


def _links(layout: Layout, dx: float, dy: float, level_gap: float) -> list[str]:
    paths = []
    for box in layout.boxes:
        if box.parent is None:
            continue
        parent = layout.boxes[box.parent]
        turn = layout.level_bottoms[parent.depth] + level_gap / 2 + dy
        paths.append(
            f'<path class="link" d="M{_num(parent.center_x + dx)},{_num(parent.bottom + dy)}'
            f'V{_num(turn)}H{_num(box.center_x + dx)}V{_num(box.y + dy)}"/>'
        )
    return paths


def _extra(edge: ChartEdge, source: Box, target: Box, dx: float, dy: float) -> list[str]:
    sx, tx = source.center_x + dx, target.center_x + dx
    if target.depth < source.depth:
        sy, ty = source.y + dy, target.bottom + dy
        bend = -28.0
    elif target.depth > source.depth:
        sy, ty = source.bottom + dy, target.y + dy
        bend = 28.0
    else:  # same level: arc over the top of both boxes
        sy, ty = source.y + dy, target.y + dy
        bend = -36.0
    c1y = sy + bend
    c2y = ty - bend if target.depth != source.depth else ty + bend
    path = (
        f'<path class="extra {edge.style}" d="M{_num(sx)},{_num(sy)}C{_num(sx)},{_num(c1y)}'
        f' {_num(tx)},{_num(c2y)} {_num(tx)},{_num(ty)}" marker-end="url(#crmorg-arrow)"/>'
    )
    parts = [path]
    if edge.label:
        # Midpoint of the cubic Bezier at t = 0.5.
        mx = (sx + 3 * sx + 3 * tx + tx) / 8
        my = (sy + 3 * c1y + 3 * c2y + ty) / 8
        text = escape_xml(" ".join(text_lines(edge.label)))
        parts.append(f'<text class="edge-label" x="{_num(mx)}" y="{_num(my)}">{text}</text>')
    return parts


def _legend(
    kinds: AbstractSet[str],
    x: float,
    y: float,
    metrics: Metrics,
    labels: tuple[tuple[str, str], ...] = (),
) -> tuple[list[str], float]:
    names = dict(labels)
    entries = [(kind, names.get(kind, text)) for kind, text in LEGEND if kind in kinds]
    if not entries:
        return [], 0.0
    parts = [f'<g class="legend" transform="translate({_num(x)},{_num(y)})">']
    cursor = 0.0
    for kind, text in entries:
        parts.append(
            f'<g class="kind-{kind}"><rect class="box" x="{_num(cursor)}" y="0" width="22"'
            f' height="14" rx="3" ry="3"/><text x="{_num(cursor + 28)}" y="11">{escape_xml(text)}'
            "</text></g>"
        )
        cursor += 28 + display_width(text) * metrics.char_width + 18
    parts.append("</g>")
    return parts, cursor


def render_svg(chart: Chart, metrics: Metrics | None = None) -> str:
    """The chart as an SVG 1.1 document (UTF-8 text, ends with a newline)."""
    metrics = metrics or Metrics()
    layout = layout_chart(chart, metrics)
    title_lines = text_lines(chart.title)
    title = " ".join(title_lines).strip()
    dx = MARGIN
    dy = MARGIN + (TITLE_HEIGHT if title else 0.0)

    kinds = {kind for box in layout.boxes for kind in box.node.kinds}
    content_bottom = dy + layout.height
    legend_y = content_bottom + MARGIN
    legend, legend_width = _legend(kinds, MARGIN, legend_y, metrics, chart.legend)
    bottom = legend_y + LEGEND_HEIGHT if legend else content_bottom

    title_width = display_width(title) * 9.5
    width = 2 * MARGIN + max(layout.width, title_width, legend_width)
    height = bottom + MARGIN

    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="crmorg-chart"'
        f' width="{_num(width)}" height="{_num(height)}"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" role="img">',
        f"<title>{escape_xml(title)}</title>",
        f'<style type="text/css"><![CDATA[{_STYLE}]]></style>',
        '<defs><marker id="crmorg-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto"><path class="arrow"'
        ' d="M0,0L10,5L0,10Z"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if title:
        out.append(
            f'<text class="chart-title" x="{_num(MARGIN)}" y="{_num(MARGIN + 16)}">'
            f"{escape_xml(title)}</text>"
        )
    out.append('<g class="links">')
    out.extend(_links(layout, dx, dy, metrics.level_gap))
    out.append("</g>")
    out.append('<g class="nodes">')
    for box in layout.boxes:
        out.extend(_node(box, dx, dy, metrics))
    out.append("</g>")
    if chart.extra_edges:
        by_id = {box.node.id: box for box in layout.boxes}
        out.append('<g class="extra-links">')
        for edge in chart.extra_edges:
            out.extend(_extra(edge, by_id[edge.source], by_id[edge.target], dx, dy))
        out.append("</g>")
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out) + "\n"
