"""Positions recovered on demand for files read by the fast parser.

A fast-parsed file keeps its text. When a finding needs the position of a path such as
``("people", "p123", "roles", 0)``, the block of that entry is found by a scan of the
file's lines (block-style YAML puts each entry's key on a line of its own). The entry's
lines are read by :func:`~crmorg.loading.block_positions.scan_block_entry` when they are
plain ``key: value`` lines, and otherwise by the safe positioned reader; either way its
lines are offset to the file's. Files in flow style, or paths outside an entry, fall back
to reading the whole file once.

The positions are exactly those of reading the entry with PyYAML when it is first
needed, as this module did before the scan: that reading recorded every path of the
entry, and its root mapping as the section's value (the fallback of paths outside any
entry, so the last entry first needed wins). A scanned entry answers each later path
from its positions, as if they had all been recorded then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from crmorg.findings import Location, Path
from crmorg.loading.limits import Limits

if TYPE_CHECKING:
    from crmorg.loading.block_positions import BlockEntry, Point

Recorder = Callable[[Path, Location, Location | None], None]
_Span = tuple[int, int, int]
"""An entry's [start, end) character offsets and the 0-based line it starts on."""
_SECTION = re.compile(r"\n([A-Za-z_][A-Za-z0-9_]*)[ ]*:")
_FIRST_ENTRY = re.compile(r"\n( +)[a-z][a-z0-9_]*[ ]*:")
_FIRST_CONTENT = re.compile(r"\n(?:[ ]*(?:#[^\n]*)?\r?\n)*[ ]*([^ #\r\n])")
"""The first character after a line break that is not blank and starts no comment."""
_HEAD = 80
"""How much of the line below an entry's key is looked at for its value, before the
search for it (:data:`_FIRST_CONTENT`)."""


class LazyPositions:
    """Recovers positions in one fast-parsed file, entry by entry."""

    def __init__(
        self,
        name: str,
        text: str,
        list_offsets: dict[str, int],
        limits: Limits,
    ) -> None:
        self.name = name
        self.text = text
        self.list_offsets = list_offsets
        self.limits = limits
        self._entries: dict[tuple[str, ...], _Span] | None = None
        self._done: set[tuple[str, ...]] = set()
        self._scanned: dict[tuple[str, ...], tuple[BlockEntry, int]] = {}
        self._keyed: set[tuple[str, ...]] = set()  # entries whose own position alone is known
        self._whole_file_done = False

    def materialize(self, path: Path, record: Recorder) -> None:
        """Record the position of ``path``, reading the entry it lies in when first needed."""
        if self._whole_file_done or not path:
            return
        key = (str(path[0]), str(path[1])) if len(path) > 1 else (str(path[0]),)
        scanned = self._scanned.get(key)
        if scanned is not None:
            self._record_scanned(path, *scanned, record)
            return
        if key in self._done:
            return
        if len(path) == 1:
            self._done.add(key)
            self._read_section(str(path[0]), record)
            return
        span = self._entry_span(key)
        if span is None:
            self._done.add(key)
            self._read_whole(record)
            return
        first_need = key not in self._keyed
        if len(path) == 2 and first_need and self._record_entry(path, span, record) is not None:
            # Most findings point at an entry itself: its key and where its value starts
            # are on the lines the scan found, with no need to read the entry.
            self._keyed.add(key)
            return
        self._done.add(key)
        start, end, first_line = span
        # Imported when a position is first asked for: a clean model never needs it.
        from crmorg.loading import block_positions

        # The scan stays well inside the nesting bound that the positioned reader checks.
        may_scan = self.limits.max_nesting_depth > 2 * block_positions.MAX_DEPTH
        entry = block_positions.simple_entry(self.text[start:end]) if may_scan else None
        if entry is None:
            self._read_entry(str(path[0]), span, record)
            return
        self._scanned[key] = (entry, first_line)
        if first_need:
            record(path[:1], self._at(entry.root, first_line), None)
        self._record_scanned(path, entry, first_line, record)

    def fresh_entry_key(self, path: tuple[str, str], record: Recorder) -> Location | None:
        """The position of the key of the entry ``path``, ``(section, id)``, recorded as
        :meth:`materialize` records it, when no position of the entry was needed before
        and its lines show it plainly (:meth:`_record_entry`); else None, with nothing
        recorded, for :meth:`materialize` to do. The one step most findings of a large
        model need, without the checks that a path deeper in an entry needs."""
        if (
            self._whole_file_done
            or path in self._keyed
            or path in self._done
            or path in self._scanned
        ):
            return None
        entries = self._entries
        span = (entries if entries is not None else self._scanned_entries()).get(path)
        if span is None:
            return None
        at_key = self._record_entry(path, span, record)
        if at_key is not None:
            self._keyed.add(path)
        return at_key

    def _record_entry(self, path: Path, span: _Span, record: Recorder) -> Location | None:
        """Record an entry's key and the start of its value, as PyYAML marks them, when
        the lines show them plainly: the value is on the key's line, or it is the first
        line below that is neither blank nor a comment; the key's position. None (and
        nothing recorded) leaves it to the reading."""
        start, end, first = span
        text = self.text
        newline = text.find("\n", start, end)
        line_end = end if newline == -1 else newline
        key_line = text[start:line_end]
        indent = len(key_line) - len(key_line.lstrip(" "))
        colon = key_line.find(":", indent)
        if colon == -1:
            return None
        inline = key_line[colon + 1 :].lstrip(" ")
        name = self.name
        if inline.rstrip("\r") and not inline.startswith("#"):
            value = Location(name, first + 1, len(key_line) - len(inline) + 1)
        else:
            head = text[line_end + 1 : min(end, line_end + 1 + _HEAD)]
            pad = len(head) - len(head.lstrip(" "))
            if pad < len(head) and head[pad] not in "#\r\n":
                # On the next line, where the search below would find it first.
                value = Location(name, first + 2, pad + 1)
            else:
                below = _FIRST_CONTENT.search(text, line_end, end)
                if below is None:
                    return None  # an empty value: PyYAML marks it where the reading says
                at = below.start(1)
                value = Location(
                    name, first + text.count("\n", start, at) + 1, at - text.rfind("\n", 0, at)
                )
        at_key = Location(name, first + 1, indent + 1)  # one position, twice recorded
        record(path[:1], at_key, None)
        record(path, value, at_key)
        return at_key

    def _record_scanned(
        self, path: Path, entry: BlockEntry, first_line: int, record: Recorder
    ) -> None:
        """Record the deepest prefix of ``path`` that the scanned entry holds."""
        found, value, key = entry.locate(path[1:])
        at_key = self._at(key, first_line) if key is not None else None
        record((path[0], *found), self._at(value, first_line), at_key)

    def _at(self, point: Point, first_line: int) -> Location:
        return Location(self.name, point[0] + first_line + 1, point[1] + 1)

    def _entry_span(self, key: tuple[str, ...]) -> _Span | None:
        """The span of the entry ``(section, id)``."""
        entries = self._entries
        return (entries if entries is not None else self._scanned_entries()).get(key)

    def _scanned_entries(self) -> dict[tuple[str, ...], _Span]:
        if self._entries is None:
            self._entries = _scan_entries(self.text)
        return self._entries

    def _read_entry(self, section: str, span: _Span, record: Recorder) -> None:
        from crmorg.loading.yaml_nodes import parse_yaml

        start, end, first_line = span
        chunk = self.text[start:end]

        def shifted(path: Path, value: Location, key: Location | None) -> None:
            record(
                (section, *path),
                Location(self.name, value.line + first_line, value.column),
                Location(self.name, key.line + first_line, key.column) if key else None,
            )

        parse_yaml(chunk, self.name, shifted, self.limits)

    def _read_section(self, section: str, record: Recorder) -> None:
        """A top-level key's position, from a scan: no parse needed."""
        padded = "\n" + self.text
        for match in _SECTION.finditer(padded):
            if match.group(1) == section:
                line = self.text.count("\n", 0, match.start())
                column = match.end() - match.start()
                record(
                    (section,),
                    Location(self.name, line + 1, column),
                    Location(self.name, line + 1, 1),
                )
                return

    def _read_whole(self, record: Recorder) -> None:
        from crmorg.loading.yaml_nodes import parse_yaml

        self._whole_file_done = True

        def remapped(path: Path, value: Location, key: Location | None) -> None:
            if len(path) >= 2 and path[0] in self.list_offsets and isinstance(path[1], int):
                path = (path[0], path[1] + self.list_offsets[str(path[0])], *path[2:])
            record(path, value, key)

        parse_yaml(self.text, self.name, remapped, self.limits)


def _scan_entries(text: str) -> dict[tuple[str, ...], _Span]:
    """(section, id) -> the [start, end) character span of each block-style entry, and
    the 0-based line it starts on (line breaks counted between one entry and the next).

    Regular expressions that begin with a newline let the scan run at C speed over
    many megabytes. Offsets are found in ``"\\n" + text``, where the line starting at
    text offset ``i`` follows the newline at padded offset ``i``.
    """
    spans: dict[tuple[str, ...], _Span] = {}
    counted, line = 0, 0
    padded = "\n" + text
    sections = [(m.group(1), m.start(), m.end()) for m in _SECTION.finditer(padded)]
    for index, (section, _line, body_start) in enumerate(sections):
        body_end = sections[index + 1][1] if index + 1 < len(sections) else len(text)
        first = _FIRST_ENTRY.search(padded, body_start, body_end)
        if first is None:
            continue
        entry = re.compile("\n" + first.group(1) + r"([a-z][a-z0-9_]*)[ ]*:")
        starts = [(m.group(1), m.start()) for m in entry.finditer(padded, body_start, body_end)]
        for position, (entity_id, begin) in enumerate(starts):
            finish = starts[position + 1][1] if position + 1 < len(starts) else body_end
            line += text.count("\n", counted, begin)
            counted = begin
            spans.setdefault((section, entity_id), (begin, finish, line))
    return spans
