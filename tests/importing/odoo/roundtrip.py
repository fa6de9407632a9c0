"""Export a model with the odoo target, import the files back, and compare decisions."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import crmorg
import crmorg.importing as importing
from crmorg.export import EXPORTERS
from crmorg.importing.core import Imported
from crmorg.model import Model
from export.engines import Record
from export.equivalence import records
from export.odoo.harness import Difference, explains
from export.odoo.tools import write

ODOO = EXPORTERS["odoo"]


def export_files(model: Model, version: str = "18") -> dict[str, str | bytes]:
    return dict(ODOO.rendering(model, {"odoo-version": version}).files)


def import_files(files: dict[str, str | bytes]) -> tuple[Imported, Model]:
    """The export's files imported from a folder, and the imported model loaded."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(files, root)
        imported = importing.read("odoo", root)
        out = root / "model"
        importing.write_imported(imported, out)
        return imported, crmorg.load(out / "model.yaml")


def as_model(imported: Imported) -> Model:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(imported.document, ensure_ascii=False), encoding="utf-8")
        return crmorg.load(path)


def _decide(model: Model, person: str, action: str, resource: str, record: Any) -> bool:
    if resource not in model.resources:
        return False  # nobody has a grant on it, so no rule names it
    if action not in model.access.catalog.applicable.get(resource, ()):
        return False
    return bool(
        model.decide(person, action, resource, record.owner, record.team, record.department)
    )


def few_records(model: Model) -> list[Record]:
    """Every owner with the team and department their own, then every team and every
    department named explicitly, with no owner and with the first person as owner: the
    shapes the rules tell apart, in far fewer questions than every combination."""
    owners = [*model.people, None]
    named = [None, next(iter(model.people), None)]
    return [
        *(Record(owner) for owner in owners),
        *(Record(owner, team) for owner in dict.fromkeys(named) for team in model.teams),
        *(Record(owner, None, d) for owner in dict.fromkeys(named) for d in model.departments),
    ]


def differences(original: Model, back: Model, every: bool = True) -> list[Difference]:
    """Every person x applicable permission x record shape on which they differ."""
    found = []
    shapes = records(original) if every else few_records(original)
    for resource, actions in sorted(original.access.catalog.applicable.items()):
        for action in sorted(actions):
            for person in original.people:
                for record in shapes:
                    expected = bool(
                        original.decide(person, action, resource, record.owner, record.team,
                                        record.department)
                    )  # fmt: skip
                    got = _decide(back, person, action, resource, record)
                    if expected != got:
                        direction = "over-grants" if got else "under-grants"
                        found.append(
                            Difference(person, action, resource, direction, None, f"{record}")
                        )
    return found


def unexplained(
    model: Model, version: str = "18", every: bool = True
) -> tuple[list[Difference], int, Imported]:
    """The round trip's differences that no loss in the export's fidelity.json explains,
    the number of differences, and the import."""
    files = export_files(model, version)
    losses = json.loads(files["fidelity.json"])["losses"]
    imported, back = import_files(files)
    found = differences(model, back, every)
    return [d for d in found if not any(explains(loss, d) for loss in losses)], len(found), imported
