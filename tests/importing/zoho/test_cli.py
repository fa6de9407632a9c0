"""``crmorg import zoho PATH --out DIR`` end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main

from .roundtrip import export_files, write_files

FIXTURE = Path(__file__).parents[1] / "fixtures" / "zoho" / "acme"
ROOT = Path(__file__).parents[3]


def test_import_the_saved_responses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit"
    assert main(["import", "zoho", str(FIXTURE), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["IMPORT.md", "model.yaml"]
    assert "wrote zoho import: 4 role(s), 5 person(s)" in printed.out
    assert "10 construct(s) not carried" in printed.out
    assert "profiles/standard.json:204:22" in printed.err
    assert "import-unmapped" in printed.err
    report = (out / "IMPORT.md").read_text(encoding="utf-8")
    assert "| profiles/standard.json:204:22 |" in report
    model_text = (out / "model.yaml").read_text(encoding="utf-8")
    assert "# from users.json:3" in model_text
    model = crmorg.load(out)
    assert not crmorg.validate(model).errors
    # the audit command the output suggests runs
    assert main(["validate", str(out), "--select", "model,access"]) in (0, 1)


def test_import_crmorg_s_own_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "zoho"
    write_files(
        export_files(crmorg.load(ROOT / "tests" / "export" / "fixtures" / "small")), exported
    )
    out = tmp_path / "back"
    assert main(["import", "zoho", str(exported), "--out", str(out)]) == 0
    assert "0 construct(s) not carried" in capsys.readouterr().out
    assert set(crmorg.load(out).people) == set(
        crmorg.load(ROOT / "tests" / "export" / "fixtures" / "small").people
    )


def test_a_foreign_folder_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "package.json").write_text('{"name": "not zoho"}', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", "zoho", str(foreign), "--out", str(out)]) == 1
    assert "no Zoho CRM users, profiles or roles response" in capsys.readouterr().err
    assert not out.exists()


def test_the_command_line_as_a_process(tmp_path: Path) -> None:
    out = tmp_path / "audit"
    done = subprocess.run(
        [sys.executable, "-m", "crmorg", "import", "zoho", str(FIXTURE), "--out", str(out)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "users.json:56:17" in done.stderr
    assert (out / "model.yaml").is_file()
