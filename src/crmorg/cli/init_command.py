"""``crmorg init``: write a starter model, from a team template by company size, that
validates clean."""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from crmorg.catalogs import LANGUAGES
from crmorg.charts.text import display_width
from crmorg.cli.command import CommandBase, add_force_argument
from crmorg.cli.common import EXIT_OK, UsageError, stdout
from crmorg.kpi.starter import parse_kpi_ids, standard_kpis_file
from crmorg.output import KnownFiles, WriteError, write_directory, write_file
from crmorg.schema import json_schema_text
from crmorg.starter import (
    Template,
    TemplateError,
    default_template,
    default_template_id,
    find_template,
    listing_labels,
    template_ids,
    templates,
)

SCHEMA_FILE = "crmorg.schema.json"
KPIS_FILE = "kpis.yaml"


class InitCommand(CommandBase):
    """Write a starter model into DIR from a team template by company size (`crmorg init
    --list-templates` shows them): departments, roles with their grants, RACI
    responsibilities, teams, example people and starting KPIs. Every template
    validates with no finding and no waiver."""

    name = "init"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("directory", metavar="DIR", nargs="?", help="where to write the model")
        parser.add_argument(
            "--template",
            metavar="ID",
            help=f"the team template: {', '.join(template_ids())} "
            f"(default: {default_template_id()})",
        )
        parser.add_argument(
            "--list-templates",
            action="store_true",
            help="list the templates (id, people, roles, team size, what it is) and stop",
        )
        parser.add_argument(
            "--lang",
            default="en",
            choices=LANGUAGES,
            help="language of the templates' descriptions (default: en)",
        )
        add_force_argument(parser, "write even if DIR already holds YAML files")
        parser.add_argument(
            "--kpis",
            metavar="IDS",
            help="also pull in standard KPIs (comma-separated ids from "
            "`crmorg kpi --library`, or `all`) in kpis.yaml",
        )

    def run(self, args: argparse.Namespace) -> int:
        if args.list_templates:
            if args.directory is not None:
                raise UsageError("--list-templates writes nothing; leave out DIR")
            stdout().write(template_listing(args.lang))
            return EXIT_OK
        if args.directory is None:
            raise UsageError("give the directory to write, e.g. `crmorg init crm-model`")
        try:
            template = default_template() if args.template is None else find_template(args.template)
        except TemplateError as exc:
            raise UsageError(str(exc)) from None
        target = Path(args.directory)
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} exists and is not a directory")
        if target.exists() and not args.force and any(target.rglob("*.y*ml")):
            raise UsageError(f"{target} already holds YAML files; use --force to write anyway")
        contents = {**template.files, SCHEMA_FILE: json_schema_text()}
        notes: tuple[str, ...] = ()
        if args.kpis is not None:
            if KPIS_FILE in template.files:
                raise UsageError(
                    f"template {template.id} has its own {KPIS_FILE}; leave out --kpis"
                )
            try:
                ids = parse_kpi_ids(args.kpis)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            kpis_file = standard_kpis_file(template.sections, ids)
            contents[KPIS_FILE], notes = kpis_file.text, kpis_file.notes
        written = _write_all(target, contents)
        out = stdout()
        out.write(f"template {template.id}: {template.summary_in(args.lang)}\n")
        for path in written:
            out.write(f"wrote {path}\n")
        for note in notes:
            out.write(f"note: {note}\n")
        out.write(f"next: crmorg validate {target}\n")
        return EXIT_OK


def template_listing(lang: str) -> str:
    """The table of ``crmorg init --list-templates``, in ``lang``."""
    labels = listing_labels(lang)
    default = default_template().id
    rows = [[labels[key] for key in ("id", "people", "roles", "team_size", "summary")]]
    for template in templates().values():
        mark = f" ({labels['default']})" if template.id == default else ""
        rows.append(_row(template, lang, mark))
    widths = [max(display_width(row[column]) for row in rows) for column in range(4)]
    lines = []
    for row in rows:
        cells = [_padded(cell, width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    return "\n".join(lines) + "\n"


def _padded(cell: str, width: int) -> str:
    """``cell`` padded to ``width`` terminal columns (a CJK character takes two)."""
    return cell + " " * (width - display_width(cell))


def _row(template: Template, lang: str, mark: str) -> list[str]:
    return [
        template.id + mark,
        str(template.people_count),
        str(template.role_count),
        template.team_size_in(lang),
        template.summary_in(lang),
    ]


def _write_all(target: Path, contents: Mapping[str, str]) -> list[Path]:
    """Write every file or none: a new directory is staged whole and renamed into place;
    into an existing one (with no YAML, or with --force) each file is renamed into
    place, and on a failure the files this run created are removed and those it
    replaced are put back, byte for byte."""
    if not target.exists():
        return write_directory(target, contents, KnownFiles(frozenset(contents)))
    kept: dict[Path, Path] = {}  # a file this run replaces -> its copy, until all is done
    written: list[Path] = []
    try:
        for name in sorted(contents):
            path = target / name
            if path.is_file() and not path.is_symlink():
                kept[path] = _copy_beside(path)
            write_file(path, contents[name])
            written.append(path)
    except BaseException:
        for path in written:
            if path not in kept:
                path.unlink(missing_ok=True)
        for path, copy in kept.items():
            copy.replace(path)
        raise
    for copy in kept.values():
        copy.unlink(missing_ok=True)
    return written


def _copy_beside(path: Path) -> Path:
    """A hidden copy of ``path`` in its directory (same bytes and mode), to put back."""
    copy = path.with_name(f".{path.name}.crmorg-init-{os.getpid()}.bak")
    try:
        shutil.copy2(path, copy)
    except OSError as failure:
        raise WriteError(path, failure) from failure
    return copy
