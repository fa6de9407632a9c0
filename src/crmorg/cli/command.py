"""How a command is declared: the protocol ``main`` runs, a base that supplies the
defaults, and the arguments that several commands take alike."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Protocol


class Command(Protocol):
    name: str

    @property
    def description(self) -> str | None: ...

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class CommandBase:
    """What a command need not say: its one-line help (from ``COMMANDS`` in main) is its
    description, and it takes no arguments."""

    name: str

    @property
    def description(self) -> str | None:
        """The text above the options in ``crmorg NAME --help``: the command class's
        docstring, as one paragraph (the help formatter wraps it to the terminal). A class
        without one is described by its one-line help."""
        doc = type(self).__doc__
        return " ".join(doc.split()) if doc else None

    def configure(self, parser: argparse.ArgumentParser) -> None:
        """Add the command's arguments to its parser."""


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="a model file or directory")


def add_format_argument(
    parser: argparse.ArgumentParser, choices: Iterable[str], default: str
) -> None:
    parser.add_argument(
        "--format",
        default=default,
        choices=sorted(choices),
        help=f"output format (default: {default})",
    )


def add_force_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """--force: each command that may refuse to write takes it; ``help`` says what it overrides."""
    parser.add_argument("--force", action="store_true", help=help)


def add_request_arguments(parser: argparse.ArgumentParser, action: str, resource: str) -> None:
    """ACTION RESOURCE, the question `explain` and `who-can` answer; the ids are examples."""
    parser.add_argument("action", help=f"an action id, e.g. {action}")
    parser.add_argument("resource", help=f"a resource id, e.g. {resource}")
