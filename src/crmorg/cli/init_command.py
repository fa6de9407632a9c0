"""``crmorg init``: write a starter model that validates."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path

import yaml

from crmorg.cli.command import CommandBase, add_force_argument
from crmorg.cli.common import EXIT_OK, UsageError, stdout
from crmorg.kpi.starter import parse_kpi_ids, standard_kpis_file
from crmorg.output import write_file
from crmorg.schema import json_schema_text


class InitCommand(CommandBase):
    name = "init"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="where to write the model")
        add_force_argument(parser, "write even if DIR already holds YAML files")
        parser.add_argument(
            "--kpis",
            metavar="IDS",
            help="also pull in standard KPIs (comma-separated ids from "
            "`crmorg kpi --library`, or `all`) in kpis.yaml",
        )

    def run(self, args: argparse.Namespace) -> int:
        target = Path(args.directory)
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} exists and is not a directory")
        if target.exists() and not args.force and any(target.rglob("*.y*ml")):
            raise UsageError(f"{target} already holds YAML files; use --force to write anyway")
        starter = files("crmorg").joinpath("starter/model.yaml").read_text(encoding="utf-8")
        contents = {"model.yaml": starter, "crmorg.schema.json": json_schema_text()}
        notes: tuple[str, ...] = ()
        if args.kpis is not None:
            try:
                ids = parse_kpi_ids(args.kpis)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            kpis_file = standard_kpis_file(yaml.safe_load(starter), ids)
            contents["kpis.yaml"], notes = kpis_file.text, kpis_file.notes
        written: list[Path] = []
        for name, text in contents.items():
            # crmorg's one writer: atomic, and the file gets the user's umask.
            write_file(target / name, text)
            written.append(target / name)
        out = stdout()
        for path in written:
            out.write(f"wrote {path}\n")
        for note in notes:
            out.write(f"note: {note}\n")
        out.write(f"next: crmorg validate {target}\n")
        return EXIT_OK
