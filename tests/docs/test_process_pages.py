"""The handbook's process pages: swimlanes embedded, linked, and drawn by a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.charts.swimlane_process import process_swimlane
from crmorg.charts.swimlane_text import render_swimlane_mermaid
from crmorg.docs.site import build_site, write_site
from crmorg.model import Model

from .conftest import require_renderers
from .inspect_output import mermaid_blocks, parse_html
from .png import read_png

HERE = Path(__file__).parent
REPO = HERE.parents[1]
PAGE = "processes/feedback_handling"
STEPS = ["collect", "classify", "route", "resolve", "reply", "follow_up", "close"]
LANES = ["customer_service_rep", "customer_service_manager", "technical_support"]


@pytest.fixture(scope="module")
def model() -> Model:
    """The reference model, with its seed processes."""
    return load(REPO / "examples" / "reference")


@pytest.fixture(scope="module")
def sites(model: Model) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (fmt, lang): build_site(model, fmt=fmt, lang=lang)
        for fmt in ("html", "markdown")
        for lang in ("en", "zh")
    }


def test_a_page_per_process_in_each_format_and_language(
    model: Model, sites: dict[tuple[str, str], dict[str, str]]
) -> None:
    for (fmt, _lang), files in sites.items():
        ext = ".html" if fmt == "html" else ".md"
        pages = sorted(p for p in files if p.startswith("processes/"))
        assert pages == sorted(f"processes/{pid}{ext}" for pid in model.processes)


def test_html_page_embeds_the_swimlane_and_lists_the_steps(
    sites: dict[tuple[str, str], dict[str, str]],
) -> None:
    for lang, title in (("en", "Customer feedback handling"), ("zh", "客户反馈处理")):
        page = sites[("html", lang)][f"{PAGE}.html"]
        parsed = parse_html(page)
        assert "script" not in parsed.elements and "<?xml" not in page
        assert parsed.elements.count("svg") == 1
        assert {f"s-{step}" for step in STEPS} <= parsed.ids  # every step in the chart
        assert {f"step-{step}" for step in STEPS} <= parsed.ids  # and in the table
        assert {f"l-{lane}" for lane in LANES} <= parsed.ids
        assert f"<h1>{title} " in page
        assert "../roles/technical_support.html" in parsed.hrefs


def test_markdown_page_embeds_the_mermaid_swimlane(
    model: Model, sites: dict[tuple[str, str], dict[str, str]]
) -> None:
    """The block is the chart's Mermaid text, which the real parser checks in
    tests/charts/test_swimlane_real.py for every reference process."""
    for lang in ("en", "zh"):
        found = mermaid_blocks(sites[("markdown", lang)][f"{PAGE}.md"])
        chart = process_swimlane(model, "feedback_handling", "role", lang)
        assert found == [render_swimlane_mermaid(chart)]
        assert found[0].count("subgraph") == len(LANES)
    zh = mermaid_blocks(sites[("markdown", "zh")][f"{PAGE}.md"])[0]
    assert "反馈回复" in zh


def test_overview_departments_and_role_cards_link_to_the_process_pages(
    sites: dict[tuple[str, str], dict[str, str]],
) -> None:
    for fmt, ext in (("html", ".html"), ("markdown", ".md")):
        files = sites[(fmt, "en")]
        assert f"processes/feedback_handling{ext}" in files[f"index{ext}"]
        department = files[f"departments/customer_service{ext}"]
        assert f"../processes/feedback_handling{ext}" in department
        assert f"../processes/problem_resolution{ext}" in department
        assert f"../processes/monthly_reporting{ext}" in files[f"departments/crm{ext}"]
        card = files[f"roles/technical_support{ext}"]
        assert f"../processes/feedback_handling{ext}#step-resolve" in card
        # A role in no process gets no process section.
        assert "Process steps" not in files[f"roles/accountant{ext}"]


def test_pages_are_deterministic(
    model: Model, sites: dict[tuple[str, str], dict[str, str]]
) -> None:
    again = build_site(model, fmt="html", lang="zh")
    assert again == sites[("html", "zh")]


def test_hostile_process_names_stay_text(tmp_path: Path) -> None:
    from charts.samples import HOSTILE_LABELS

    steps = [
        {"id": f"s{i}", "name": label, "responsible": ["rep"]}
        for i, label in enumerate(HOSTILE_LABELS)
    ]
    steps[2]["next"] = ["s3", "s0"]
    model_text = {
        "organization": {"name": "T"},
        "roles": {"rep": {"name": HOSTILE_LABELS[0]}},
        "processes": {"p": {"name": '<b>"P" & co</b>', "steps": steps}},
    }
    (tmp_path / "model.yaml").write_text(
        json.dumps(model_text, ensure_ascii=False), encoding="utf-8"
    )
    model = load(tmp_path)
    html = build_site(model, fmt="html")["processes/p.html"]
    parsed = parse_html(html)
    assert "script" not in parsed.elements and "img" not in parsed.elements
    assert "<h1>&lt;b&gt;&#34;P&#34; &amp; co&lt;/b&gt; " in html
    # In the chart, each step's name is one line of text, as cleaned for display.
    assert ">&lt;img src=x onerror=alert(1)&gt;</tspan>" in html
    markdown = build_site(model, fmt="markdown")["processes/p.md"]
    (block,) = mermaid_blocks(markdown)
    assert "<script" not in re.sub(r"#\d+;", "", block)


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _bands(flags: list[bool], min_length: int = 25) -> int:
    """How many runs of at least ``min_length`` consecutive true flags there are."""
    bands, run = 0, 0
    for flag in [*flags, False]:
        if flag:
            run += 1
            continue
        bands += run >= min_length
        run = 0
    return bands


def test_screenshot_of_the_process_page_shows_lanes_and_steps(
    sites: dict[tuple[str, str], dict[str, str]], tmp_path: Path
) -> None:
    """The reference handbook's process page as Chromium draws it, in both languages."""
    require_renderers("chromium")
    from charts.renderers import screenshot

    for lang in ("en", "zh"):
        site = tmp_path / f"site-{lang}"
        write_site(sites[("html", lang)], site)
        png = screenshot(site / f"{PAGE}.html", tmp_path / f"process-{lang}.png", (1400, 1000))
        image = read_png(png)
        colours = image.colours(step=2)
        total = sum(colours.values())
        assert len(colours) > 100, f"{lang}: only {len(colours)} colours: blank?"
        assert colours.most_common(1)[0][1] < 0.8 * total, f"{lang}: one colour dominates"
        header = _hex("#dbeafe")  # lane headers
        decision = _hex("#fef3c7")  # decision hexagons
        end = _hex("#ecfdf5")  # end steps
        assert colours[header] > 200, f"{lang}: no lane header on screen"
        assert colours[decision] > 100, f"{lang}: no decision on screen"
        assert colours[end] > 50, f"{lang}: no end step on screen"
        # One band in the header colour per lane, down the headers' left edge (left of
        # the lane labels; the lanes' borders part the bands).
        left = min(
            x
            for y in range(0, image.height, 8)
            for x in range(image.width)
            if image.pixel(x, y)[:3] == header
        )
        rows = [image.pixel(left + 2, y)[:3] == header for y in range(image.height)]
        assert _bands(rows) == len(LANES), f"{lang}: {_bands(rows)} lane bands"
