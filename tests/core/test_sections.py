"""The section declaration (crmorg.sections) and everything that must agree with it."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from crmorg import sections
from crmorg.api import load_partial
from crmorg.docs import context
from crmorg.document import Document
from crmorg.loading.hr_csv import COLUMNS, HR_FILES
from crmorg.model import Model
from crmorg.sections import LIST, MAPPING, ONE, SECTIONS, Kind, Reference

SMB = Path(__file__).parents[2] / "examples" / "smb"
KEPT = [s.key for s in SECTIONS if s.key != "version"]
"""Every section but ``version``, which loading checks and does not keep."""


def _models(entry: Any) -> list[type[BaseModel]]:
    """The pydantic models an entry may be (each kind of constraint, for a union)."""
    if isinstance(entry, type) and issubclass(entry, BaseModel):
        return [entry]
    return [m for arg in typing.get_args(entry) for m in _models(arg)]


def _part_model(model: type[BaseModel], field: str) -> type[BaseModel]:
    (part,) = _models(typing.get_args(model.model_fields[field].annotation)[0])
    return part


def _check(reference: Reference, models: list[type[BaseModel]]) -> None:
    owners = [reference.on] if reference.on is not None else models
    for model in owners:
        assert reference.field in model.model_fields, (model.__name__, reference.field)
        for part in reference.parts:
            _check(part, [_part_model(model, reference.field)])
    if reference.kind is Kind.ENTRY:
        assert reference.section is not None
        assert sections.section(reference.section).shape == MAPPING
    else:
        assert reference.section is None
    assert bool(reference.parts) == (reference.kind is Kind.PARTS)


def test_every_declared_reference_names_a_field_of_its_entry() -> None:
    for declared in SECTIONS:
        for reference in declared.references:
            _check(reference, _models(declared.entry))


def test_the_document_has_a_field_per_kept_section_in_order() -> None:
    fields = [f.name for f in dataclasses.fields(Document)]
    assert fields[: len(KEPT)] == KEPT
    assert fields[len(KEPT) :] == [
        "rejected",
        "constraint_index",
        "salvaged",
        "unread",
        "over_limits",
    ]


def test_the_model_has_an_attribute_per_kept_section() -> None:
    model = load_partial(SMB)
    # `actions` is read through `model.catalog.actions`, which adds the built-in ones.
    for key in (key for key in KEPT if key != "actions"):
        assert type(Model.__dict__[key]).__name__ == "_Section", key
        assert getattr(model, key) is getattr(model.document, key), key


def test_shapes_and_id_sections() -> None:
    assert tuple(s.key for s in SECTIONS if s.shape == MAPPING) == sections.ID_SECTIONS
    assert {s.shape for s in SECTIONS} == {MAPPING, LIST, ONE}
    assert len(set(sections.SECTION_KEYS)) == len(SECTIONS)


def test_hr_columns_are_the_id_and_the_fields_of_people_and_teams() -> None:
    # The columns docs/hr-csv.md documents, as they were written out before.
    assert COLUMNS == {
        "people": ("id", "name", "email", "title", "roles", "teams", "reports_to"),
        "teams": ("id", "name", "description", "department", "lead"),
    }
    assert set(COLUMNS) == set(HR_FILES.values())


def test_the_handbook_shows_every_kind_of_item_with_an_id() -> None:
    items = {s.item for s in SECTIONS if s.item} - {"action"}
    assert set(context._TARGETS) == items


def test_names_and_links_exist_for_every_declared_item() -> None:
    model = load_partial(SMB)
    names = context.Names(model, "zh")
    assert names.role("crm_admin") == names.of("role", "crm_admin") != "crm_admin"
    assert names.role("no_such_role") == "no_such_role"
    constraint = model.constraints[0]
    assert names.constraint(constraint.id) == names.of("constraint", constraint.id)
    for declared in SECTIONS:
        if declared.item:
            assert callable(getattr(names, declared.item))
    try:
        names.no_such_kind  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown kind of item must be an AttributeError")
