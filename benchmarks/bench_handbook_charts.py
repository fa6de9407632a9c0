"""Charts at size: the handbook of a 300-role / 2,000-person model, and every chart in it.

    python benchmarks/bench_handbook_charts.py [--roles 300] [--people 2000] [--seed 11]
        [--lang en] [--max-width 16000] [--max-aspect 4]

Generates the model with ``generate_scale.py`` (the scale benchmark's generator), then
builds and writes the HTML handbook, timed, and measures every SVG chart in it: the
standalone ``.svg`` files and the charts inlined into pages. It also renders each chart
view of the whole model (departments, roles, people, teams), as ``crmorg chart --format
svg`` would. Prints the build time and, per chart, width, height and aspect ratio
(larger side over smaller), and exits 1, naming every offender, when a chart is wider
than ``--max-width`` or more elongated than ``--max-aspect``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_scale import generate

import crmorg
from crmorg.charts.svg import render_svg
from crmorg.charts.views import VIEWS, build_chart
from crmorg.docs.site import build_site, write_site

_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\swidth="([0-9.]+)"\s+height="([0-9.]+)"')


def svg_sizes(text: str) -> list[tuple[float, float]]:
    """(width, height) of every ``<svg>`` element in ``text`` (a page or an SVG file)."""
    sizes = []
    for tag in _SVG_TAG.findall(text):
        match = _SIZE.search(tag)
        if match is not None:
            sizes.append((float(match.group(1)), float(match.group(2))))
    return sizes


def aspect(width: float, height: float) -> float:
    """The larger side over the smaller one."""
    return max(width, height) / max(min(width, height), 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=300)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--max-width", type=float, default=16000.0)
    parser.add_argument("--max-aspect", type=float, default=4.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="crmorg-bench-charts-") as tmp:
        model_dir = Path(tmp) / "model"
        generate(model_dir, args.roles, args.people, args.seed)
        started = time.perf_counter()
        model = crmorg.load(model_dir)
        loaded = time.perf_counter()
        files = build_site(model, fmt="html", lang=args.lang)
        built = time.perf_counter()
        write_site(files, Path(tmp) / "site")
        written = time.perf_counter()

        charts: list[tuple[str, float, float]] = []
        for path, text in files.items():
            for index, (width, height) in enumerate(svg_sizes(text)):
                name = path if index == 0 else f"{path} #{index + 1}"
                charts.append((name, width, height))
        views_started = time.perf_counter()
        for view in VIEWS:
            svg = render_svg(build_chart(model, view, lang=args.lang))
            for width, height in svg_sizes(svg):
                charts.append((f"crmorg chart --view {view}", width, height))
        views_done = time.perf_counter()

    print(f"model: {args.roles} roles, {args.people} people ({len(model.roles)} roles loaded)")
    print(f"load: {loaded - started:.2f} s")
    print(f"handbook build ({args.lang}, {len(files)} files): {built - loaded:.2f} s")
    print(f"handbook write: {written - built:.2f} s")
    print(f"the four chart views: {views_done - views_started:.2f} s")
    print(f"{len(charts)} SVG charts; the 12 largest by area:")
    print(f"  {'chart':<48} {'width':>9} {'height':>9} {'aspect':>7}")
    for name, width, height in sorted(charts, key=lambda c: -c[1] * c[2])[:12]:
        print(f"  {name:<48} {width:>9.0f} {height:>9.0f} {aspect(width, height):>6.2f}:1")
    widest = max(charts, key=lambda c: c[1])
    flattest = max(charts, key=lambda c: aspect(c[1], c[2]))
    print(f"widest: {widest[0]} at {widest[1]:.0f} px")
    print(f"most elongated: {flattest[0]} at {aspect(flattest[1], flattest[2]):.2f}:1")

    offenders = [
        (name, width, height)
        for name, width, height in charts
        if width > args.max_width or aspect(width, height) > args.max_aspect
    ]
    if offenders:
        print(
            f"FAIL: {len(offenders)} chart(s) break the limits (width <= {args.max_width:.0f} px,"
            f" aspect <= {args.max_aspect:g}:1):",
            file=sys.stderr,
        )
        for name, width, height in offenders:
            print(
                f"  {name}: {width:.0f} x {height:.0f} ({aspect(width, height):.2f}:1)",
                file=sys.stderr,
            )
        return 1
    print(f"OK: every chart within {args.max_width:.0f} px and {args.max_aspect:g}:1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
