"""Writing an export directory all at once, or not at all.

Every file is written into a fresh directory beside the destination, which is then
renamed into place. An existing destination is renamed away first and deleted only once
the new one is in place; on any failure the staging directory is removed and the old
destination put back, so a reader never sees a half-written export.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

from crmorg.export.errors import ExportError
from crmorg.swap import sibling, swap_into_place


def _check_destination(out_dir: Path, replaceable: Collection[str]) -> None:
    if out_dir.is_symlink():
        raise ExportError(f"{out_dir} is a symbolic link; give the real directory")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a directory")
    foreign = sorted(
        entry.name
        for entry in out_dir.iterdir()
        if entry.name not in replaceable or entry.is_symlink() or not entry.is_file()
    )
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise ExportError(
            f"{out_dir} holds files that crmorg did not export ({shown}); it replaces the "
            "whole directory, so choose a new or empty one"
        )


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_directory(
    out_dir: Path, files: Mapping[str, str], replaceable: Collection[str]
) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files`` (name -> text, written as UTF-8).

    An existing ``out_dir`` is replaced only when it holds nothing but files named in
    ``replaceable`` (what crmorg exports), so a mistyped ``--out`` never deletes work.
    """
    given = out_dir
    out_dir = Path(out_dir).absolute()
    _check_destination(out_dir, replaceable)
    created = [p for p in (out_dir.parent, *out_dir.parent.parents) if not p.exists()]
    staging: Path | None = None
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = sibling(out_dir, "tmp")
        staging.mkdir()
        for name, text in sorted(files.items()):
            if Path(name).name != name or name in {"", ".", ".."}:
                raise ExportError(f"an exporter gave an unsafe file name: {name!r}")
            with (staging / name).open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        _fsync_directory(staging)
        swap_into_place(staging, out_dir)
        staging = None
        _fsync_directory(out_dir.parent)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for directory in created:  # nearest first; only the ones this call made
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return [given / name for name in sorted(files)]
