"""The Markdown handbook: escaping, links and inline Mermaid charts.

Jinja's autoescaping knows HTML only, so the Markdown environment escapes every
``{{ ... }}`` value in ``finalize`` instead: ASCII punctuation that Markdown
(CommonMark with GitHub tables) gives meaning to is backslash-escaped, ``<``, ``>``
and ``&`` become entities, and line breaks become ``<br>`` so that a table row stays
one line. Values that are already Markdown (links, charts, macro output) are
:class:`MdSafe`, a :class:`~markupsafe.Markup` whose own escaping is Markdown's, and
pass through unchanged; autoescaping stays on so that macros return such values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from jinja2 import Environment
from markupsafe import Markup

from crmorg import templates
from crmorg.charts.mermaid import render_mermaid
from crmorg.charts.text import clean_text
from crmorg.charts.tree import Chart

__all__ = ["MARKDOWN", "MarkdownFormat", "MdSafe", "md_escape"]


class MdSafe(Markup):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> MdSafe:
        return cls(md_escape(s))


# Backslash-escapable ASCII punctuation (CommonMark 2.4) that makes inline markup
# anywhere: emphasis, code, links and images, table cells, strikethrough, math.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
# What makes a block only at the start of a line: headings, lists, setext lines.
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(value: object) -> str:
    """``value`` as literal Markdown text that also fits in one table cell."""
    if hasattr(value, "__html__"):
        return str(value)  # already Markdown: links, charts, macro output
    if value is None:
        return ""
    text = clean_text(str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    text = "".join(_ENTITIES.get(char, char) for char in text)
    text = _LINE_BREAK.sub("<br>", text)
    # Values may start a line of the page; "1." after a backslash-escaped digit run
    # would still be a list, so the escape goes on the punctuation after the digits.
    return _LINE_START.sub(_escape_line_start, text, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    lead, mark = match.group(1), match.group(2)
    if mark.isdigit():
        return lead + mark + "\\"
    return lead + "\\" + mark


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
