"""Output that cannot be written: one line naming the path and the cause, exit status 3,
the earlier output intact and nothing partial left behind.

Each case runs the real command in a fresh process, as a user would meet it: places the
kernel refuses (``/sys``, ``/proc``), read-only and immutable directories, a file where a
directory should be, a full device as standard output, a file-size limit, and a run
killed while writing.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import crmorg
from crmorg.output import KnownFiles, WriteError, write_directory

REFERENCE = str(Path(__file__).resolve().parents[2] / "examples" / "reference")

# Every command that writes files, given the place to write them.
WRITERS: dict[str, Callable[[str], list[str]]] = {
    "export": lambda out: ["export", REFERENCE, "--target", "cedar", "--out", out],
    "docs": lambda out: ["docs", REFERENCE, "--out", out],
    "chart": lambda out: ["chart", REFERENCE, "--format", "svg", "--out", out],
    "init": lambda out: ["init", out],
    "validate": lambda out: ["validate", REFERENCE, "--output", out],
}


def crmorg_run(
    args: list[str], cwd: Path, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmorg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        check=False,
        timeout=300,
    )


def leftovers(directory: Path) -> list[str]:
    """Hidden staging and old copies beside outputs: what must never stay behind."""
    return sorted(
        p.name for p in directory.iterdir() if ".crmorg-" in p.name and p.suffix in (".tmp", ".old")
    )


def contents(directory: Path) -> dict[Path, bytes]:
    """Every file below ``directory`` but leftovers, by path, with its bytes."""
    left = set(leftovers(directory))
    return {
        p.relative_to(directory): p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file() and p.relative_to(directory).parts[0] not in left
    }


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("place", ["/sys/crmorg-out", "/proc/crmorg-out"])
def test_a_place_the_system_refuses(command: str, place: str, tmp_path: Path) -> None:
    done = crmorg_run(WRITERS[command](place), tmp_path)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"crmorg {command}: error: cannot write ")
    assert place in lines[0] and "Traceback" not in done.stderr


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_permission_override() -> None:
    """Run the child as a user the file modes apply to: root keeps its identity but loses
    the capabilities that let it write through a read-only mode (dropped from the bounding
    set, so the command it runs starts without them)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def _output_of(command: str) -> str:
    return {"docs": "site", "chart": "chart.svg", "validate": "report.json"}.get(command, "out")


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_read_only_directory(command: str, tmp_path: Path) -> None:
    # A directory the user may read but not write, with an earlier output in it.
    place = tmp_path / "shared"
    place.mkdir()
    out = str(place / _output_of(command))
    if command != "init":
        assert crmorg_run(WRITERS[command](out), tmp_path).returncode == 0
    before = contents(place)
    place.chmod(0o555)
    try:
        done = crmorg_run(WRITERS[command](out), tmp_path, preexec=_without_permission_override)
    finally:
        place.chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "Permission denied" in done.stderr and str(place) in done.stderr, done.stderr
    assert contents(place) == before
    assert leftovers(place) == []


def _immutable(path: Path, on: bool) -> subprocess.CompletedProcess[str]:
    chattr = shutil.which("chattr")
    if chattr is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chattr (e2fsprogs) is needed to make a directory immutable")
        pytest.skip("chattr (e2fsprogs) is not installed")
    return subprocess.run(
        [chattr, "+i" if on else "-i", str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", ["docs", "export", "chart"])
def test_an_immutable_directory(command: str, tmp_path: Path) -> None:
    # Immutable (chattr +i): not even root may add, rename or remove anything in it.
    place = tmp_path / "frozen"
    place.mkdir()
    out = str(place / _output_of(command))
    assert crmorg_run(WRITERS[command](out), tmp_path).returncode == 0
    before = contents(place)
    made = _immutable(place, on=True)
    if made.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"chattr +i refused here: {made.stderr.strip()}")
        pytest.skip(f"chattr +i refused here: {made.stderr.strip()}")
    try:
        done = crmorg_run(WRITERS[command](out), tmp_path)
    finally:
        _immutable(place, on=False)
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "Operation not permitted" in done.stderr and str(place) in done.stderr, done.stderr
    assert contents(place) == before
    assert leftovers(place) == []


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_file_where_a_directory_should_be(command: str, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("mine\n")
    done = crmorg_run(WRITERS[command]("taken/inside/out"), tmp_path)
    assert done.returncode == 3
    assert done.stderr == f"crmorg {command}: error: taken is a file, not a directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (tmp_path / "taken").read_text() == "mine\n"


@pytest.mark.parametrize(
    "args", [["validate", REFERENCE], ["schema"], ["rules"], ["matrix", REFERENCE]]
)
def test_standard_output_on_a_full_device(args: list[str], tmp_path: Path) -> None:
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "crmorg", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=300,
        )
    assert done.returncode == 3
    assert done.stderr.endswith(
        "error: cannot write to standard output: No space left on device\n"
    ), done.stderr
    assert "Traceback" not in done.stderr


def _one_kilobyte_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


@pytest.mark.parametrize("command", ["docs", "export", "chart"])
def test_a_file_size_limit_keeps_the_earlier_output(command: str, tmp_path: Path) -> None:
    out = "docs-out" if command == "docs" else ("chart.svg" if command == "chart" else "out")
    assert crmorg_run(WRITERS[command](out), tmp_path).returncode == 0
    before = contents(tmp_path)
    done = crmorg_run(WRITERS[command](out), tmp_path, preexec=_one_kilobyte_files)
    assert done.returncode == 3
    assert done.stderr.strip().endswith("File too large"), done.stderr
    assert contents(tmp_path) == before
    assert leftovers(tmp_path) == []


_KILLED_WHILE_WRITING = """
import os, signal, sys
import crmorg.output
from crmorg.cli.main import main

written = crmorg.output._write_file

def write_then_die(path, text):
    written(path, text)
    os.kill(os.getpid(), signal.SIGKILL)  # the first file is on disk, the rest is not

crmorg.output._write_file = write_then_die
main(sys.argv[1:])
"""


@pytest.mark.parametrize("command", ["docs", "export"])
def test_a_run_killed_while_writing_is_cleaned_up_by_the_next(command: str, tmp_path: Path) -> None:
    assert crmorg_run(WRITERS[command]("out"), tmp_path).returncode == 0
    before = contents(tmp_path)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_WRITING, *WRITERS[command]("out")],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL
    assert len(leftovers(tmp_path)) == 1  # its staging directory, with the first file
    assert contents(tmp_path) == before  # the earlier output was never touched
    again = crmorg_run(WRITERS[command]("out"), tmp_path)
    assert again.returncode == 0
    assert "left by an interrupted crmorg run" in again.stderr
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_staging_of_a_live_process_is_left_alone(tmp_path: Path) -> None:
    # Another crmorg writing to the same place at the same time: its staging stays.
    live = tmp_path / f".out.crmorg-{os.getppid()}-{'a' * 12}.tmp"
    live.mkdir()
    model = crmorg.load(REFERENCE)
    crmorg.export(model, "json", tmp_path / "out")
    assert leftovers(tmp_path) == [live.name]


def test_an_old_copy_that_cannot_be_removed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    files = KnownFiles(frozenset({"a.txt"}))
    write_directory(tmp_path / "out", {"a.txt": "one"}, files)
    real_rmdir = os.rmdir

    def refuse_old(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        if str(path).endswith(".old"):  # the previous output, moved aside
            raise PermissionError(13, "Permission denied")
        real_rmdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rmdir", refuse_old)
    with caplog.at_level(logging.WARNING, logger="crmorg.output"):
        write_directory(tmp_path / "out", {"a.txt": "two"}, files)
    assert (tmp_path / "out" / "a.txt").read_text() == "two"
    [record] = caplog.records
    assert "could not be removed" in record.getMessage()
    assert "delete it by hand" in record.getMessage()


def test_write_errors_are_os_errors_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as failed:
        write_directory(Path("/sys/crmorg-out"), {"a.txt": "x"}, KnownFiles(frozenset()))
    assert isinstance(failed.value, OSError)
    assert str(failed.value).startswith("cannot write /sys/crmorg-out: ")
