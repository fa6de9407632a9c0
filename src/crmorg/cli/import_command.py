"""``crmorg import SYSTEM PATH --out DIR``: read a CRM's access design into a model."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stderr, stdout
from crmorg.importing import IMPORTERS, ImportFailed, read, write_imported
from crmorg.lint.engine import Report
from crmorg.reporters import text


class ImportCommand(CommandBase):
    """Read the files a CRM system keeps its access design in and write a crmorg model
    (model.yaml, each entry under a comment naming its source) with IMPORT.md, which
    lists every construct that has no crmorg equivalent, at its file and line; those are
    also printed as import-unmapped findings. Audit the result with
    `crmorg validate DIR --select model,access`."""

    name = "import"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        systems = sorted(IMPORTERS)
        parser.add_argument(
            "system",
            choices=systems,
            help="; ".join(f"{name}: {IMPORTERS[name].summary}" for name in systems)
            or "the CRM system",
        )
        parser.add_argument("source", metavar="PATH", help="the system's files: see docs")
        parser.add_argument(
            "--out",
            "-o",
            required=True,
            metavar="DIR",
            help="the directory to write; replaced whole if it holds an earlier import",
        )
        parser.add_argument("--force", action="store_true", help="replace DIR whatever it holds")

    def run(self, args: argparse.Namespace) -> int:
        out, err = stdout(), stderr()
        try:
            imported = read(args.system, args.source)
        except FileNotFoundError as missing:
            raise UsageError(str(missing)) from None
        except ImportFailed as failed:
            err.write(f"crmorg import: {failed}\n")
            return EXIT_FINDINGS
        if imported.findings:
            err.write(text.render(Report(imported.findings), err.colour))
        paths = write_imported(imported, args.out, force=args.force)
        roles = len(imported.document.get("roles") or {})
        people = len(imported.document.get("people") or {})
        out.write(
            f"wrote {args.system} import: {roles} role(s), {people} person(s) in {args.out}; "
            f"{len(imported.findings)} construct(s) not carried (IMPORT.md)\n"
        )
        for path in paths:
            out.write(f"  {path}\n")
        out.write(f"audit it: crmorg validate {args.out} --select model,access\n")
        return EXIT_OK
