"""The import plumbing: an importer's model written as YAML with its origins, the
constructs it could not carry as findings at their source lines, the CLI around it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
import yaml_rs  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

import crmorg
from crmorg.cli.main import main
from crmorg.importing import IMPORTERS, Imported, Importer, ImportFailed, unmapped
from crmorg.importing.core import MODEL_FILE, REPORT_FILE, _dump

HOSTILE = "Sales\u202e rep\n# not a comment\x1b]0;pwned\x07"


def _read(path: Path) -> Imported:
    source = path / "roles.txt"
    if not source.is_file():
        raise ImportFailed(f"{path}: no roles.txt here; give the folder the system wrote")
    document = {
        "version": 1,
        "organization": {"name": HOSTILE},
        "resources": {"lead": {"name": "Lead"}},
        "departments": {"sales": {"name": "Sales"}},
        "roles": {
            role: {"name": role.title(), "department": "sales", "grants": {"lead": {"read": "own"}}}
            for role in source.read_text(encoding="utf-8").split()
        },
    }
    return Imported(
        "toy",
        str(path),
        document,
        (unmapped("the Toy permission `mass_delete` has no crmorg equivalent", source, 2, 5),),
        {("roles", "rep"): f"{source}:1 ({HOSTILE})"},
    )


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setitem(IMPORTERS, "toy", Importer("toy", "a toy system", _read))
    source = tmp_path / "source"
    source.mkdir()
    (source / "roles.txt").write_text("rep\nmanager\n", encoding="utf-8")
    return source


def test_the_imported_model_loads_with_its_origins_as_comments(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["import", "toy", str(toy), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "2 role(s), 0 person(s)" in printed.out
    assert "roles.txt:2:5" in printed.err and "import-unmapped" in printed.err
    assert sorted(p.name for p in out.iterdir()) == [REPORT_FILE, MODEL_FILE]
    text = (out / MODEL_FILE).read_text(encoding="utf-8")
    assert "  # from " in text and "\u202e" not in text and "\x1b" not in text
    model = crmorg.load(out)
    assert list(model.roles) == ["rep", "manager"]
    assert model.organization is not None
    report = (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "mass_delete" in report and "roles.txt:2:5" in report
    again = tmp_path / "again"
    assert main(["import", "toy", str(toy), "--out", str(again)]) == 0
    for name in (MODEL_FILE, REPORT_FILE):  # deterministic
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_a_source_that_is_not_the_system_s_files_is_refused_and_nothing_written(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    assert main(["import", "toy", str(empty), "--out", str(out)]) == 1
    assert "no roles.txt here" in capsys.readouterr().err
    assert not out.exists()
    assert main(["import", "toy", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert not out.exists()


def test_an_import_does_not_replace_a_directory_of_other_files(toy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    assert main(["import", "toy", str(toy), "--out", str(out)]) == 3
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep me"


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12))
def test_any_text_reads_back_as_that_text(text: str) -> None:
    """Whatever a vendor calls a role, model.yaml gives it back as the same text to
    crmorg's readers (PyYAML's positioned reader, and yaml-rs's YAML 1.2)."""
    written = _dump({"name": text, "other": ["x", text]})
    assert yaml.safe_load(written) == {"name": text, "other": ["x", text]}
    assert yaml_rs.loads(written, parse_datetime=False) == {"name": text, "other": ["x", text]}


@pytest.mark.parametrize(
    "text", ["0E0", "1e3", "0o17", "0x1F", "1_000", "12:30", ".inf", "yes", "~", "-1"]
)
def test_text_that_looks_like_a_number_loads_as_text(tmp_path: Path, text: str) -> None:
    imported = Imported(
        "toy",
        "src",
        {"version": 1, "organization": {"name": text}, "roles": {"r": {"name": text}}},
    )
    (tmp_path / MODEL_FILE).write_text(imported.files()[MODEL_FILE], encoding="utf-8")
    model = crmorg.load(tmp_path)
    assert model.roles["r"].name == text


@pytest.mark.parametrize("system", sorted(IMPORTERS))
def test_a_device_or_a_pipe_is_refused_by_every_importer(
    system: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for source in ("/dev/null", str(fifo)):
        out = tmp_path / "out"
        assert main(["import", system, source, "--out", str(out)]) == 1
        assert "neither a folder nor a regular file" in capsys.readouterr().err
        assert not out.exists()
