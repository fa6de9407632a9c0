"""Render a :class:`~crmorg.charts.tree.Chart` as a self-contained HTML page.

The page wraps the chart's SVG (:func:`~crmorg.charts.svg.render_svg`) inline, with
its styles in the page: no script, no font and no network, so it opens from a file
system. The page template is package data (``templates/chart.html.j2``), rendered
with autoescaping on and undefined variables an error.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Template
from markupsafe import Markup

from crmorg import templates
from crmorg.catalogs import LANGUAGES, messages

from .svg import render_svg
from .text import text_lines
from .tree import Chart

__all__ = ["render_html"]


@cache
def _template() -> Template:
    return templates.environment("crmorg.charts", trim_blocks=False).get_template("chart.html.j2")


def _inline(svg: str) -> str:
    # An XML declaration is not allowed inside an HTML document.
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip("\n")
    return svg.rstrip("\n")


def render_html(chart: Chart, lang: str = "en") -> str:
    """The chart as an HTML5 page with the SVG inline (ends with a newline)."""
    title = " ".join(text_lines(chart.title)).strip()
    # render_svg escapes every label for XML, which inline SVG in HTML reads alike.
    svg = Markup(_inline(render_svg(chart)))
    language = lang.split("-")[0]
    html_lang = messages(language if language in LANGUAGES else "en")["html_lang"]
    return _template().render(title=title, svg=svg, lang=html_lang)
