"""The chart as a self-contained HTML page (``crmorg chart --format html``)."""

from __future__ import annotations

from charts.samples import HOSTILE_LABELS, hostile_chart, sample_chart
from crmorg.charts import RENDERERS
from crmorg.charts.html import render_html
from crmorg.text import reveal

from .inspect_output import parse_html


def test_html_is_registered() -> None:
    assert RENDERERS["html"] is render_html


def test_page_wraps_the_svg_inline() -> None:
    page = render_html(sample_chart(), "zh")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert '<html lang="zh-Hans">' in page
    assert "<?xml" not in page and page.count("<svg") == 1
    assert render_html(sample_chart(), "zh") == page


def test_hostile_labels_are_text() -> None:
    parsed = parse_html(render_html(hostile_chart()))
    assert "script" not in parsed.elements and "img" not in parsed.elements
    assert not [name for _, name, _ in parsed.attributes if name.startswith("on")]
    for label in HOSTILE_LABELS:
        for line in label.split("\n"):
            if line.strip() and "\ufb02" not in line:
                assert reveal(line) in parsed.text, line  # the emoji's ZWJ as \u200d
    assert '<title>Hostile "chart" & co</title>' in parsed.text
