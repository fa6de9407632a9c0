"""Questions of format-v1 section 3 asked of the simulated Odoo database, and every
difference from ``Model.decide`` matched to the loss in ``fidelity.json`` that explains it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crmorg.export.odoo.mapping import Mapping as ResourceMapping
from crmorg.export.odoo.mapping import resource_mapping
from crmorg.export.odoo.plan import PERMS, group_field
from crmorg.model import Model

from ..engines import DecideQuery, FieldQuery, Record
from ..equivalence import records
from .simulator import OdooDatabase


@dataclass
class OdooEngine:
    model: Model
    files: Mapping[str, str | bytes]
    version: str = "18"
    name: str = "odoo"

    def __post_init__(self) -> None:
        self.db = OdooDatabase.load(
            {n: c for n, c in self.files.items() if n.startswith("crmorg_access/")},
            group_field(self.version),
        )
        self.mapping: ResourceMapping = resource_mapping(
            self.model, tuple(sorted(self.model.access.catalog.applicable))
        )

    def record(self, resource: str, record: Record) -> dict[str, Any]:
        """The Odoo record standing for a crmorg record: its owner's user, its sales team
        and department where it names them, the value that tells its resource apart."""
        odoo = self.mapping.models[resource]
        values: dict[str, Any] = {}
        if record.owner is not None:
            user = self.db.by_login[record.owner]
            values[odoo.owner] = [user] if odoo.owner_many else user
        if record.team is not None:
            values[odoo.team] = f"team_{record.team}"
        if record.department is not None:
            values[odoo.department] = f"department_{record.department}"
        discriminator = self.mapping.discriminators.get(resource)
        if discriminator is not None:
            values[discriminator.field] = discriminator.sample
        return values

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        return [self._decide(p, a, r, rec) for p, a, r, rec in queries]

    def decide_fields(self, queries: Sequence[FieldQuery]) -> list[bool]:
        # Odoo's fields follow their record: no module data restricts one.
        return [self._decide(p, a, r, rec) for p, a, r, rec, _ in queries]

    def _decide(self, person: str, action: str, resource: str, record: Record) -> bool:
        if action not in PERMS:
            return False  # Odoo has no access right for it
        odoo = self.mapping.models[resource]
        return self.db.allowed(person, odoo.xmlid, PERMS[action], self.record(resource, record))


@dataclass(frozen=True)
class Difference:
    person: str
    action: str
    resource: str
    direction: str
    field: str | None
    query: str


def differences(
    model: Model, engine: OdooEngine, decide: Sequence[DecideQuery], fields: Sequence[FieldQuery]
) -> list[Difference]:
    found = []
    for (person, action, resource, record), got in zip(decide, engine.decide(decide), strict=True):
        expected = bool(model.decide(person, action, resource, record.owner, record.team,
                                     record.department))  # fmt: skip
        if expected != got:
            direction = "over-grants" if got else "under-grants"
            found.append(Difference(person, action, resource, direction, None, f"{record}"))
    answers = engine.decide_fields(fields)
    for (person, action, resource, record, field), got in zip(fields, answers, strict=True):
        expected = bool(model.decide(person, action, resource, record.owner, field=field))
        if expected != got:
            direction = "over-grants" if got else "under-grants"
            found.append(Difference(person, action, resource, direction, field, f"{record}"))
    return found


def permissions(loss: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The resource and actions a loss is about: ``lead.read`` or ``lead.{a,b}``."""
    token = str(loss["written"]).split(" ", 1)[0].rstrip(":")
    resource, actions = token.split(".", 1)
    return resource, tuple(actions.strip("{}").split(","))


def explains(loss: Mapping[str, Any], difference: Difference) -> bool:
    """Whether ``loss`` (an entry of fidelity.json) is about this difference: its
    permission, its direction, and the person among those it affects."""
    resource, actions = permissions(loss)
    if (resource, difference.action) != (difference.resource, difference.action) or (
        difference.action not in actions
    ):
        return False
    if loss["direction"] != difference.direction or difference.person not in loss["people"]:
        return False
    if loss["construct"] == "field-permission":
        return difference.field is not None and loss["path"][3] == difference.field
    return True


def unexplained(
    model: Model, files: Mapping[str, str | bytes], decide: Sequence[DecideQuery],
    fields: Sequence[FieldQuery], version: str = "18",
) -> list[Difference]:  # fmt: skip
    """The differences between Odoo and the model that no loss in fidelity.json explains."""
    losses = json.loads(files["fidelity.json"])["losses"]
    found = differences(model, OdooEngine(model, files, version), decide, fields)
    return [d for d in found if not any(explains(loss, d) for loss in losses)]


def unreal(
    model: Model, files: Mapping[str, str | bytes], version: str = "18", people: int = 1
) -> list[dict[str, Any]]:
    """The losses (naming people) that no decision shows: for each, the questions about
    its permission for up to ``people`` of the people it names, on every record shape."""
    engine = OdooEngine(model, files, version)
    shapes = records(model)
    found = []
    for loss in json.loads(files["fidelity.json"])["losses"]:
        if not loss["people"]:
            continue
        resource, actions = permissions(loss)
        named = loss["people"][:people]
        decide = [(p, a, resource, shape) for p in named for a in actions for shape in shapes]
        fields: list[FieldQuery] = []
        if loss["construct"] == "field-permission":
            decide = []
            fields = [
                (p, a, resource, Record(owner), loss["path"][3])
                for p in named
                for a in actions
                for owner in [*model.people, None]
            ]
        shown = differences(model, engine, decide, fields)
        if not any(explains(loss, d) for d in shown):
            found.append(loss)
    return found
