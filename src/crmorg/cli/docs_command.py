"""``crmorg docs``: write the onboarding handbook (HTML or Markdown, English or Chinese)."""

from __future__ import annotations

import argparse
import sys
from typing import ClassVar, TextIO

from crmorg.cli.command import (
    CommandBase,
    add_force_argument,
    add_format_argument,
    add_model_argument,
)
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.kpi_command import handbook_scorecard
from crmorg.cli.loading import load_or_report
from crmorg.docs.history import parse_date, read_history, stamp_date
from crmorg.docs.i18n import LANGUAGES
from crmorg.docs.site import AUDIENCES, FORMATS, build_site, write_site


class TerminalProgress:
    """One self-overwriting status line on a terminal; nothing anywhere else."""

    _STAGES: ClassVar[dict[str, str]] = {
        "render": "rendering section {done}/{total}",
        "write": "writing page {done}/{total}",
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
        parser.add_argument("--out", required=True, metavar="DIR", help="the site's directory")
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

    def run(self, args: argparse.Namespace) -> int:
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
        try:
            files = build_site(
                model,
                fmt=args.format,
                lang=args.lang,
                progress=progress,
                extra_sections=extra,
                audience=args.audience,
                history=history,
                date=date,
            )
            write_site(files, args.out, force=args.force, progress=progress)
        finally:
            progress.finish()
        index = "index.html" if args.format == "html" else "index.md"
        out.write(f"wrote {len(files)} files to {args.out} (start at {index})\n")
        return EXIT_FINDINGS if data_failed else EXIT_OK
