"""Reading an existing CRM's access design into a crmorg model (format section 16).

>>> import crmorg.importing as importing
>>> imported = importing.read("salesforce", "retrieved-project")   # doctest: +SKIP
>>> importing.write_imported(imported, "audit/model")              # doctest: +SKIP

Each system is a module here (``salesforce``, ``odoo``, ``dynamics``, ``zoho``) declaring
an :class:`Importer`, registered in :data:`IMPORTERS`. An importer reads the same
artefacts the system's export writes (and what the system itself gives when retrieved),
so that export then import gives back the same decisions, except the losses the export's
``fidelity.json`` lists.
"""

from __future__ import annotations

from pathlib import Path

from crmorg.importing.core import (
    UNMAPPED,
    Imported,
    Importer,
    ImportFailed,
    unmapped,
    write_imported,
)
from crmorg.importing.registry import IMPORTERS, get_importer


def read(system: str, path: str | Path) -> Imported:
    """Read ``system``'s files at ``path`` into a crmorg model (nothing is written).

    Raises ``KeyError`` for an unknown system, ``FileNotFoundError`` when ``path`` does
    not exist and :class:`ImportFailed` when it holds no such files."""
    importer = get_importer(system)
    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"no such file or directory: {source}")
    if not (source.is_dir() or source.is_file()):
        raise ImportFailed(
            f"{source}: neither a folder nor a regular file (a device, a pipe or a socket); "
            f"give the {system} files: {importer.summary}"
        )
    try:
        return importer.read(source)
    except OSError as failed:  # a file that vanished or cannot be read mid-way
        where = failed.filename or source
        raise ImportFailed(
            f"{where}: cannot be read ({failed.strerror or failed}); give readable {system} files"
        ) from None


__all__ = [
    "IMPORTERS",
    "UNMAPPED",
    "ImportFailed",
    "Imported",
    "Importer",
    "get_importer",
    "read",
    "unmapped",
    "write_imported",
]
