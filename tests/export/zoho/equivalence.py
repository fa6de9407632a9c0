"""The simulator's decisions against ``model.decide()``, and the losses that explain them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping

from crmorg.model import Model

from .simulator import Zoho

Key = tuple[str, str, str, str]
"""(person, resource, action, direction) of a difference."""


def differences(model: Model, files: Mapping[str, str | bytes]) -> tuple[set[Key], set[Key]]:
    """The differences on records, and those on fields, between Zoho (the simulator,
    reading the files) and the model, on every person x owner x permission (x field).

    A Zoho record always has an owner, and its team and department are the owner's, so
    the records asked about are those of each owner (docs/crm-systems.md)."""
    zoho = Zoho.read(files)
    people = list(model.people)
    permissions = model.access.catalog.permissions()
    found: set[Key] = set()
    for resource, action in permissions:
        module = zoho.modules[resource]
        for person in people:
            for owner in people:
                expected = bool(model.decide(person, action, resource, owner))
                got = zoho.decide(person, action, module, owner)
                if expected != got:
                    found.add((person, resource, action, "over-grants" if got else "under-grants"))
    on_fields: set[Key] = set()
    for resource, declared in model.resources.items():
        module = zoho.modules[resource]
        for field_id in declared.fields:
            api_name = zoho.fields[(resource, field_id)]
            for action in ("read", "update"):
                if not model.access.catalog.applies(resource, action):
                    continue
                for person in people:
                    for owner in people:
                        expected = bool(
                            model.decide(person, action, resource, owner, field=field_id)
                        )
                        got = zoho.decide_field(person, action, module, owner, api_name)
                        if expected != got:
                            direction = "over-grants" if got else "under-grants"
                            on_fields.add((person, resource, action, direction))
    return found, on_fields


def listed(files: Mapping[str, str | bytes]) -> set[Key]:
    """(person, resource, action, direction) of every loss in ``fidelity.json``; each
    is one loss's only (a difference is explained by exactly one loss)."""
    content = files["fidelity.json"]
    document = json.loads(content if isinstance(content, str) else content.decode("utf-8"))
    keys: list[Key] = []
    for loss in document["losses"]:
        resource, _, action = loss["written"].split(" ", 1)[0].partition(".")
        keys += [(person, resource, action, loss["direction"]) for person in loss["people"]]
    twice = sorted(key for key, count in Counter(keys).items() if count > 1)
    assert not twice, f"differences listed by more than one loss: {twice[:10]}"
    return set(keys)


def check(model: Model, files: Mapping[str, str | bytes]) -> int:
    """Every difference is a listed loss, and every listed loss a difference someone
    meets; the number of decisions that differ (for the caller to report)."""
    found, on_fields = differences(model, files)
    losses = listed(files)
    unexplained = sorted(found - losses)
    assert not unexplained, f"differences fidelity.json does not list: {unexplained[:10]}"
    assert on_fields <= found, (
        f"field differences beyond the records': {sorted(on_fields - found)[:10]}"
    )
    unreal = sorted(losses - found)
    assert not unreal, f"losses nobody meets: {unreal[:10]}"
    return len(found)
