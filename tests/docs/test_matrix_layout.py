"""The matrices in a real browser: upright CJK headers, sticky headers, tables that fit.

Headless Chromium opens the reference handbook's RACI and permission pages (English and
Chinese). A script reads the computed styles and the layout (no ``rotate()`` on any
column header, headers and first column sticky and still in view after scrolling, every
table as wide as a 1,400 px window at most). A screenshot proves the glyphs upright:
known asymmetric characters (下 has its long stroke on top, 上 at the bottom) are put
into real column headers, beside control headers turned the old way (rotate 180°), and
the ink of each is weighed top against bottom.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import crmorg
from crmorg.docs.matrices import (
    PERMISSION_COLUMNS,
    RACI_COLUMNS,
    column_groups,
    permission_matrix,
    permission_tables,
    raci_tables,
)
from crmorg.docs.site import build_site, write_site
from crmorg.lint.engine import Report

from .browser import evaluate
from .conftest import require_renderers
from .png import read_png

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"
WINDOW = (1400, 1000)


def test_column_groups_are_even_runs_in_order() -> None:
    items = tuple(f"r{i}" for i in range(30))
    groups = column_groups(items, 8)
    assert [len(g) for g in groups] == [8, 8, 7, 7]
    assert tuple(x for g in groups for x in g) == items
    assert column_groups(items[:8], 8) == [items[:8]]
    assert column_groups((), 8) == [()]
    for size in range(1, 40):
        found = column_groups(items[:size], 7)
        assert max(len(g) for g in found) <= 7
        assert max(len(g) for g in found) - min(len(g) for g in found) <= 1


def test_the_permission_matrix_is_split_into_tables_of_every_role() -> None:
    model = crmorg.load(REFERENCE)
    matrix = permission_matrix(model)
    tables = permission_tables(matrix)
    assert len(tables) == -(-len(model.resources) // PERMISSION_COLUMNS)
    assert [r for t in tables for r in t.resources] == list(model.resources)
    for table in tables:
        assert table.roles == tuple(model.roles)
        assert len(table.resources) <= PERMISSION_COLUMNS


def test_a_department_with_too_many_roles_gets_several_raci_tables(tmp_path: Path) -> None:
    roles = {f"r{i}": {"department": "big"} for i in range(RACI_COLUMNS + 12)}
    roles["other"] = {"department": "small"}
    responsibilities = {
        "everything": {
            "department": "big",
            "accountable": "r0",
            "responsible": [f"r{i}" for i in range(1, RACI_COLUMNS + 12)],
        },
        "little": {"department": "small", "accountable": "other"},
    }
    (tmp_path / "m.yaml").write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "organization": {"name": "Wide"},
                "departments": {"big": {"name": "Big"}, "small": {"name": "Small"}},
                "roles": roles,
                "responsibilities": responsibilities,
            },
            sort_keys=False,
        )
    )
    tables = raci_tables(crmorg.load(tmp_path))
    assert [d for d, _ in tables] == ["big", "big", "small"]
    assert [len(t.roles) for _, t in tables] == [21, 21, 1]
    assert [r for _, t in tables[:2] for r in t.roles] == [f"r{i}" for i in range(42)]
    files = build_site(crmorg.load(tmp_path), report=Report(()))
    # the department's heading once, above its first part
    assert files["raci.html"].count('<h2><a href="departments/big.html"') == 1


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_renderers("chromium")
    model = crmorg.load(REFERENCE)
    folders = {}
    for lang in ("en", "zh"):
        folder = tmp_path_factory.mktemp(f"site-{lang}") / "site"
        write_site(build_site(model, lang=lang), folder)
        folders[lang] = folder
    return folders


_MEASURE = """(w, d) => {
  const style = (el) => w.getComputedStyle(el);
  const headers = [...d.querySelectorAll("table.matrix thead th.col")];
  const turned = [];
  for (const th of headers) {
    for (const el of [th, ...th.querySelectorAll("*")]) {
      if (style(el).transform !== "none" || style(el).rotate !== "none") {
        turned.push(th.textContent);
      }
    }
  }
  const wraps = [...d.querySelectorAll(".matrix-wrap")];
  const fits = wraps.map((wrap) => wrap.scrollWidth <= wrap.clientWidth);
  const widths = [...d.querySelectorAll("table.matrix")].map(
    (t) => Math.ceil(t.getBoundingClientRect().width));
  const first = wraps[0];
  const th = first.querySelector("thead th.col");
  const corner = first.querySelector("thead th.corner");
  const row = first.querySelector("tbody tr:last-child th");
  const result = {
    headers: headers.length,
    tables: wraps.length,
    turned,
    modes: [...new Set(headers.map((h) => style(h).writingMode + " " + style(h).textOrientation))],
    fits,
    widths,
    window: w.innerWidth,
    position: [style(th).position, style(corner).position, style(row).position],
  };
  // Scroll the first table down: its header row stays at the top of its box.
  first.scrollTop = 400;
  result.scrolled_down = first.scrollTop;
  result.header_offset = Math.round(th.getBoundingClientRect().top
    - first.getBoundingClientRect().top);
  // On a narrow window the table scrolls sideways: its first column stays at the left.
  w.frameElement.style.width = "700px";
  first.scrollLeft = 300;
  result.scrolled_right = first.scrollLeft;
  result.column_offset = Math.round(row.getBoundingClientRect().left
    - first.getBoundingClientRect().left);
  result.corner_offset = Math.round(corner.getBoundingClientRect().left
    - first.getBoundingClientRect().left);
  return result;
}"""


@pytest.fixture(scope="module")
def measured(sites: dict[str, Path]) -> dict[tuple[str, str], dict[str, Any]]:
    pages = [(lang, page) for lang in ("en", "zh") for page in ("raci", "permissions")]
    answers = evaluate([sites[lang] / f"{page}.html" for lang, page in pages], _MEASURE, WINDOW)
    return dict(zip(pages, answers, strict=True))


@pytest.mark.render
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["raci", "permissions"])
def test_no_column_header_is_turned(
    measured: dict[tuple[str, str], dict[str, Any]], lang: str, page: str
) -> None:
    found = measured[(lang, page)]
    assert "error" not in found, found
    assert found["headers"] >= 25
    assert found["turned"] == []
    if page == "raci":  # narrow columns: vertical text, CJK upright, Latin turned clockwise
        assert found["modes"] == ["vertical-rl mixed"]
    else:  # wide columns: the header lies flat
        assert found["modes"] == ["horizontal-tb mixed"]


@pytest.mark.render
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["raci", "permissions"])
def test_every_table_fits_1400_px_and_its_headers_stay_in_view(
    measured: dict[tuple[str, str], dict[str, Any]], lang: str, page: str
) -> None:
    found = measured[(lang, page)]
    assert found["window"] == WINDOW[0]
    assert found["tables"] == (1 if page == "raci" else 4)
    assert all(found["fits"]), found["widths"]
    assert max(found["widths"]) <= WINDOW[0]
    assert found["position"] == ["sticky", "sticky", "sticky"]
    assert found["scrolled_down"] > 0
    assert abs(found["header_offset"]) <= 1  # still at the top after scrolling down
    assert found["scrolled_right"] > 0
    assert abs(found["column_offset"]) <= 1  # still at the left after scrolling right
    assert abs(found["corner_offset"]) <= 1


PROBES = {
    # colour of the glyph -> (glyph, turned the old way)
    (255, 0, 0): ("下", False),
    (0, 170, 0): ("上", False),
    (0, 0, 255): ("下", True),
    (200, 0, 200): ("上", True),
}


def _probe_page(page: Path, target: Path) -> Path:
    """``page`` with its first two column headers holding 下 and 上, and two control
    headers beside them turned by ``rotate(180deg)``, as before the fix."""
    text = page.read_text(encoding="utf-8")
    opening = '<th class="col'
    start = text.index(opening)
    heads = []
    for colour, (glyph, turned) in PROBES.items():
        css = "transform: rotate(180deg)" if turned else ""
        rgb = "rgb({}, {}, {})".format(*colour)
        heads.append(
            f'<th class="col" scope="col" style="{css}"><span style="color: {rgb}; '
            f'font-size: 56px; font-weight: 700">{glyph}</span></th>'
        )
    target.write_text(text[:start] + "".join(heads) + text[start:], encoding="utf-8")
    # the rows get four more cells, so the table stays rectangular
    fixed = target.read_text(encoding="utf-8").replace(
        "</th>\n<td", "</th>\n<td></td><td></td><td></td><td></td><td"
    )
    target.write_text(fixed, encoding="utf-8")
    return target


def _ink(image: Any) -> dict[tuple[int, int, int], tuple[int, int]]:
    """Per probe colour: (its pixels in the top half, in the bottom half) of its box."""
    points: dict[tuple[int, int, int], list[int]] = {colour: [] for colour in PROBES}
    channels = image.channels
    for y in range(image.height):
        row = image.rows[y]
        for x in range(0, len(row), channels):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if max(r, g, b) - min(r, g, b) < 120:
                continue  # grey, white or a pale fill: no probe
            for colour in points:
                if (
                    abs(r - colour[0]) <= 40
                    and abs(g - colour[1]) <= 40
                    and abs(b - colour[2]) <= 40
                ):
                    points[colour].append(y)
    found = {}
    for colour, ys in points.items():
        assert len(ys) > 100, f"no glyph of colour {colour} on the screenshot"
        middle = (min(ys) + max(ys)) / 2
        upper = sum(1 for y in ys if y < middle)
        found[colour] = (upper, len(ys) - upper)
    return found


@pytest.mark.render
@pytest.mark.parametrize("page", ["raci", "permissions"])
def test_cjk_glyphs_in_column_headers_render_upright(
    sites: dict[str, Path], tmp_path: Path, page: str
) -> None:
    from charts.renderers import screenshot

    probe = _probe_page(sites["zh"] / f"{page}.html", sites["zh"] / f"probe-{page}.html")
    shot = read_png(screenshot(probe, tmp_path / f"{page}.png", size=(WINDOW[0], 720)))
    ink = _ink(shot)
    for colour, (glyph, turned) in PROBES.items():
        upper, lower = ink[colour]
        heavy_on_top = upper > lower
        # 下 is heavy on top, 上 at the bottom; turned 180° each is the other way round
        assert heavy_on_top == ((glyph == "下") != turned), (glyph, turned, upper, lower)
