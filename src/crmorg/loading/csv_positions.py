"""CSV text with the line and column of every cell, for findings at ``file:line:column``.

:class:`CsvLines` feeds a binary stream to :func:`csv.reader` line by line: it decodes
each line itself (so a byte that is not UTF-8, or a NUL, is reported at its own line
and column), drops a UTF-8 BOM, refuses UTF-16, splits old Mac lines ended by a lone
CR, and keeps the raw lines of the row being read. :func:`csv_rows` hands out each row
with the line it starts on and those raw lines; a reader keeps them
as long as it may need a position: :func:`cell_starts` and :func:`cell_position` work
out where each cell starts, quoted cells, escaped quotes and line breaks inside
quotes included, only when asked.

Typical use::

    lines = CsvLines(stream, max_bytes)
    for row, line, raw in csv_rows(lines, on_error):   # CsvTextError: the text is bad
        starts = cell_starts(raw, line, len(row))
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Final, NamedTuple

from crmorg.findings import Location

__all__ = [
    "CellStarts",
    "CsvLines",
    "CsvTextError",
    "cell_locations",
    "cell_position",
    "cell_starts",
    "csv_rows",
]

# One CSV field from its first character, as the csv module's default dialect reads it:
# a quoted field (`""` is an escaped quote; text after the closing quote is kept) or an
# unquoted one. Group 1 is empty when the closing quote is missing.
_FIELD: Final = re.compile(r'"(?:[^"]|"")*("?)[^,\r\n]*|[^,\r\n]*')
_LONE_CR: Final = re.compile(r"(?<=\r)(?!\n)")
_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


class CsvTextError(Exception):
    """The bytes are not CSV text that can be trusted: reading stops at ``line:column``.

    ``encoding`` is True when saving the file again as UTF-8 text would fix it, False
    when the file is merely too large.
    """

    def __init__(self, message: str, line: int, column: int, *, encoding: bool) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.encoding = encoding


class CsvLines:
    """Decodes a binary stream line by line for :mod:`csv`, keeping the current row's lines.

    Memory stays at one row: :func:`csv_rows` takes the lines of each row as it is read.
    """

    def __init__(self, stream: Iterable[bytes], max_bytes: int) -> None:
        self.stream = stream
        self.max_bytes = max_bytes
        self.number = 0
        """Lines read so far: the line number of the last one."""
        self.size = 0
        self.row: list[str] = []
        """The raw lines of the row the csv reader is reading."""

    def __iter__(self) -> Iterator[str]:
        limit = self.max_bytes
        first = True
        for raw in self.stream:
            self.number += 1
            self.size += len(raw)
            if first:
                first = False
                if raw.startswith(_UTF16_BOMS):
                    raise CsvTextError("the file is UTF-16 text", 1, 1, encoding=True)
                if raw.startswith(_UTF8_BOM):
                    raw = raw[len(_UTF8_BOM) :]
            if self.size > limit:
                raise CsvTextError(
                    f"the file grew past {limit:,} bytes while being read",
                    self.number,
                    1,
                    encoding=False,
                )
            if b"\x00" in raw:
                raise CsvTextError(
                    "the file holds NUL bytes: it is binary, not CSV text",
                    self.number,
                    _column_of(raw, raw.index(b"\x00")),
                    encoding=True,
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise CsvTextError(
                    f"the file is not UTF-8 text ({error.reason})",
                    self.number,
                    _column_of(raw, error.start),
                    encoding=True,
                ) from None
            if "\r" in text and _LONE_CR.search(text):
                # Old Mac exports end lines with a lone CR: each piece is a line of its own.
                for index, piece in enumerate(p for p in _LONE_CR.split(text) if p):
                    self.number += 1 if index else 0
                    self.row.append(piece)
                    yield piece
                continue
            self.row.append(text)
            yield text


class CellStarts(NamedTuple):
    """Where each cell of a row starts, and where a quote that is never closed opens."""

    lines: list[int]
    columns: list[int]
    unclosed: tuple[int, int] | None


def csv_rows(
    lines: CsvLines, on_error: Callable[[csv.Error, int], None]
) -> Iterator[tuple[list[str], int, list[str]]]:
    """Each row :mod:`csv` reads from ``lines``: its cells, its first line and its raw lines.

    A row the csv module refuses goes to ``on_error`` with the line it starts on, and
    reading goes on after it. :class:`CsvTextError` passes through. The raw lines are
    the row's own: a reader may keep them for positions asked for later.
    """
    reader = csv.reader(lines)
    row_start = 1
    while True:
        try:
            # This loop runs once per row of exports with 100,000 people: the row's
            # lines are taken without a method call.
            for row in reader:
                raw_lines = lines.row
                lines.row = []
                line, row_start = row_start, lines.number + 1
                yield row, line, raw_lines
            return
        except csv.Error as error:
            on_error(error, row_start)
            lines.row = []
            row_start = lines.number + 1


def cell_starts(raw_lines: Sequence[str], line: int, count: int) -> CellStarts:
    """The line and column where each of a row's (at least ``count``) cells starts.

    ``raw_lines`` are the row's lines as read, the first of them line ``line``. A quoted
    cell may hold line breaks, so a cell after one starts on a later line: the scan runs
    over the row's whole text and turns offsets into lines and columns.
    """
    if len(raw_lines) == 1 and '"' not in raw_lines[0]:
        # The common case, a row on one line with no quotes: each cell is its raw text,
        # so the columns follow from the lengths of the cells.
        cells = raw_lines[0].split(",")
        starts = list(accumulate((len(cell) + 1 for cell in cells[:-1]), initial=1))
        starts += [starts[-1]] * (count - len(starts))
        return CellStarts([line] * len(starts), starts, None)
    text = "".join(raw_lines)
    line_starts = list(accumulate([len(piece) for piece in raw_lines[:-1]], initial=0))
    lines: list[int] = []
    columns: list[int] = []

    def locate(offset: int) -> tuple[int, int]:
        index = bisect_right(line_starts, offset) - 1
        return line + index, offset - line_starts[index] + 1

    offset = 0
    while True:
        where = locate(offset)
        lines.append(where[0])
        columns.append(where[1])
        match = _FIELD.match(text, offset)
        if match is None:  # never: the pattern matches the empty string
            break
        if match.group(1) == "":
            return CellStarts(lines, columns, where)
        end = match.end()
        if end >= len(text) or text[end] != ",":
            break
        offset = end + 1
    while len(lines) < count:  # never expected; keeps every cell located
        lines.append(lines[-1])
        columns.append(columns[-1])
    return CellStarts(lines, columns, None)


def cell_position(line: int, raw: str | Sequence[str], index: int) -> tuple[int, int]:
    """(line, column) of cell ``index`` of the row starting at ``line``.

    ``raw`` is the row's text, or its lines when a quoted cell holds line breaks.
    """
    if isinstance(raw, str):
        if '"' not in raw:
            # The common case, a row on one line with no quotes: each cell is its raw
            # text, so its column follows from the lengths of the cells before it.
            return line, sum(len(cell) + 1 for cell in raw.split(",", index)[:index]) + 1
        raw = (raw,)
    lines, columns, _ = cell_starts(raw, line, index + 1)
    return lines[index], columns[index]


def cell_locations(file: str, line: int, raw: str | Sequence[str], count: int) -> list[Location]:
    """The location in ``file`` of each of the (at least ``count``) cells of a row.

    ``line`` and ``raw`` are as for :func:`cell_position`.
    """
    lines, columns, _ = cell_starts((raw,) if isinstance(raw, str) else raw, line, count)
    return [Location(file, at, column) for at, column in zip(lines, columns, strict=True)]


def _column_of(raw: bytes, offset: int) -> int:
    """The 1-based character column of byte ``offset`` in a line of UTF-8 bytes."""
    return len(raw[:offset].decode("utf-8", errors="replace")) + 1
