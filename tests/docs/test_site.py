"""The handbook as files: golden output, determinism, hostile names, atomic writes."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crmorg import output as site_module
from crmorg.docs.context import Page, Section, SiteContext
from crmorg.docs.i18n import LANGUAGES, STRINGS
from crmorg.docs.site import MARKER_FILE, SiteError, build_site, write_site
from crmorg.findings import Finding, Location, Severity
from crmorg.lint.engine import Report
from crmorg.model import Model

from .conftest import GOLDEN_DIR, SMALL_MODEL, UPDATE_GOLDEN
from .hostile import texts_shown
from .inspect_output import markdown_to_html, mermaid_blocks, parse_html, squash

# --- golden files --------------------------------------------------------------------


def fixed_report(model: Model) -> Report:
    """A report that does not change when rules are added: goldens test the pages."""
    file = str(SMALL_MODEL / "model.yaml")
    return Report(
        (
            Finding(
                "sod-role-conflict",
                "C101",
                Severity.ERROR,
                "role sales_lead holds every permission of quote_four_eyes",
                Location(file, 40, 24),
                ("quote_four_eyes", "sales_lead"),
            ),
            Finding(
                "vacant-role",
                "G107",
                Severity.WARNING,
                "nobody holds role auditor",
                Location(file, 52, 3),
                ("auditor",),
            ),
            Finding(
                "single-point-of-failure",
                "G111",
                Severity.WARNING,
                "critical responsibility sell_tea is held by one person <script>",
                Location(file, 72, 3),
                ("sell_tea", "tea_east", "raj", "win_rate", "lead", "finance", "nobody_knows"),
            ),
            Finding(
                "privilege-escalation",
                "C106",
                Severity.ERROR,
                "admin can assign user",
                Location(file, 61, 26),
                ("admin",),
                waived=True,
                waiver_reason="The administrator is trusted.",
            ),
        )
    )


_SVG = re.compile(r"<svg\b.*?</svg>\n?", re.DOTALL)


def normalise_charts(path: str, text: str) -> str:
    """Charts have their own golden files (tests/charts); here only their place counts."""
    if path.endswith(".svg"):
        return "<!-- chart: see tests/charts -->\n"
    if path.endswith(".html"):
        return _SVG.sub("<svg><!-- chart: see tests/charts --></svg>\n", text)
    return re.sub(
        r"```mermaid\n.*?^```$",
        "```mermaid\n%% chart: see tests/charts\n```",
        text,
        flags=re.DOTALL | re.MULTILINE,
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_golden_site(small_model: Model, fmt: str, lang: str) -> None:
    files = build_site(small_model, fmt=fmt, lang=lang, report=fixed_report(small_model))
    directory = GOLDEN_DIR / f"{fmt}-{lang}"
    actual = {path: normalise_charts(path, text) for path, text in files.items()}
    if UPDATE_GOLDEN:
        if directory.exists():
            for old in sorted(directory.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        for path, text in actual.items():
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        return
    expected_paths = sorted(
        p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()
    )
    assert sorted(actual) == expected_paths, "pages differ; regenerate with CRMORG_UPDATE_GOLDEN=1"
    for path, text in actual.items():
        expected = (directory / path).read_bytes().decode("utf-8")
        assert text == expected, (
            f"{fmt}-{lang}/{path} differs from its golden file; if intended, regenerate with "
            "CRMORG_UPDATE_GOLDEN=1 and review the diff"
        )


def test_site_has_every_page(small_model: Model) -> None:
    files = build_site(small_model, fmt="html")
    expected = {
        "index.html", "roles.html", "people.html", "raci.html", "permissions.html",
        "kpis.html", "report.html", "org-chart.svg", "glossary.html",
        "chart.html", "search.html", "search-index.js",
        *(f"departments/{d}.html" for d in small_model.departments),
        *(f"roles/{r}.html" for r in small_model.roles),
        *(f"people/{p}.html" for p in small_model.people),
    }  # fmt: skip
    assert set(files) == expected
    assert "<svg" in files["index.html"]
    assert files["org-chart.svg"].startswith("<?xml")
    markdown = build_site(small_model, fmt="markdown")
    html_only = {"org-chart.svg", "chart.html", "search.html", "search-index.js"}
    assert set(markdown) == {p.replace(".html", ".md") for p in expected - html_only}
    assert len(mermaid_blocks(markdown["index.md"])) == 1


def test_every_interface_string_exists_in_every_language() -> None:
    keys = {lang: set(STRINGS[lang]) for lang in LANGUAGES}
    assert keys["en"] == keys["zh"]


def test_chinese_site_uses_chinese_names_and_falls_back_to_english(small_model: Model) -> None:
    files = build_site(small_model, fmt="html", lang="zh")
    index = parse_html(files["index.html"]).text
    assert "莲花茶业" in index and "组织手册" in index
    treasurer = parse_html(files["roles/treasurer.html"]).text
    assert "Treasurer" in treasurer  # no Chinese name: English
    assert "可对本部门的收款记录执行退款操作" in treasurer
    assert 'lang="zh-Hans"' in files["index.html"]


def test_role_card_content(small_model: Model) -> None:
    files = build_site(small_model, fmt="html")
    card = squash(parse_html(files["roles/sales_lead.html"]).text)
    for expected in (
        "Sales Lead",
        "Head of Sales",
        "Reports to Director",
        "Mei Chen",
        "Inherits from Sales Representative",
        "Sell tea",
        "can view leads in their department",
        "can approve quotes for their team",
        "can create and view their own quotes — inherited from Sales Representative",
        "Quote win rate",
        "35%",
    ):
        assert expected in card, expected
    vacant = parse_html(files["roles/auditor.html"]).text
    assert "Vacant" in vacant
    agent = parse_html(files["roles/agent.html"]).text
    assert "External" in agent


def test_links_resolve(small_model: Model) -> None:
    for fmt in ("html", "markdown"):
        files = build_site(small_model, fmt=fmt)
        parsed = {
            path: parse_html(text if fmt == "html" else markdown_to_html(text))
            for path, text in files.items()
            if not path.endswith(".svg")
        }
        for path, page in parsed.items():
            for href in page.hrefs:
                target, _, anchor = href.partition("#")
                here = posixpath.dirname(path)
                resolved = posixpath.normpath(posixpath.join(here, target)) if target else path
                assert resolved in files, f"{path}: broken link {href}"
                if anchor:
                    assert anchor in parsed[resolved].ids, f"{path}: no anchor {href}"


def test_findings_link_to_what_they_concern(small_model: Model) -> None:
    files = build_site(small_model, fmt="html", report=fixed_report(small_model))
    report = parse_html(files["report.html"])
    for href in (
        "permissions.html#constraint-quote_four_eyes",
        "roles/sales_lead.html",
        "raci.html#resp-sell_tea",
        "people.html#team-tea_east",
        "people/raj.html",
        "kpis.html#kpi-win_rate",
        "permissions.html#resource-lead",
        "departments/finance.html",
    ):
        assert href in report.hrefs
    assert "nobody_knows" in report.text  # unknown subjects stay as text
    assert "model.yaml:40:24" in report.text  # file relative to the model


# --- determinism ---------------------------------------------------------------------


def test_output_is_deterministic(small_model: Model) -> None:
    from crmorg.api import load

    again = load(SMALL_MODEL)
    for fmt in ("html", "markdown"):
        assert build_site(small_model, fmt=fmt) == build_site(again, fmt=fmt)


def test_output_does_not_depend_on_hash_seed(small_model: Model) -> None:
    """Set and dict ordering must never leak into the output."""
    script = (
        "import hashlib, sys, crmorg\n"
        "from crmorg.docs.site import build_site\n"
        "m = crmorg.load(sys.argv[1])\n"
        "h = hashlib.sha256()\n"
        "for path, text in build_site(m, fmt='html', lang='zh').items():\n"
        "    h.update(path.encode() + b'\\0' + text.encode() + b'\\0')\n"
        "print(h.hexdigest())\n"
    )
    here = hashlib.sha256()
    for path, text in build_site(small_model, fmt="html", lang="zh").items():
        here.update(path.encode() + b"\0" + text.encode() + b"\0")
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(SMALL_MODEL)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert proc.stdout.strip() == here.hexdigest()


# --- hostile names -------------------------------------------------------------------


def _page_texts(files: dict[str, str], fmt: str) -> dict[str, str]:
    return {
        path: text if fmt == "html" else markdown_to_html(text)
        for path, text in files.items()
        if not path.endswith(".svg")
    }


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_names_are_inert(hostile_model: Model, fmt: str, lang: str) -> None:
    files = build_site(hostile_model, fmt=fmt, lang=lang)
    everything = ""
    for path, html in _page_texts(files, fmt).items():
        parsed = parse_html(html)
        # Only the search and chart pages have scripts: crmorg's own (tests/docs/
        # test_navigation.py checks that no model text reaches them).
        scripts = {"search.html": 3, "chart.html": 1}.get(path, 0) if fmt == "html" else 0
        assert parsed.elements.count("script") == scripts, f"{path}: a <script> element"
        assert "img" not in parsed.elements, f"{path}: an <img> element"
        assert "i" not in parsed.elements and "b" not in parsed.elements, path
        for tag, name, value in parsed.attributes:
            assert not name.startswith("on"), f"{path}: event handler on <{tag}>"
            if name == "href" and value:
                assert not value.lower().startswith("javascript"), f"{path}: {value}"
        everything += squash(parsed.text) + "\n"
    # Every hostile text shows literally (the Chinese one is shown only in zh).
    for line in texts_shown():
        if "销售" in line and lang != "zh":
            continue
        assert squash(line) in everything, f"not shown literally: {line!r}"
    assert "{{ 7*7 }}" in everything and "49" not in everything


def test_hostile_svg_is_well_formed_xml(hostile_model: Model) -> None:
    import xml.etree.ElementTree as ET

    files = build_site(hostile_model, fmt="html")
    ET.fromstring(files["org-chart.svg"].encode("utf-8"))
    chart = re.search(r"<svg\b.*?</svg>", files["index.html"], re.DOTALL)
    assert chart is not None
    root = ET.fromstring(chart.group(0).encode("utf-8"))
    assert not [el for el in root.iter() if el.tag.endswith("script")]


def test_markdown_escaping_in_tables() -> None:
    from crmorg.docs.markdown import md_escape

    cell = md_escape("a|b *c* _d_ [e](f) <g> `h` \\ ~i~ $j$ & k\nl")
    assert "\n" not in cell
    row = f"| x | {cell} |\n"
    html = markdown_to_html("| h1 | h2 |\n|---|---|\n" + row)
    parsed = parse_html(html)
    assert parsed.elements.count("td") == 2
    assert set(parsed.elements) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}
    assert "a|b *c* _d_ [e](f) <g> `h` \\ ~i~ $j$ & k\nl" in parsed.text
    for start in ("1. x", "- x", "# x", "+ x", "> x", "=== x", "12) x"):
        html = markdown_to_html(md_escape(start))
        assert parse_html(html).elements == ["p"], start


# --- writing -------------------------------------------------------------------------


def test_write_site_replaces_a_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site({"index.html": "one", "roles/a.html": "a"}, out)
    assert (out / MARKER_FILE).is_file()
    write_site({"index.html": "two"}, out)
    assert (out / "index.html").read_text() == "two"
    assert not (out / "roles").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_write_site_refuses_a_foreign_directory(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(SiteError, match="not written by crmorg"):
        write_site({"index.html": "x"}, out)
    assert (out / "thesis.tex").read_text() == "precious"
    write_site({"index.html": "x"}, out, force=True)
    assert not (out / "thesis.tex").exists()


@pytest.mark.parametrize("existing", [False, True])
def test_nothing_partial_is_left_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    out = tmp_path / "site"
    if existing:
        write_site({"index.html": "old"}, out)
    files = {f"roles/r{i}.html": str(i) for i in range(20)}
    calls = 0
    real = site_module._write_file

    def failing(path: Path, content: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise OSError("disk full")
        real(path, content)

    monkeypatch.setattr(site_module, "_write_file", failing)
    with pytest.raises(OSError, match="disk full"):
        write_site(files, out)
    assert calls == 12
    if existing:
        assert sorted(p.name for p in out.iterdir()) == [MARKER_FILE, "index.html"]
        assert (out / "index.html").read_text() == "old"
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["site"] if existing else [])


def test_a_failing_page_builder_writes_nothing(small_model: Model, tmp_path: Path) -> None:
    def broken(ctx: SiteContext) -> list[Page]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        files = build_site(small_model, extra_sections=[Section("broken", broken)])
        write_site(files, tmp_path / "site")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("path", ["../evil.html", "/abs.html", "a//b.html", MARKER_FILE, ""])
def test_unsafe_paths_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        write_site({path: "x"}, tmp_path / "site")


# --- extension and progress ----------------------------------------------------------


def test_a_section_can_be_added(small_model: Model) -> None:
    """How the KPI scorecard plugs in: a section with a builder and a nav entry."""
    from crmorg.docs.i18n import register

    register({"en": {"nav.extra": "Extra"}, "zh": {"nav.extra": "附加"}})

    def extra(ctx: SiteContext) -> list[Page]:
        return [
            ctx.render(
                "report", "extra", "Extra", summary=ctx.report.summary, failed=False, findings=[]
            )
        ]

    files = build_site(small_model, extra_sections=[Section("extra", extra, "nav.extra", "extra")])
    assert "extra.html" in files
    nav = parse_html(files["index.html"])
    assert "extra.html" in nav.hrefs


def test_progress_is_reported_through_the_callback(small_model: Model, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    files = build_site(small_model, progress=lambda *event: seen.append(event))
    write_site(files, tmp_path / "site", progress=lambda *event: seen.append(event))
    renders = [e for e in seen if e[0] == "render"]
    writes = [e for e in seen if e[0] == "write"]
    assert renders[-1][1] == renders[-1][2]
    assert writes == [("write", i, len(files)) for i in range(1, len(files) + 1)]


def test_unknown_format_or_language(small_model: Model) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        build_site(small_model, fmt="pdf")
    with pytest.raises(ValueError, match="unknown language"):
        build_site(small_model, lang="fr")
