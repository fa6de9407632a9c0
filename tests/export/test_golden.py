"""Golden files: the exact output of every target for the small fixture model.

Regenerate after an intended change with ``pytest tests/export --update-golden`` and
review the diff. The files are also loaded into their engines by
test_engine_equivalence.py, and examples/reference must export cleanly to every target.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import EXPORTERS

from .conftest import FIXTURES, REFERENCE

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_small_model_matches_golden_files(target: str, request: pytest.FixtureRequest) -> None:
    files = EXPORTERS[target].render(crmorg.load(FIXTURES / "small"))
    directory = GOLDEN / "small" / target
    if request.config.getoption("--update-golden"):
        if directory.is_dir():
            shutil.rmtree(directory)
        for name, content in files.items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_bytes(_bytes(content))
    assert directory.is_dir(), f"no golden files for {target}: run pytest --update-golden"
    expected = {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
    assert sorted(files) == sorted(expected)
    for name, content in files.items():
        assert _bytes(content) == expected[name], f"{target}/{name} differs from its golden file"


def _bytes(content: str | bytes) -> bytes:
    """A file as written: text as UTF-8, bytes (a zip, a workbook) as they are."""
    return content if isinstance(content, bytes) else content.encode("utf-8")


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_reference_model_exports_cleanly(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not REFERENCE.is_dir():
        pytest.skip("examples/reference is not there")
    if crmorg.validate(crmorg.load(REFERENCE)).errors:
        pytest.skip("examples/reference does not validate yet")
    out = tmp_path / target
    assert main(["export", str(REFERENCE), "--target", target, "--out", str(out)]) == 0
    exporter = EXPORTERS[target]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        {*exporter.files, *exporter.directories}
    )
    assert "wrote" in capsys.readouterr().out
