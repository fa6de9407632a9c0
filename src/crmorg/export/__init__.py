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

from pathlib import Path

from crmorg.export.capabilities import Capabilities, Construct, Question, inexpressible
from crmorg.export.errors import (
    ExportError,
    ExportRefused,
    Inexpressible,
    UnknownTargetError,
    UnsafeOutputError,
    UnsupportedModelError,
)
from crmorg.export.registry import EXPORTERS, available_exporters, get_exporter
from crmorg.export.target import Exporter, RenderedFiles
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


def render_target(model: Model, target: str, *, force: bool = False) -> RenderedFiles:
    """Every file of ``target`` for ``model``, in memory (nothing is written).

    Raises :class:`UnsupportedModelError` for what the target cannot express.
    """
    exporter = get_exporter(target)
    check_exportable(model, force=force)
    problems = inexpressible(model, exporter.capabilities)
    if problems:
        raise UnsupportedModelError(problems, exporter.name)
    return exporter.render(model)


def export_model(model: Model, target: str, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write ``target``'s files for ``model`` into ``out_dir``; returns their paths.

    The directory is written whole or not at all (:func:`crmorg.output.write_directory`),
    and an existing one is replaced only when it holds nothing but files that some
    target exports. Raises :class:`ExportRefused` for a model with error findings
    (unless ``force``), :class:`UnsupportedModelError` for a model the target cannot
    express, and :class:`ExportError` when ``out_dir`` is not safe to replace.
    """
    files = render_target(model, target, force=force)
    exported = KnownFiles(
        frozenset(name for exporter in available_exporters().values() for name in exporter.files)
    )
    try:
        return write_directory(Path(out_dir), files, exported)
    except OutputError as unsafe:
        raise UnsafeOutputError(str(unsafe)) from None


__all__ = [
    "EXPORTERS",
    "Capabilities",
    "Construct",
    "ExportError",
    "ExportRefused",
    "Exporter",
    "Inexpressible",
    "Question",
    "RenderedFiles",
    "UnknownTargetError",
    "UnsafeOutputError",
    "UnsupportedModelError",
    "available_exporters",
    "check_exportable",
    "export_model",
    "get_exporter",
    "render_target",
]
