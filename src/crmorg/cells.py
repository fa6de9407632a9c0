"""Spreadsheet cells: the one neutraliser and the one CSV dialect for every CSV written.

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some also one that starts with a tab or a carriage return (OWASP, "CSV
Injection"). It reads past what a reader overlooks: leading spaces, line breaks, a
zero-width space or a byte-order mark, and it takes full-width ``＝`` for ``=``. So the
test is made on the text normalised (NFKC, which maps full-width forms to ASCII) with
all of that stripped, and a cell that would start a formula gets a leading ``'``, which
spreadsheets show as text. The product writes no XLSX; one would use the same test.

Hidden characters (:data:`~crmorg.text.HIDDEN`) are shown as escapes, as in every
document, but for the carriage return: the CSV quoting keeps it, like a tab or a line
feed, inside its cell. Every CSV (the access matrix, the KPI scorecard) is written
with :func:`csv_writer`: RFC 4180 line ends, so that the ``csv`` module quotes any cell
holding a comma, a quote or a line break of either kind and every cell reads back as
it was written.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from typing import TYPE_CHECKING, Final, TextIO

from crmorg.text import HIDDEN_CHARACTERS, reveal

if TYPE_CHECKING:
    from _csv import Writer

__all__ = ["csv_writer", "spreadsheet_cell"]

_FORMULA_STARTS: Final = ("=", "+", "-", "@")
_BLANK_STARTS: Final = ("\t", "\r")
"""Formula starts of their own that the overlooked text below would strip."""
_OVERLOOKED: Final = re.compile(f"^[\\s{HIDDEN_CHARACTERS}]+")
"""Leading white space (Unicode's, line breaks too) and hidden characters."""


def spreadsheet_cell(text: str) -> str:
    """``text`` as a cell that a spreadsheet shows as text and never evaluates."""
    shown = reveal(text, keep="\r")
    if text.startswith(_BLANK_STARTS):
        return "'" + shown
    start = _OVERLOOKED.sub("", unicodedata.normalize("NFKC", text), count=1)
    return "'" + shown if start.startswith(_FORMULA_STARTS) else shown


def csv_writer(stream: TextIO) -> Writer:
    """A ``csv`` writer onto ``stream`` in the product's one dialect."""
    return csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
