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
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, stdout
from crmorg.cli.kpi_command import handbook_scorecard
from crmorg.cli.loading import load_or_report
from crmorg.docs.i18n import LANGUAGES
from crmorg.docs.mkdocs import config_docs_dir, mkdocs_config, write_mkdocs_config
from crmorg.docs.site import FORMATS, SECTIONS, build_site, write_site
from crmorg.text import localize


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
        progress = TerminalProgress(sys.stderr)
        try:
            files = build_site(
                model, fmt=args.format, lang=args.lang, progress=progress, extra_sections=extra
            )
            config = None
            if args.format == "markdown":  # and an mkdocs.yml beside it (crmorg.docs.mkdocs)
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
            write_site(files, args.out, force=args.force, progress=progress)
            if config is not None:
                write_mkdocs_config(args.out, config, force=args.force)
        finally:
            progress.finish()
        index = "index.html" if args.format == "html" else "index.md"
        out.write(f"wrote {len(files)} files to {args.out} (start at {index})\n")
        return EXIT_FINDINGS if data_failed else EXIT_OK
