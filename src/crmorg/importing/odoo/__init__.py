"""``crmorg import odoo``: an Odoo addon module's access design as a crmorg model.

It reads what crmorg's own ``odoo`` export writes (the ``crmorg_access`` module) and the
``security/`` folder of any module: ``__manifest__.py`` (a literal, never run),
``res.groups`` (roles; ``implied_ids`` -> ``inherits``), ``ir.model.access.csv``
(grants), ``ir.rule`` (the scopes their domains draw) and, when present,
``data/organisation.xml`` (departments, users, employees, sales teams). See
:mod:`crmorg.importing.odoo.build` for what maps to what.
"""

from __future__ import annotations

from crmorg.importing.core import Importer
from crmorg.importing.odoo.build import read

IMPORTER = Importer(
    "odoo",
    "an Odoo addon module folder: res.groups, ir.model.access.csv, ir.rule, org data",
    read,
)

__all__ = ["IMPORTER", "read"]
