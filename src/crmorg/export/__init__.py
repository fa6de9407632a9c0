"""Compiling a model for other systems: one package per target, registered in one place.

>>> import crmorg
>>> model = crmorg.load("examples/reference")
>>> crmorg.export(model, "cedar", "out/cedar")      # doctest: +SKIP

Layout: each target is a package (``cedar/``, ``casbin/``, ``rego/``, ``openfga/``,
``spicedb/``, ``json/``, ``csv/``) whose ``__init__`` declares its :class:`Exporter`
(name, files, :class:`~crmorg.export.capabilities.Capabilities`) and whose modules and
``templates/`` render it. The targets share, from the modules beside them:
:mod:`~crmorg.export.compiled` (the facts every policy target compiles),
:mod:`~crmorg.export.zanzibar` (the schema and tuples of OpenFGA and SpiceDB),
:mod:`~crmorg.export.access_formats` (the access-review matrix),
:mod:`~crmorg.export.scope_forms` (the registry's scopes, for a target writing their
reach), :mod:`~crmorg.export.naming` and :mod:`~crmorg.export.escaping`. The registry is
:data:`EXPORTERS` (:mod:`~crmorg.export.registry`); adding a target means adding a
package and a line there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crmorg.export.capabilities import Capabilities, Construct, Question, inexpressible
from crmorg.export.errors import (
    ExportError,
    ExportRefused,
    Inexpressible,
    LossyExportError,
    UnknownTargetError,
    UnsafeOutputError,
    UnsupportedModelError,
)
from crmorg.export.fidelity import Fidelity
from crmorg.export.registry import EXPORTERS, available_exporters, get_exporter
from crmorg.export.target import Exporter, Option, RenderedFiles, Rendering
from crmorg.findings import Severity
from crmorg.model import Model
from crmorg.output import KnownFiles, OutputError, write_directory


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


def render_target(
    model: Model,
    target: str,
    *,
    force: bool = False,
    options: Mapping[str, str | None] | None = None,
) -> RenderedFiles:
    """Every file of ``target`` for ``model``, in memory (nothing is written).

    Raises :class:`UnsupportedModelError` for what the target cannot express.
    """
    return build_target(model, target, force=force, options=options).files


def build_target(
    model: Model,
    target: str,
    *,
    force: bool = False,
    options: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> Rendering:
    """``target``'s files for ``model`` and, for a CRM system, its fidelity report.

    ``options`` are the target's (:attr:`Exporter.options`); ``strict`` raises
    :class:`LossyExportError` when the target cannot carry the model exactly.
    """
    exporter = get_exporter(target)
    check_exportable(model, force=force)
    problems = inexpressible(model, exporter.capabilities)
    if problems:
        raise UnsupportedModelError(problems, exporter.name)
    try:
        rendering = exporter.rendering(model, options)
    except ValueError as bad:
        if exporter.options and str(bad).startswith(("--", f"the {exporter.name}")):
            raise ExportError(str(bad)) from None
        raise
    if strict and rendering.fidelity is not None and not rendering.fidelity.exact:
        raise LossyExportError(rendering.fidelity, rendering.fidelity.summary())
    return rendering


@dataclass(frozen=True)
class Exported:
    """What :func:`export_target` wrote, and the fidelity report of a CRM target."""

    paths: list[Path]
    fidelity: Fidelity | None


def export_model(
    model: Model,
    target: str,
    out_dir: Path,
    *,
    force: bool = False,
    options: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> list[Path]:
    """Write ``target``'s files for ``model`` into ``out_dir``; returns their paths.

    The directory is written whole or not at all (:func:`crmorg.output.write_directory`),
    and an existing one is replaced only when it holds nothing but files that some
    target exports. Raises :class:`ExportRefused` for a model with error findings
    (unless ``force``), :class:`UnsupportedModelError` for a model the target cannot
    express, :class:`LossyExportError` when ``strict`` and a CRM target cannot carry
    the model exactly, and :class:`ExportError` when ``out_dir`` is not safe to replace.
    """
    return export_target(model, target, out_dir, force=force, options=options, strict=strict).paths


def export_target(
    model: Model,
    target: str,
    out_dir: Path,
    *,
    force: bool = False,
    options: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> Exported:
    """:func:`export_model`, also returning the fidelity report of a CRM target."""
    rendering = build_target(model, target, force=force, options=options, strict=strict)
    exporters = available_exporters().values()
    exported = KnownFiles(
        frozenset(name for exporter in exporters for name in exporter.files),
        frozenset(name for exporter in exporters for name in exporter.directories),
    )
    try:
        paths = write_directory(Path(out_dir), rendering.files, exported)
    except OutputError as unsafe:
        raise UnsafeOutputError(str(unsafe)) from None
    return Exported(paths, rendering.fidelity)


__all__ = [
    "EXPORTERS",
    "Capabilities",
    "Construct",
    "ExportError",
    "ExportRefused",
    "Exported",
    "Exporter",
    "Fidelity",
    "Inexpressible",
    "LossyExportError",
    "Option",
    "Question",
    "RenderedFiles",
    "Rendering",
    "UnknownTargetError",
    "UnsafeOutputError",
    "UnsupportedModelError",
    "available_exporters",
    "build_target",
    "check_exportable",
    "export_model",
    "export_target",
    "get_exporter",
    "render_target",
]
