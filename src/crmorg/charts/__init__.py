"""Org charts: a renderer-neutral chart structure and one renderer per format.

``RENDERERS`` maps an output format name to a function turning a
:class:`Chart` into text. It is a plain registry: adding a format means adding a
module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from .dot import render_dot
from .html import render_html
from .mermaid import render_mermaid
from .svg import render_svg
from .swimlane import Swimlane
from .swimlane_svg import render_swimlane_html, render_swimlane_svg
from .swimlane_text import render_swimlane_dot, render_swimlane_mermaid
from .tree import (
    NODE_KINDS,
    Chart,
    ChartEdge,
    ChartNode,
    EdgeStyle,
    NodeKind,
    find_node,
    prune,
    walk,
)

__all__ = [
    "NODE_KINDS",
    "RENDERERS",
    "SWIMLANE_RENDERERS",
    "Chart",
    "ChartEdge",
    "ChartNode",
    "EdgeStyle",
    "NodeKind",
    "Renderer",
    "Swimlane",
    "SwimlaneRenderer",
    "find_node",
    "prune",
    "render_dot",
    "render_html",
    "render_mermaid",
    "render_svg",
    "render_swimlane_dot",
    "render_swimlane_html",
    "render_swimlane_mermaid",
    "render_swimlane_svg",
    "walk",
]

Renderer = Callable[[Chart], str]
"""Turns a chart into the text of one output format."""

RENDERERS: dict[str, Renderer] = {
    "mermaid": render_mermaid,
    "dot": render_dot,
    "svg": render_svg,
    "html": render_html,
}

SwimlaneRenderer = Callable[[Swimlane], str]
"""Turns a swimlane chart into the text of one output format."""

SWIMLANE_RENDERERS: dict[str, SwimlaneRenderer] = {
    "mermaid": render_swimlane_mermaid,
    "dot": render_swimlane_dot,
    "svg": render_swimlane_svg,
    "html": render_swimlane_html,
}
