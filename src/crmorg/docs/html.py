"""The HTML handbook: an autoescaping environment, links and inline SVG charts.

Every page is self-contained: the stylesheet is inlined and the org chart is inline
SVG, so the site opens from a file system with no network at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

from jinja2 import Environment
from markupsafe import Markup, escape

from crmorg import templates
from crmorg.charts.svg import render_svg
from crmorg.charts.tree import Chart

__all__ = ["HTML", "HtmlFormat", "inline_svg", "stylesheet"]


def stylesheet() -> str:
    """The handbook's CSS (package data ``static/style.css``)."""
    return resources.files("crmorg.docs").joinpath("static/style.css").read_text("utf-8")


def inline_svg(svg: str) -> str:
    """An SVG document made fit for inlining into HTML: no XML declaration."""
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip("\n")
    return svg


def _code(value: object) -> Markup:
    return Markup(f"<code>{escape(value)}</code>")


def _anchor(anchor_id: str) -> Markup:
    return Markup(f'<a class="anchor" id="{escape(anchor_id)}"></a>')


class HtmlFormat:
    """Pages as HTML5 with the stylesheet inlined and charts as inline SVG."""

    name = "html"
    extension = ".html"

    def environment(self) -> Environment:
        return templates.environment("crmorg.docs", filters={"anchor": _anchor, "code": _code})

    def escape(self, text: str) -> Markup:
        return escape(text)

    def safe(self, text: str) -> Markup:
        return Markup(text)

    def link(self, text: str, href: str, css_class: str = "") -> Markup:
        # Each part escaped (Markup kept as it is), as Markup.format would, a tenth as
        # slow: a handbook of 10,000 people draws some 350,000 links.
        if css_class:
            ref, body = escape(href), escape(text)
            return Markup(f'<a class="{escape(css_class)}" href="{ref}">{body}</a>')
        return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')

    def chart(self, chart: Chart, links: Mapping[str, str] | None = None) -> Markup:
        # render_svg escapes every label for XML; inline SVG in HTML reads the same.
        svg = Markup(inline_svg(render_svg(chart, links=links)))
        return Markup('<figure class="chart">{}</figure>').format(svg)


HTML = HtmlFormat()
