"""Render a :class:`~crmorg.charts.swimlane.Swimlane` as standalone SVG, or an HTML page.

Lanes are bands with their label in a header on the left; steps are rounded boxes,
decisions hexagons (pointed ends) and end steps boxes with a double border. Forward
arrows run right, turning in the gap after their source's column; back edges
(loops) are dashed curves above the boxes. Text is cleaned and XML-escaped as in
the org chart (:func:`~crmorg.charts.svg.escape_xml`), numbers have one decimal at
most, so the output is byte-identical across runs.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Template
from markupsafe import Markup

from crmorg import templates
from crmorg.catalogs import LANGUAGES, messages

from .layout import Metrics
from .svg import FONT_FAMILY, MARGIN, TITLE_HEIGHT, escape_xml, label_texts, num
from .swimlane import LaneEdge, Swimlane
from .swimlane_layout import COLUMN_GAP, DECISION_POINT, PlacedBox, SwimlaneLayout, layout_swimlane
from .text import display_width, text_lines

__all__ = ["render_swimlane_html", "render_swimlane_svg"]

LEGEND: tuple[tuple[str, str], ...] = (
    ("step", "Step"),
    ("decision", "Decision (several next steps)"),
    ("end", "End"),
    ("back", "Loop back"),
)

_STYLE = f"""
.crmorg-swimlane {{ font-family: {FONT_FAMILY}; font-size: 12px; }}
.crmorg-swimlane text {{ white-space: pre; }}
.crmorg-swimlane .chart-title {{ font-size: 16px; font-weight: bold; fill: #111827; }}
.crmorg-swimlane .lane rect {{ fill: #f9fafb; stroke: #9ca3af; stroke-width: 1; }}
.crmorg-swimlane .lane:nth-child(even) rect {{ fill: #eef2ff; }}
.crmorg-swimlane .lane rect.lane-header {{ fill: #dbeafe; }}
.crmorg-swimlane .lane text {{ fill: #1e3a8a; font-weight: bold; }}
.crmorg-swimlane .box {{ fill: #ffffff; stroke: #4b5563; stroke-width: 1.2; }}
.crmorg-swimlane .kind-decision .box {{ fill: #fef3c7; stroke: #b45309; stroke-width: 1.5; }}
.crmorg-swimlane .kind-end .box {{ fill: #ecfdf5; stroke: #047857; stroke-width: 1.5; }}
.crmorg-swimlane .kind-end .inner {{ fill: none; stroke: #047857; stroke-width: 1; }}
.crmorg-swimlane .label {{ fill: #111827; text-anchor: middle; }}
.crmorg-swimlane .main {{ font-weight: bold; }}
.crmorg-swimlane .note {{ fill: #4b5563; font-size: 11px; }}
.crmorg-swimlane .flow {{ fill: none; stroke: #374151; stroke-width: 1.4; }}
.crmorg-swimlane .flow.back {{ stroke: #9333ea; stroke-dasharray: 5 3; }}
.crmorg-swimlane .arrow {{ fill: #374151; }}
.crmorg-swimlane .arrow.back {{ fill: #9333ea; }}
.crmorg-swimlane .edge-label {{ font-size: 10px; fill: #6b21a8; text-anchor: middle;
  paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }}
.crmorg-swimlane .legend text {{ fill: #374151; font-size: 11px; }}
"""

_LEGEND_HEIGHT = 14.0
_LOOP_RISE = 22.0


def _shape(placed: PlacedBox, dx: float, dy: float) -> list[str]:
    x, y, w, h = placed.x + dx, placed.y + dy, placed.width, placed.height
    if placed.box.kind == "decision":
        p = DECISION_POINT
        points = [(x, y + h / 2), (x + p, y), (x + w - p, y), (x + w, y + h / 2)]
        points += [(x + w - p, y + h), (x + p, y + h)]
        text = " ".join(f"{num(px)},{num(py)}" for px, py in points)
        return [f'<polygon class="box" points="{text}"/>']
    rect = (
        f'<rect class="box" x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"'
        ' rx="6" ry="6"/>'
    )
    if placed.box.kind != "end":
        return [rect]
    inner = (
        f'<rect class="inner" x="{num(x + 3)}" y="{num(y + 3)}" width="{num(w - 6)}"'
        f' height="{num(h - 6)}" rx="4" ry="4"/>'
    )
    return [rect, inner]


def _box(placed: PlacedBox, dx: float, dy: float, metrics: Metrics) -> list[str]:
    box = placed.box
    parts = [
        f'<g class="step kind-{box.kind}" id="s-{escape_xml(box.id)}"'
        f' data-lane="{escape_xml(box.lane)}">',
        f"<title>{escape_xml(chr(10).join(placed.lines))}</title>",
        *_shape(placed, dx, dy),
    ]
    centre = num(placed.center_x + dx)
    baseline = placed.y + dy + metrics.padding_y + metrics.line_height - 4
    groups = (
        ("label main", placed.lines[: placed.label_lines]),
        ("label note", placed.lines[placed.label_lines :]),
    )
    parts += label_texts(groups, centre, baseline, metrics.line_height)
    parts.append("</g>")
    return parts


def _edge(edge: LaneEdge, source: PlacedBox, target: PlacedBox, dx: float, dy: float) -> list[str]:
    if edge.back:
        # A loop: out of the source's top, over the boxes, into the target's top.
        sx, tx = source.center_x + dx, target.center_x + dx
        sy, ty = source.y + dy, target.y + dy
        if source is target:
            sx, tx = source.x + dx + source.width * 0.7, source.x + dx + source.width * 0.3
        rise = min(sy, ty) - _LOOP_RISE - abs(source.column - target.column) * 4
        d = f"M{num(sx)},{num(sy)}C{num(sx)},{num(rise)} {num(tx)},{num(rise)} {num(tx)},{num(ty)}"
        mx, my = (sx + tx) / 2, (sy + 3 * rise + 3 * rise + ty) / 8
        css, marker = "flow back", "crmorg-swimlane-back"
    else:
        sx, sy = source.right + dx, source.center_y + dy
        tx, ty = target.x + dx, target.center_y + dy
        turn = sx + COLUMN_GAP / 2 - 4
        d = f"M{num(sx)},{num(sy)}H{num(turn)}V{num(ty)}H{num(tx)}"
        mx, my = turn, (sy + ty) / 2 if sy != ty else sy - 4
        css, marker = "flow", "crmorg-swimlane-arrow"
    data = f' data-from="{escape_xml(edge.source)}" data-to="{escape_xml(edge.target)}"'
    parts = [f'<path class="{css}"{data} d="{d}" marker-end="url(#{marker})"/>']
    if edge.label:
        text = escape_xml(" ".join(text_lines(edge.label)))
        parts.append(f'<text class="edge-label" x="{num(mx)}" y="{num(my)}">{text}</text>')
    return parts


def _lanes(layout: SwimlaneLayout, dx: float, dy: float, metrics: Metrics) -> list[str]:
    parts = ['<g class="lanes">']
    for row in layout.lanes:
        y = row.y + dy
        parts.append(f'<g class="lane" id="l-{escape_xml(row.id)}">')
        parts.append(
            f'<rect x="{num(dx)}" y="{num(y)}" width="{num(layout.width)}"'
            f' height="{num(row.height)}"/>'
        )
        parts.append(
            f'<rect class="lane-header" x="{num(dx)}" y="{num(y)}"'
            f' width="{num(layout.header_width)}" height="{num(row.height)}"/>'
        )
        first = y + row.height / 2 - (len(row.label_lines) - 1) * metrics.line_height / 2 + 4
        spans = "".join(
            f'<tspan x="{num(dx + metrics.padding_x)}" y="{num(first + i * metrics.line_height)}">'
            f"{escape_xml(line)}</tspan>"
            for i, line in enumerate(row.label_lines)
        )
        parts.append(f'<text class="lane-label" xml:space="preserve">{spans}</text>')
        parts.append("</g>")
    parts.append("</g>")
    return parts


def _legend(
    kinds: set[str], x: float, y: float, metrics: Metrics, labels: tuple[tuple[str, str], ...]
) -> tuple[list[str], float]:
    names = dict(labels)
    entries = [(kind, names.get(kind, text)) for kind, text in LEGEND if kind in kinds]
    if not entries:
        return [], 0.0
    parts = [f'<g class="legend" transform="translate({num(x)},{num(y)})">']
    cursor = 0.0
    for kind, text in entries:
        if kind == "back":
            sample = (
                f'<path class="flow back" d="M{num(cursor)},7H{num(cursor + 22)}"'
                ' marker-end="url(#crmorg-swimlane-back)"/>'
            )
        else:
            sample = (
                f'<rect class="box" x="{num(cursor)}" y="0" width="22" height="14" rx="3" ry="3"/>'
            )
        parts.append(
            f'<g class="kind-{kind}">{sample}<text x="{num(cursor + 28)}" y="11">'
            f"{escape_xml(text)}</text></g>"
        )
        cursor += 28 + display_width(text) * metrics.char_width + 18
    parts.append("</g>")
    return parts, cursor


def render_swimlane_svg(
    chart: Swimlane,
    metrics: Metrics | None = None,
    legend: tuple[tuple[str, str], ...] = (),
) -> str:
    """The swimlane as an SVG 1.1 document (ends with a newline).

    ``legend`` replaces the English legend texts, per kind (``step``, ``decision``,
    ``end``, ``back``).
    """
    metrics = metrics or Metrics()
    layout = layout_swimlane(chart, metrics)
    title = " ".join(text_lines(chart.title)).strip()
    dx = MARGIN
    # Room above the first lane for loops drawn over its boxes.
    dy = MARGIN + (TITLE_HEIGHT if title else 0.0) + (_LOOP_RISE + 12 if _has_back(chart) else 0)
    kinds = {box.kind for box in chart.boxes} | ({"back"} if _has_back(chart) else set())
    legend_y = dy + layout.height + MARGIN
    legend_parts, legend_width = _legend(kinds, MARGIN, legend_y, metrics, legend)
    bottom = legend_y + _LEGEND_HEIGHT if legend_parts else dy + layout.height
    width = 2 * MARGIN + max(layout.width, display_width(title) * 9.5, legend_width)
    height = bottom + MARGIN
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="crmorg-swimlane"'
        f' width="{num(width)}" height="{num(height)}"'
        f' viewBox="0 0 {num(width)} {num(height)}" role="img">',
        f"<title>{escape_xml(title)}</title>",
        f'<style type="text/css"><![CDATA[{_STYLE}]]></style>',
        "<defs>"
        '<marker id="crmorg-swimlane-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto"><path class="arrow"'
        ' d="M0,0L10,5L0,10Z"/></marker>'
        '<marker id="crmorg-swimlane-back" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto"><path class="arrow back"'
        ' d="M0,0L10,5L0,10Z"/></marker>'
        "</defs>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if title:
        out.append(
            f'<text class="chart-title" x="{num(MARGIN)}" y="{num(MARGIN + 16)}">'
            f"{escape_xml(title)}</text>"
        )
    out.extend(_lanes(layout, dx, dy, metrics))
    # Arrows first: where one passes behind a box, the box hides it.
    placed_by_id = {placed.box.id: placed for placed in layout.boxes}
    out.append('<g class="flows">')
    for edge in chart.edges:
        out.extend(_edge(edge, placed_by_id[edge.source], placed_by_id[edge.target], dx, dy))
    out.append("</g>")
    out.append('<g class="steps">')
    for placed in layout.boxes:
        out.extend(_box(placed, dx, dy, metrics))
    out.append("</g>")
    out.extend(legend_parts)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _has_back(chart: Swimlane) -> bool:
    return any(edge.back for edge in chart.edges)


@cache
def _template() -> Template:
    return templates.environment("crmorg.charts", trim_blocks=False).get_template("chart.html.j2")


def render_swimlane_html(
    chart: Swimlane, lang: str = "en", legend: tuple[tuple[str, str], ...] = ()
) -> str:
    """The swimlane as an HTML5 page with the SVG inline (the org chart's page)."""
    svg = render_swimlane_svg(chart, legend=legend).split("?>", 1)[1].strip("\n")
    title = " ".join(text_lines(chart.title)).strip()
    # Every label in the SVG is already XML-escaped, which inline SVG in HTML reads alike.
    return _template().render(
        title=title,
        svg=Markup(svg),
        lang=messages(lang if lang in LANGUAGES else "en")["html_lang"],
        interactive=False,
    )
