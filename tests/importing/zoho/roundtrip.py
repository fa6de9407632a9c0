"""Export with the zoho target, import the files, and compare the decisions."""

from __future__ import annotations

import tempfile
from pathlib import Path

import crmorg
import crmorg.importing as importing
from crmorg.export import EXPORTERS
from crmorg.model import Model
from export.strategies import load_document
from export.zoho.equivalence import Key, listed


def export_files(model: Model) -> dict[str, str | bytes]:
    return dict(EXPORTERS["zoho"].render(model))


def write_files(files: dict[str, str | bytes], root: Path) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def imported_model(files: dict[str, str | bytes]) -> tuple[Model, importing.Imported]:
    with tempfile.TemporaryDirectory() as tmp:
        write_files(files, Path(tmp))
        imported = importing.read("zoho", tmp)
    return load_document(dict(imported.document)), imported


def differences(original: Model, back: Model) -> tuple[set[Key], set[Key]]:
    """(person, resource, action, direction) where ``back`` decides otherwise than
    ``original``: on records of every owner, and on each declared field."""
    found: set[Key] = set()
    on_fields: set[Key] = set()
    people = list(original.people)
    for resource, action in original.access.catalog.permissions():
        # A model's own action (refund) is none of Zoho's: the import has no such action.
        known = action in back.access.catalog.actions and resource in back.resources
        for person in people:
            for owner in people:
                expected = bool(original.decide(person, action, resource, owner))
                got = known and bool(back.decide(person, action, resource, owner))
                if expected != got:
                    found.add((person, resource, action, "over-grants" if got else "under-grants"))
    for resource, declared in original.resources.items():
        for field_id in declared.fields:
            for action in ("read", "update"):
                if not original.access.catalog.applies(resource, action):
                    continue
                for person in people:
                    for owner in people:
                        expected = bool(
                            original.decide(person, action, resource, owner, field=field_id)
                        )
                        got = bool(back.decide(person, action, resource, owner, field=field_id))
                        if expected != got:
                            direction = "over-grants" if got else "under-grants"
                            on_fields.add((person, resource, action, direction))
    return found, on_fields


def check_round_trip(original: Model) -> int:
    """Every difference after export then import is a loss fidelity.json lists (same
    person, resource, action and direction), and each listed loss is met; the number
    of differing decisions."""
    files = export_files(original)
    back, imported = imported_model(files)
    assert not crmorg.validate(back).errors, [f.message for f in crmorg.validate(back).errors]
    found, on_fields = differences(original, back)
    losses = listed(files)
    unexplained = sorted(found - losses)
    assert not unexplained, f"differences fidelity.json does not list: {unexplained[:10]}"
    assert on_fields <= losses, f"field differences not listed: {sorted(on_fields - losses)[:10]}"
    unmet = sorted(losses - found)
    assert not unmet, f"listed losses the import gives back anyway: {unmet[:10]}"
    assert not imported.findings, [f.message for f in imported.findings]
    return len(found)
