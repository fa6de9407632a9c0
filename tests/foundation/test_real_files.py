"""Links, FIFOs and devices each get a finding, never a hang or silence (issue 19, item 6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import HEAD, at, cli, load_findings, write


def test_broken_and_looping_links_are_reported(workdir: Path) -> None:
    write(workdir / "m" / "org.yaml", HEAD)
    (workdir / "m" / "roles.yaml").symlink_to("missing.yaml")
    (workdir / "m" / "a.yaml").symlink_to("b.yaml")
    (workdir / "m" / "b.yaml").symlink_to("a.yaml")
    findings = load_findings(workdir / "m")
    at(findings, "yaml-syntax", 1, 1, "symbolic link to missing.yaml, which does not exist")
    assert sum("loop of symbolic links" in f.message for f in findings) == 2


def test_linked_directories_are_read_and_loops_reported(workdir: Path) -> None:
    write(workdir / "m" / "org.yaml", HEAD)
    write(workdir / "shared" / "roles.yaml", "roles:\n  x: {name: [not text]}\n")
    (workdir / "m" / "shared").symlink_to(workdir / "shared")
    (workdir / "m" / "up").symlink_to("..")
    findings = load_findings(workdir / "m")
    at(findings, "schema", 2, 13, "name")
    found = at(findings, "yaml-syntax", 1, 1, "a loop of links")
    assert found.file == "m/up"


@pytest.mark.parametrize("kind", ["fifo-path", "fifo-in-directory"])
def test_a_fifo_never_blocks(kind: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "m" / "org.yaml", HEAD)
    fifo = workdir / "m" / "roles.yaml"
    os.mkfifo(fifo)
    code, out, err = cli(["validate", str(fifo if kind == "fifo-path" else workdir / "m")], capsys)
    assert code == 1
    assert "m/roles.yaml:1:1: error yaml-syntax: the path is a FIFO" in out
    assert err == ""


def test_a_device_as_path_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["validate", "/dev/zero"], capsys)
    assert code == 1
    assert "/dev/zero:1:1: error yaml-syntax: the path is a device" in out
    assert err == ""
