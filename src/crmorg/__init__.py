"""crmorg: describe the people around a CRM as YAML; validate it; compile it.

>>> import crmorg
>>> model = crmorg.load("examples/reference")
>>> report = crmorg.validate(model)
>>> model.allows("sales_rep", "read", "opportunity", "team")

The names below are imported on first use, so that ``crmorg --help`` and small commands
start quickly.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "Decision": "crmorg.permissions.decisions",
    "Finding": "crmorg.findings",
    "LoadError": "crmorg.api",
    "ModelDiff": "crmorg.diff.results",
    "Location": "crmorg.findings",
    "Model": "crmorg.model",
    "Scope": "crmorg.permissions.scopes",
    "Severity": "crmorg.findings",
    "UnknownIdError": "crmorg.permissions.decisions",
    "load": "crmorg.api",
    "validate": "crmorg.api",
}

__all__ = [
    "Decision",
    "Finding",
    "LoadError",
    "Location",
    "Model",
    "ModelDiff",
    "Scope",
    "Severity",
    "UnknownIdError",
    "__version__",
    "diff",
    "export",
    "load",
    "validate",
]

if TYPE_CHECKING:
    from crmorg.api import LoadError, load, validate
    from crmorg.diff.results import ModelDiff
    from crmorg.findings import Finding, Location, Severity
    from crmorg.model import Model
    from crmorg.permissions.decisions import Decision, UnknownIdError
    from crmorg.permissions.scopes import Scope


def export(
    model: Model,
    target: str,
    out_dir: str | Path,
    *,
    force: bool = False,
    strict: bool = False,
    **options: str,
) -> list[Path]:
    """Compile ``model`` for ``target`` into ``out_dir``; returns the files written."""
    from crmorg.api import export as _export

    return _export(model, target, out_dir, force=force, strict=strict, **options)


def diff(old: Model, new: Model, *, findings: bool = True) -> ModelDiff:
    """What changes from ``old`` to ``new``: see :func:`crmorg.api.diff`."""
    from crmorg.api import diff as _diff

    return _diff(old, new, findings=findings)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'crmorg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(types.ModuleType):
    """Keeps ``crmorg.export`` and ``crmorg.diff`` the functions when the subpackages of
    those names are imported.

    Importing ``crmorg.export.cedar`` makes the import system set the attribute
    ``export`` of this package to the subpackage; the function must win.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("export", "diff") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
