"""The public Python API: load, validate, export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crmorg.findings import Finding, Severity
from crmorg.loading.limits import DEFAULT_LIMITS, Limits
from crmorg.loading.loader import load_document
from crmorg.model import Model

if TYPE_CHECKING:
    from crmorg.diff.results import ModelDiff
    from crmorg.lint.config import LintConfig
    from crmorg.lint.engine import Report


class LoadError(Exception):
    """The model could not be loaded; ``findings`` says why and where."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity is Severity.ERROR]
        shown = "\n".join(f"{f.location}: {f.rule}: {f.message}" for f in errors[:10])
        more = f"\n... and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(f"{len(errors)} error(s) loading the model:\n{shown}{more}")


def load_partial(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Model:
    """Load whatever can be loaded; the load findings travel on ``model.load_findings``."""
    result = load_document(path, limits)
    return Model(result.document, result.source, result.findings, result.root)


def load(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Model:
    """Load a model file or directory; raises :class:`LoadError` when it cannot be read.

    Structural problems (unknown references, cycles) do not stop loading: they are
    reported by :func:`validate`.
    """
    model = load_partial(path, limits)
    if any(f.severity is Severity.ERROR for f in model.load_findings):
        raise LoadError(model.load_findings)
    return model


def validate(model: Model, config: LintConfig | None = None) -> Report:
    """Check ``model`` with every rule; see ``crmorg rules`` for the catalogue."""
    from crmorg.lint.engine import run

    return run(model, config)


def validate_paths(
    paths: Sequence[str | Path],
    config: LintConfig | None = None,
    limits: Limits = DEFAULT_LIMITS,
    keep: list[Model] | None = None,
) -> Report:
    """Validate the models that ``paths`` name, as ``crmorg validate A B ...`` does.

    Each directory is a model of its own; the files given are read together as one
    model, as the files of a model directory are (the way a pre-commit hook passes
    changed files). One report holds every model's findings; it fails when any does.
    Raises ``FileNotFoundError`` for a missing path and ``ValueError`` for a file that
    is not a model file. The models read are appended to ``keep`` when it is given: a
    process about to exit need not free them object by object (a tenth of a second at
    100,000 people).
    """
    from crmorg.lint.engine import Report, report_order, run
    from crmorg.loading.together import group_paths, linked_together, renamed

    def checked(path: str | Path) -> Report:
        model = load_partial(path, limits)
        if keep is not None:
            keep.append(model)
        return run(model, config)

    grouped = group_paths(paths)
    reports: list[tuple[Finding, ...]] = []
    for directory in grouped.directories:
        reports.append(checked(directory).findings)
    if len(grouped.files) == 1:
        reports.append(checked(grouped.files[0]).findings)
    elif grouped.files:
        with linked_together(grouped.files) as (staging, names):
            reports.append(renamed(checked(staging).findings, names))
    fail_on = config.fail_on if config is not None else Severity.ERROR
    if len(reports) == 1 and len(grouped.files) < 2:  # in order already (files not renamed)
        return Report(reports[0], fail_on)
    findings = [finding for report in reports for finding in report]
    return Report(tuple(sorted(findings, key=report_order)), fail_on)


def diff(old: Model, new: Model, *, findings: bool = True) -> ModelDiff:
    """What changes from ``old`` to ``new`` (format-v1 section 17): per role and person
    every permission gained or lost with its cause, RACI and structural changes, and
    (with ``findings``) the findings introduced or resolved."""
    from crmorg.diff.compare import diff as _diff

    return _diff(old, new, findings=findings)


def export(
    model: Model,
    target: str,
    out_dir: str | Path,
    *,
    force: bool = False,
    strict: bool = False,
    **options: str,
) -> list[Path]:
    """Compile ``model`` for ``target`` into ``out_dir``; returns the files written.

    ``options`` are the target's (``odoo_version="18"`` for ``--odoo-version 18``);
    ``strict`` refuses a CRM-system export that cannot carry the model exactly.
    """
    from crmorg.export import export_model

    named = {name.replace("_", "-"): value for name, value in options.items()}
    return export_model(model, target, Path(out_dir), force=force, options=named, strict=strict)
