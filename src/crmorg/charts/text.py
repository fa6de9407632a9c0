"""Text clean-up and measurement shared by the chart renderers.

Every renderer first passes user text through :func:`~crmorg.text.clean_text`, so
that all formats agree on what a label says: line breaks are normalised to ``"\\n"``,
hidden characters (controls, bidi and zero-width ones) are shown as escape sequences
such as ``\\u202e``, and those no XML 1.0 document may hold are dropped.
"""

from __future__ import annotations

import unicodedata

from crmorg.text import clean_text

__all__ = ["VACANT_MARKER", "display_width", "text_lines"]

VACANT_MARKER = "(vacant)"
"""The line every renderer adds to a node marked "vacant"."""


def text_lines(text: str | None) -> list[str]:
    """The cleaned lines of ``text`` (none for ``None``)."""
    if text is None:
        return []
    return clean_text(text).split("\n")


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(line: str) -> int:
    """Width of ``line`` in terminal columns: CJK and other wide characters count 2."""
    return sum(_char_width(char) for char in line)
