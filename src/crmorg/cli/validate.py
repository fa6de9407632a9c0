"""``crmorg validate``: check a model and report its findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmorg.api import load_partial
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, add_model_argument, stdout
from crmorg.lint.config import ConfigError, LintConfig
from crmorg.lint.engine import run
from crmorg.reporters import REPORTERS


class ValidateCommand:
    name = "validate"
    help = "check a model for errors, conflicts and gaps (`crmorg rules` lists the rules)"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument(
            "--format", default="text", choices=sorted(REPORTERS), help="output format"
        )
        parser.add_argument(
            "--select",
            action="append",
            default=[],
            metavar="RULE",
            help="run only these rules: names, codes, groups (model, access, raci, "
            "organisation, kpi) or families (conflict, gap), e.g. `--select model,access`; a "
            "rule named here runs even where settings.rules switches it off; repeatable or "
            "comma-separated",
        )
        parser.add_argument(
            "--ignore",
            action="append",
            default=[],
            metavar="RULE",
            help="skip these rules (names, codes, groups or families); repeatable or "
            "comma-separated",
        )
        parser.add_argument(
            "--severity",
            action="append",
            default=[],
            metavar="RULE=LEVEL",
            help="change the severity of a rule (name or code), a group or a family: error, "
            "warning, info or off, e.g. `--severity kpi=error`; repeatable",
        )
        parser.add_argument(
            "--fail-on",
            default="error",
            choices=("error", "warning", "info"),
            help="exit 1 when a finding is at least this severe (default: error)",
        )

    def run(self, args: argparse.Namespace) -> int:
        if not Path(args.path).exists():
            raise UsageError(f"no such file or directory: {args.path}")
        try:
            config = LintConfig.from_options(
                _words(args.select), _words(args.ignore), _words(args.severity), args.fail_on
            )
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        model = load_partial(args.path)
        report = run(model, config)
        out = stdout()
        out.write(REPORTERS[args.format](report, out.colour))
        return EXIT_FINDINGS if report.failed else EXIT_OK


def _words(values: list[str]) -> list[str]:
    return [word.strip() for value in values for word in value.split(",") if word.strip()]
