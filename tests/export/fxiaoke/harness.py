"""Render a model to Fxiaoke, read the workbook back into the simulator, and compare
its decisions with ``Model.decide`` against the losses ``fidelity.json`` lists."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from crmorg.export import EXPORTERS
from crmorg.model import Model

from ..engines import Record
from ..equivalence import records
from .simulator import Fxiaoke

WORKBOOK = "fxiaoke-configuration.xlsx"
RECORD_TEAM = "a record's own team"
NO_DEPARTMENT = "is in no department"
DEPARTMENT_CYCLE = "department cycle"


@dataclass(frozen=True)
class Mismatch:
    person: str
    action: str
    resource: str
    record: Record
    field: str | None
    direction: str
    """``over-grants`` when Fxiaoke allows and the model does not."""


def render(model: Model, data_range: str = "narrowest") -> dict[str, str | bytes]:
    return dict(EXPORTERS["fxiaoke"].rendering(model, {"data-range": data_range}).files)


def simulator(files: dict[str, str | bytes]) -> Fxiaoke:
    content = files[WORKBOOK]
    assert isinstance(content, bytes)
    return Fxiaoke.from_workbook(content)


def losses(files: dict[str, str | bytes]) -> list[dict[str, object]]:
    text = files["fidelity.json"]
    assert isinstance(text, str)
    found: list[dict[str, object]] = json.loads(text)["losses"]
    return found


def shapes(model: Model, limit: int = 400, seed: int = 3) -> list[Record]:
    every = records(model)
    if len(every) <= limit:
        return every
    return random.Random(seed).sample(every, limit)


def mismatches(model: Model, sim: Fxiaoke, limit: int = 400) -> list[Mismatch]:
    found = []
    permissions = model.access.catalog.permissions()
    fields = [(r, f) for r, res in model.resources.items() for f in res.fields]
    for person in model.people:
        for record in shapes(model, limit):
            for resource, action in permissions:
                expected = bool(
                    model.decide(
                        person, action, resource, record.owner, record.team, record.department
                    )
                )
                got = sim.decide(person, action, resource, record.owner, record.department)
                if expected != got:
                    found.append(Mismatch(person, action, resource, record, None, _direction(got)))
        for owner in [*model.people, None]:
            for resource, field_id in fields:
                for action in ("read", "update"):
                    if not model.access.catalog.applies(resource, action):
                        continue
                    expected = bool(model.decide(person, action, resource, owner, field=field_id))
                    got = sim.decide(person, action, resource, owner, None, field_id)
                    if expected != got:
                        found.append(
                            Mismatch(
                                person, action, resource, Record(owner), field_id, _direction(got)
                            )
                        )
    return found


def _direction(got: bool) -> str:
    return "over-grants" if got else "under-grants"


def explains(loss: dict[str, object], mismatch: Mismatch) -> bool:
    """Whether ``loss`` is a reason for ``mismatch``: its direction, one of its people,
    and its permission (or, for a structure loss, what it is about)."""
    people = loss["people"]
    written = str(loss["written"])
    assert isinstance(people, list)
    if loss["direction"] != mismatch.direction or mismatch.person not in people:
        return False
    if loss["construct"] in ("scope", "sharing-rule", "grant"):
        return written.startswith(f"{mismatch.resource}.{mismatch.action} ")
    if written.startswith(RECORD_TEAM):
        return mismatch.record.team is not None or mismatch.record.department is not None
    return NO_DEPARTMENT in written or written.startswith(DEPARTMENT_CYCLE)


def unexplained(model: Model, files: dict[str, str | bytes]) -> list[Mismatch]:
    listed = losses(files)
    return [
        m
        for m in mismatches(model, simulator(files))
        if not any(explains(loss, m) for loss in listed)
    ]
