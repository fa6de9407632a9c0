"""Shared pieces of the command line: exit codes, usage errors, where output goes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input: the message is printed and the exit status is 2."""


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
