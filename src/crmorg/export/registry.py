"""The export targets: one package each, one line each in :data:`EXPORTERS`.

The CLI's ``--target`` choices, :func:`crmorg.export` and the table of targets in
``docs/exports.md`` (checked by the tests) all come from here. Installed plugins may add
targets through the ``crmorg.exporters`` entry-point group.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from crmorg.export import (
    casbin,
    cedar,
    csv,
    dynamics,
    fxiaoke,
    json,
    keycloak,
    odoo,
    openfga,
    rego,
    salesforce,
    scim,
    spicedb,
    zoho,
)
from crmorg.export.errors import UnknownTargetError
from crmorg.export.target import Exporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        cedar.EXPORTER,
        casbin.EXPORTER,
        rego.EXPORTER,
        json.EXPORTER,
        csv.EXPORTER,
        openfga.EXPORTER,
        spicedb.EXPORTER,
        dynamics.EXPORTER,
        salesforce.EXPORTER,
        zoho.EXPORTER,
        odoo.EXPORTER,
        fxiaoke.EXPORTER,
        scim.EXPORTER,
        keycloak.EXPORTER,
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
