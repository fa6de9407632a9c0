"""Entry point: ``crmorg COMMAND ...``. Commands are registered in ``COMMANDS``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crmorg.cli.common import EXIT_USAGE, Command, UsageError


def _commands() -> tuple[Command, ...]:
    from crmorg.cli.chart_command import ChartCommand
    from crmorg.cli.docs_command import DocsCommand
    from crmorg.cli.explain import ExplainCommand
    from crmorg.cli.export_command import ExportCommand
    from crmorg.cli.init_command import InitCommand
    from crmorg.cli.kpi_command import KpiCommand
    from crmorg.cli.matrix import MatrixCommand
    from crmorg.cli.rules_command import RulesCommand
    from crmorg.cli.schema_command import SchemaCommand
    from crmorg.cli.validate import ValidateCommand
    from crmorg.cli.who_can import WhoCanCommand

    return (
        ValidateCommand(),
        ExplainCommand(),
        SchemaCommand(),
        InitCommand(),
        RulesCommand(),
        ChartCommand(),
        DocsCommand(),
        KpiCommand(),
        ExportCommand(),
        WhoCanCommand(),
        MatrixCommand(),
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    from crmorg import __version__

    parser = _Parser(
        prog="crmorg",
        description="Describe the people around a CRM as YAML; validate it; compile it to "
        "RBAC policies, org charts and onboarding docs.",
    )
    parser.add_argument("--version", action="version", version=f"crmorg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in commands:
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(command_parser)
        command_parser.set_defaults(handler=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(_commands())
    args = parser.parse_args(argv)
    handler: Command | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler.run(args)
    except UsageError as exc:
        sys.stderr.write(f"crmorg {handler.name}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
