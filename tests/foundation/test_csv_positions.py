"""The one CSV reader with positions: each cell at its line and column, whatever the text."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmorg.loading.csv_positions import (
    CsvLines,
    CsvTextError,
    cell_locations,
    cell_position,
    cell_starts,
    csv_rows,
)


def _rows(data: bytes) -> list[tuple[list[str], list[tuple[int, int]]]]:
    """Every row of ``data`` with the (line, column) of each of its cells."""
    lines = CsvLines(io.BytesIO(data).readlines(), max_bytes=10**6)
    found = []
    for row, line, raw_lines in csv_rows(lines, on_error=_refuse):
        starts = cell_starts(raw_lines, line, len(row))
        found.append((row, list(zip(starts.lines, starts.columns, strict=True))))
    return found


def _refuse(error: csv.Error, line: int) -> None:
    raise AssertionError(f"line {line}: {error}")


def test_a_row_csv_refuses_is_reported_and_reading_goes_on() -> None:
    refused: list[int] = []
    previous = csv.field_size_limit(20)
    try:
        lines = CsvLines([b"a,b\n", b'"' + b"x" * 30 + b'"\n', b"c,d\n"], max_bytes=10**6)
        rows = list(csv_rows(lines, lambda error, line: refused.append(line)))
    finally:
        csv.field_size_limit(previous)
    assert refused == [2]
    assert [(row, line) for row, line, _ in rows] == [(["a", "b"], 1), (["c", "d"], 3)]


def test_plain_quoted_and_multi_line_cells() -> None:
    data = b'id,name,note\r\na,"Wang, Li","two\r\nlines"\r\nb,"say ""hi""",x\r\n'
    assert _rows(data) == [
        (["id", "name", "note"], [(1, 1), (1, 4), (1, 9)]),
        (["a", "Wang, Li", "two\r\nlines"], [(2, 1), (2, 3), (2, 14)]),
        (["b", 'say "hi"', "x"], [(4, 1), (4, 3), (4, 16)]),
    ]


def test_a_bom_is_not_a_column_and_columns_count_characters() -> None:
    data = "\ufeffid,名字,x\n李,王,y\n".encode()
    assert _rows(data) == [
        (["id", "名字", "x"], [(1, 1), (1, 4), (1, 7)]),
        (["李", "王", "y"], [(2, 1), (2, 3), (2, 5)]),
    ]


def test_lone_carriage_returns_end_lines() -> None:
    assert _rows(b"a,b\rc,d\r") == [(["a", "b"], [(1, 1), (1, 3)]), (["c", "d"], [(2, 1), (2, 3)])]


def test_an_unclosed_quote_is_located() -> None:
    assert cell_starts(['a,"open\n', "more\n"], 7, 2).unclosed == (7, 3)


def test_one_cell_and_every_cell_agree() -> None:
    raw = ('x,"a\n', 'b",李,"c"\n')
    every = cell_locations("f.csv", 3, raw, 4)
    for index, location in enumerate(every):
        assert cell_position(3, raw, index) == (location.line, location.column)
    assert [(loc.line, loc.column) for loc in every] == [(3, 1), (3, 3), (4, 4), (4, 6)]
    assert cell_position(1, "a,bb,c", 2) == (1, 6)


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"id\n\xff\xfe", (2, 1), "not UTF-8"),
        (b"id\nab\xe9\n", (2, 3), "not UTF-8"),
        (b"id\nab\x00\n", (2, 3), "NUL bytes"),
        ("id\n".encode("utf-16"), (1, 1), "UTF-16"),
    ],
)
def test_text_that_cannot_be_trusted_stops_reading_at_its_position(
    data: bytes, where: tuple[int, int], words: str
) -> None:
    with pytest.raises(CsvTextError, match=words) as raised:
        _rows(data)
    assert (raised.value.line, raised.value.column) == where
    assert raised.value.encoding


def test_a_file_growing_past_the_limit_stops_reading() -> None:
    lines = CsvLines([b"a\n", b"b\n", b"c\n"], max_bytes=4)
    with pytest.raises(CsvTextError, match="grew past 4 bytes") as raised:
        list(lines)
    assert (raised.value.line, raised.value.encoding) == (3, False)


_CELL = st.text(alphabet='ab, "\r\n李', max_size=6)
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _written(row: list[str]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(row)
    return out.getvalue()


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


@given(st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=4))
def test_every_cell_csv_writes_is_found_where_it_was_written(rows: list[list[str]]) -> None:
    text = ""
    expected = []
    for row in rows:
        # Cell `index` starts where a marker written in its place would.
        offsets = [
            len(text) + _written([*row[:index], "\x01"]).index("\x01") for index in range(len(row))
        ]
        expected.append((row, [_line_and_column(text + _written(row), at) for at in offsets]))
        text += _written(row)
    assert _rows(text.encode()) == expected
