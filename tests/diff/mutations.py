"""Pairs of models for diff tests: a generated model and a mutated copy of it.

The mutations are the changes a pull request makes to access: grants added, removed,
widened or narrowed; inheritance added or dropped; people gaining or losing roles and
teams, moving under another manager, joining or leaving; baselines, sharing rules and
field grants changed; roles and fields added or removed; and processes (format
section 15) added, removed or renamed, their steps added, removed, reordered, given
other roles, requirements or ``next`` steps.
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
PROCESS_KINDS = (
    "step-raci", "step-requires", "step-next", "step-add", "step-drop", "step-reorder",
    "process-id", "process-name", "process-department", "process-add", "process-drop",
)  # fmt: skip
STEP_IDS = ("a", "b", "c", "d")
"""Few step ids, so that steps repeat an id (the first one counts) and ``next`` often
names an existing step; ``zz`` is never a step (an unknown ``next``)."""


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
    for kind in draw(st.lists(st.sampled_from(PROCESS_KINDS), min_size=1, max_size=4)):
        _mutate_process(draw, new, kind)
    return new


def step_documents(draw: st.DrawFn, doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _step(draw, doc, i)
        for i in draw(st.lists(st.sampled_from(STEP_IDS), min_size=1, max_size=4))
    ]


def _step(draw: st.DrawFn, doc: dict[str, Any], step_id: str) -> dict[str, Any]:
    roles = sorted(doc["roles"])
    found: dict[str, Any] = {"id": step_id}
    if draw(st.booleans()):
        found["accountable"] = draw(st.sampled_from(roles))
    for part in ("responsible", "consulted", "informed"):
        if draw(st.booleans()):
            found[part] = draw(st.lists(st.sampled_from(roles), max_size=2))
    if draw(st.booleans()):
        found["requires"] = _requires(draw, doc)
    if draw(st.integers(0, 2)) == 0:
        found["next"] = draw(st.lists(st.sampled_from([*STEP_IDS, "zz"]), max_size=2))
    return found


def _requires(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    resource = draw(st.sampled_from(sorted(doc["resources"])))
    action = draw(st.sampled_from(["*", "read", "update"]))
    return {resource: {action: draw(st.sampled_from(SCOPES[1:]))}}


def process_documents(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 3))):
        process: dict[str, Any] = {"name": f"Process {i}", "steps": step_documents(draw, doc)}
        if doc["departments"] and draw(st.booleans()):
            process["department"] = draw(st.sampled_from(sorted(doc["departments"])))
        found[f"w{i}"] = process
    return found


def _mutate_process(draw: st.DrawFn, new: dict[str, Any], kind: str) -> None:
    processes = new.setdefault("processes", {})
    if kind == "process-add":
        processes[f"w{len(processes) + 10}"] = {"steps": step_documents(draw, new)}
        return
    key = _pick(draw, list(processes))
    if key is None:
        return
    process = processes[key]
    steps = process["steps"]
    position = draw(st.integers(0, len(steps) - 1))
    step = steps[position]
    if kind == "step-raci":
        part = draw(st.sampled_from(["accountable", "responsible", "consulted", "informed"]))
        role = draw(st.sampled_from(sorted(new["roles"])))
        if part == "accountable":
            if step.get("accountable") == role:
                del step["accountable"]
            else:
                step["accountable"] = role
        else:
            held = step.setdefault(part, [])
            if role in held:
                held.remove(role)
            else:
                held.append(role)
    elif kind == "step-requires":
        if step.get("requires") and draw(st.booleans()):
            del step["requires"]
        else:
            step["requires"] = {**step.get("requires", {}), **_requires(draw, new)}
    elif kind == "step-next":
        if "next" in step and draw(st.booleans()):
            del step["next"]
        else:
            step["next"] = draw(st.lists(st.sampled_from([*STEP_IDS, "zz"]), max_size=2))
    elif kind == "step-add":
        steps.insert(position, _step(draw, new, draw(st.sampled_from(STEP_IDS))))
    elif kind == "step-drop" and len(steps) > 1:
        del steps[position]
    elif kind == "step-reorder":
        process["steps"] = draw(st.permutations(steps))
    elif kind == "process-id":
        processes[f"{key}_x"] = processes.pop(key)
    elif kind == "process-name":
        process["name"] = {"en": f"Renamed {key}", "zh": "流程"}
    elif kind == "process-department" and new["departments"]:
        process["department"] = draw(st.sampled_from(sorted(new["departments"])))
    elif kind == "process-drop":
        del processes[key]


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(model_documents(deep=False))
    doc["processes"] = process_documents(draw, doc)
    return doc, mutate(draw, doc)
