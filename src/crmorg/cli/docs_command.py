"""``crmorg docs``: write the onboarding handbook (HTML or Markdown, English or Chinese)."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import ClassVar, TextIO

from crmorg.cli.command import (
    CommandBase,
    add_force_argument,
    add_format_argument,
    add_model_argument,
)
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, Output, UsageError, stdout
from crmorg.cli.kpi_command import handbook_scorecard
from crmorg.cli.loading import load_or_report
from crmorg.docs.context import Progress
from crmorg.docs.history import parse_date, read_history, stamp_date
from crmorg.docs.i18n import LANGUAGES
from crmorg.docs.mkdocs import config_docs_dir, mkdocs_config, write_mkdocs_config
from crmorg.docs.site import AUDIENCES, FORMATS, SECTIONS, build_site, write_site
from crmorg.model import Model
from crmorg.text import localize


class TerminalProgress:
    """One self-overwriting status line on a terminal; nothing anywhere else."""

    _STAGES: ClassVar[dict[str, str]] = {
        "render": "rendering section {done}/{total}",
        "write": "writing page {done}/{total}",
        "print": "printing the PDF pack with Chromium, pass {done}/{total}",
    }

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        text = self._STAGES.get(stage, stage + " {done}/{total}").format(done=done, total=total)
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


class DocsCommand(CommandBase):
    name = "docs"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument("--out", metavar="DIR", help="the site's directory")
        add_format_argument(parser, FORMATS, "html")
        parser.add_argument(
            "--lang", default="en", choices=LANGUAGES, help="language of the handbook (default: en)"
        )
        add_force_argument(parser, "replace DIR even if it holds files crmorg did not write")
        parser.add_argument(
            "--audience",
            default="internal",
            choices=AUDIENCES,
            help="internal (default): with findings, rule ids and file positions; client: "
            "without them, every page stamped with company, date, model revision, version",
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="the date a client handbook is stamped with (default: SOURCE_DATE_EPOCH, "
            "else the date of the model's last git commit)",
        )
        parser.add_argument(
            "--kpi-data",
            metavar="FILE",
            help="metric values, as for `crmorg kpi --data`: add a KPI scorecard page",
        )
        add_pack_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        if not (args.out or args.pdf or args.xlsx):
            raise UsageError("say where to write the handbook: --out DIR, --pdf FILE, --xlsx FILE")
        check_pack_targets(args)
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        extra, data_failed = handbook_scorecard(args.kpi_data, model)
        history = read_history(args.path)
        try:
            date = stamp_date(args.date, history) if args.audience == "client" else args.date
            if date is not None:
                parse_date(date)
        except ValueError as no_date:
            raise UsageError(str(no_date)) from None
        progress = TerminalProgress(sys.stderr)
        site = partial(
            build_site,
            model,
            lang=args.lang,
            extra_sections=extra,
            audience=args.audience,
            history=history,
            date=date,
        )
        try:
            files = site(fmt=args.format, progress=progress)
            config = None
            if args.format == "markdown" and args.out:  # and an mkdocs.yml beside it
                config = mkdocs_config(
                    files,
                    model,
                    site_name=localize(model.organization.name, args.lang)
                    if model.organization is not None
                    else "",
                    docs_dir=config_docs_dir(args.out),
                    lang=args.lang,
                    top=[s.stem for s in (*SECTIONS, *extra) if s.nav and s.stem],
                )
                write_mkdocs_config(args.out, config, force=args.force, check_only=True)
            # Everything is made before anything is written: a PDF that cannot be
            # printed leaves the site, the workbook and any earlier PDF as they were.
            # The PDF prints the HTML handbook for the same audience.
            printed = files if args.format == "html" or not args.pdf else site(fmt="html")
            packs = make_packs(args, model, printed, progress)
            if args.out:
                write_site(files, args.out, force=args.force, progress=progress)
                if config is not None:
                    write_mkdocs_config(args.out, config, force=args.force)
        finally:
            progress.finish()
        if args.out:
            index = "index.html" if args.format == "html" else "index.md"
            out.write(f"wrote {len(files)} files to {args.out} (start at {index})\n")
        write_packs(packs, out)
        return EXIT_FINDINGS if data_failed else EXIT_OK


# --- the PDF pack and the workbook (--pdf, --xlsx) -----------------------------------


def add_pack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pdf",
        metavar="FILE",
        help="also write the whole handbook as one PDF (cover, contents, page numbers; "
        "needs Chromium and pdftotext)",
    )
    parser.add_argument(
        "--xlsx",
        metavar="FILE",
        help="also write an Excel workbook: RACI, permissions, field access, people, KPIs",
    )


def check_pack_targets(args: argparse.Namespace) -> None:
    """Refuse, before anything is made or written, a --pdf or --xlsx FILE that is a
    directory or lies below a file, or one that names the site's directory."""
    for option, given in (("--pdf", args.pdf), ("--xlsx", args.xlsx)):
        if not given:
            continue
        target = Path(given)
        if target.is_dir():
            raise UsageError(f"{option} {given} is a directory; give a file name")
        above = next((p for p in target.parents if p.exists()), None)
        if above is not None and not above.is_dir():
            raise UsageError(f"{option} {given}: {above} is a file, not a directory")
        if args.out and target.absolute().is_relative_to(Path(args.out).absolute()):
            raise UsageError(f"{option} {given} is inside --out {args.out}, which is replaced")
    if args.pdf and args.xlsx and Path(args.pdf).absolute() == Path(args.xlsx).absolute():
        raise UsageError("--pdf and --xlsx name the same file")


def make_packs(
    args: argparse.Namespace,
    model: Model,
    html_files: dict[str, str],
    progress: Progress | None = None,
) -> list[tuple[Path, bytes]]:
    """The PDF and workbook asked for, in memory."""
    packs: list[tuple[Path, bytes]] = []
    if args.pdf:
        from crmorg.docs.pdf import RendererMissing, handbook_pdf

        try:
            pdf = handbook_pdf(model, lang=args.lang, files=html_files, progress=progress)
            packs.append((Path(args.pdf), pdf))
        except RendererMissing as missing:
            raise UsageError(str(missing)) from None
    if args.xlsx:
        from crmorg.docs.workbook import handbook_workbook

        packs.append((Path(args.xlsx), handbook_workbook(model, args.lang)))
    return packs


def write_packs(packs: list[tuple[Path, bytes]], out: Output) -> None:
    from crmorg.output import write_file

    for target, content in packs:
        write_file(target.resolve() if target.is_symlink() else target, content)
        out.write(f"wrote {target}\n")
