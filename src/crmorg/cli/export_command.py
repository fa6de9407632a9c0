"""``crmorg export``: compile a model into a target's policy or matrix files."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase, add_force_argument, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, stderr, stdout
from crmorg.cli.loading import load_or_report
from crmorg.export import ExportError, ExportRefused, available_exporters, export_model
from crmorg.lint.engine import Report
from crmorg.output import OutputError
from crmorg.reporters import text


class ExportCommand(CommandBase):
    name = "export"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        targets = available_exporters()
        parser.add_argument(
            "--target",
            "-t",
            required=True,
            choices=sorted(targets),
            help="; ".join(f"{name}: {targets[name].summary}" for name in sorted(targets)),
        )
        parser.add_argument(
            "--out",
            "-o",
            required=True,
            metavar="DIR",
            help="the directory to write; replaced whole if it holds an earlier export",
        )
        add_force_argument(parser, "export even though validation finds errors")

    def run(self, args: argparse.Namespace) -> int:
        out, err = stdout(), stderr()
        model = load_or_report(args.path, err)
        if model is None:
            return EXIT_FINDINGS
        try:
            written = export_model(model, args.target, args.out, force=args.force)
        except ExportRefused as refused:
            err.write(text.render(Report(refused.findings), err.colour))
            err.write(
                f"crmorg export: refused: the model has {len(refused.findings)} error(s); "
                "fix them, or pass --force to export anyway\n"
            )
            return EXIT_FINDINGS
        except OutputError:
            raise  # reported by cli.main, as for every command that writes
        except ExportError as exc:
            err.write(f"crmorg export: {exc}\n")
            return EXIT_FINDINGS
        out.write(f"wrote {args.target} export: {len(written)} file(s) in {args.out}\n")
        for path in written:
            out.write(f"  {path}\n")
        return EXIT_OK
