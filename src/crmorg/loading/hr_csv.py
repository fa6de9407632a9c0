"""People and teams from HR exports: ``people.csv`` and ``teams.csv`` in a model directory.

An HR system exports a table; crmorg reads it as the ``people`` or ``teams`` section
would be written in YAML. The file is streamed row by row, every value stays text (no
YAML 1.1 surprises: ``no``, ``0012`` and ``1e3`` are just text), and every problem is a
finding at the ``file:line:column`` of its row and cell. ``docs/hr-csv.md`` documents
the columns for users.

How the loader uses it, for each file that :func:`hr_section` recognises::

    table = read_hr_csv(path, section, limits)
    findings.extend(table.findings)
    if not table.complete:
        gathered.unread.append(table.file)   # the file could not be read to its end
    local = SourceMap()
    local.add_file(table.file)
    table.attach(local)              # ("people", "li_na", "roles", 0) -> its cell, on demand
    source.add_file(table.file)
    skip: set[DocPath] = set()
    _merge_keyed(section, table.entries, gathered, source, local, findings, skip)
    source.update(local, skip)

``table.entries`` is exactly what the YAML section would hold, e.g.
``{"li_na": {"name": "Li Na", "roles": ["sales_manager"], "reports_to": "zhang_wei"}}``,
so merging, duplicate detection against YAML-defined ids and validation are the same
as for YAML files. Ids repeated inside one CSV file are reported here.

Positions are kept compactly (each row's first line and raw text) and turned into
``Location`` objects only when asked: ``table.positions`` is a read-only mapping, and
``table.attach(source_map)`` registers the table as a lazy position source, the way
fast-parsed YAML files are. ``table.record_positions(record)`` hands over every
position at once instead (about a million objects for 100,000 people: seconds).
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from crmorg import sections
from crmorg.findings import Finding, Location
from crmorg.findings import Path as DocPath
from crmorg.loading.csv_positions import (
    CsvLines,
    CsvTextError,
    cell_locations,
    cell_position,
    cell_starts,
    csv_rows,
)
from crmorg.loading.files import display_name
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import DEFAULT_LIMITS, Limits, exceeded
from crmorg.text import ID_RE, LOCALE_PATTERN, printable

if TYPE_CHECKING:
    from crmorg.source import SourceMap

__all__ = [
    "COLUMNS",
    "HR_FILES",
    "LOCALIZED",
    "MAX_FINDINGS",
    "MAX_ROWS",
    "HrPositions",
    "HrTable",
    "hr_section",
    "read_hr_csv",
]

HR_FILES: Final[dict[str, str]] = {"people.csv": "people", "teams.csv": "teams"}
"""File names read as HR exports anywhere below a model directory, and their section."""

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    key: ("id", *sections.section(key).entry.model_fields) for key in HR_FILES.values()
}
"""The documented columns of each file: ``id`` (required), then the fields of an entry of
its section (optional), in the order the model declares them."""

LOCALIZED: Final[dict[str, tuple[str, ...]]] = {
    "people": ("name", "title"),
    "teams": ("name", "description"),
}
"""Text columns that may also come per locale: ``name_zh``, ``title_en``, ..."""

MAX_ROWS: Final = DEFAULT_LIMITS.max_hr_rows
MAX_FINDINGS: Final = 100
"""Findings shown per file; a systematic error in a huge export would otherwise flood."""

_LIST_COLUMNS: Final = frozenset({"roles", "teams"})
_ITEM_SEPARATORS: Final = re.compile(r"[;|,\r\n]")
_LOCALE_RE: Final = re.compile(LOCALE_PATTERN)
_LANGUAGE: Final = re.compile(r"[A-Za-z]*")
_COLUMN_HINTS: Final[dict[str, dict[str, str]]] = {
    # What HR systems often call a column, where the spelling alone would not suggest it.
    "people": {
        "employee_id": "id",
        "full_name": "name",
        "display_name": "name",
        "mail": "email",
        "e-mail": "email",
        "email_address": "email",
        "job_title": "title",
        "position": "title",
        "role": "roles",
        "team": "teams",
        "team_id": "teams",
        "manager": "reports_to",
        "manager_id": "reports_to",
        "supervisor": "reports_to",
    },
    "teams": {
        "team_id": "id",
        "team_name": "name",
        "dept": "department",
        "department_id": "department",
        "team_lead": "lead",
        "leader": "lead",
        "manager": "lead",
    },
}
_EXPORT_AGAIN: Final = "export it again as CSV UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)')"

Recorder = Callable[[DocPath, Location, Location | None], None]
_Place = tuple[int, str | tuple[str, ...]]
"""Where a row is: its first line and its raw text (a tuple of its lines when a quoted
cell holds line breaks). Text is not tracked by the garbage collector and costs no more
than a list of columns; cell positions are worked out from it when a finding needs one."""
_TEXT, _LIST, _LOCALIZED = range(3)


class HrPositions(Mapping[DocPath, tuple[Location, Location | None]]):
    """Model paths of an HR export's entries -> (value location, key location).

    ``(section, id)`` and its fields point at their cells (value and key alike);
    ``(section, id, "name", "zh")`` at the ``name_zh`` cell; list items
    ``(section, id, "roles", i)`` at the cell that lists them, with no key location.
    Locations are built when looked up.
    """

    def __init__(self, table: HrTable) -> None:
        self._table = table

    def __getitem__(self, path: DocPath) -> tuple[Location, Location | None]:
        if len(path) >= 2 and path[0] == self._table.section and isinstance(path[1], str):
            entity = self._table.entries.get(path[1])
            if entity is not None:
                for found, value, key in self._entry(path[1], entity, path):
                    if found == path:
                        return value, key
        raise KeyError(path)

    def entry_items(self, entity_id: str) -> Iterator[tuple[DocPath, Location, Location | None]]:
        """(path, value location, key location) of an entry, its fields, items and locales."""
        return self._entry(entity_id, self._table.entries[entity_id])

    def _entry(
        self, entity_id: str, entity: dict[str, Any], only: DocPath | None = None
    ) -> Iterator[tuple[DocPath, Location, Location | None]]:
        table = self._table
        section = table.section
        cells = cell_locations(table.file, *table._place(entity_id), table._width)
        where = cells[table._id_index]
        yield (section, entity_id), where, where
        for name, value in entity.items():
            if only is not None and (len(only) < 3 or only[2] != name):
                continue
            if isinstance(value, dict):
                first = cells[table._columns[(name, next(iter(value)))]]
                yield (section, entity_id, name), first, first
                for locale in value:
                    where = cells[table._columns[(name, locale)]]
                    yield (section, entity_id, name, locale), where, where
                continue
            where = cells[table._columns[(name, None)]]
            yield (section, entity_id, name), where, where
            if isinstance(value, list):
                for number in range(len(value)):
                    yield (section, entity_id, name, number), where, None

    def __iter__(self) -> Iterator[DocPath]:
        for entity_id in self._table.entries:
            for path, _, _ in self.entry_items(entity_id):
                yield path

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class HrTable:
    """What one HR export holds, as its YAML section would, with positions and findings."""

    file: str
    """The file's name as findings give it."""
    section: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True
    """False when the file could not be read to its end (encoding, NUL bytes, limits)."""
    rows: int = 0
    """Data rows read (blank rows and the header not counted), bad ones included."""
    header: Location | None = None
    """Where the header row is; ``None`` when the file has none."""
    _lines: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    """id -> the line its row starts on."""
    _texts: dict[str, str | tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)
    """id -> its row's raw text (see ``_Place``). Two flat mappings rather than one of
    tuples: 100,000 fewer objects for the garbage collector to walk."""
    _columns: dict[tuple[str, str | None], int] = field(
        default_factory=dict, init=False, repr=False
    )
    """(field, locale) -> the column it is read from."""
    _id_index: int = field(default=0, init=False, repr=False)
    _width: int = field(default=0, init=False, repr=False)
    """How many columns the header names (up to the last named one)."""

    def _place(self, entity_id: str) -> _Place:
        return self._lines[entity_id], self._texts[entity_id]

    @property
    def positions(self) -> HrPositions:
        """Every entry's paths -> (value location, key location), built on lookup."""
        return HrPositions(self)

    def materialize(self, path: DocPath, record: Recorder) -> None:
        """Record the positions of the entry ``path`` lies in (a ``PositionSource``)."""
        if len(path) >= 2 and path[0] == self.section and path[1] in self.entries:
            for entry_path, value, key in self.positions.entry_items(str(path[1])):
                record(entry_path, value, key)

    def fresh_entry_key(self, path: tuple[str, str], record: Recorder) -> Location | None:
        """No shortcut for a row's key (a ``PositionSource``): :meth:`materialize` reads it."""
        return None

    def attach(self, source: SourceMap) -> None:
        """Make ``source`` ask this table for the positions of its entries, on demand."""
        source.attach_lazy(self.file, self)
        section = self.section
        for entity_id in self.entries:
            source.claim((section, entity_id), self.file)

    def record_positions(self, record: Recorder) -> None:
        """Hand every position to ``record`` (e.g. ``SourceMap.record``) at once."""
        positions = self.positions
        for entity_id in self.entries:
            for path, value, key in positions.entry_items(entity_id):
                record(path, value, key)


def hr_section(path: Path) -> str | None:
    """The section ``path`` holds when it is an HR export (``people.csv``), else ``None``."""
    return HR_FILES.get(path.name)


def read_hr_csv(
    path: Path, section: str, limits: Limits = DEFAULT_LIMITS, *, max_rows: int | None = None
) -> HrTable:
    """Read the HR export at ``path`` as the ``section`` (``"people"`` or ``"teams"``).

    Never raises for what the file holds: every problem is a finding, bad rows are left
    out and the rest is read. Raises ``ValueError`` for an unknown ``section``.
    """
    if section not in COLUMNS:
        raise ValueError(f"no HR export for section {section!r}; expected one of {list(COLUMNS)}")
    rows = limits.max_hr_rows if max_rows is None else max_rows
    reader = _Reader(HrTable(display_name(path), section), limits, rows)
    reader.read(path)
    return reader.finish()


# ------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, table: HrTable, limits: Limits, max_rows: int) -> None:
        self.table = table
        self.limits = limits
        self.max_rows = max_rows
        self.dropped = 0
        self.plan: list[tuple[int, str, int, str | None]] = []
        """(column, field, _TEXT/_LIST/_LOCALIZED, locale) of every column read."""

    # ----------------------------------------------------------------- findings

    def problem(
        self,
        rule: str,
        message: str,
        where: tuple[int, int],
        subjects: tuple[str, ...] = (),
        related: tuple[Location, ...] = (),
    ) -> None:
        if len(self.table.findings) >= MAX_FINDINGS:
            self.dropped += 1
            return
        location = Location(self.table.file, *where)
        finding = make_finding(rule, message, location, subjects)
        self.table.findings.append(replace(finding, related=related) if related else finding)

    def csv_error(self, error: csv.Error, line: int) -> None:
        message = f"not valid CSV: {error}"
        if "field larger than field limit" in str(error):
            message = (
                f"a cell is longer than {csv.field_size_limit():,} characters; is a quote "
                'missing its closing `"`? The row is left out'
            )
        self.problem("schema", message, (line, 1))

    def finish(self) -> HrTable:
        if self.dropped:
            self.table.findings.append(
                make_finding(
                    "schema",
                    f"... and {self.dropped:,} more problems in this file, not shown; "
                    "fix the ones above first",
                    self.table.findings[-1].location,
                )
            )
        return self.table

    # -------------------------------------------------------------------- file

    def read(self, path: Path) -> None:
        try:
            size = path.stat().st_size
            if size > self.limits.max_file_bytes:
                self.table.complete = False
                self.problem(
                    "limit-exceeded",
                    exceeded(
                        "max_file_bytes",
                        self.limits.max_file_bytes,
                        f"the file is {size:,} bytes",
                        "it was not read: split it, every directory below the model may "
                        "hold its own people.csv and teams.csv",
                    ),
                    (1, 1),
                )
                return
            with path.open("rb") as stream:
                self._read_rows(CsvLines(stream, self.limits.max_file_bytes))
        except CsvTextError as error:
            self.table.complete = False
            message = f"{error.message}; {_EXPORT_AGAIN}" if error.encoding else error.message
            self.problem("schema", message, (error.line, error.column))
            # Text that is not UTF-8 or holds NUL bytes cannot be trusted row by row:
            # nothing of it is used. (A file over the row limit keeps its first rows.)
            self.table.entries.clear()
            self.table._lines.clear()
            self.table._texts.clear()
        except OSError as error:
            self.table.complete = False
            self.problem("schema", f"cannot read the file: {error.strerror}", (1, 1))

    def _read_rows(self, lines: CsvLines) -> None:
        rows = csv_rows(lines, self.csv_error)
        # Spreadsheets may leave blank rows anywhere, before the header too.
        first = next((found for found in rows if "".join(found[0]).strip()), None)
        if first is None:
            self.problem(
                "schema",
                "the file is empty: its first row must be a header naming the columns, "
                f"e.g. `{','.join(COLUMNS[self.table.section])}`",
                (1, 1),
            )
            return
        row, line, raw_lines = first
        if self._header(row, raw_lines, line):
            self._data_rows(rows)

    # ------------------------------------------------------------------ header

    def _header(self, row: list[str], raw_lines: list[str], line: int) -> bool:
        """Plan the columns from the header row; False when no row can be read."""
        table = self.table
        section = table.section
        known = COLUMNS[section]
        localized = LOCALIZED[section]
        line_of, column_of, unclosed = cell_starts(raw_lines, line, len(row))
        table.header = Location(table.file, line, 1)
        if unclosed is not None:
            table.complete = False
            self.problem(
                "schema",
                'a quoted cell of the header is never closed; add the closing `"`',
                unclosed,
            )
            return False
        # Spreadsheets often end the header with empty cells: the columns end at the last
        # named one, and a value beyond it is a row with more cells than the header.
        table._width = max((i + 1 for i, cell in enumerate(row) if cell.strip()), default=0)
        planned: list[tuple[int, str, str | None]] = []
        has_locales: set[str] = set()
        for index, cell in enumerate(row):
            raw_name = cell.strip()
            name = raw_name.lower()
            where = (line_of[index], column_of[index])
            if not name:
                if index < table._width:
                    self.problem(
                        "schema",
                        f"column {index + 1} has no name in the header; name it, or delete "
                        "the column: its values are ignored",
                        where,
                    )
                continue
            if name in known:
                planned.append((index, name, None))
                continue
            base, _, locale = raw_name.partition("_")
            base = base.lower()
            if base in localized and locale:
                language = _LANGUAGE.match(locale)
                head = language.group() if language else ""
                locale = head.lower() + locale[len(head) :]  # `ZH-Hant` -> `zh-Hant`
                if _LOCALE_RE.fullmatch(locale):
                    planned.append((index, base, locale))
                    has_locales.add(base)
                    continue
                self.problem(
                    "schema",
                    f"column `{printable(raw_name)}`: `{printable(locale)}` is not a locale; "
                    f"write {base}_<locale>, e.g. `{base}_zh` or `{base}_zh-Hant`; "
                    "its values are ignored",
                    where,
                )
                continue
            others = ", ".join(f"{text}_<locale>" for text in localized)
            self.problem(
                "schema",
                f"unknown column `{printable(raw_name)}`{_column_hint(name, section)}; "
                f"the columns of {section}.csv are {', '.join(known)} and {others}; "
                "its values are ignored",
                where,
            )
        seen = table._columns
        for index, name, text_locale in planned:
            if text_locale is None and name in has_locales:
                text_locale = "en"  # `name` beside `name_zh` is the English text
            previous = seen.get((name, text_locale))
            if previous is not None:
                self.problem(
                    "schema",
                    f"column `{printable(row[index].strip())}` repeats column "
                    f"`{printable(row[previous].strip())}` (column {previous + 1}); "
                    "keep one: this one is ignored",
                    (line_of[index], column_of[index]),
                )
                continue
            seen[(name, text_locale)] = index
            if name == "id":
                table._id_index = index
            else:
                kind = (
                    _LIST if name in _LIST_COLUMNS else _TEXT if text_locale is None else _LOCALIZED
                )
                self.plan.append((index, name, kind, text_locale))
        if ("id", None) not in seen:
            table.complete = False
            found = ", ".join(printable(cell.strip(), 20) for cell in row)
            self.problem(
                "schema",
                "the header has no `id` column, so no row can be read; the first row must "
                f"name the columns, id among them (it has: {found})",
                (line, 1),
            )
            return False
        return True

    # -------------------------------------------------------------------- rows

    def _data_rows(self, rows: Iterator[tuple[list[str], int, list[str]]]) -> None:
        """Read every row after the header into an entry.

        This loop runs once per row of exports with 100,000 people: it builds only the
        entry and keeps the row's raw text, from which positions are worked out when
        asked for. Rows with a problem go to :meth:`_rejected`.
        """
        table = self.table
        entries = table.entries
        row_lines = table._lines
        row_texts = table._texts
        text_columns = [(index, name) for index, name, kind, _ in self.plan if kind == _TEXT]
        list_columns = [(index, name) for index, name, kind, _ in self.plan if kind == _LIST]
        locale_columns = [
            (index, name, locale) for index, name, kind, locale in self.plan if kind == _LOCALIZED
        ]
        id_index = table._id_index
        header_width = table._width
        max_rows = self.max_rows
        max_chars = self.limits.max_scalar_chars
        is_id = ID_RE.fullmatch
        has_separator = _ITEM_SEPARATORS.search
        split_items = _ITEM_SEPARATORS.split
        raw_lines: list[str] = []
        line = 0
        for row, line, raw_lines in rows:
            width = len(row)
            entity_id = row[id_index].strip() if id_index < width else ""
            if not entity_id and not "".join(row).strip():
                continue  # a blank row, such as spreadsheets leave at the end
            table.rows += 1
            if table.rows > max_rows:
                table.complete = False
                self.problem(
                    "limit-exceeded",
                    exceeded(
                        "max_hr_rows",
                        max_rows,
                        "the file has more rows",
                        "the rest is not read: split it (every directory below the model "
                        f"may hold its own {table.section}.csv)",
                    ),
                    (line, 1),
                )
                return
            text = raw_lines[0] if len(raw_lines) == 1 else tuple(raw_lines)
            if (
                is_id(entity_id) is None
                or entity_id in row_lines
                or width > header_width
                or len(raw_lines) > 1
                or len(raw_lines[0]) > max_chars
            ) and self._rejected(row, (line, text), entity_id):
                continue
            if width < header_width:
                row += [""] * (header_width - width)
            entity: dict[str, Any] = {}
            for index, name in text_columns:
                cell = row[index].strip()
                if cell:
                    entity[name] = cell
            for index, name in list_columns:
                cell = row[index].strip()
                if not cell:
                    continue
                if has_separator(cell) is None:
                    entity[name] = [cell]
                else:
                    items = [item for item in map(str.strip, split_items(cell)) if item]
                    if items:
                        entity[name] = items
            for index, name, locale in locale_columns:
                cell = row[index].strip()
                if cell:
                    by_locale = entity.get(name)
                    if by_locale is None:
                        entity[name] = {locale: cell}
                    else:
                        by_locale[locale] = cell
            entries[entity_id] = entity
            row_lines[entity_id] = line
            row_texts[entity_id] = text
        self._check_last_row(raw_lines, line)

    def _rejected(self, row: list[str], place: _Place, entity_id: str) -> bool:
        """Report the row's problem, if it has one: True when the row is left out."""
        table = self.table
        width = len(row)
        header_width = table._width
        if width > header_width and any(cell.strip() for cell in row[header_width:]):
            extra = next(i for i in range(header_width, width) if row[i].strip())
            self.problem(
                "schema",
                f"the row has {width} cells but the header names {header_width} columns; "
                'is there a comma inside a cell? quote that cell ("Wang, Li"). '
                "The row is left out",
                cell_position(*place, extra),
            )
            return True
        id_index = table._id_index
        if ID_RE.fullmatch(entity_id) is None:
            if entity_id:
                message = (
                    f"`{printable(entity_id)}` is not a valid id{_id_hint(entity_id)}: ids "
                    "are lowercase letters, digits and `_`, starting with a letter, at most "
                    "64 characters. The row is left out"
                )
            else:
                message = (
                    "the row has no id; give every row an id such as `li_na`. The row is left out"
                )
            self.problem(
                "schema",
                message,
                cell_position(*place, min(id_index, width - 1)),
                (entity_id,) if entity_id else (),
            )
            return True
        if entity_id in table._lines:
            first_at = Location(table.file, *cell_position(*table._place(entity_id), id_index))
            where = cell_position(*place, id_index)
            singular = sections.section(table.section).singular
            self.problem(
                "duplicate-id",
                f"{singular} `{entity_id}` is defined twice in this file, in "
                f"the rows at lines {first_at.line} and {where[0]}; the first is kept: "
                "rename or remove one",
                where,
                (entity_id,),
                (first_at,),
            )
            return True
        longest = max(range(width), key=lambda i: len(row[i]))
        if len(row[longest]) > self.limits.max_scalar_chars:
            self.problem(
                "limit-exceeded",
                exceeded(
                    "max_scalar_chars",
                    self.limits.max_scalar_chars,
                    f"a cell of {len(row[longest]):,} characters",
                    "the row is left out",
                ),
                cell_position(*place, longest),
                (entity_id,),
            )
            return True
        return False

    def _check_last_row(self, raw_lines: list[str], line: int) -> None:
        """An unclosed quote swallows the rest of the file, so only the last row can
        have one: it is left out, with a finding where the quote opens."""
        if not any('"' in text for text in raw_lines):
            return
        _, _, unclosed = cell_starts(raw_lines, line, 0)
        if unclosed is None:
            return
        self.problem(
            "schema",
            "a quoted cell is never closed, so the rest of the file was read into it; "
            'add the closing `"`. The row is left out',
            unclosed,
        )
        table = self.table
        newest = next(reversed(table._lines.items()), None)
        if newest is not None and newest[1] == line:
            del table.entries[newest[0]]
            del table._lines[newest[0]]
            del table._texts[newest[0]]


def _column_hint(name: str, section: str) -> str:
    hinted = _COLUMN_HINTS[section].get(name.replace(" ", "_"))
    if hinted is not None:
        return f" (did you mean `{hinted}`?)"
    close = difflib.get_close_matches(name, COLUMNS[section], n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _id_hint(text: str) -> str:
    """A valid id close to ``text`` (``Li Na`` -> ``li_na``), as a hint."""
    candidate = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")
    return f" (did you mean `{candidate}`?)" if ID_RE.fullmatch(candidate) else ""
