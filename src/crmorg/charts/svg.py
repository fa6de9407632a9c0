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

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

from crmorg.text import clean_text

from .compact import Point
from .layout import Box, Layout, LayoutMode, Limits, Metrics, layout_chart
from .text import display_width, text_lines
from .tree import Chart, ChartEdge

__all__ = ["LEGEND", "chart_slug", "escape_xml", "num", "render_svg"]

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


def label_texts(
    groups: Iterable[tuple[str, Sequence[str]]], centre: str, baseline: float, line_height: float
) -> list[str]:
    """A box's label: a ``<text>`` of the class given for each non-empty group of lines,
    one ``<tspan>`` per line centred on ``centre``, the first on ``baseline``."""
    texts = []
    for css_class, lines in groups:
        if not lines:
            continue
        spans = []
        for line in lines:
            spans.append(f'<tspan x="{centre}" y="{num(baseline)}">{escape_xml(line)}</tspan>')
            baseline += line_height
        texts.append(f'<text class="{css_class}" xml:space="preserve">{"".join(spans)}</text>')
    return texts


def num(value: float) -> str:
    """A fixed-precision number: one decimal, no trailing ".0", never "-0".

    Every SVG coordinate the charts write (org chart and swimlanes) goes through it, so
    their output is byte-identical across runs and platforms.
    """
    text = f"{round(value, 1) + 0.0:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def chart_slug(chart: Chart) -> str:
    """The prefix of the ids in the chart's SVG: its slug, else one made from its title."""
    if chart.slug:
        return chart.slug
    words = re.sub(r"[^a-z0-9]+", "-", chart.title.lower()).strip("-")
    if words and words[0].isalpha():
        return words[:48].rstrip("-")
    digest = hashlib.blake2s(chart.title.encode("utf-8"), digest_size=4).hexdigest()
    return f"chart-{digest}"


def _node(
    box: Box,
    dx: float,
    dy: float,
    metrics: Metrics,
    slug: str,
    href: str | None,
    parent: str | None,
) -> list[str]:
    node = box.node
    classes = " ".join(["node", *(f"kind-{kind}" for kind in sorted(node.kinds))])
    x, y = box.x + dx, box.y + dy
    tooltip = "\n".join(box.lines)
    data = f' data-node="{node.id}"'
    if parent:
        data += f' data-parent="{parent}"'
    parts = [
        f'<g class="{classes}" id="{slug}-{node.id}"{data}>',
        f"<title>{escape_xml(tooltip)}</title>",
        f'<rect class="box" x="{num(x)}" y="{num(y)}" width="{num(box.width)}"'
        f' height="{num(box.height)}" rx="6" ry="6"/>',
    ]
    label_lines = len(text_lines(node.label))
    centre = num(x + box.width / 2)
    # The first baseline sits one line down from the padding; 12px text in a 16px
    # line leaves ~4px below the baseline.
    baseline = y + metrics.padding_y + metrics.line_height - 4
    groups = [("label main", box.lines[:label_lines]), ("label sublabel", box.lines[label_lines:])]
    parts += label_texts(groups, centre, baseline, metrics.line_height)
    parts.append("</g>")
    if href is not None:
        parts[0] = f'<a xlink:href="{escape_xml(href)}">{parts[0]}'
        parts[-1] += "</a>"
    return parts


def _path(points: tuple[Point, ...], dx: float, dy: float) -> str:
    """An SVG path through ``points``: ``H``/``V`` for straight runs, ``L`` otherwise."""
    (x, y), rest = points[0], points[1:]
    out = [f"M{num(x + dx)},{num(y + dy)}"]
    for nx, ny in rest:
        if ny == y:
            out.append(f"H{num(nx + dx)}")
        elif nx == x:
            out.append(f"V{num(ny + dy)}")
        else:
            out.append(f"L{num(nx + dx)},{num(ny + dy)}")
        x, y = nx, ny
    return "".join(out)


def _links(layout: Layout, dx: float, dy: float, data: bool) -> list[str]:
    paths = []
    for child, points in layout.links:
        attribute = f' data-child="{layout.boxes[child].node.id}"' if data else ""
        paths.append(f'<path class="link"{attribute} d="{_path(points, dx, dy)}"/>')
    return paths


def _extra(edge: ChartEdge, source: Box, target: Box, dx: float, dy: float, slug: str) -> list[str]:
    sx, tx = source.center_x + dx, target.center_x + dx
    if target.bottom <= source.y:  # up
        sy, ty = source.y + dy, target.bottom + dy
        c1y, c2y = sy - 28.0, ty + 28.0
    elif target.y >= source.bottom:  # down
        sy, ty = source.bottom + dy, target.y + dy
        c1y, c2y = sy + 28.0, ty - 28.0
    else:  # side by side: arc over the top of both boxes
        sy, ty = source.y + dy, target.y + dy
        c1y, c2y = sy - 36.0, ty - 36.0
    path = (
        f'<path class="extra {edge.style}" d="M{num(sx)},{num(sy)}C{num(sx)},{num(c1y)}'
        f' {num(tx)},{num(c2y)} {num(tx)},{num(ty)}" marker-end="url(#{slug}-arrow)"/>'
    )
    parts = [path]
    if edge.label:
        # Midpoint of the cubic Bezier at t = 0.5.
        mx = (sx + 3 * sx + 3 * tx + tx) / 8
        my = (sy + 3 * c1y + 3 * c2y + ty) / 8
        text = escape_xml(" ".join(text_lines(edge.label)))
        parts.append(f'<text class="edge-label" x="{num(mx)}" y="{num(my)}">{text}</text>')
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
    parts = [f'<g class="legend" transform="translate({num(x)},{num(y)})">']
    cursor = 0.0
    for kind, text in entries:
        parts.append(
            f'<g class="kind-{kind}"><rect class="box" x="{num(cursor)}" y="0" width="22"'
            f' height="14" rx="3" ry="3"/><text x="{num(cursor + 28)}" y="11">{escape_xml(text)}'
            "</text></g>"
        )
        cursor += 28 + display_width(text) * metrics.char_width + 18
    parts.append("</g>")
    return parts, cursor


def render_svg(
    chart: Chart,
    metrics: Metrics | None = None,
    *,
    links: Mapping[str, str] | None = None,
    mode: LayoutMode = "auto",
    interactive: bool = False,
) -> str:
    """The chart as an SVG 1.1 document (UTF-8 text, ends with a newline).

    ``links`` maps node ids to URLs: those boxes become links. ``interactive`` adds
    ``data-node``/``data-parent``/``data-child`` attributes that a page script reads
    to fold subtrees. Ids in the document start with :func:`chart_slug`. The layout
    is tidy when that fits :class:`~crmorg.charts.layout.Limits`, else compact.
    """
    metrics = metrics or Metrics()
    title_lines = text_lines(chart.title)
    title = " ".join(title_lines).strip()
    dx = MARGIN
    dy = MARGIN + (TITLE_HEIGHT if title else 0.0)
    frame = (2 * MARGIN, dy + 2 * MARGIN + LEGEND_HEIGHT)
    layout = layout_chart(chart, metrics, mode=mode, limits=Limits(frame=frame))
    slug = chart_slug(chart)
    hrefs = links or {}

    kinds = {kind for box in layout.boxes for kind in box.node.kinds}
    content_bottom = dy + layout.height
    legend_y = content_bottom + MARGIN
    legend, legend_width = _legend(kinds, MARGIN, legend_y, metrics, chart.legend)
    bottom = legend_y + LEGEND_HEIGHT if legend else content_bottom

    title_width = display_width(title) * 9.5
    width = 2 * MARGIN + max(layout.width, title_width, legend_width)
    height = bottom + MARGIN

    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if hrefs else ""
    # A chart with links is a group of links for assistive technology, not one image.
    role = "group" if hrefs else "img"
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg"{xlink} version="1.1" class="crmorg-chart"'
        f' id="{slug}" width="{num(width)}" height="{num(height)}"'
        f' viewBox="0 0 {num(width)} {num(height)}" role="{role}"'
        f' aria-labelledby="{slug}-title">',
        f'<title id="{slug}-title">{escape_xml(title)}</title>',
        f'<style type="text/css"><![CDATA[{_STYLE}]]></style>',
        f'<defs><marker id="{slug}-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto"><path class="arrow"'
        ' d="M0,0L10,5L0,10Z"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if title:
        out.append(
            f'<text class="chart-title" x="{num(MARGIN)}" y="{num(MARGIN + 16)}">'
            f"{escape_xml(title)}</text>"
        )
    out.append('<g class="links">')
    out.extend(_links(layout, dx, dy, interactive))
    out.append("</g>")
    out.append('<g class="nodes">')
    for box in layout.boxes:
        parent = layout.boxes[box.parent].node.id if box.parent is not None else ""
        out.extend(
            _node(
                box,
                dx,
                dy,
                metrics,
                slug,
                hrefs.get(box.node.id),
                parent if interactive else None,
            )
        )
    out.append("</g>")
    if chart.extra_edges:
        by_id = {box.node.id: box for box in layout.boxes}
        out.append('<g class="extra-links">')
        for edge in chart.extra_edges:
            out.extend(_extra(edge, by_id[edge.source], by_id[edge.target], dx, dy, slug))
        out.append("</g>")
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out) + "\n"
