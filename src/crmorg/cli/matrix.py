"""``crmorg matrix``: the access-review matrix, role × resource with scopes, and per person;
with ``--fields``, field access: role and person × ``resource.field``. ``--format xlsx
--out FILE`` writes both as an Excel workbook (the handbook's Permissions and Field
access sheets)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path

from crmorg.catalogs import LANGUAGES
from crmorg.cli.command import CommandBase, add_model_argument
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.loading import load_or_report
from crmorg.export import access_formats, field_formats
from crmorg.model import Model
from crmorg.permissions.field_review import field_matrix
from crmorg.permissions.review import access_matrix

FORMATS = ("table", "csv", "json", "markdown", "xlsx")

_RECORDS: Mapping[str, Callable[[Model], str]] = {
    "json": lambda m: access_formats.render_json(m, access_matrix(m)),
    "csv": lambda m: access_formats.render_csv(m, access_matrix(m)),
    "markdown": lambda m: access_formats.render_markdown(access_matrix(m)),
    "table": lambda m: access_formats.render_table(access_matrix(m)),
}
_FIELDS: Mapping[str, Callable[[Model], str]] = {
    "json": lambda m: field_formats.render_json(m, field_matrix(m.access)),
    "csv": lambda m: field_formats.render_csv(m, field_matrix(m.access)),
    "markdown": lambda m: field_formats.render_markdown(field_matrix(m.access)),
    "table": lambda m: field_formats.render_table(field_matrix(m.access)),
}


class MatrixCommand(CommandBase):
    """The access-review matrix: every role's and every person's effective grants, per
    resource and action, with the widest scope. With --fields, the field access instead:
    none, read or edit for every declared field (a restricted field, marked *, needs a
    field grant as well as the record's permission)."""

    name = "matrix"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument("--format", choices=FORMATS, default="table")
        parser.add_argument(
            "--fields",
            action="store_true",
            help="field access (none/read/edit) per resource.field instead of record scopes",
        )
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="write to FILE instead of standard output (required for --format xlsx)",
        )
        parser.add_argument(
            "--lang",
            default="en",
            choices=LANGUAGES,
            help="language of the workbook's headings and words (--format xlsx; default: en)",
        )

    def run(self, args: argparse.Namespace) -> int:
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        if args.format == "xlsx":
            if not args.out:
                raise UsageError("--format xlsx writes a binary workbook: give --out FILE.xlsx")
            from crmorg.docs.workbook import access_workbook

            _write(Path(args.out), access_workbook(model, args.lang))
            out.write(f"wrote {args.out}\n")
            return EXIT_OK
        renderers = _FIELDS if args.fields else _RECORDS
        text = renderers[args.format](model)
        if args.out:
            _write(Path(args.out), text)
        else:
            out.write(text)
        return EXIT_OK


def _write(target: Path, content: str | bytes) -> None:
    """``content`` as the file ``target``, all at once (a symbolic link is followed)."""
    from crmorg.output import write_file

    write_file(target.resolve() if target.is_symlink() else target, content)
