"""``crmorg diff OLD NEW``: the access, RACI, structure, processes and findings a change
brings."""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from pathlib import Path

from crmorg.api import load_partial
from crmorg.cli.command import CommandBase
from crmorg.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    kept_until_exit,
    stderr,
    stdout,
)
from crmorg.cli.loading import render_load_failure
from crmorg.diff.compare import diff
from crmorg.diff.formats import RENDERERS
from crmorg.diff.gate import Gate
from crmorg.diff.revisions import RevisionError, checked_out, is_revision, merge_base
from crmorg.diff.version import Version
from crmorg.findings import Severity
from crmorg.lint.engine import Report


class DiffCommand(CommandBase):
    """Compare two versions of a model: per person and per role every permission gained
    or lost (resource, action, field, scope, sharing rule) with the grant, baseline,
    inheritance or membership change that causes it and its file:line (the NEW side's
    for gains, the OLD side's for losses); RACI, structural and process changes (steps,
    who does them, what they require, the flow between them); and the findings
    introduced or resolved, matched by rule and subjects. OLD and NEW are model files or
    directories, or REV:PATH to read one from git without checking it out (PATH as
    `git show REV:PATH` takes it: from the repository root, or ./PATH from here)."""

    name = "diff"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("old", metavar="OLD", help="the model before: PATH or REV:PATH")
        parser.add_argument(
            "new",
            metavar="NEW",
            nargs="?",
            help="the model after: PATH or REV:PATH (with --base: the PATH compared)",
        )
        parser.add_argument(
            "--base",
            metavar="REF",
            help="compare PATH (the one argument) with the same PATH at the merge base of "
            "HEAD and REF, e.g. --base origin/main: what a branch changes",
        )
        parser.add_argument(
            "--format", choices=sorted(RENDERERS), default="text", help="default: text"
        )
        parser.add_argument(
            "--max-gains",
            type=_count,
            metavar="N",
            help="exit 1 when more than N people gain access (a large widening then needs "
            "an explicit decision)",
        )
        parser.add_argument(
            "--allow-new-errors",
            action="store_true",
            help="do not exit 1 because NEW introduces error findings",
        )
        parser.add_argument(
            "--no-findings",
            action="store_true",
            help="do not validate the two sides (faster; no findings introduced or resolved)",
        )

    def run(self, args: argparse.Namespace) -> int:
        old_spec, new_spec = _specs(args)
        with ExitStack() as stack:
            sides = []
            for spec in (old_spec, new_spec):
                version = _read(spec, stack)
                failure = _load_failure(version)
                if failure is not None:
                    stderr().write(f"crmorg diff: {spec} cannot be read\n")
                    stderr().write(render_load_failure(failure, stderr().colour))
                    return EXIT_USAGE
                sides.append(version)
            result = diff(sides[0], sides[1], findings=not args.no_findings)
        kept = kept_until_exit()
        if kept is not None:  # a large model is not freed object by object at exit
            kept += (sides, result)
        gate = Gate(args.max_gains, new_errors=not args.allow_new_errors)
        stdout().write(RENDERERS[args.format](result, gate))
        return EXIT_FINDINGS if gate.reasons(result) else EXIT_OK


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return number


def _specs(args: argparse.Namespace) -> tuple[str, str]:
    if args.base is None:
        if args.new is None:
            raise UsageError("give OLD and NEW, or one PATH with --base REF")
        return args.old, args.new
    if args.new is not None:
        raise UsageError("with --base, give one PATH (it is compared with itself at the base)")
    path = args.old
    if not Path(path).exists():
        raise UsageError(f"no such file or directory: {path}")
    try:
        base = merge_base(args.base)
    except RevisionError as failure:
        raise UsageError(str(failure)) from None
    relative = Path(os.path.relpath(Path(path).resolve(), Path.cwd().resolve())).as_posix()
    return f"{base}:./{relative}", path


def _read(spec: str, stack: ExitStack) -> Version:
    """One side: a path as given, or ``REV:PATH`` from a temporary copy."""
    if not is_revision(spec):
        if not Path(spec).exists():
            raise UsageError(f"no such file or directory: {spec} (or give REV:PATH)")
        model = load_partial(spec)
        return Version(model, spec)
    try:
        copy, prefix = stack.enter_context(checked_out(spec))
    except RevisionError as failure:
        raise UsageError(str(failure)) from None
    copied = str(copy)

    def rename(file: str) -> str:
        return prefix + file[len(copied) :] if file.startswith(copied) else file

    return Version(load_partial(copy), spec, rename)


def _load_failure(version: Version) -> Report | None:
    errors = tuple(
        version.finding(f) for f in version.model.load_findings if f.severity is Severity.ERROR
    )
    return Report(errors) if errors else None
