"""Text clean-up and measurement shared by the chart renderers.

Every renderer first passes user text through :func:`clean_text`, so that all
formats agree on what a label says: line breaks are normalised to ``"\\n"`` and
characters that cannot appear in an XML 1.0 document (control characters,
non-characters, lone surrogates) are dropped.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["VACANT_MARKER", "clean_text", "display_width", "text_lines"]

VACANT_MARKER = "(vacant)"
"""The line every renderer adds to a node marked "vacant"."""

# Python's own line boundaries (str.splitlines) besides "\n", so that "\u2028" in a
# label breaks the line in every format instead of surprising one of them.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Not allowed in XML 1.0 (or, for C1 controls, discouraged and invisible anyway).
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with normalised line breaks, tabs as spaces and invalid chars removed."""
    text = _LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", " ")
    return _INVALID.sub("", text)


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
