"""``crmorg validate``: check one model or several and report their findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmorg.api import validate_paths
from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, kept_until_exit, stdout
from crmorg.cli.config_file import Defaults, find_config, read_defaults
from crmorg.lint.config import ConfigError, LintConfig
from crmorg.reporters import REPORTERS, pieces

FAIL_ON = ("error", "warning", "info")


class ValidateCommand(CommandBase):
    """Check models for errors, conflicts and gaps. Each directory given is a model of its own; the
    files given are read together as one model, as the files of a model directory are (the way a
    pre-commit hook passes them). Defaults for the options below may be set in .crmorg.toml or
    in [tool.crmorg] of pyproject.toml (in the current directory or a parent, or beside the
    model); the command line wins over them."""

    name = "validate"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="model files or directories")
        # Options a configuration file may set default to None here, so that one given
        # on the command line can be told from one that was not.
        parser.add_argument(
            "--format", choices=sorted(REPORTERS), help="output format (default: text)"
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="write the report to FILE (replaced in one step) instead of standard output",
        )
        parser.add_argument(
            "--select",
            action="append",
            metavar="RULE",
            help="run only these rules: names, codes, groups (model, access, raci, "
            "organisation, kpi) or families (conflict, gap), e.g. `--select model,access`; a "
            "rule named here runs even where settings.rules switches it off; repeatable or "
            "comma-separated",
        )
        parser.add_argument(
            "--ignore",
            action="append",
            metavar="RULE",
            help="skip these rules (names, codes, groups or families); repeatable or "
            "comma-separated",
        )
        parser.add_argument(
            "--severity",
            action="append",
            metavar="RULE=LEVEL",
            help="change the severity of a rule (name or code), a group or a family: error, "
            "warning, info or off, e.g. `--severity kpi=error`; repeatable",
        )
        parser.add_argument(
            "--fail-on",
            choices=FAIL_ON,
            help="exit 1 when a finding is at least this severe (default: error)",
        )

    def run(self, args: argparse.Namespace) -> int:
        paths = [Path(path) for path in args.paths]
        for path in paths:
            if not path.exists():
                raise UsageError(f"no such file or directory: {path}")
        defaults = read_defaults(find_config(Path.cwd(), paths))
        config = _lint_config(args, defaults)
        fmt = _choice(args.format, defaults, "format", sorted(REPORTERS), "text")
        output = args.output if args.output is not None else defaults.get("output")
        try:
            report = validate_paths(paths, config, keep=kept_until_exit())
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if isinstance(output, str):
            from crmorg.output import write_file  # only when writing a file

            write_file(Path(output), pieces(fmt, report, False))
        else:
            out = stdout()
            for piece in pieces(fmt, report, out.colour):
                out.write(piece)
        return EXIT_FINDINGS if report.failed else EXIT_OK


def _lint_config(args: argparse.Namespace, defaults: Defaults) -> LintConfig:
    """The rule selection: each option from the command line if given there, else from
    the configuration file. Names in the file are checked first, so that an error in
    it says so."""
    chosen = {
        key: _words(given) if given is not None else _listed(defaults.get(key))
        for key, given in (
            ("select", args.select),
            ("ignore", args.ignore),
            ("severity", args.severity),
        )
    }
    fail_on = _choice(args.fail_on, defaults, "fail-on", FAIL_ON, "error")
    if defaults.path is not None:
        try:
            LintConfig.from_options(
                _listed(defaults.get("select")),
                _listed(defaults.get("ignore")),
                _listed(defaults.get("severity")),
            )
        except ConfigError as exc:
            raise UsageError(f"{defaults.name}: {exc}") from None
    try:
        return LintConfig.from_options(
            chosen["select"], chosen["ignore"], chosen["severity"], fail_on
        )
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _choice(
    given: str | None,
    defaults: Defaults,
    key: str,
    choices: tuple[str, ...] | list[str],
    default: str,
) -> str:
    if given is not None:
        return given
    value = defaults.get(key)
    if value is None:
        return default
    if value not in choices:
        raise UsageError(
            f"{defaults.name}: `{key}` is {value!r}; it takes one of: {', '.join(choices)}"
        )
    return str(value)


def _listed(value: object) -> list[str]:
    return _words([str(item) for item in value]) if isinstance(value, list) else []


def _words(values: list[str]) -> list[str]:
    return [word.strip() for value in values for word in value.split(",") if word.strip()]
