"""``crmorg export``: compile a model into a target's policy or matrix files."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase, add_force_argument, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, stderr, stdout
from crmorg.cli.loading import load_or_report
from crmorg.export import (
    ExportError,
    ExportRefused,
    LossyExportError,
    available_exporters,
    export_target,
)
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
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse (exit 1) when a CRM-system target cannot carry the model exactly "
            "(see FIDELITY.md)",
        )
        seen: set[str] = set()
        for name in sorted(targets):
            for option in targets[name].options:
                if option.name in seen:
                    continue
                seen.add(option.name)
                parser.add_argument(
                    f"--{option.name}",
                    dest=_dest(option.name),
                    choices=option.values,
                    default=None,
                    help=f"{name} only: {option.help} (default {option.default})",
                )

    def run(self, args: argparse.Namespace) -> int:
        out, err = stdout(), stderr()
        model = load_or_report(args.path, err)
        if model is None:
            return EXIT_FINDINGS
        exporter = available_exporters()[args.target]
        mine = {option.name for option in exporter.options}
        for name in sorted(
            {o.name for e in available_exporters().values() for o in e.options} - mine
        ):
            if getattr(args, _dest(name), None) is not None:
                err.write(
                    f"crmorg export: --{name} is not an option of the {args.target} target; "
                    "remove it\n"
                )
                return EXIT_USAGE
        options = {name: getattr(args, _dest(name)) for name in sorted(mine)}
        try:
            exported = export_target(
                model,
                args.target,
                args.out,
                force=args.force,
                options=options,
                strict=args.strict,
            )
        except ExportRefused as refused:
            err.write(text.render(Report(refused.findings), err.colour))
            err.write(
                f"crmorg export: refused: the model has {len(refused.findings)} error(s); "
                "fix them, or pass --force to export anyway\n"
            )
            return EXIT_FINDINGS
        except LossyExportError as lossy:
            err.write(f"crmorg export: {lossy}\n")
            return EXIT_FINDINGS
        except OutputError:
            raise  # reported by cli.main, as for every command that writes
        except ExportError as exc:
            err.write(f"crmorg export: {exc}\n")
            return EXIT_FINDINGS
        written = exported.paths
        out.write(f"wrote {args.target} export: {len(written)} file(s) in {args.out}\n")
        for path in written:
            out.write(f"  {path}\n")
        if exported.fidelity is not None:
            out.write(f"fidelity: {exported.fidelity.summary()}\n")
        return EXIT_OK


def _dest(option: str) -> str:
    return "option_" + option.replace("-", "_")
