"""The Markdown handbook builds with MkDocs as written: ``mkdocs build --strict`` on the
``mkdocs.yml`` that ``crmorg docs --format markdown`` writes beside it, in English and
Chinese, with no warning (broken links and anchors are warnings there); its lines are
wrapped without changing what it renders to."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmorg import load
from crmorg.cli.main import main
from crmorg.docs import site as site_module
from crmorg.docs.mkdocs import MARKER
from crmorg.docs.site import build_site
from crmorg.docs.wrapping import WIDTH, wrap_markdown

from .inspect_output import markdown_to_html, squash

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"
_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_HAS_MKDOCS = importlib.util.find_spec("mkdocs") is not None
needs_mkdocs = pytest.mark.skipif(
    not _HAS_MKDOCS and not _IN_CI,
    reason="mkdocs is not installed (pip install 'mkdocs>=1.6.1,<2', the test extra)",
)


def _write(tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / lang / "handbook"
    args = ["docs", str(REFERENCE), "--format", "markdown", "--lang", lang, "--out", str(out)]
    assert main(args) == 0, capsys.readouterr()
    return out


def _nav_pages(nav: list[Any]) -> list[str]:
    pages: list[str] = []
    for entry in nav:
        if isinstance(entry, str):
            pages.append(entry)
        else:
            for value in entry.values():
                pages.extend(_nav_pages(value) if isinstance(value, list) else [value])
    return pages


@needs_mkdocs
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mkdocs_builds_the_handbook_strictly(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _write(tmp_path, lang, capsys)
    config_file = out.parent / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    assert text.startswith(MARKER)
    config = yaml.safe_load(text)
    assert config["docs_dir"] == "handbook"
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    listed = _nav_pages(config["nav"])
    assert sorted(listed) == pages  # every page, once
    assert listed[:3] == ["index.md", "roles.md", "people.md"]
    assert "people/liu_yang.md" in listed
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    built = out.parent / "site"
    assert (built / "people" / "liu_yang.html").is_file()
    kpis = (built / "kpis.html").read_text(encoding="utf-8")
    assert 'id="kpi-win_rate"' in kpis  # the anchor the KPI links point at


@needs_mkdocs
def test_a_broken_anchor_fails_the_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build above is a real check: the configuration makes broken anchors warnings."""
    out = _write(tmp_path, "en", capsys)
    index = out / "index.md"
    index.write_text(index.read_text() + "\nSee [it](kpis.md#no-such-kpi).\n")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out.parent / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "no-such-kpi" in done.stderr


def test_a_foreign_mkdocs_yml_is_not_replaced_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    out = tmp_path / "handbook"
    code = main(["docs", str(REFERENCE), "--format", "markdown", "--out", str(out)])
    captured = capsys.readouterr()
    assert code != 0
    assert "mkdocs.yml exists and was not written by crmorg" in captured.err + captured.out
    assert "Traceback" not in captured.err
    assert not out.exists()
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"


def test_anchors_sit_where_both_github_and_mkdocs_find_them() -> None:
    """A heading's anchor is the model id (``kpi-win_rate``), which no renderer derives
    from the heading's text (GitHub and MkDocs slug names differently, and MkDocs drops
    Chinese): so the page names it, once, at the start of the heading."""
    files = build_site(load(REFERENCE), fmt="markdown")
    assert '### <a id="kpi-win_rate"></a>Opportunity win rate' in files["kpis.md"]
    for path, text in files.items():
        ids = re.findall(r'<a id="([^"]+)"></a>', text)
        assert len(ids) == len(set(ids)), path


def test_wrapping_keeps_what_every_page_renders_to(monkeypatch: pytest.MonkeyPatch) -> None:
    model = load(REFERENCE)
    wrapped = build_site(model, fmt="markdown")
    monkeypatch.setattr(site_module, "wrap_markdown", lambda text: text)
    unwrapped = build_site(model, fmt="markdown")
    assert wrapped.keys() == unwrapped.keys()
    long_lines = 0
    for path, text in wrapped.items():
        assert squash(markdown_to_html(text)) == squash(markdown_to_html(unwrapped[path])), path
        fenced = False
        for line in text.splitlines():
            fenced = fenced != line.startswith("```")
            if fenced or line.startswith(("|", "#", "```")) or len(line) <= WIDTH:
                continue
            long_lines += 1  # a break was not allowed where it was needed (before `*x*`)
    assert long_lines < 10


_WORD = st.text(alphabet="abcxyz_*[]()`#-+>|=1.\\中文", min_size=1, max_size=12)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(_WORD, min_size=1, max_size=60),
    st.sampled_from(["", "- ", "1. ", "- [ ] ", "  - ", "**x** "]),
)
@example(words=["#", *["1"] * 14], prefix="- ")  # a heading in a list item: one line
@example(words=[">", *["x"] * 14], prefix="1. ")  # a quote in a list item
def test_wrap_never_changes_the_rendering(words: list[str], prefix: str) -> None:
    line = prefix + " ".join(words)
    wrapped = wrap_markdown(line, 30)
    assert squash(markdown_to_html(wrapped)) == squash(markdown_to_html(line))
    for piece in wrapped.split("\n"):
        # Long only where no break was allowed: one word, or words that may not begin a
        # line (`-x`, `=x`, `1.`), links and code spans kept whole, a backslash at the end.
        assert (
            len(piece) <= 30
            or " " not in piece.strip()
            or re.search(r"[`\[\\=+*#>|<~-]|\d[.)]", piece)
        ), piece
