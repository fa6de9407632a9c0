"""The one Markdown escaper: user text as literal Markdown that fits in a table cell.

Both Markdown outputs use it, the handbook (:mod:`crmorg.docs.markdown`) and the KPI
scorecard (:mod:`crmorg.kpi.render.markdown`), so a name reads the same in each. ASCII
punctuation that Markdown (CommonMark with GitHub tables) gives meaning to is
backslash-escaped, ``<``, ``>`` and ``&`` become entities, line breaks become ``<br>``
so that a table row stays one line, and hidden characters are shown as escapes
(:func:`~crmorg.text.clean_text`).
"""

from __future__ import annotations

import re
from typing import Final

from crmorg.text import clean_text

__all__ = ["md_escape"]

# Backslash-escapable ASCII punctuation (CommonMark 2.4) that makes inline markup
# anywhere: emphasis, code, links and images, table cells, strikethrough, math.
_SPECIAL: Final = re.compile(r"([\\`*_\[\]|~$])")
# What makes a block only at the start of a line: headings, lists, setext lines.
_LINE_START: Final = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")
_LINE_BREAK: Final = re.compile(r"[ \t]*\n[ \t]*")
_ENTITIES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


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
