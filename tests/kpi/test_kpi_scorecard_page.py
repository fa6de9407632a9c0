"""The handbook's scorecard page: HTML and Markdown, both languages, escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from crmorg import load
from crmorg.docs.scorecard import scorecard_section
from crmorg.docs.site import build_site
from crmorg.kpi.data import MetricData
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.models import Kpi
from crmorg.kpi.render import ScorecardContext, render
from crmorg.kpi.render.markdown import render_markdown
from crmorg.loading.metric_data import read_metric_data
from crmorg.markdown_text import md_escape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reference() -> tuple[object, MetricData]:
    model = load(ROOT / "examples" / "reference")
    data = read_metric_data(ROOT / "examples" / "reference-metrics.csv", model.metrics).data
    return model, data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_handbook_gains_a_scorecard_page(reference: tuple, lang: str) -> None:
    model, data = reference
    files = build_site(model, lang=lang, extra_sections=[scorecard_section(data)])
    page = files["scorecard.html"]
    assert "status-met" in page and "status-error" in page and "status-no-data" in page
    assert ("达成" if lang == "zh" else ">met<") in page
    nav = _Tags()
    nav.feed(files["index.html"])
    assert "scorecard.html" in nav.hrefs


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_handbook_gains_a_scorecard_page(reference: tuple, lang: str) -> None:
    model, data = reference
    files = build_site(model, fmt="markdown", lang=lang, extra_sections=[scorecard_section(data)])
    page = files["scorecard.md"]
    assert "## 2026-03" in page
    assert "| ---: |" in page
    assert "(scorecard.md)" in files["index.md"]


def test_scorecard_page_escapes_hostile_names(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>|*x*"
    (tmp_path / "m.yaml").write_text(
        "version: 1\norganization: {name: T}\n"
        "metrics: {won: {unit: count}}\n"
        "kpis:\n  k:\n    name: '" + hostile + "'\n    formula: won\n    unit: count\n"
        "    direction: higher\n    target: 1\n    frequency: monthly\n",
        encoding="utf-8",
    )
    model = load(tmp_path / "m.yaml")
    data = MetricData({"<p1>": {"won": 2}})
    html_page = build_site(model, extra_sections=[scorecard_section(data)])["scorecard.html"]
    tags = _Tags()
    tags.feed(html_page)
    assert "img" not in tags.tags
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_page
    md_page = build_site(model, fmt="markdown", extra_sections=[scorecard_section(data)])[
        "scorecard.md"
    ]
    assert "<img" not in md_page and "<p1>" not in md_page
    row = next(line for line in md_page.splitlines() if "(`k`)" in line)
    assert row.count(" | ") == 7  # the `|` in the name did not split the cell


def test_markdown_renderer_on_its_own() -> None:
    card = evaluate(
        {"k": Kpi(formula="won", unit="percent", direction="higher", target=0.5)},
        MetricData({"2026-01": {"won": 0.5}, "2026-02": {"won": 0.25}}),
    )
    text = render(card, "markdown", ScorecardContext(title="Acme"))
    assert text.startswith("# KPI scorecard: Acme\n")
    assert text.index("## 2026-02") < text.index("## 2026-01")  # latest first
    assert "| 50\\.0% |" in text  # `50.` could start a list: escaped
    assert "| Met | Missed | No-data | Error |" in text
    body = render_markdown(card, ScorecardContext(), heading_level=3)
    assert "### " in body
    assert md_escape("a|b\nc") == "a\\|b<br>c"
