"""Writing crmorg's output all at once or not at all: a whole directory, or one file.

Every output (an export, the handbook, a chart) is rendered in memory first and then
written here, so one set of rules holds for all of them:

- :func:`write_directory` writes every file into a fresh hidden directory beside the
  destination (``.DIR.<random>.tmp``), flushes each to disk and renames the directory
  into place. An existing destination is renamed away first and deleted only once the
  new one is in place; on any failure the staging directory, and any parent directory
  this call created, is removed and the old destination put back. A reader sees the old
  output or the new one, never a mixture.
- An existing directory is replaced only when crmorg recognises it as its own
  (:class:`KnownFiles` or :class:`MarkerFile`) or the caller forces it, so a mistyped
  ``--out`` never deletes work. A symbolic link or a file in its place is refused.
- :func:`write_file` does the same for one file: a temporary file in the same
  directory, flushed, then renamed over the destination.
- Any failure of the file system (no permission, not a directory, disk full, file too
  large) is a :class:`WriteError` naming the path and the cause.
- Staging paths carry the writing process's id (``.out.crmorg-1234-<random>.tmp``), so
  a later write to the same destination removes those of a process that is gone (a run
  that was killed) and says so; a previous output that cannot be removed after the swap
  is reported, never silently left behind. Reports go to the ``crmorg.output`` logger.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

FilesWritten = Callable[[int, int], None]
"""Told ``(files written so far, files in all)`` after each file."""


class OutputError(Exception):
    """The output cannot go where it was asked to; nothing was changed."""


class WriteError(OSError):
    """Writing failed (permission, disk full, file too large...); nothing was changed."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, f"cannot write {path}: {cause.strerror or cause}")
        self.path = path

    def __str__(self) -> str:
        return str(self.strerror)


class ForeignDirectoryError(OutputError):
    """The destination holds files that crmorg did not write; ``entries`` names them."""

    def __init__(self, directory: Path, entries: list[str]) -> None:
        self.entries = entries
        shown = ", ".join(entries[:5]) + (" ..." if len(entries) > 5 else "")
        super().__init__(
            f"{directory} holds files not written by crmorg ({shown}); it is replaced "
            "whole, so choose a new or empty directory"
        )


class Ownership(Protocol):
    """How crmorg recognises a directory it wrote, which it may therefore replace."""

    def foreign(self, directory: Path) -> list[str]:
        """The entries of ``directory`` that crmorg did not write (sorted)."""
        ...

    def reserved(self) -> Mapping[str, str]:
        """Files added to every output (name -> text); no rendered path may use them."""
        ...


@dataclass(frozen=True)
class KnownFiles:
    """Output recognised by its entries' names: a directory of nothing but these files
    (and these sub-directories, for a target that writes a tree)."""

    names: frozenset[str]
    directories: frozenset[str] = frozenset()

    def foreign(self, directory: Path) -> list[str]:
        return sorted(entry.name for entry in directory.iterdir() if not self._known(entry))

    def _known(self, entry: Path) -> bool:
        if entry.is_symlink():
            return False
        if entry.name in self.names:
            return entry.is_file()
        return entry.name in self.directories and entry.is_dir()

    def reserved(self) -> Mapping[str, str]:
        return {}


@dataclass(frozen=True)
class MarkerFile:
    """Output recognised by a marker file written into it (or an empty directory)."""

    name: str
    text: str

    def foreign(self, directory: Path) -> list[str]:
        if (directory / self.name).is_file():
            return []
        return sorted(entry.name for entry in directory.iterdir())

    def reserved(self) -> Mapping[str, str]:
        return {self.name: self.text}


def check_relative_path(path: str, reserved: Collection[str] = ()) -> None:
    """Raise ``ValueError`` unless ``path`` is a plain relative POSIX path inside the output."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") for part in parts)
        or parts[0] in reserved
    ):
        raise ValueError(f"unsafe path {path!r} for a file of the output")


def write_directory(
    out_dir: Path,
    files: Mapping[str, str | bytes],
    ownership: Ownership,
    *,
    force: bool = False,
    progress: FilesWritten | None = None,
) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files`` (relative path -> text, written as UTF-8,
    or bytes).

    ``ownership`` says which existing directory may be replaced; ``force`` replaces any
    directory. Returns the paths written, under ``out_dir`` as given, sorted.
    """
    reserved = ownership.reserved()
    for path in files:
        check_relative_path(path, reserved)
    target = Path(out_dir).absolute()
    with _failures_named(Path(out_dir)):
        _check_parents(Path(out_dir))
        _check_destination(target, ownership, force)
        with _staged(target, lambda stage: stage.mkdir()) as staging:
            for done, path in enumerate(sorted(files), start=1):
                _write_file(staging.joinpath(*path.split("/")), files[path])
                if progress is not None:
                    progress(done, len(files))
            for name, text in reserved.items():
                _write_file(staging / name, text)
            _fsync_directory(staging)
            _swap_into_place(staging, target)
    return [Path(out_dir).joinpath(*path.split("/")) for path in sorted(files)]


def write_file(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Replace the file ``path`` with ``text`` (UTF-8; bytes as they are; pieces of text
    one after another, so a large report need not be held whole) in one rename."""
    target = Path(path).absolute()
    with _failures_named(Path(path)):
        _check_parents(Path(path))
        if target.is_symlink():
            raise OutputError(f"{path} is a symbolic link; give the real file")
        if target.is_dir():
            raise OutputError(f"{path} is a directory; give a file name")
        with _staged(target, lambda stage: None) as staging:
            _write_file(staging, text)
            staging.replace(target)


@contextlib.contextmanager
def _failures_named(path: Path) -> Iterator[None]:
    """Any failure of the file system as a :class:`WriteError` about ``path``."""
    try:
        yield
    except WriteError:
        raise
    except OSError as failure:
        raise WriteError(path, failure) from failure


def _check_parents(path: Path) -> None:
    """Refuse a path below a file, naming the file as the user wrote it."""
    above = next((p for p in path.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise OutputError(f"{above} is a file, not a directory")


def _check_destination(out_dir: Path, ownership: Ownership, force: bool) -> None:
    if out_dir.is_symlink():
        raise OutputError(f"{out_dir} is a symbolic link; give the real directory")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a directory")
    foreign = ownership.foreign(out_dir)
    if foreign and not force:
        raise ForeignDirectoryError(out_dir, foreign)


@contextlib.contextmanager
def _staged(target: Path, make: Callable[[Path], None]) -> Iterator[Path]:
    """A fresh hidden path beside ``target``, removed (with new parents) on failure."""
    created = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    staging: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        # Beside the target, so on the same file system: the final rename is atomic.
        staging = _beside(target, "tmp")
        make(staging)
        yield staging
        staging = None
        _fsync_directory(target.parent)
    except BaseException:
        if staging is not None:
            if staging.is_dir():
                shutil.rmtree(staging, ignore_errors=True)
            else:
                staging.unlink(missing_ok=True)
        for directory in created:  # nearest first; only the ones this call made
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _write_file(path: Path, content: str | bytes | Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        if isinstance(content, (str, bytes)):
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        else:
            for piece in content:
                handle.write(piece.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Rename ``staging`` to ``out_dir``; the old ``out_dir`` goes only once it is in."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    previous = _beside(out_dir, "old")
    out_dir.rename(previous)
    try:
        staging.rename(out_dir)
    except BaseException:
        previous.rename(out_dir)
        raise
    _remove(previous, "the previous output, moved aside")


def _beside(target: Path, kind: str) -> Path:
    """A fresh hidden path beside ``target`` that names this process."""
    return target.parent / f".{target.name}.crmorg-{os.getpid()}-{secrets.token_hex(6)}.{kind}"


def _remove_stale(target: Path) -> None:
    """Remove what a process that is gone left beside ``target`` (it was killed)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.crmorg-(\d+)-[0-9a-f]{{12}}\.(tmp|old)")
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            found = pattern.fullmatch(entry.name)
            if found is not None and not _alive(int(found.group(1))):
                _warn(f"removing {entry}, left by an interrupted crmorg run")
                _remove(entry, "a stale copy left by an interrupted run")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def _remove(path: Path, what: str) -> None:
    """Delete ``path``; what cannot be deleted is reported, not silently left."""
    failures: list[str] = []

    def failed(function: object, name: str, info: BaseException) -> None:  # rmtree's hook
        failures.append(f"{name}: {getattr(info, 'strerror', None) or info}")

    if path.is_dir() and not path.is_symlink():
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=failed)
        else:
            shutil.rmtree(path, onerror=lambda f, n, e: failed(f, n, e[1]))
    else:
        try:
            path.unlink(missing_ok=True)
        except OSError as failure:
            failed(None, str(path), failure)
    if failures:
        _warn(f"{path} could not be removed ({what}: {failures[0]}); delete it by hand")


def _warn(message: str) -> None:
    """Report through the ``crmorg.output`` logger; with no logging set up, Python
    prints warnings on standard error, which is what the command line wants."""
    import logging  # only when there is something to say: it is slow to import

    logging.getLogger("crmorg.output").warning("crmorg: warning: %s", message)
