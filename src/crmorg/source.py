"""Where each value of a model was written: paths in the merged document to file positions."""

from __future__ import annotations

from collections.abc import Iterable

from crmorg.findings import Location, Path


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

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self._files)

    def add_file(self, file: str) -> None:
        self._files.append(file)

    def record(self, path: Path, value: Location, key: Location | None = None) -> None:
        self._values[path] = value
        if key is not None:
            self._keys[path] = key

    def update(self, other: SourceMap, prefix_map: Iterable[tuple[Path, Path]] = ()) -> None:
        self._values.update(other._values)
        self._keys.update(other._keys)
        for file in other._files:
            if file not in self._files:
                self._files.append(file)

    def has(self, path: Path) -> bool:
        return path in self._values

    def value(self, path: Path) -> Location:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        for end in range(len(path), 0, -1):
            found = self._values.get(path[:end])
            if found is not None:
                return found
        return Location(self._files[0] if self._files else "<model>", 1, 1)

    def key(self, path: Path) -> Location:
        """Position of the key that introduces ``path`` (falls back to the value)."""
        found = self._keys.get(path)
        return found if found is not None else self.value(path)

    def file_of(self, path: Path) -> str:
        return self.value(path).file
