"""Getting around the handbook: search, glossary, the interactive chart, mini-RACI.

The search and the chart page are driven in headless Chromium from ``file://`` (the
way a client opens a handbook sent as a folder), one launch per page.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from crmorg import load
from crmorg.docs.navigation import GLOSSARY, SEARCH_INDEX
from crmorg.docs.site import build_site, write_site
from crmorg.model import Model

from .conftest import require_renderers
from .hostile import texts_shown
from .inspect_output import parse_html
from .test_access_v11 import V11_MODEL

_PREFIX = "window.CRMORG_SEARCH = "


def _index(files: dict[str, str]) -> list[dict[str, str]]:
    text = files[SEARCH_INDEX]
    assert text.startswith(_PREFIX) and text.endswith(";\n")
    entries: list[dict[str, str]] = json.loads(text[len(_PREFIX) : -2])
    return entries


def _resolves(files: dict[str, str], here: str, href: str) -> None:
    target, _, anchor = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
    assert resolved in files, f"{here}: broken link {href}"
    if anchor:
        assert anchor in parse_html(files[resolved]).ids, f"{here}: no anchor {href}"


def test_the_search_index_finds_every_item_and_every_url_resolves(small_model: Model) -> None:
    files = build_site(small_model, fmt="html")
    entries = _index(files)
    ids = {(e["k"], e.get("i")) for e in entries}
    for role_id in small_model.roles:
        assert ("Role", role_id) in ids
    for person_id in small_model.people:
        assert ("Person", person_id) in ids
    for kpi_id in small_model.kpis:
        assert ("KPI", kpi_id) in ids
    assert any(e["k"] == "Term" and e["t"] == "RACI" for e in entries)
    for entry in entries:
        _resolves(files, "index.html", entry["u"])
    assert build_site(small_model, fmt="html")[SEARCH_INDEX] == files[SEARCH_INDEX]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_names_in_the_search_index_are_inert_data(hostile_model: Model, lang: str) -> None:
    files = build_site(hostile_model, fmt="html", lang=lang)
    text = files[SEARCH_INDEX]
    # Nothing that could close a script element, open a comment or break a JS line.
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    titles = "\n".join(e["t"] + "\n" + e.get("d", "") for e in _index(files))
    shown = [line for line in texts_shown() if "销售" not in line or lang == "zh"]
    assert any(line.split("\n")[0] in titles for line in shown)
    # The scripts on the search and chart pages are crmorg's own: no model text in them.
    for page in ("search.html", "chart.html"):
        for script in re.findall(r"<script>(.*?)</script>", files[page], re.DOTALL):
            for line in shown:
                assert line not in script


def test_the_glossary_is_linked_from_every_page_and_lists_the_terms() -> None:
    v11_model = load(V11_MODEL)
    for lang, raci in (("en", "Responsible (R)"), ("zh", "执行（R）")):
        files = build_site(v11_model, fmt="html", lang=lang)
        glossary = parse_html(files["glossary.html"])
        assert {f"term-{key}" for key in GLOSSARY} <= glossary.ids  # a v1.1 model: all
        assert raci in glossary.text
        # Where the terms are used, they link to their entry.
        if v11_model.responsibilities:
            assert 'href="glossary.html#term-raci"' in files["raci.html"]
        assert 'href="glossary.html#term-scope"' in files["permissions.html"]
        for path, text in files.items():
            if path.startswith("departments/") and '<table class="matrix mini-raci">' in text:
                assert 'href="../glossary.html#term-raci"' in text, path
        for path, text in files.items():
            if path.endswith(".html"):
                hrefs = parse_html(text).hrefs
                assert any(h.endswith("glossary.html") for h in hrefs), path
                assert any(h.endswith("search.html") for h in hrefs), path
    markdown = build_site(v11_model, fmt="markdown", lang="zh")
    assert "基线权限" in markdown["glossary.md"]


def test_each_department_page_has_its_mini_raci(small_model: Model) -> None:
    files = build_site(small_model, fmt="html")
    for dept_id in small_model.departments:
        page = files[f"departments/{dept_id}.html"]
        responsibilities = [
            r for r, resp in small_model.responsibilities.items() if resp.department == dept_id
        ]
        tables = re.findall(r'<table class="matrix mini-raci">.*?</table>', page, re.DOTALL)
        if not responsibilities:
            assert not tables
            continue
        assert len(tables) == 1, dept_id
        for resp_id in responsibilities:
            accountable = small_model.responsibilities[resp_id].accountable
            role = small_model.roles.get(accountable)
            if role is not None and role.department == dept_id:
                assert f"../roles/{accountable}.html" in tables[0]
            assert f"../raci.html#resp-{resp_id}" in tables[0]


def test_every_id_on_the_chart_page_is_unique_and_every_box_links(small_model: Model) -> None:
    files = build_site(small_model, fmt="html")
    page = files["chart.html"]
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "duplicate ids on chart.html"
    assert page.count("<svg") == 2  # roles and people, side by side on one page
    boxes = re.findall(r'<g class="node[^"]*" id="[^"]+" data-node="([^"]+)"', page)
    links = re.findall(r'<a xlink:href="([^"]+)"><g class="node', page)
    assert len(boxes) == len(links) == len(small_model.roles) + len(small_model.people)
    for href in links:
        _resolves(files, "chart.html", href.replace("&amp;", "&"))


@pytest.fixture(scope="module")
def site(small_model: Model, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nav-site")
    write_site(build_site(small_model, fmt="html"), out)
    return out


def _dom(url: str) -> str:
    from charts.renderers import _run_chromium

    proc = _run_chromium(["--dump-dom", "--virtual-time-budget=10000", url], 60)
    return proc.stdout.decode("utf-8", "replace")


def test_search_runs_offline_from_file_urls(site: Path, small_model: Model) -> None:
    require_renderers("chromium")
    role_id = next(iter(small_model.roles))
    name = small_model.roles[role_id].name
    query = (name if isinstance(name, str) else next(iter(name.values()))).split()[0]
    dom = _dom((site / "search.html").as_uri() + "?q=" + query)
    results = re.search(r'<ol id="search-results"[^>]*>(.*?)</ol>', dom, re.DOTALL)
    assert results is not None
    assert f'href="roles/{role_id}.html"' in results.group(1), results.group(1)[:500]


_PROBE = """
<script>
(function () {
  var out = [];
  document.querySelectorAll(".interactive-chart").forEach(function (section) {
    var svg = section.querySelector("svg");
    var before = svg.getAttribute("viewBox");
    section.querySelector("[data-action=zoom-in]").click();
    var zoomed = svg.getAttribute("viewBox") !== before;
    var toggle = svg.querySelector(".toggle");
    var shown = function () {
      return Array.prototype.filter.call(svg.querySelectorAll("g.node"), function (g) {
        return (g.parentNode.localName === "a" ? g.parentNode : g).style.display !== "none";
      }).length;
    };
    var all = shown();
    toggle.dispatchEvent(new MouseEvent("click", {bubbles: true}));
    var folded = shown();
    toggle.dispatchEvent(new MouseEvent("click", {bubbles: true}));
    var input = section.querySelector("input[data-action=find]");
    input.value = "%s";
    input.dispatchEvent(new Event("input"));
    out.push([section.querySelector(".chart-controls").hidden, zoomed, all, folded, shown(),
              svg.querySelectorAll(".node.match").length]);
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def test_the_interactive_chart_zooms_folds_and_finds(site: Path, small_model: Model) -> None:
    require_renderers("chromium")
    from crmorg.text import localize

    person = next(iter(small_model.people.values()))
    name = localize(person.name, "en")
    page = (site / "chart.html").read_text("utf-8")
    probe = site / "chart-probe.html"
    probe.write_text(page.replace("</body>", _PROBE % name + "</body>"), encoding="utf-8")
    dom = _dom(probe.as_uri())
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert match is not None, dom[-2000:]
    results = json.loads(match.group(1))
    assert len(results) == 2
    for hidden, zoomed, shown, folded, unfolded, _found in results:
        assert not hidden and zoomed
        assert folded < shown == unfolded
    assert results[1][5] >= 1, f"{name!r} not found in the people chart"


def test_without_javascript_the_chart_page_is_static_svg(small_model: Model) -> None:
    page = build_site(small_model, fmt="html")["chart.html"]
    assert '<div class="chart-controls" hidden>' in page
    assert "<noscript>" in page
    assert page.count('<figure class="chart chart-viewport"') == 2


def test_crmorg_chart_interactive_writes_a_working_offline_page(
    small_model: Model, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crmorg.cli.main import main

    from .conftest import SMALL_MODEL

    out = tmp_path / "people.html"
    args = ["chart", str(SMALL_MODEL), "--view", "people", "--format", "html"]
    assert main([*args, "--interactive", "--out", str(out)]) == 0
    page = out.read_text("utf-8")
    script = page.split("<script>")[1]
    assert page.count("<script") == 1  # inline: no src, nothing fetched
    assert "fetch(" not in script and "XMLHttpRequest" not in script
    assert main([*args, "--out", str(tmp_path / "static.html")]) == 0
    assert "<script" not in (tmp_path / "static.html").read_text("utf-8")
    assert main(["chart", str(SMALL_MODEL), "--interactive"]) == 2
    assert "--interactive needs --format html" in capsys.readouterr().err
    require_renderers("chromium")
    from crmorg.text import localize

    name = localize(next(iter(small_model.people.values())).name, "en")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _PROBE % name + "</body>"), encoding="utf-8")
    match = re.search(r'<pre id="probe">(.*?)</pre>', _dom(probe.as_uri()), re.DOTALL)
    assert match is not None
    [(hidden, zoomed, shown, folded, unfolded, found)] = json.loads(match.group(1))
    assert not hidden and zoomed and folded < shown == unfolded and found >= 1


def test_department_charts_speak_the_site_language(small_model: Model) -> None:
    files = build_site(small_model, fmt="html", lang="zh")
    for dept_id in small_model.departments:
        page = files[f"departments/{dept_id}.html"]
        legend = re.search(r'<g class="legend".*?</svg>', page, re.DOTALL)
        if legend is None:
            continue
        words = re.findall(r"<text[^>]*>([^<]*)</text>", legend.group(0))
        assert words and not any(re.search(r"[A-Za-z]", word) for word in words), words
