"""crmorg.output: the one writer of directories (exports, the handbook) and of files (charts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crmorg.cli.main import main
from crmorg.output import (
    ForeignDirectoryError,
    KnownFiles,
    MarkerFile,
    OutputError,
    write_directory,
    write_file,
)

from .conftest import FIXTURES

MARKER = MarkerFile(".made-here", "made here\n")


def test_a_file_is_replaced_in_one_rename(tmp_path: Path) -> None:
    target = tmp_path / "new" / "chart.svg"
    write_file(target, "one\n")
    write_file(target, "two ☕\n")
    assert target.read_bytes() == "two ☕\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["chart.svg"]


def test_a_failed_file_write_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "chart.svg"
    target.write_text("old")

    def failing_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_file(target, "new")
    with pytest.raises(OSError, match="disk full"):
        write_file(tmp_path / "deep" / "er.svg", "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.svg"]


def test_a_file_write_refuses_a_directory_or_a_link(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory; give a file name"):
        write_file(tmp_path, "x")
    (tmp_path / "real.svg").write_text("real")
    (tmp_path / "link.svg").symlink_to(tmp_path / "real.svg")
    with pytest.raises(OutputError, match="symbolic link"):
        write_file(tmp_path / "link.svg", "x")
    assert (tmp_path / "real.svg").read_text() == "real"


def test_a_marked_directory_is_replaced_and_an_unmarked_one_only_when_forced(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    write_directory(out, {"a/b.txt": "b"}, MARKER)
    assert (out / ".made-here").read_text() == "made here\n"
    write_directory(out, {"c.txt": "c"}, MARKER)
    assert sorted(p.name for p in out.iterdir()) == [".made-here", "c.txt"]
    (out / ".made-here").unlink()
    with pytest.raises(ForeignDirectoryError) as foreign:
        write_directory(out, {"c.txt": "c"}, MARKER)
    assert foreign.value.entries == ["c.txt"]
    write_directory(out, {"d.txt": "d"}, MARKER, force=True)
    assert sorted(p.name for p in out.iterdir()) == [".made-here", "d.txt"]


def test_known_files_are_replaced_and_anything_else_is_foreign(tmp_path: Path) -> None:
    known = KnownFiles(frozenset({"a.txt", "b.txt"}))
    write_directory(tmp_path / "out", {"a.txt": "a"}, known)
    written = write_directory(tmp_path / "out", {"b.txt": "b"}, known)
    assert written == [tmp_path / "out" / "b.txt"]
    (tmp_path / "out" / "notes").mkdir()
    with pytest.raises(ForeignDirectoryError, match="notes"):
        write_directory(tmp_path / "out", {"a.txt": "a"}, known)


@pytest.mark.parametrize("path", ["", "/abs", "a/../b", "a\\b", ".made-here"])
def test_paths_outside_the_output_or_on_its_marker_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="unsafe path"):
        write_directory(tmp_path / "out", {path: "x"}, MARKER)
    assert list(tmp_path.iterdir()) == []


def test_progress_counts_the_files(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_directory(
        tmp_path / "out", {"b": "", "a": ""}, MARKER, progress=lambda *e: seen.append(e)
    )
    assert seen == [(1, 2), (2, 2)]


def test_chart_out_writes_through_the_atomic_file_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []

    def recording(path: Path, text: str) -> None:
        written.append(path)
        write_file(path, text)

    monkeypatch.setattr("crmorg.cli.chart_command.write_file", recording)
    target = tmp_path / "charts" / "roles.mmd"
    assert main(["chart", str(FIXTURES / "small"), "--out", str(target)]) == 0
    assert written == [target] and target.read_text(encoding="utf-8").strip()
    (tmp_path / "link.mmd").symlink_to(target)
    target.write_text("old")
    assert main(["chart", str(FIXTURES / "small"), "--out", str(tmp_path / "link.mmd")]) == 0
    assert (tmp_path / "link.mmd").is_symlink() and target.read_text() != "old"
