"""``crmorg chart``: draw the organisation as Mermaid, DOT, SVG or an HTML page."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection
from pathlib import Path

from crmorg.catalogs import LANGUAGES
from crmorg.charts import (
    RENDERERS,
    SWIMLANE_RENDERERS,
    render_html,
    render_swimlane_html,
    render_swimlane_svg,
)
from crmorg.charts.swimlane_process import LANE_MODES, legend, process_swimlane
from crmorg.charts.views import VIEWS, build_chart
from crmorg.cli.command import CommandBase, add_format_argument, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.ids import require_known
from crmorg.cli.loading import load_or_report
from crmorg.model import Model
from crmorg.output import write_file
from crmorg.suggestions import did_you_mean

PROCESS_VIEW = "process"
"""The swimlane view of one process (``--process ID``), beside the org chart views."""


def _depth(value: str) -> int:
    try:
        depth = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if depth < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {depth}")
    return depth


ROOTS_BY_VIEW: dict[str, Callable[[Model], tuple[str, Collection[str]]]] = {
    "departments": lambda model: ("department", model.departments),
    "roles": lambda model: ("role", model.roles),
    "people": lambda model: ("person", model.people),
    "teams": lambda model: ("department or team", {*model.departments, *model.teams}),
}
"""Per view: what a --root names, and the model's ids of that kind."""


class ChartCommand(CommandBase):
    name = "chart"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        add_format_argument(parser, RENDERERS, "mermaid")
        parser.add_argument(
            "--view",
            default="roles",
            choices=(*VIEWS, PROCESS_VIEW),
            help="what the chart shows (default: roles); `process`: one process as swimlanes",
        )
        parser.add_argument(
            "--process", metavar="ID", help="with --view process: the process to draw"
        )
        parser.add_argument(
            "--lanes",
            choices=LANE_MODES,
            help="with --view process: one lane per role (default) or per department",
        )
        parser.add_argument("--root", metavar="ID", help="draw only the subtree below this id")
        parser.add_argument(
            "--depth", type=_depth, metavar="N", help="draw at most N levels below the root(s)"
        )
        parser.add_argument(
            "--lang", default="en", choices=LANGUAGES, help="language of names (default: en)"
        )
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
        parser.add_argument(
            "--interactive",
            action="store_true",
            help="with --format html: zoom, pan, fold branches and find names (offline script)",
        )

    def run(self, args: argparse.Namespace) -> int:
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        if args.interactive and args.format != "html":
            raise UsageError("--interactive needs --format html (an HTML page with its script)")
        draw = _process_chart if args.view == PROCESS_VIEW else _org_chart
        text = draw(model, args)
        if args.out:
            target = Path(args.out)
            # A symbolic link is followed, as a shell redirection would: the file it
            # names is replaced, the link stays.
            write_file(target.resolve() if target.is_symlink() else target, text)
        else:
            out.write(text)
        return EXIT_OK


def _org_chart(model: Model, args: argparse.Namespace) -> str:
    for option, value in (("--process", args.process), ("--lanes", args.lanes)):
        if value is not None:
            raise UsageError(f"{option} goes with --view process, not --view {args.view}")
    # A root that the model does not define at all gets a suggestion; the chart
    # itself decides about the others.
    kind, roots = ROOTS_BY_VIEW[args.view](model)
    require_known(args.root, roots, kind)
    try:
        chart = build_chart(model, args.view, args.root, args.depth, args.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    # The HTML page also says which language it is in.
    if args.format == "html":
        return render_html(chart, args.lang, interactive=args.interactive)
    return RENDERERS[args.format](chart)


def _process_id(model: Model, wanted: str | None) -> str:
    """The process to draw: the one named, or the model's only one."""
    known = list(model.processes)
    listed = ", ".join(known)
    if wanted is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise UsageError("--view process: the model has no processes (a `processes:` section)")
        raise UsageError(f"--view process needs --process ID; the model's processes: {listed}")
    if wanted not in model.processes:
        if not known:
            raise UsageError(f"no process `{wanted}`: the model has no `processes:` section")
        hint = did_you_mean(wanted, known)
        raise UsageError(f"no process `{wanted}` in the model{hint}; its processes: {listed}")
    return wanted


def _process_chart(model: Model, args: argparse.Namespace) -> str:
    for option, value in (("--root", args.root), ("--depth", args.depth)):
        if value is not None:
            raise UsageError(f"{option} does not apply to --view process")
    process_id = _process_id(model, args.process)
    chart = process_swimlane(model, process_id, args.lanes or "role", args.lang)
    words = legend(args.lang)
    if args.format == "html":
        return render_swimlane_html(chart, args.lang, words)
    if args.format == "svg":
        return render_swimlane_svg(chart, legend=words)
    return SWIMLANE_RENDERERS[args.format](chart)
