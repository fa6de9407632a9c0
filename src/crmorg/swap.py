"""Replacing a generated directory in one step: the new one is renamed into place.

Both the exports and the handbook build their output in a staging directory beside the
destination; this puts it in place so that a reader sees the old directory or the new
one, never a mixture. The old directory is renamed away first and deleted only once the
new one is in place; if the rename fails, the old one is put back.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path


def sibling(out_dir: Path, suffix: str) -> Path:
    """A fresh hidden path beside ``out_dir`` (same file system, so renames are atomic)."""
    return out_dir.parent / f".{out_dir.name}.{secrets.token_hex(6)}.{suffix}"


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Rename ``staging`` to ``out_dir``, replacing what was there."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    previous = sibling(out_dir, "old")
    out_dir.rename(previous)
    try:
        staging.rename(out_dir)
    except BaseException:
        previous.rename(out_dir)
        raise
    shutil.rmtree(previous, ignore_errors=True)
