"""The model's decisions against the simulator's, and the fidelity report's losses.

Every difference must be one that ``fidelity.json`` lists (same person, same direction,
about the same resource and action, or a structure loss of that person), and every
person a loss lists must meet a difference it explains: no loss is invented.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from crmorg.model import Model

from .simulator import Dataverse, Record

NAMESPACE = uuid.UUID("6f1d0f3e-5b7a-5c55-9d0e-64796e616d69")
"""docs/crm-systems.md: GUIDs are uuid5 in this namespace."""
STANDARD = {
    "lead": "Lead",
    "opportunity": "Opportunity",
    "account": "Account",
    "contact": "Contact",
    "service_case": "Incident",
    "case": "Incident",
    "quote": "Quote",
    "order": "SalesOrder",
    "invoice": "Invoice",
    "product": "Product",
    "campaign": "Campaign",
}
"""The documented defaults: crmorg resource -> the standard table's schema name."""
VERBS = {
    "create": "Create",
    "read": "Read",
    "update": "Write",
    "delete": "Delete",
    "assign": "Assign",
    "share": "Share",
}


def table(resource: str) -> tuple[str, str]:
    """(logical name, schema name) of a resource's table with the default mapping."""
    schema = STANDARD.get(resource)
    return (schema.lower(), schema) if schema else (f"new_{resource}", f"new_{resource}")


def guid(dataverse: Dataverse, model: Model, kind: str, local_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{dataverse.unique_name}/{model.name}/{kind}/{local_id}"))


@dataclass(frozen=True)
class Difference:
    person: str
    action: str
    resource: str
    record: str
    field: str | None
    direction: str
    reason: str


def records(model: Model, dataverse: Dataverse) -> Iterator[tuple[str, dict[str, Any], Record]]:
    """Every record Dataverse can hold: one owned by each person, one by each team (in
    its department), as crmorg's record arguments and as the simulator's record."""
    for owner in model.people:
        yield f"owned by {owner}", {"owner": owner}, Record("user", dataverse.employees[owner])
    for team_id, team in model.teams.items():
        arguments = {"owner": None, "team": team_id, "department": team.department}
        yield (
            f"owned by team {team_id}",
            arguments,
            Record("team", guid(dataverse, model, "team", team_id)),
        )


def differences(model: Model, files: Mapping[str, str | bytes]) -> list[Difference]:
    dataverse = Dataverse.load(files)
    permissions = model.access.catalog.permissions()
    found = []
    shapes = list(records(model, dataverse))
    fields = {
        resource_id: list(resource.fields) for resource_id, resource in model.resources.items()
    }
    for person in model.people:
        user = dataverse.employees[person]
        for resource, action in permissions:
            logical, schema = table(resource)
            verb = VERBS.get(action)
            for shown, arguments, record in shapes:
                expected = bool(model.decide(person, action, resource, **arguments))
                got = verb is not None and dataverse.may(user, f"prv{verb}{schema}", record)
                if expected != got:
                    direction = "over-grants" if got else "under-grants"
                    found.append(Difference(person, action, resource, shown, None, direction, ""))
                if action not in ("read", "update"):
                    continue
                for field_id in fields[resource]:
                    column = f"new_{field_id}"
                    expected_field = bool(
                        model.decide(person, action, resource, **arguments, field=field_id)
                    )
                    got_field = got and dataverse.may_column(
                        user, logical, column, update=action == "update"
                    )
                    if expected_field != got_field:
                        direction = "over-grants" if got_field else "under-grants"
                        found.append(
                            Difference(person, action, resource, shown, field_id, direction, "")
                        )
    return found


def explains(loss: Mapping[str, Any], difference: Difference, model: Model) -> bool:
    if loss["direction"] != difference.direction or difference.person not in loss["people"]:
        return False
    path = loss["path"]
    if loss["construct"] == "structure":
        return bool(path[0] == "people")
    if path[0] == "resources":
        return bool(
            path[1] == difference.resource
            and loss["written"].split(" ")[0] == f"{difference.resource}.{difference.action}"
        )
    if path[0] == "sharing":
        rule = model.sharing[path[1]]
        return rule.resource == difference.resource and difference.action in rule.actions
    return False


def unexplained_and_invented(
    model: Model, files: Mapping[str, str | bytes]
) -> tuple[list[Difference], list[tuple[str, str]]]:
    """Differences no loss explains; (loss, person) pairs that no difference shows."""
    losses = json.loads(files["fidelity.json"])["losses"]
    found = differences(model, files)
    unexplained = [d for d in found if not any(explains(loss, d, model) for loss in losses)]
    invented = [
        (f"{loss['construct']} {loss['path']} {loss['written']}", "(nobody)")
        for loss in losses
        if not loss["people"]
    ]
    invented += [
        (f"{loss['construct']} {loss['path']} {loss['written']}", person)
        for loss in losses
        for person in loss["people"]
        if not any(explains(loss, d, model) for d in found if d.person == person)
    ]
    return unexplained, invented
