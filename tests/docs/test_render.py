"""The handbook through the real engines: Mermaid in Chromium, Graphviz, a screenshot.

These tests FAIL when Chromium, Graphviz or the Mermaid bundle is missing (set
``CRMORG_SKIP_RENDER=1`` to skip them on a machine that cannot install them).
Everything Mermaid must read goes to one Chromium page load.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.charts.dot import render_dot
from crmorg.charts.views import VIEWS, build_chart
from crmorg.docs.site import build_site, write_site
from crmorg.model import Model

from .conftest import require_renderers
from .hostile import HOSTILE
from .inspect_output import mermaid_blocks
from .png import read_png

pytestmark = pytest.mark.render

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"


@pytest.fixture(scope="module")
def reference_model() -> Model:
    return load(REFERENCE)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_every_mermaid_block_parses(
    small_model: Model, hostile_model: Model, reference_model: Model
) -> None:
    require_renderers("chromium", "mermaid")
    from charts.renderers import mermaid_check

    texts: list[tuple[str, str]] = []
    for name, model in (("small", small_model), ("hostile", hostile_model),
                        ("reference", reference_model)):  # fmt: skip
        for lang in ("en", "zh") if name != "reference" else ("en",):
            for path, text in build_site(model, fmt="markdown", lang=lang).items():
                texts.extend((f"{name}/{lang}/{path}", block) for block in mermaid_blocks(text))
    assert len(texts) >= 10
    results = mermaid_check([text for _, text in texts])
    errors = [(where, r.error) for (where, _), r in zip(texts, results, strict=True) if r.error]
    assert errors == []
    hostile_labels = "\n".join(
        label
        for (where, _), result in zip(texts, results, strict=True)
        if where.startswith("hostile/en/index")
        for label in result.labels.values()
    )
    assert HOSTILE[0] in hostile_labels  # the external role "outsider", literally
    for result in results:
        assert "script" not in result.elements


def test_dot_charts_render_with_graphviz(
    small_model: Model, hostile_model: Model, reference_model: Model
) -> None:
    require_renderers("dot")
    from charts.renderers import dot_to_svg

    for model in (small_model, hostile_model, reference_model):
        for view in VIEWS:
            for lang in ("en", "zh"):
                svg = dot_to_svg(render_dot(build_chart(model, view, None, None, lang)))
                assert "<svg" in svg and "<script" not in svg


def _screenshot(site: Path, page: str, png: Path, height: int = 1000) -> Path:
    from charts.renderers import screenshot

    return screenshot(site / page, png, (1400, height))


def test_index_screenshot_shows_the_org_chart(reference_model: Model, tmp_path: Path) -> None:
    """The reference handbook's front page, in both languages, as Chromium draws it."""
    require_renderers("chromium")
    for lang in ("en", "zh"):
        site = tmp_path / f"site-{lang}"
        write_site(build_site(reference_model, fmt="html", lang=lang), site)
        # Tall enough for the whole (compact) chart of the reference model.
        png = tmp_path / f"index-{lang}.png"
        image = read_png(_screenshot(site, "index.html", png, height=1800))
        assert (image.width, image.height) == (1400, 1800), lang
        colours = image.colours(step=3)  # a ninth of the pixels is plenty
        total = sum(colours.values())
        assert len(colours) > 100, f"{lang}: only {len(colours)} colours: blank?"
        assert colours.most_common(1)[0][1] < 0.8 * total, f"{lang}: one colour dominates"
        # The header band is drawn in the brand colour.
        assert image.pixel(10, 10)[:3] == _hex("#1e3a5f"), lang
        # The chart is on screen: external roles' fill and department heads' border.
        assert colours[_hex("#fff7ed")] > 25, f"{lang}: no external role box on screen"
        assert colours[_hex("#1e3a8a")] > 6, f"{lang}: no department head box on screen"
