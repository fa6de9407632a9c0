"""``crmorg import odoo PATH --out DIR`` end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.importing.core import MODEL_FILE, REPORT_FILE
from export.conftest import FIXTURES
from export.odoo.tools import write

from .roundtrip import export_files
from .test_fixture import MODULE


def test_import_of_the_vendor_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["import", "odoo", str(MODULE), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "wrote odoo import: 7 role(s), 2 person(s)" in printed.out
    assert "12 construct(s) not carried" in printed.out
    assert "security/acme_security.xml:50:13" in printed.err  # the unmapped domain
    assert "import-unmapped" in printed.err
    assert sorted(p.name for p in out.iterdir()) == [REPORT_FILE, MODEL_FILE]
    report = (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "security/ir.model.access.csv:6:1" in report
    model = crmorg.load(out)
    assert "acme_manager" in model.roles
    again = tmp_path / "again"
    assert main(["import", "odoo", str(MODULE), "--out", str(again)]) == 0
    for name in (MODEL_FILE, REPORT_FILE):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_import_of_crmorg_s_own_export_as_a_process(tmp_path: Path) -> None:
    exported = tmp_path / "exported"
    write(export_files(crmorg.load(FIXTURES / "small")), exported)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "crmorg", "import", "odoo", str(exported), "--out", str(out)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "0 construct(s) not carried" in done.stdout
    assert crmorg.load(out).roles["sales_manager"].inherits == ["sales_rep"]


def test_a_foreign_folder_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign"
    (foreign / "src").mkdir(parents=True)
    (foreign / "README.md").write_text("# not odoo\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "odoo", str(foreign), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no Odoo module here" in err and "give the folder of an Odoo addon module" in err
    assert not out.exists()
