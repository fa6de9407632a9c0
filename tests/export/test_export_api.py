"""crmorg.export(): the registry, refusing broken models, atomic and repeatable output."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

import crmorg
from crmorg.export import (
    EXPORTERS,
    ExportError,
    ExportRefused,
    UnknownTargetError,
    export_model,
    render_target,
)
from crmorg.model import Model

from .conftest import FIXTURES
from .strategies import load_document

ALL_TARGETS = ("cedar", "casbin", "rego", "json", "csv")


@pytest.fixture(scope="module")
def small_model() -> Model:
    return crmorg.load(FIXTURES / "small")


def test_registry_names_every_target_and_its_files() -> None:
    assert set(ALL_TARGETS) <= set(EXPORTERS)
    assert EXPORTERS["cedar"].files == ("entities.json", "policies.cedar", "schema.cedarschema")
    assert EXPORTERS["casbin"].files == ("model.conf", "policy.csv")
    assert EXPORTERS["rego"].files == ("data.json", "crmorg.rego")
    for name, exporter in EXPORTERS.items():
        assert exporter.name == name and exporter.summary


@pytest.mark.parametrize("target", ALL_TARGETS)
def test_export_writes_exactly_the_declared_files(
    target: str, small_model: Model, tmp_path: Path
) -> None:
    written = crmorg.export(small_model, target, tmp_path / "out")
    assert [p.name for p in written] == sorted(EXPORTERS[target].files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(EXPORTERS[target].files)
    assert all(p.read_text(encoding="utf-8").endswith("\n") for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left behind


@pytest.mark.parametrize("target", ALL_TARGETS)
def test_output_is_byte_identical_across_runs_and_working_directories(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = crmorg.export(crmorg.load(FIXTURES / "small"), target, tmp_path / "a")
    monkeypatch.chdir(FIXTURES)
    second = crmorg.export(crmorg.load(Path("small").absolute()), target, tmp_path / "b")
    third = crmorg.export(crmorg.load("small"), target, tmp_path / "a")  # replaces a
    for one, two, three in zip(first, second, third, strict=True):
        assert one.read_bytes() == two.read_bytes() == three.read_bytes()


def test_unknown_target(small_model: Model, tmp_path: Path) -> None:
    with pytest.raises(UnknownTargetError) as unknown:
        crmorg.export(small_model, "xacml", tmp_path / "out")
    assert "no export target 'xacml'; the targets are: " in str(unknown.value)
    assert all(target in str(unknown.value) for target in ALL_TARGETS)
    assert not (tmp_path / "out").exists()


def _broken_model() -> Model:
    return load_document(
        {
            "version": 1,
            "organization": {"name": "Broken"},
            "resources": {"lead": {}},
            "roles": {"rep": {"inherits": ["nobody"], "grants": {"lead": {"read": "own"}}}},
            "people": {"ann": {"roles": ["rep"]}},
        }
    )


def test_a_model_with_errors_is_refused_unless_forced(tmp_path: Path) -> None:
    model = _broken_model()
    with pytest.raises(ExportRefused) as refused:
        crmorg.export(model, "cedar", tmp_path / "out")
    assert [f.rule for f in refused.value.findings] == ["unknown-reference"]
    assert refused.value.forceable
    assert list(tmp_path.iterdir()) == []
    written = crmorg.export(model, "cedar", tmp_path / "out", force=True)
    assert len(written) == 3


def test_a_model_that_could_not_be_read_is_never_exported(tmp_path: Path) -> None:
    source = tmp_path / "model.yaml"
    source.write_text("version: 1\norganization: {name: X}\nroles: {a: {grants: 3}}\n")
    model = crmorg.api.load_partial(source)
    with pytest.raises(ExportRefused) as refused:
        crmorg.export(model, "json", tmp_path / "out", force=True)
    assert not refused.value.forceable
    assert not (tmp_path / "out").exists()


def test_an_earlier_export_is_replaced_whole(small_model: Model, tmp_path: Path) -> None:
    out = tmp_path / "out"
    crmorg.export(small_model, "cedar", out)
    crmorg.export(small_model, "casbin", out)
    assert sorted(p.name for p in out.iterdir()) == ["model.conf", "policy.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_directory_with_other_files_is_never_replaced(small_model: Model, tmp_path: Path) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match=r"notes\.txt"):
        crmorg.export(small_model, "cedar", out)
    assert (out / "notes.txt").read_text() == "mine"
    (out / "policy.csv").mkdir()  # a directory named like an export file is not one
    (out / "notes.txt").unlink()
    with pytest.raises(ExportError, match=r"policy\.csv"):
        crmorg.export(small_model, "cedar", out)


def test_a_file_or_symlink_destination_is_refused(small_model: Model, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a directory"):
        crmorg.export(small_model, "json", tmp_path / "file")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(ExportError, match="symbolic link"):
        crmorg.export(small_model, "json", tmp_path / "link")


def test_a_failed_write_leaves_nothing_behind(
    small_model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    calls = 0

    def failing_fsync(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # after the first file is written
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        export_model(small_model, "cedar", tmp_path / "deep" / "er" / "out")
    assert list(tmp_path.iterdir()) == []  # not even the parents it created


def test_a_failed_replacement_keeps_the_earlier_export(
    small_model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crmorg.export(small_model, "json", out)
    before = (out / "matrix.json").read_bytes()
    real_rename = Path.rename

    def failing_rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name.endswith(".tmp"):
            raise OSError("rename failed")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="rename failed"):
        crmorg.export(small_model, "csv", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "matrix.json").read_bytes() == before


def test_render_failure_writes_nothing(
    small_model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(model: Model) -> dict[str, str]:
        raise RuntimeError("renderer bug")

    from dataclasses import replace

    monkeypatch.setitem(EXPORTERS, "json", replace(EXPORTERS["json"], render=boom))
    with pytest.raises(RuntimeError):
        crmorg.export(small_model, "json", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_render_target_touches_no_disk(small_model: Model, tmp_path: Path) -> None:
    files = render_target(small_model, "rego")
    assert set(files) == {"crmorg.rego", "data.json"}


def test_crmorg_export_stays_the_function_after_importing_the_package() -> None:
    import crmorg.export.cedar

    assert callable(crmorg.export)
    assert not isinstance(crmorg.export, types.ModuleType)
    assert crmorg.export.__name__ == "export"
