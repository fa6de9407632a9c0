"""Pairs of models for diff tests: a generated model and a mutated copy of it.

The mutations are the changes a pull request makes to access: grants added, removed,
widened or narrowed; inheritance added or dropped; people gaining or losing roles and
teams, moving under another manager, joining or leaving; baselines, sharing rules and
field grants changed; roles and fields added or removed.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st
from tests.export.strategies import SCOPES, model_documents

KINDS = (
    "grant", "drop-grant", "inherit", "drop-inherit", "person-role", "person-team",
    "reports", "new-person", "drop-person", "baseline", "sharing", "field-grant",
    "restrict", "drop-role",
)  # fmt: skip


def _pick(draw: st.DrawFn, options: list[Any]) -> Any:
    return draw(st.sampled_from(sorted(options))) if options else None


def mutate(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    roles, people, resources = new["roles"], new["people"], new["resources"]
    for kind in draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=5)):
        role = _pick(draw, list(roles))
        person = _pick(draw, list(people))
        resource = _pick(draw, list(resources))
        if role is None or resource is None:
            continue
        actions = resources[resource].get("actions") or ["read", "update", "create", "delete"]
        action = draw(st.sampled_from(["*", *actions]))
        if kind == "grant":
            scope = draw(st.sampled_from([*SCOPES, "subordinates"]))
            roles[role].setdefault("grants", {}).setdefault(resource, {})[action] = scope
        elif kind == "drop-grant" and roles[role].get("grants"):
            granted = roles[role]["grants"]
            key = _pick(draw, list(granted))
            del granted[key]
        elif kind == "inherit":
            parent = _pick(draw, [r for r in roles if r != role])
            if parent is not None:
                roles[role]["inherits"] = [*roles[role].get("inherits", []), parent]
        elif kind == "drop-inherit" and roles[role].get("inherits"):
            roles[role]["inherits"] = roles[role]["inherits"][1:]
        elif kind == "person-role" and person is not None:
            held = people[person]["roles"]
            if role in held:
                held.remove(role)
            else:
                held.append(role)
        elif kind == "person-team" and person is not None and new.get("teams"):
            team = _pick(draw, list(new["teams"]))
            listed = people[person].setdefault("teams", [])
            if team in listed:
                listed.remove(team)
            else:
                listed.append(team)
        elif kind == "reports" and person is not None:
            manager = _pick(draw, [p for p in people if p != person])
            if manager is None or draw(st.booleans()):
                people[person].pop("reports_to", None)
            else:
                people[person]["reports_to"] = manager
        elif kind == "new-person":
            people[f"n{len(people)}"] = {"roles": [role], "teams": []}
        elif kind == "drop-person" and person is not None:
            del people[person]
            for other in people.values():
                if other.get("reports_to") == person:
                    del other["reports_to"]
            for team in new.get("teams", {}).values():
                if team.get("lead") == person:
                    del team["lead"]
        elif kind == "baseline":
            if resources[resource].get("baseline") and draw(st.booleans()):
                del resources[resource]["baseline"]
            else:
                resources[resource]["baseline"] = {action: draw(st.sampled_from(SCOPES[1:]))}
        elif kind == "sharing" and new.get("sharing"):
            rule = _pick(draw, list(new["sharing"]))
            if draw(st.booleans()):
                del new["sharing"][rule]
            else:
                new["sharing"][rule]["to"] = {"role": role}
        elif kind == "field-grant" and "fields" in resources[resource]:
            level = draw(st.sampled_from(["none", "read", "edit"]))
            roles[role]["fields"] = {resource: {"secret": level}}
        elif kind == "restrict" and "fields" in resources[resource]:
            secret = resources[resource]["fields"]["secret"]
            secret["restricted"] = not secret.get("restricted", False)
        elif kind == "drop-role" and len(roles) > 1:
            del roles[role]
            for other in roles.values():
                other["inherits"] = [r for r in other.get("inherits", []) if r != role]
            for holder in people.values():
                holder["roles"] = [r for r in holder["roles"] if r != role]
            for rule in list(new.get("sharing", {})):
                if role in (
                    new["sharing"][rule]["from"].get("role"),
                    new["sharing"][rule]["to"].get("role"),
                ):
                    del new["sharing"][rule]
    # A field grant on a field no longer restricted is a finding, not a load error: kept.
    return new


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(model_documents(deep=False))
    return doc, mutate(draw, doc)
