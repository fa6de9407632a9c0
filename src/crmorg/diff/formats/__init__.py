"""Output formats of ``crmorg diff``: one module each, registered here."""

from __future__ import annotations

from collections.abc import Callable

from crmorg.diff.formats import json_format, markdown, sarif, text
from crmorg.diff.gate import Gate
from crmorg.diff.results import ModelDiff

Renderer = Callable[[ModelDiff, Gate], str]
"""(diff, gate) -> the text to print."""

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
}
