"""The Markdown handbook: escaping, links and inline Mermaid charts.

Jinja's autoescaping knows HTML only, so the Markdown environment escapes every
``{{ ... }}`` value in ``finalize`` instead, with the one Markdown escaper
(:func:`~crmorg.markdown_text.md_escape`, which the KPI scorecard uses too). Values
that are already Markdown (links, charts, macro output) are :class:`MdSafe`, a
:class:`~markupsafe.Markup` whose own escaping is Markdown's, and pass through
unchanged; autoescaping stays on so that macros return such values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from jinja2 import Environment
from markupsafe import Markup

from crmorg import templates
from crmorg.charts.mermaid import render_mermaid
from crmorg.charts.tree import Chart
from crmorg.markdown_text import md_escape
from crmorg.text import clean_text

__all__ = ["MARKDOWN", "MarkdownFormat", "MdSafe", "md_escape"]


class MdSafe(Markup):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> MdSafe:
        return cls(md_escape(s))


def _finalize(value: object) -> MdSafe:
    return MdSafe(md_escape(value))


def _join(items: Iterable[object], separator: str = ", ") -> MdSafe:
    return MdSafe(md_escape(separator).join(md_escape(item) for item in items))


def _code(value: object) -> MdSafe:
    """``value`` as an inline code span: literal text, one line, any backticks fenced."""
    text = " ".join(clean_text(str(value)).split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    # In a table cell "|" ends the cell even inside code; GitHub reads "\|" as "|".
    return MdSafe(f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}")


def _anchor(anchor_id: str) -> MdSafe:
    # Ids are [a-z0-9_-]: safe in an attribute as they are.
    return MdSafe(f'<a id="{anchor_id}"></a>')


class MarkdownFormat:
    """Pages as GitHub-flavoured Markdown with relative links and Mermaid charts."""

    name = "markdown"
    extension = ".md"

    def environment(self) -> Environment:
        filters: dict[str, Callable[..., MdSafe]] = {
            "join": _join,
            "anchor": _anchor,
            "code": _code,
        }
        return templates.environment("crmorg.docs", finalize=_finalize, filters=filters)

    def escape(self, text: str) -> MdSafe:
        return MdSafe(md_escape(text))

    def safe(self, text: str) -> MdSafe:
        return MdSafe(text)

    def link(self, text: str, href: str, css_class: str = "") -> MdSafe:
        # hrefs are generated from ids and fixed names: [a-z0-9_/.#-] only.
        return MdSafe(f"[{md_escape(text)}]({href})")

    def chart(self, chart: Chart) -> MdSafe:
        return MdSafe(f"```mermaid\n{render_mermaid(chart)}```")


MARKDOWN = MarkdownFormat()
