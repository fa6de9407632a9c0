"""The importers: one module each under ``crmorg.importing``, one line each in
:data:`IMPORTERS`. The CLI's ``crmorg import SYSTEM`` choices come from here."""

from __future__ import annotations

from crmorg.importing import dynamics, odoo, salesforce, zoho
from crmorg.importing.core import Importer

_BUILT_IN: tuple[Importer, ...] = (
    salesforce.IMPORTER,
    dynamics.IMPORTER,
    odoo.IMPORTER,
    zoho.IMPORTER,
)

IMPORTERS: dict[str, Importer] = {importer.name: importer for importer in _BUILT_IN}
"""The systems crmorg reads, by name."""


def get_importer(system: str) -> Importer:
    found = IMPORTERS.get(system)
    if found is None:
        known = ", ".join(sorted(IMPORTERS)) or "none yet"
        raise KeyError(f"no importer for {system!r}; the systems are: {known}")
    return found
