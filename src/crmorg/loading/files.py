"""Finding model files and reading them as text, with findings for unreadable ones."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from crmorg.findings import Finding, Location
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import Limits, exceeded

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

    Files come in sorted path order; names starting with ``.`` are skipped. Symbolic
    links to directories are followed, each real directory once. Whatever cannot be read
    as a file is listed all the same, so that :func:`read_source` reports it: a broken
    or looping link, a FIFO or device named like a model file, and a link back to a
    directory already walked (a loop). ``root`` itself is listed unless it is a
    directory, whatever it is, so a FIFO or ``/dev/zero`` as PATH gets a finding.
    """
    if not root.is_dir():
        return [root]
    found: list[Path] = []
    top = root.resolve()
    walked = {top}
    pending = [root]
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = directory / entry.name
                if _is_directory(entry):
                    real = path.resolve()
                    if real in walked or top.is_relative_to(real):
                        found.append(path)  # a loop: read_source says so
                    else:
                        walked.add(real)
                        pending.append(path)
                elif _named_as_model_file(path) or (
                    entry.is_symlink() and not path.exists() and not path.suffix
                ):
                    found.append(path)
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a loop of links: listed as a file, if named like one, and reported
        return False


def _named_as_model_file(path: Path) -> bool:
    return path.suffix in MODEL_SUFFIXES or path.name in HR_FILE_NAMES


def display_name(path: Path) -> str:
    """How findings name a file: relative to the working directory when below it.

    A link is named as itself, not as its target, which may not exist or may loop.
    """
    try:
        return (path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(path: Path, limits: Limits) -> tuple[SourceText | None, list[Finding]]:
    """Read ``path`` as UTF-8 text; binary, oversized or undecodable files give findings.

    Only regular files are opened, and without blocking, so a FIFO never hangs the run.
    """
    name = display_name(path)
    start = Location(name, 1, 1)
    unreadable = _unreadable(path)
    if unreadable is not None:
        return None, [make_finding("yaml-syntax", unreadable, start)]
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):  # replaced since it was checked
                return None, [make_finding("yaml-syntax", _not_regular(status.st_mode), start)]
            size = status.st_size
            if size > limits.max_file_bytes:
                return None, [
                    make_finding(
                        "limit-exceeded",
                        exceeded(
                            "max_file_bytes",
                            limits.max_file_bytes,
                            f"the file is {size:,} bytes",
                            "it was not read: split it into several files in a model directory",
                        ),
                        start,
                    )
                ]
            raw = file.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return None, [make_finding("yaml-syntax", f"cannot read the file: {exc.strerror}", start)]
    wide = _wide_encoding(raw)
    if wide is not None:
        return None, [
            make_finding(
                "yaml-syntax",
                f"the file is {wide} text; crmorg reads UTF-8: save it as UTF-8",
                start,
            )
        ]
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


def _unreadable(path: Path) -> str | None:
    """Why ``path`` is no file to read (a broken link, a loop, a FIFO...), if it is not."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "the file is a loop of symbolic links; point the link at a real file"
        if path.is_symlink():
            return (
                f"the file is a symbolic link to {path.readlink()}, which does not exist; "
                "fix the link or remove it"
            )
        return f"cannot read the file: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return "a symbolic link to a directory already read (a loop of links); remove the link"
    return None if stat.S_ISREG(mode) else _not_regular(mode)


def _not_regular(mode: int) -> str:
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"the path is {kind}, not a model file; give the path of a YAML file or directory"


_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, told by the BOM or, without one, by where the NULs of the first
    characters fall (YAML's own detection: its text starts with ASCII)."""
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return encoding
    head = raw[:4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    nul = [byte == 0 for byte in head]
    if nul == [True, True, True, False]:
        return "UTF-32 (big-endian)"
    if nul == [False, True, True, True]:
        return "UTF-32 (little-endian)"
    if nul[0] and not nul[1]:
        return "UTF-16 (big-endian)"
    if nul[1] and not nul[0]:
        return "UTF-16 (little-endian)"
    return None


def _byte_location(name: str, raw: bytes, offset: int) -> Location:
    """The line and column (in characters, as everywhere else) of byte ``offset``."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(name, line, column)
