"""Finding model files and reading them as text, with findings for unreadable ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmorg.findings import Finding, Location
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import Limits

MODEL_SUFFIXES = (".yaml", ".yml")
HR_FILE_NAMES = frozenset({"people.csv", "teams.csv"})
"""HR exports read beside the YAML of a model directory (see docs/hr-csv.md)."""


@dataclass(frozen=True)
class SourceText:
    """The text of one model file, with the name findings use for it."""

    name: str
    text: str


def model_files(root: Path) -> list[Path]:
    """The model files of ``root``: itself, or every YAML file (and HR export) below it.

    Files come in sorted path order; names starting with ``.`` are skipped.
    """
    if root.is_file():
        return [root]
    found = [
        path
        for path in root.rglob("*")
        if (path.suffix in MODEL_SUFFIXES or path.name in HR_FILE_NAMES)
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def display_name(path: Path) -> str:
    """How findings name a file: relative to the working directory when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(path: Path, limits: Limits) -> tuple[SourceText | None, list[Finding]]:
    """Read ``path`` as UTF-8 text; binary, oversized or undecodable files give findings."""
    name = display_name(path)
    start = Location(name, 1, 1)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return None, [
                make_finding(
                    "yaml-syntax",
                    f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}; "
                    "split it into several files in a model directory",
                    start,
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [make_finding("yaml-syntax", f"cannot read the file: {exc.strerror}", start)]
    if b"\x00" in raw:
        return None, [
            make_finding(
                "yaml-syntax",
                "the file is binary (it holds NUL bytes), not YAML text; "
                "remove it from the model directory",
                _byte_location(name, raw, raw.index(b"\x00")),
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            make_finding(
                "yaml-syntax",
                "the file is not valid UTF-8 text; save it as UTF-8",
                _byte_location(name, raw, exc.start),
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceText(name, text), []


def _byte_location(name: str, raw: bytes, offset: int) -> Location:
    """The line and column (in characters, as everywhere else) of byte ``offset``."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(name, line, column)
