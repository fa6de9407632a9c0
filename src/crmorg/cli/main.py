"""Entry point: ``crmorg COMMAND ...``. Commands are registered in ``COMMANDS``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import textwrap
from collections.abc import Sequence

from crmorg.cli.command import Command
from crmorg.cli.common import (
    EXIT_OUTPUT,
    EXIT_USAGE,
    StreamError,
    UsageError,
    keep_until_exit,
)
from crmorg.cli.exit_statuses import exit_status_epilog
from crmorg.suggestions import did_you_mean

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("validate", "validate:ValidateCommand", "check a model for errors, conflicts and gaps"),
    ("explain", "explain:ExplainCommand", "may a role or person act on a resource, and why"),
    ("who-can", "who_can:WhoCanCommand", "the roles and people who may act on a resource"),
    ("diff", "diff_command:DiffCommand", "what a change does to access, RACI and findings"),
    ("matrix", "matrix:MatrixCommand", "the access-review matrix: roles and people x resources"),
    ("export", "export_command:ExportCommand", "compile the model for authorization engines"),
    ("deploy", "deploy_command:DeployCommand", "apply an exported plan to a CRM system (zoho)"),
    ("import", "import_command:ImportCommand", "read a CRM system's access design into a model"),
    (
        "chart",
        "chart_command:ChartCommand",
        "draw an org chart or a process swimlane (Mermaid, DOT, SVG, HTML)",
    ),
    ("docs", "docs_command:DocsCommand", "write the onboarding handbook (HTML or Markdown)"),
    ("kpi", "kpi_command:KpiCommand", "evaluate the KPIs on metric data: the scorecard"),
    ("rules", "rules_command:RulesCommand", "list the validation rules"),
    ("schema", "schema_command:SchemaCommand", "print the JSON Schema of the model format"),
    ("init", "init_command:InitCommand", "write a starter model that validates"),
)
"""(name, "module:Class" in crmorg.cli, one-line help). A command's module is imported only when the
command runs, so ``crmorg --help`` and each command start without loading the others."""


def _load_command(target: str) -> Command:
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(f"crmorg.cli.{module_name}")
    command: Command = getattr(module, class_name)()
    return command


def _commands() -> tuple[Command, ...]:
    """Every command, loaded (for tools and tests; the CLI loads only the one it runs)."""
    return tuple(_load_command(target) for _, target, _ in COMMANDS)


class _Formatter(argparse.HelpFormatter):
    """Wraps each line of a description or epilog on its own; an indented line (an
    exit status) wraps under its text, so the table keeps one status a line."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(self._fill_line(line, width, indent) for line in text.splitlines())

    def _fill_line(self, line: str, width: int, indent: str) -> str:
        if not line[:1].isspace():
            return super()._fill_text(line, width, indent) if line else ""
        lead = indent + line[: len(line) - len(line.lstrip())]
        hang = lead + " " * (len(line.lstrip().split(" ", 1)[0]) + 2)
        return textwrap.fill(line.strip(), width, initial_indent=lead, subsequent_indent=hang)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        from crmorg.text import reveal  # on this path only: it imports pydantic

        sys.stderr.write(f"{self.prog}: error: {reveal(message)}\n")  # it quotes argv
        raise SystemExit(EXIT_USAGE)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse does, but an unknown option is an error here, with a hint: a
        command's parser knows its own options, so it names the one meant."""
        parsed, extras = super().parse_known_args(args, namespace)
        unknown = [word for word in extras if word.startswith("-") and word != "-"]
        if unknown:
            known = [o for action in self._actions for o in action.option_strings]
            shown = ", ".join(
                word + did_you_mean(word.partition("=")[0], known, quote="") for word in unknown
            )
            self.error(f"unrecognized arguments: {shown}")
        return parsed, extras

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value outside an option's choices is refused with the closest choice."""
        choices = action.choices
        if choices is not None and value not in choices:
            names = [str(choice) for choice in choices]
            hint = did_you_mean(str(value), names, quote="'")
            raise argparse.ArgumentError(
                action,
                f"invalid choice: {value!r}{hint}; choose from " + ", ".join(names),
            )


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``selected`` command (all of them, if ``"*"``) is configured."""
    from crmorg import __version__

    parser = _Parser(
        prog="crmorg",
        description="Describe the people around a CRM as YAML; validate it; compile it to "
        "RBAC policies, org charts and onboarding docs.",
        epilog="`crmorg COMMAND --help` says what each exit status of a command means; 130 "
        "means it was interrupted.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"crmorg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, target, help_text in COMMANDS:
        command_parser = sub.add_parser(
            name, help=help_text, description=help_text, formatter_class=_Formatter
        )
        if selected in (name, "*"):
            command = _load_command(target)
            command_parser.epilog = exit_status_epilog(name)
            if command.description is not None:
                command_parser.description = command.description
            command.configure(command_parser)
            command_parser.set_defaults(handler=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    selected = next((word for word in words if not word.startswith("-")), None)
    parser = build_parser(selected)
    args = parser.parse_args(words)
    handler: Command | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler.run(args)
    except UsageError as exc:
        from crmorg.text import reveal

        sys.stderr.write(f"crmorg {handler.name}: error: {reveal(str(exc))}\n")
        return EXIT_USAGE
    except Exception as exc:
        if not _unwritable(exc):
            raise
        _report_unwritable(handler.name, exc)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


def entry() -> None:
    """The console script: run, flush, and exit without tearing the heap down.

    A large model leaves millions of objects behind; freeing them one by one at exit
    only costs time (a fifth of a second at 100,000 people). Output is flushed first,
    and crmorg keeps no files open between commands.
    """
    os._exit(console())


def console(argv: Sequence[str] | None = None) -> int:
    """:func:`main` as the console script runs it, before it exits without tearing the
    heap down: commands keep what they are done with (:func:`keep_until_exit`), and
    output is flushed; the exit status."""
    keep_until_exit()
    code = main(argv)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as failure:  # buffered output meets a full disk only now
        _report_unwritable("", StreamError(sys.stdout, failure))
        code = EXIT_OUTPUT
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return code


def _unwritable(failure: Exception) -> bool:
    """Whether ``failure`` says that output could not be written (exit status 3)."""
    if isinstance(failure, StreamError):
        return True
    output = sys.modules.get("crmorg.output")  # imported by every command that writes files
    return output is not None and isinstance(failure, output.OutputError | output.WriteError)


def _report_unwritable(command: str, failure: Exception) -> None:
    """One line naming what could not be written and why; stderr may fail too."""
    with contextlib.suppress(OSError):
        sys.stderr.write(f"crmorg{' ' + command if command else ''}: error: {failure}\n")


if __name__ == "__main__":
    entry()
