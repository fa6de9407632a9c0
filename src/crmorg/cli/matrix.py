"""``crmorg matrix``: the access-review matrix, role × resource with scopes, and per person."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, stdout
from crmorg.cli.loading import load_or_report
from crmorg.export.access_formats import render_csv, render_json, render_markdown, render_table
from crmorg.permissions.review import access_matrix

FORMATS = ("table", "csv", "json", "markdown")


class MatrixCommand(CommandBase):
    name = "matrix"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument("--format", choices=FORMATS, default="table")

    def run(self, args: argparse.Namespace) -> int:
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        matrix = access_matrix(model)
        if args.format == "json":
            out.write(render_json(model, matrix))
        elif args.format == "csv":
            out.write(render_csv(model, matrix))
        elif args.format == "markdown":
            out.write(render_markdown(matrix))
        else:
            out.write(render_table(matrix))
        return EXIT_OK
