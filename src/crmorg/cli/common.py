"""Shared pieces of the command line: exit codes, model loading, output helpers."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input: the message is printed and the exit status is 2."""


class Command(Protocol):
    name: str
    help: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


@dataclass(frozen=True)
class Output:
    """Where the CLI writes, and whether it may colour its output."""

    stream: TextIO

    @property
    def colour(self) -> bool:
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return hasattr(self.stream, "isatty") and self.stream.isatty()

    def write(self, text: str) -> None:
        self.stream.write(text)


def stdout() -> Output:
    return Output(sys.stdout)


def stderr() -> Output:
    return Output(sys.stderr)


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="a model file or directory")
