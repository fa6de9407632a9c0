"""A model as a git revision holds it: ``REV:PATH``, read without checking anything out.

A file is read with ``git cat-file blob REV:PATH``; a directory with ``git ls-tree -r``
and one ``git cat-file --batch`` for all its files, into a temporary directory that
lives as long as the caller's ``with`` block. The loader reads that copy; every
position it reports is then named ``REV:PATH/file`` (see :class:`Version.rename`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


class RevisionError(Exception):
    """``REV:PATH`` names nothing git can read; the message says what to check."""


def is_revision(argument: str) -> bool:
    """Whether a diff argument means ``REV:PATH``: it is no existing path, and has a
    revision before its first colon."""
    if Path(argument).exists():
        return False
    revision, colon, _ = argument.partition(":")
    return bool(colon and revision)


def _git(arguments: list[str], stdin: bytes | None = None, cwd: str | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *arguments], input=stdin, capture_output=True, check=False, cwd=cwd
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed: REV:PATH needs git on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {arguments[0]} failed")
    return done.stdout


def merge_base(base: str, cwd: str | None = None) -> str:
    """The commit where HEAD left ``base`` (the revision a branch's changes start from)."""
    try:
        commit = _git(["merge-base", "HEAD", base], cwd=cwd).decode().strip()
        return _git(["rev-parse", "--short", commit], cwd=cwd).decode().strip()
    except RevisionError as failure:
        raise RevisionError(f"no merge base of HEAD and {base}: {failure}") from None


@contextmanager
def checked_out(spec: str) -> Iterator[tuple[Path, str]]:
    """``REV:PATH`` copied into a temporary directory: (the copy's path, the prefix the
    copy's file names stand for). Raises :class:`RevisionError`."""
    revision, _, path = spec.partition(":")
    kind = _kind(spec, revision, path)
    # By object id from here on: the listing and the reads need no path resolved again.
    name = _git(["rev-parse", "--verify", spec]).decode().strip()
    with tempfile.TemporaryDirectory(prefix="crmorg-diff-") as tmp:
        root = Path(tmp)
        if kind == "blob":
            copy = root / (PurePosixPath(path).name or "model.yaml")
            copy.write_bytes(_git(["cat-file", "blob", name]))
            yield copy, spec
            return
        copy = root / "model"
        copy.mkdir()
        _write_tree(name, copy)
        yield copy, spec.rstrip("/")


def _kind(spec: str, revision: str, path: str) -> str:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"])
    except RevisionError:
        raise RevisionError(
            f"{spec}: `{revision}` is not a revision of this repository "
            "(a branch, tag or commit; see `git log`)"
        ) from None
    try:
        return _git(["cat-file", "-t", spec]).decode().strip()
    except RevisionError:
        raise RevisionError(
            f"{spec}: revision {revision} has no file or directory `{path}` "
            f"(see `git ls-tree -r --name-only {revision}`; PATH is relative to the "
            "repository root, or to the current directory when it starts with ./)"
        ) from None


def _write_tree(spec: str, into: Path) -> None:
    """Every file of the tree ``spec`` written under ``into``, with one ``cat-file --batch``."""
    # --full-tree: run from a subdirectory, ls-tree would list only what lies below it.
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", spec]).split(b"\0")
    entries: list[tuple[str, str]] = []
    for entry in listing:
        if not entry:
            continue
        meta, _, raw = entry.partition(b"\t")
        _, kind, sha = meta.decode().split()
        if kind == "blob":
            entries.append((sha, os.fsdecode(raw)))
    if not entries:
        return
    batch = _git(["cat-file", "--batch"], stdin="".join(f"{sha}\n" for sha, _ in entries).encode())
    offset = 0
    for _, name in entries:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        start = header_end + 1
        target = into / name
        if ".." in PurePosixPath(name).parts:
            raise RevisionError(f"{spec}: refusing the path `{name}`")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[start : start + size])
        offset = start + size + 1
