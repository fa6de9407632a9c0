"""Render a :class:`~crmorg.charts.tree.Chart` as a self-contained HTML page.

The page wraps the chart's SVG (:func:`~crmorg.charts.svg.render_svg`) inline, with
its styles in the page: no font and no network, so it opens from a file system. An
``interactive`` page adds zoom, pan, folding and find (``static/chart.js``, inlined,
the same script as the handbook's ``chart.html``); without it the page has no script.
The page template is package data (``templates/chart.html.j2``), rendered with
autoescaping on and undefined variables an error.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Template
from markupsafe import Markup

from crmorg import templates
from crmorg.catalogs import LANGUAGES, messages

from .svg import render_svg
from .text import text_lines
from .tree import Chart

__all__ = ["CONTROLS", "chart_script", "render_html"]

CONTROLS = ("zoom_in", "zoom_out", "reset", "expand_all", "collapse_all", "find", "toggle")
"""The interactive chart's control labels: message ids ``chart.<name>``."""


@cache
def chart_script() -> str:
    """The interactive chart's script (package data ``static/chart.js``)."""
    return resources.files("crmorg.charts").joinpath("static/chart.js").read_text("utf-8")


@cache
def _template() -> Template:
    return templates.environment("crmorg.charts", trim_blocks=False).get_template("chart.html.j2")


def _inline(svg: str) -> str:
    # An XML declaration is not allowed inside an HTML document.
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip("\n")
    return svg.rstrip("\n")


def render_html(chart: Chart, lang: str = "en", interactive: bool = False) -> str:
    """The chart as an HTML5 page with the SVG inline (ends with a newline); an
    ``interactive`` page lets the reader zoom, pan, fold branches and find names."""
    title = " ".join(text_lines(chart.title)).strip()
    # render_svg escapes every label for XML, which inline SVG in HTML reads alike.
    svg = Markup(_inline(render_svg(chart, interactive=interactive)))
    language = lang.split("-")[0]
    words = messages(language if language in LANGUAGES else "en")
    return _template().render(
        title=title,
        svg=svg,
        lang=words["html_lang"],
        interactive=interactive,
        slug=chart.slug or "chart",
        labels={name: words[f"chart.{name}"] for name in CONTROLS},
        script=Markup(chart_script()) if interactive else "",
    )
