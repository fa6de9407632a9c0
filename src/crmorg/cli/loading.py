"""Loading a model for a command, reporting load findings the way validate does."""

from __future__ import annotations

from pathlib import Path

from crmorg.api import load_partial
from crmorg.cli.common import UsageError
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


def render_load_failure(report: Report, colour: bool) -> str:
    return text.render(report, colour) + (
        "the model could not be read; fix the errors above (`crmorg validate` shows all findings)\n"
    )
