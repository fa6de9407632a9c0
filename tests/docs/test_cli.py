"""``crmorg docs`` and ``crmorg chart`` on the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from crmorg.cli.docs_command import TerminalProgress
from crmorg.cli.main import main

from .conftest import SMALL_MODEL


def test_docs_writes_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["docs", str(SMALL_MODEL), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    assert (out / "roles" / "sales_rep.html").is_file()
    captured = capsys.readouterr()
    assert "wrote" in captured.out and "index.html" in captured.out
    assert captured.err == ""  # not a terminal: no progress


def test_docs_markdown_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "wiki"
    assert main(["docs", str(SMALL_MODEL), "--out", str(out), "--format", "markdown",
                 "--lang", "zh"]) == 0  # fmt: skip
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "莲花茶业" in index and "```mermaid" in index


def test_docs_refuses_a_foreign_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["docs", str(SMALL_MODEL), "--out", str(tmp_path)]) == 3
    assert "not written by crmorg" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert main(["docs", str(SMALL_MODEL), "--out", str(tmp_path), "--force"]) == 0


def test_docs_on_an_unreadable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nroles: [\n")
    assert main(["docs", str(bad), "--out", str(tmp_path / "site")]) == 1
    assert "yaml-syntax" in capsys.readouterr().out
    assert not (tmp_path / "site").exists()


def test_docs_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", str(SMALL_MODEL)]) == 2  # none of --out, --pdf, --xlsx
    assert "--out DIR, --pdf FILE, --xlsx FILE" in capsys.readouterr().err
    assert main(["docs", str(tmp_path / "missing"), "--out", str(tmp_path / "s")]) == 2


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    tty = _Tty()
    progress = TerminalProgress(tty)
    progress("write", 12, 140)
    progress.finish()
    assert "writing page 12/140" in tty.getvalue()
    assert tty.getvalue().endswith("\r\x1b[K")
    plain = io.StringIO()
    quiet = TerminalProgress(plain)
    quiet("write", 1, 2)
    quiet.finish()
    assert plain.getvalue() == ""


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "svg", "html"])
@pytest.mark.parametrize("view", ["departments", "roles", "people", "teams"])
def test_chart_formats_and_views(fmt: str, view: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chart", str(SMALL_MODEL), "--format", fmt, "--view", view]) == 0
    out = capsys.readouterr().out
    start = {"mermaid": "---", "dot": "digraph", "svg": "<?xml", "html": "<!DOCTYPE html>"}[fmt]
    assert out.startswith(start)


def test_chart_root_depth_lang_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "chart.mmd"
    args = ["chart", str(SMALL_MODEL), "--root", "sales_lead", "--depth", "1", "--lang", "zh"]
    assert main([*args, "--out", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "销售主管" in text and "销售代表" in text and "总经理" not in text
    assert main(["chart", str(SMALL_MODEL), "--root", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["chart", str(SMALL_MODEL), "--depth", "-1"])
    assert exc.value.code == 2


def test_chart_html_is_self_contained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chart", str(SMALL_MODEL), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<svg" in page and "<?xml" not in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in page and "<link" not in page
