"""Where each value of a model was written: paths in the merged document to file positions."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Protocol

from crmorg.findings import Location, Path

Recorder = Callable[[Path, Location, Location | None], None]
_Claim = tuple[Collection[object], frozenset[object], str]
"""Ids of one section, those of them left out (defined in an earlier file), the file."""


class PositionSource(Protocol):
    """Recovers positions of one file on demand (see ``crmorg.loading.positions``)."""

    def materialize(self, path: Path, record: Recorder) -> None: ...

    def fresh_entry_key(self, path: tuple[str, str], record: Recorder) -> Location | None:
        """Record and return an entry's key position in one step, when it can; else None,
        with nothing recorded, for :meth:`materialize` to do."""


class SourceMap:
    """Maps paths such as ``("roles", "sales_rep", "grants")`` to file positions.

    Each value keeps the position of its node; a mapping entry also keeps the
    position of its key, which is where "unknown field" and "duplicate" findings point.
    Lookups fall back to the nearest recorded ancestor, so every path resolves.
    """

    def __init__(self) -> None:
        self._values: dict[Path, Location] = {}
        self._keys: dict[Path, Location] = {}
        self._files: list[str] = []
        self._lazy: dict[str, PositionSource] = {}
        self._owner: dict[Path, str] = {}
        self._entry_claims: dict[object, list[_Claim]] = {}
        """section -> (ids, ids left out, file): the entries each lazily positioned file holds."""
        self._default: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self._files)

    def add_file(self, file: str) -> None:
        self._files.append(file)

    def record(self, path: Path, value: Location, key: Location | None = None) -> None:
        self._values[path] = value
        if key is not None:
            self._keys[path] = key

    def attach_lazy(self, file: str, positions: PositionSource) -> None:
        """Positions of ``file`` are recovered on demand; paths not claimed otherwise are its."""
        self._lazy[file] = positions
        self._default = file

    def claim(self, prefix: Path, file: str) -> None:
        """Paths below ``prefix`` were written in ``file`` (a lazily positioned one)."""
        self._owner[prefix] = file

    def claim_all(self, prefixes: Iterable[Path], file: str) -> None:
        """:meth:`claim` for many prefixes at once (every entry of a large file)."""
        self._owner.update(dict.fromkeys(prefixes, file))

    def claim_entries(self, section: object, ids: Collection[object], file: str) -> None:
        """:meth:`claim` for ``(section, id)`` of every id in ``ids``, which is kept as it
        is (a large file's section mapping) rather than copied id by id."""
        self._entry_claims.setdefault(section, []).append((ids, frozenset(), file))

    def update(self, other: SourceMap, skip: Iterable[Path] = ()) -> None:
        """Take over ``other``'s positions, except below the ``skip`` prefixes."""
        skipped = tuple(skip)

        def kept(path: Path) -> bool:
            return not any(path[: len(prefix)] == prefix for prefix in skipped)

        if skipped:
            self._values.update((p, v) for p, v in other._values.items() if kept(p))
            self._keys.update((p, k) for p, k in other._keys.items() if kept(p))
            self._owner.update((p, f) for p, f in other._owner.items() if kept(p))
        else:
            self._values.update(other._values)
            self._keys.update(other._keys)
            self._owner.update(other._owner)
        for section, claims in other._entry_claims.items():
            if any(prefix in ((), (section,)) for prefix in skipped):
                continue
            left_out = frozenset(p[1] for p in skipped if len(p) == 2 and p[0] == section)
            self._entry_claims.setdefault(section, []).extend(
                (ids, excluded | left_out, file) for ids, excluded, file in claims
            )
        self._lazy.update(other._lazy)
        for file in other._files:
            if file not in self._files:
                self._files.append(file)

    def has(self, path: Path) -> bool:
        return path in self._values

    def _materialize(self, path: Path) -> None:
        positions = self._positions(path)
        if positions is not None:
            positions.materialize(path, self.record)

    def _positions(self, path: Path) -> PositionSource | None:
        """What recovers the positions of the file ``path`` was written in, if lazily."""
        file = (
            self._owner.get(path[:2])
            or self._entry_owner(path)
            or self._owner.get(path[:1])
            or self._default
        )
        return self._lazy.get(file) if file is not None else None

    def _entry_owner(self, path: Path) -> str | None:
        if len(path) < 2:
            return None
        entry = path[1]
        for ids, excluded, file in self._entry_claims.get(path[0], ()):
            if entry in ids and entry not in excluded:
                return file
        return None

    def value(self, path: Path) -> Location:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        if self._lazy and path not in self._values:
            self._materialize(path)
        for end in range(len(path), 0, -1):
            found = self._values.get(path[:end])
            if found is not None:
                return found
        return Location(self._files[0] if self._files else "<model>", 1, 1)

    def locate(self, wanted: Iterable[tuple[Path, bool]]) -> list[Location]:
        """:meth:`key` (when the flag is true) or :meth:`value` of each path, in order:
        the same positions, recorded the same way, as one call per path. The keys of
        entries, where most findings of a large model point, take fewer steps."""
        found: list[Location] = []
        keys = self._keys
        for path, at_key in wanted:
            if not at_key:
                found.append(self.value(path))
                continue
            location = keys.get(path)
            if location is None and self._lazy and len(path) == 2:
                section, entry = path
                if type(section) is str and type(entry) is str:
                    positions = self._positions(path)
                    if positions is not None:
                        location = positions.fresh_entry_key((section, entry), self.record)
            found.append(location if location is not None else self.key(path))
        return found

    def key(self, path: Path) -> Location:
        """Position of the key that introduces ``path`` (falls back to the value)."""
        if self._lazy and path not in self._keys:
            self._materialize(path)
        found = self._keys.get(path)
        return found if found is not None else self.value(path)
