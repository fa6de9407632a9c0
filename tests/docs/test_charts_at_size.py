"""Charts that hold at 2,000 people: every SVG of the handbook within 16,000 px and 4:1.

The model is the scale benchmark's (``benchmarks/generate_scale.py``) at 300 roles and
2,000 people, as ``benchmarks/bench_handbook_charts.py`` measures it; on main the people
chart of this model was 201,508 x 528 px and the overview a dotted line.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from crmorg import load
from crmorg.charts.svg import render_svg
from crmorg.charts.views import VIEWS, build_chart
from crmorg.docs.navigation import OVERVIEW_MAX_BOXES
from crmorg.docs.site import build_site
from crmorg.model import Model

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
MAX_WIDTH = 16_000
MAX_ASPECT = 4.0


def _benchmark(name: str) -> ModuleType:
    """A module of ``benchmarks/`` (the generator, the benchmark's SVG size reader)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Model:
    out = tmp_path_factory.mktemp("people-2000")
    _benchmark("generate_scale").generate(out, roles=300, people=2000)
    return load(out)


@pytest.fixture(scope="module")
def large_site(large: Model) -> dict[str, str]:
    return build_site(large, fmt="html")


def _sizes(text: str) -> list[tuple[float, float]]:
    sizes: list[tuple[float, float]] = _benchmark("bench_handbook_charts").svg_sizes(text)
    return sizes


def _check(name: str, width: float, height: float) -> None:
    assert width <= MAX_WIDTH, f"{name}: {width:.0f} px wide"
    ratio = max(width, height) / min(width, height)
    assert ratio <= MAX_ASPECT, f"{name}: {width:.0f} x {height:.0f} ({ratio:.2f}:1)"


def test_every_chart_of_a_2000_person_handbook_meets_the_limits(
    large: Model, large_site: dict[str, str]
) -> None:
    assert len(large.people) == 2000 and len(large.roles) > 300
    started = time.perf_counter()
    files = large_site
    measured = 0
    for path, text in files.items():
        for width, height in _sizes(text):
            _check(path, width, height)
            measured += 1
    for view in VIEWS:
        for width, height in _sizes(render_svg(build_chart(large, view))):
            _check(view, width, height)
            measured += 1
    assert measured >= 4 + 1 + len(large.departments)
    assert time.perf_counter() - started < 10  # measuring, and the four chart views


def test_a_large_overview_shows_the_departments_with_links_down(
    large: Model, large_site: dict[str, str]
) -> None:
    assert len(large.roles) > OVERVIEW_MAX_BOXES
    index = large_site["index.html"]
    assert 'id="departments"' in index  # the department chart's slug
    assert 'id="roles"' not in index
    for dept_id in large.departments:
        assert f'xlink:href="departments/{dept_id}.html"' in index
    assert 'href="chart.html"' in index and 'href="org-chart.svg"' in index
