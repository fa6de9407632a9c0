"""Golden files: the exact output of every target for the small fixture model.

Regenerate after an intended change with ``pytest tests/export --update-golden`` and
review the diff. The files are also loaded into their engines by
test_engine_equivalence.py, and examples/reference must export cleanly to every target.
"""

from __future__ import annotations

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
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.iterdir():
            stale.unlink()
        for name, text in files.items():
            (directory / name).write_bytes(text.encode("utf-8"))
    assert directory.is_dir(), f"no golden files for {target}: run pytest --update-golden"
    expected = {p.name: p.read_bytes().decode("utf-8") for p in sorted(directory.iterdir())}
    assert sorted(files) == sorted(expected)
    for name, text in files.items():
        assert text == expected[name], f"{target}/{name} differs from its golden file"


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
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTERS[target].files)
    assert "wrote" in capsys.readouterr().out
