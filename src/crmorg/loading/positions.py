"""Positions recovered on demand for files read by the fast parser.

A fast-parsed file keeps its text. When a finding needs the position of a path such as
``("people", "p123", "roles", 0)``, the block of that entry is found by a scan of the
file's lines (block-style YAML puts each entry's key on a line of its own), and only that
block is read by the safe positioned reader, its lines offset to the file's. Files in
flow style, or paths outside an entry, fall back to reading the whole file once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crmorg.findings import Location, Path
from crmorg.loading.limits import Limits

Recorder = Callable[[Path, Location, Location | None], None]
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:")
_ENTRY_KEY = re.compile(r"( +)([a-z][a-z0-9_]*)\s*:")


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
        self._entries: dict[tuple[str, str], tuple[int, int]] | None = None
        self._done: set[tuple[str, ...]] = set()
        self._whole_file_done = False

    def materialize(self, path: Path, record: Recorder) -> None:
        """Record the positions of the entry that ``path`` lies in (once)."""
        if self._whole_file_done or not path:
            return
        key = tuple(str(part) for part in path[:2])
        if key in self._done:
            return
        self._done.add(key)
        span = self._entry_span(path) if len(path) >= 2 else None
        if span is None:
            self._read_whole(record)
            return
        self._read_entry(str(path[0]), span, record)

    def _entry_span(self, path: Path) -> tuple[int, int] | None:
        if self._entries is None:
            self._entries = _scan_entries(self.text)
        return self._entries.get((str(path[0]), str(path[1])))

    def _read_entry(self, section: str, span: tuple[int, int], record: Recorder) -> None:
        from crmorg.loading.yaml_nodes import parse_yaml

        start, end = span
        lines = self.text.split("\n")[start:end]
        chunk = "\n".join(lines) + "\n"

        def shifted(path: Path, value: Location, key: Location | None) -> None:
            record(
                (section, *path),
                Location(self.name, value.line + start, value.column),
                Location(self.name, key.line + start, key.column) if key else None,
            )

        parse_yaml(chunk, self.name, shifted, self.limits)

    def _read_whole(self, record: Recorder) -> None:
        from crmorg.loading.yaml_nodes import parse_yaml

        self._whole_file_done = True

        def remapped(path: Path, value: Location, key: Location | None) -> None:
            if len(path) >= 2 and path[0] in self.list_offsets and isinstance(path[1], int):
                path = (path[0], path[1] + self.list_offsets[str(path[0])], *path[2:])
            record(path, value, key)

        parse_yaml(self.text, self.name, remapped, self.limits)


def _scan_entries(text: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(section, id) -> the [start, end) line span of each block-style entry."""
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    lines = text.split("\n")
    section: str | None = None
    indent: int | None = None
    current: tuple[str, str] | None = None
    current_start = 0
    for number, line in enumerate(lines):
        if not line or line.lstrip().startswith("#"):
            continue
        if line[0] != " ":
            if current is not None:
                spans[current] = (current_start, number)
                current = None
            top = _TOP_KEY.match(line)
            section = top.group(1) if top else None
            indent = None
            continue
        if section is None:
            continue
        entry = _ENTRY_KEY.match(line)
        width = len(line) - len(line.lstrip(" "))
        if indent is None and entry is not None:
            indent = width
        if entry is not None and width == indent:
            if current is not None:
                spans[current] = (current_start, number)
            current = (section, entry.group(2))
            current_start = number
    if current is not None:
        spans[current] = (current_start, len(lines))
    return spans
