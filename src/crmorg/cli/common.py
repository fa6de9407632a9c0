"""Shared pieces of the command line: exit codes, usage errors, where output goes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3
"""The output could not be written (the cause is printed); nothing was changed."""


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
        try:
            self.stream.write(text)
        except BrokenPipeError:
            raise  # the reader went away: not an error (see cli.main)
        except OSError as failure:
            raise StreamError(self.stream, failure) from failure


class StreamError(OSError):
    """Standard output or error could not be written (a full disk, a closed file)."""

    def __init__(self, stream: TextIO, cause: OSError) -> None:
        name = "standard error" if stream is sys.stderr else "standard output"
        super().__init__(cause.errno, f"cannot write to {name}: {cause.strerror or cause}")

    def __str__(self) -> str:
        return str(self.strerror)


_kept_until_exit: list[Any] | None = None


def keep_until_exit() -> None:
    """Let commands leave what they no longer need to the end of the process.

    Only for a process that then exits without tearing the heap down (the console
    script, :func:`crmorg.cli.main.console`): freeing a large model object by object
    just before the exit only costs time. Elsewhere (tests, a program calling ``main``)
    everything is freed as usual.
    """
    global _kept_until_exit
    _kept_until_exit = []


def kept_until_exit() -> list[Any] | None:
    """Where a command leaves a large object it is done with, or None: free it as usual."""
    return _kept_until_exit


def stdout() -> Output:
    return Output(sys.stdout)


def stderr() -> Output:
    return Output(sys.stderr)
