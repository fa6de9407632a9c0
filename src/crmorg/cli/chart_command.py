"""``crmorg chart``: draw the organisation as Mermaid, DOT, SVG or an HTML page."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection
from pathlib import Path

from crmorg.catalogs import LANGUAGES
from crmorg.charts import RENDERERS, render_html
from crmorg.charts.views import VIEWS, build_chart
from crmorg.cli.command import CommandBase, add_format_argument, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.ids import require_known
from crmorg.cli.loading import load_or_report
from crmorg.model import Model
from crmorg.output import write_file


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
            "--view", default="roles", choices=VIEWS, help="what the chart shows (default: roles)"
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
        # A root that the model does not define at all gets a suggestion; the chart
        # itself decides about the others.
        if args.interactive and args.format != "html":
            raise UsageError("--interactive needs --format html (an HTML page with its script)")
        kind, roots = ROOTS_BY_VIEW[args.view](model)
        require_known(args.root, roots, kind)
        try:
            chart = build_chart(model, args.view, args.root, args.depth, args.lang)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        # The HTML page also says which language it is in.
        text = (
            render_html(chart, args.lang, interactive=args.interactive)
            if args.format == "html"
            else RENDERERS[args.format](chart)
        )
        if args.out:
            target = Path(args.out)
            # A symbolic link is followed, as a shell redirection would: the file it
            # names is replaced, the link stays.
            write_file(target.resolve() if target.is_symlink() else target, text)
        else:
            out.write(text)
        return EXIT_OK
