"""Compiling a model for other systems: one module per target, registered here.

>>> import crmorg
>>> model = crmorg.load("examples/reference")
>>> crmorg.export(model, "cedar", "out/cedar")      # doctest: +SKIP

Adding a target means adding a module with an :class:`Exporter` and a line in
:data:`EXPORTERS`; installed plugins may add more through the ``crmorg.exporters``
entry-point group.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

from crmorg.export import casbin, cedar, csv_matrix, json_matrix, openfga, rego, spicedb
from crmorg.export.atomic import write_directory
from crmorg.export.base import Exporter, RenderedFiles
from crmorg.export.errors import (
    ExportError,
    ExportRefused,
    UnknownTargetError,
    UnsupportedModelError,
)
from crmorg.findings import Severity
from crmorg.model import Model

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        cedar.EXPORTER,
        casbin.EXPORTER,
        rego.EXPORTER,
        json_matrix.EXPORTER,
        csv_matrix.EXPORTER,
        openfga.EXPORTER,
        spicedb.EXPORTER,
    )
}
"""The built-in targets, by name."""

ENTRY_POINT_GROUP = "crmorg.exporters"


def available_exporters() -> dict[str, Exporter]:
    """The built-in targets, then those that installed plugins register."""
    exporters = dict(EXPORTERS)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        plugin = point.load()
        if isinstance(plugin, Exporter) and plugin.name not in exporters:
            exporters[plugin.name] = plugin
    return exporters


def get_exporter(target: str) -> Exporter:
    exporters = EXPORTERS if target in EXPORTERS else available_exporters()
    found = exporters.get(target)
    if found is None:
        raise UnknownTargetError(
            f"no export target {target!r}; the targets are: {', '.join(sorted(exporters))}"
        )
    return found


def check_exportable(model: Model, *, force: bool = False) -> None:
    """Raise :class:`ExportRefused` when the model must not be exported.

    A model that could not be read completely is never exported; validation errors
    (unwaived) refuse it unless ``force``.
    """
    load_errors = tuple(f for f in model.load_findings if f.severity is Severity.ERROR)
    if load_errors:
        raise ExportRefused(load_errors, forceable=False)
    if force:
        return
    from crmorg.lint.engine import run

    errors = run(model).errors
    if errors:
        raise ExportRefused(errors)


def render_target(model: Model, target: str, *, force: bool = False) -> RenderedFiles:
    """Every file of ``target`` for ``model``, in memory (nothing is written)."""
    exporter = get_exporter(target)
    check_exportable(model, force=force)
    return exporter.render(model)


def export_model(model: Model, target: str, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write ``target``'s files for ``model`` into ``out_dir``; returns their paths.

    The directory is written whole or not at all (see :mod:`crmorg.export.atomic`).
    Raises :class:`ExportRefused` for a model with error findings (unless ``force``),
    :class:`UnsupportedModelError` for a model the target cannot express, and
    :class:`ExportError` when ``out_dir`` is not safe to replace.
    """
    files = render_target(model, target, force=force)
    replaceable = {name for exporter in available_exporters().values() for name in exporter.files}
    return write_directory(Path(out_dir), files, replaceable)


__all__ = [
    "EXPORTERS",
    "ExportError",
    "ExportRefused",
    "Exporter",
    "RenderedFiles",
    "UnknownTargetError",
    "UnsupportedModelError",
    "available_exporters",
    "check_exportable",
    "export_model",
    "get_exporter",
    "render_target",
]
