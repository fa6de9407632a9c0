"""Loading a model for a command, reporting load findings the way validate does."""

from __future__ import annotations

from pathlib import Path

from crmorg.api import load_partial
from crmorg.cli.common import Output, UsageError
from crmorg.findings import Severity
from crmorg.lint.engine import Report
from crmorg.model import Model
from crmorg.reporters import text


def load_for_command(path: str) -> tuple[Model, Report | None]:
    """The model, and a report of its load errors when it could not be read fully."""
    if not Path(path).exists():
        raise UsageError(f"no such file or directory: {path}")
    model = load_partial(path)
    errors = tuple(f for f in model.load_findings if f.severity is Severity.ERROR)
    if errors:
        return model, Report(errors)
    return model, None


def load_or_report(path: str, stream: Output) -> Model | None:
    """The model, or ``None`` after writing why it could not be read to ``stream``.

    Commands that need a whole model exit 1 on ``None``.
    """
    model, failure = load_for_command(path)
    if failure is not None:
        stream.write(render_load_failure(failure, stream.colour))
        return None
    return model


def render_load_failure(report: Report, colour: bool) -> str:
    return text.render(report, colour) + (
        "the model could not be read; fix the errors above (`crmorg validate` shows all findings)\n"
    )
