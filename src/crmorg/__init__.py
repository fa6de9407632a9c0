"""crmorg: describe the people around a CRM as YAML; validate it; compile it.

>>> import crmorg
>>> model = crmorg.load("examples/reference")
>>> report = crmorg.validate(model)
>>> model.allows("sales_rep", "read", "opportunity", "team")
"""

from __future__ import annotations

# The subpackage crmorg.export shares its name with the function crmorg.export. Importing
# a subpackage sets it as an attribute of its parent the first time, so it is imported
# here, before the function below takes the name for good.
import crmorg.export as _export_package  # noqa: F401
from crmorg.api import LoadError, export, load, validate
from crmorg.findings import Finding, Location, Severity
from crmorg.model import Model
from crmorg.permissions.decisions import Decision, UnknownIdError
from crmorg.permissions.scopes import Scope

__version__ = "0.1.0"

__all__ = [
    "Decision",
    "Finding",
    "LoadError",
    "Location",
    "Model",
    "Scope",
    "Severity",
    "UnknownIdError",
    "__version__",
    "export",
    "load",
    "validate",
]
