"""What each command's exit statuses mean: shown in its ``--help`` and in the README.

One table for all commands, so that they say the same thing the same way; a test
keeps the README's commands table in step with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE

ExitStatuses = tuple[tuple[int, str], ...]
"""(status, what it means), for each status a command may exit with."""

_USAGE = (
    EXIT_USAGE,
    "usage error: an unknown option, id or file",
)
_OUTPUT = (
    EXIT_OUTPUT,
    "the output could not be written (why is printed); an earlier output is left as it was",
)
_UNREADABLE = "the model cannot be read (its errors are printed)"

EXIT_STATUSES: Mapping[str, ExitStatuses] = {
    "validate": (
        (EXIT_OK, "no finding as severe as --fail-on (default: error) in any model"),
        (EXIT_FINDINGS, "a finding at least that severe, in any of the models"),
        _USAGE,
        _OUTPUT,
    ),
    "explain": (
        (EXIT_OK, "allowed (the record, or with --field the field)"),
        (EXIT_FINDINGS, f"denied (the answer is printed, as for allowed), or {_UNREADABLE}"),
        _USAGE,
        _OUTPUT,
    ),
    "who-can": (
        (EXIT_OK, "the answer was printed (also when nobody may)"),
        (EXIT_FINDINGS, _UNREADABLE),
        _USAGE,
        _OUTPUT,
    ),
    "diff": (
        (EXIT_OK, "compared; within --max-gains, and NEW introduces no error finding"),
        (
            EXIT_FINDINGS,
            "more people gain access than --max-gains, or NEW introduces an error finding "
            "(unless --allow-new-errors); the diff is printed either way",
        ),
        (EXIT_USAGE, "usage error, a bad REV:PATH, or OLD or NEW cannot be read (why is printed)"),
        _OUTPUT,
    ),
    "matrix": ((EXIT_OK, "the matrix was printed"), (EXIT_FINDINGS, _UNREADABLE), _USAGE, _OUTPUT),
    "export": (
        (EXIT_OK, "the export was written"),
        (
            EXIT_FINDINGS,
            f"{_UNREADABLE}; or it has errors and --force was not given; or --strict and "
            "the target cannot carry it exactly; or the export failed",
        ),
        _USAGE,
        _OUTPUT,
    ),
    "deploy": (
        (EXIT_OK, "every step was applied (with --dry-run: the steps were printed)"),
        (
            EXIT_FINDINGS,
            "a step failed or cannot run yet (the step is named); later steps were not sent",
        ),
        _USAGE,
        _OUTPUT,
    ),
    "import": (
        (EXIT_OK, "the model was written (constructs not carried are in IMPORT.md)"),
        (EXIT_FINDINGS, "the source holds no files of that system that can be read"),
        _USAGE,
        _OUTPUT,
    ),
    "chart": ((EXIT_OK, "the chart was written"), (EXIT_FINDINGS, _UNREADABLE), _USAGE, _OUTPUT),
    "docs": (
        (EXIT_OK, "the handbook was written"),
        (EXIT_FINDINGS, f"{_UNREADABLE}, or --kpi-data has errors (the handbook is written)"),
        _USAGE,
        _OUTPUT,
    ),
    "kpi": (
        (EXIT_OK, "the scorecard (or the library) was printed"),
        (
            EXIT_FINDINGS,
            f"{_UNREADABLE}, a KPI formula names an undeclared metric, or the data file has "
            "errors (the scorecard is printed; bad rows are left out)",
        ),
        _USAGE,
        _OUTPUT,
    ),
    "rules": ((EXIT_OK, "the rules were listed"), _USAGE, _OUTPUT),
    "schema": ((EXIT_OK, "the schema was printed"), _OUTPUT),
    "init": ((EXIT_OK, "the starter model was written, or the templates listed"), _USAGE, _OUTPUT),
}
"""Command name -> its exit statuses, in the order ``--help`` lists them."""


def exit_status_epilog(command: str) -> str:
    """The ``--help`` lines that say what each exit status of ``command`` means."""
    lines = (f"  {status}  {meaning}" for status, meaning in EXIT_STATUSES[command])
    return "exit status:\n" + "\n".join(lines)
