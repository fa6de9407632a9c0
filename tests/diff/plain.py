"""Each side's access by plain questions to the public API, for every subject and
permission: what the diff must agree with.

Scopes: ``model.allows`` at every scope; restricted fields: ``model.field_access``;
sharing rules: the rule's ``to`` group worked out from the YAML document itself
(roles through ``inherits``, team members and leads, departments through ``parent``),
gated by ``model.allows(person, action, resource, "own")``.
"""

from __future__ import annotations

from typing import Any

from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES, Scope, includes

Access = dict[tuple[str, ...], tuple[str, ...]]
"""(aspect, resource, action-or-field[, rule]) -> the value (maximal scopes, level, group)."""

SCOPES = [Scope.parse(name) for name in SCOPE_NAMES if name != "none"]


def maximal(allowed: list[Scope]) -> tuple[str, ...]:
    top = [s for s in allowed if not any(o != s and includes(o, s) for o in allowed)]
    return tuple(sorted(s.label for s in top))


def scope_access(model: Model, subject: str) -> Access:
    found: Access = {}
    for resource, actions in model.catalog.applicable.items():
        for action in actions:
            allowed = [s for s in SCOPES if model.allows(subject, action, resource, s)]
            if allowed:
                found[("scope", resource, action)] = maximal(allowed)
    return found


def restricted(*models: Model) -> set[tuple[str, str]]:
    return {
        (r, f)
        for model in models
        for r, resource in model.resources.items()
        for f, field in resource.fields.items()
        if field.restricted
    }


def field_access(model: Model, subject: str, fields: set[tuple[str, str]]) -> Access:
    found: Access = {}
    for resource, field in sorted(fields):
        declared = model.resources.get(resource)
        if declared is None or field not in declared.fields:
            continue
        level = model.field_access(subject, resource, field)
        if level != "none":
            found[("field", resource, field)] = (level,)
    return found


def _lineage(doc: dict[str, Any], role: str) -> set[str]:
    seen: set[str] = set()
    stack = [role]
    while stack:
        current = stack.pop()
        if current in seen or current not in doc["roles"]:
            continue
        seen.add(current)
        stack += doc["roles"][current].get("inherits", [])
    return seen


def _departments(doc: dict[str, Any], person: str) -> set[str]:
    data = doc["people"][person]
    found = set()
    teams = doc.get("teams", {})
    led = {t for t, team in teams.items() if team.get("lead") == person}
    for team in {*data.get("teams", []), *led}:
        if team in teams and teams[team].get("department"):
            found.add(teams[team]["department"])
    for role in data.get("roles", []):
        if role in doc["roles"] and doc["roles"][role].get("department"):
            found.add(doc["roles"][role]["department"])
    return found


def _in_group(doc: dict[str, Any], person: str, group: dict[str, str]) -> bool:
    data = doc["people"][person]
    if "role" in group:
        return any(group["role"] in _lineage(doc, r) for r in data.get("roles", []))
    if "team" in group:
        team = doc.get("teams", {}).get(group["team"], {})
        return group["team"] in data.get("teams", []) or team.get("lead") == person
    below = {group["department"]}
    departments = doc.get("departments", {})
    changed = True
    while changed:
        changed = False
        for d, dept in departments.items():
            if dept.get("parent") in below and d not in below:
                below.add(d)
                changed = True
    return not _departments(doc, person).isdisjoint(below)


def sharing_access(doc: dict[str, Any], model: Model, person: str) -> Access:
    found: Access = {}
    for rule_id, rule in doc.get("sharing", {}).items():
        if not _in_group(doc, person, rule["to"]):
            continue
        ((kind, group),) = rule["from"].items()
        for action in dict.fromkeys(rule["actions"]):
            if model.allows(person, action, rule["resource"], "own"):
                found[("sharing", rule["resource"], action, rule_id)] = (f"{kind}:{group}",)
    return found


def _manager(doc: dict[str, Any], person: str) -> str | None:
    manager = doc["people"][person].get("reports_to")
    return manager if manager in doc["people"] and manager != person else None


def reports(doc: dict[str, Any], person: str) -> set[str]:
    """The people whose chain of managers, walked up from their own, reaches ``person``."""
    found = set()
    for other in doc["people"]:
        seen: set[str] = set()
        current = _manager(doc, other)
        while current is not None and current not in seen:
            if current == person:
                found.add(other)
                break
            seen.add(current)
            current = _manager(doc, current)
    return found


def reach_permissions(model: Model, person: str) -> set[tuple[str, str]]:
    """What the person may do at ``subordinates`` but not across the organization."""
    return {
        (resource, action)
        for resource, actions in model.catalog.applicable.items()
        for action in actions
        if model.allows(person, action, resource, "subordinates")
        and not model.allows(person, action, resource, "organization")
    }


def reach_changes(
    old: tuple[dict[str, Any], Model], new: tuple[dict[str, Any], Model], person: str
) -> dict[tuple[str, ...], tuple[Any, Any]]:
    (old_doc, old_model), (new_doc, new_model) = old, new
    then, now = reports(old_doc, person), reports(new_doc, person)
    if then == now:
        return {}
    keys = (reach_permissions(old_model, person) if then - now else set()) | (
        reach_permissions(new_model, person) if now - then else set()
    )
    values = ((f"{len(then)} reports",), (f"{len(now)} reports",))
    return {("reach", resource, action): values for resource, action in keys}


def expected_changes(
    old: tuple[dict[str, Any], Model], new: tuple[dict[str, Any], Model]
) -> tuple[dict[str, Access], dict[str, Access]]:
    """(role -> changes, person -> changes); a change maps to (old value, new value)."""
    (old_doc, old_model), (new_doc, new_model) = old, new
    fields = restricted(old_model, new_model)

    def role_side(model: Model, role: str) -> Access:
        if role not in model.roles:
            return {}
        return {**scope_access(model, role), **field_access(model, role, fields)}

    def person_side(doc: dict[str, Any], model: Model, person: str) -> Access:
        if person not in model.people:
            return {}
        return {
            **scope_access(model, person),
            **field_access(model, person, fields),
            **sharing_access(doc, model, person),
        }

    roles = {
        role: _changes(role_side(old_model, role), role_side(new_model, role))
        for role in {*old_model.roles, *new_model.roles}
    }
    people = {
        person: _changes(
            person_side(old_doc, old_model, person), person_side(new_doc, new_model, person)
        )
        for person in {*old_model.people, *new_model.people}
    }
    for person in set(old_model.people) & set(new_model.people):
        people[person].update(reach_changes(old, new, person))
    return (
        {k: v for k, v in roles.items() if v},
        {k: v for k, v in people.items() if v},
    )


def _changes(before: Access, after: Access) -> dict[tuple[str, ...], tuple[Any, Any]]:
    empty = {"field": ("none",)}
    found = {}
    for key in {*before, *after}:
        then = before.get(key, empty.get(key[0], ()))
        now = after.get(key, empty.get(key[0], ()))
        if then != now:
            found[key] = (then, now)
    return found  # type: ignore[return-value]


# Processes (format section 15), from the YAML documents alone ---------------------------

ProcessKey = tuple[Any, ...]
"""(process, kind, step, attribute, old, new): a ProcessChange without its position."""
RaciKey = tuple[str, str, str, str, str]
"""(process, step, kind, part, role): a step's RaciChange without its position."""

_LETTERS = (("A", "accountable"), ("R", "responsible"), ("C", "consulted"), ("I", "informed"))


def _first_steps(process: dict[str, Any]) -> dict[str, int]:
    """Step id -> the position of its first step."""
    found: dict[str, int] = {}
    for position, step in enumerate(process["steps"]):
        found.setdefault(step["id"], position)
    return found


def _follows(process: dict[str, Any]) -> dict[str, list[str]]:
    """Step id -> the steps after it: ``next`` (known ids, once each) or the following one."""
    steps, first = process["steps"], _first_steps(process)
    found: dict[str, list[str]] = {}
    for step_id, position in first.items():
        written = steps[position].get("next")
        if written is None:
            found[step_id] = [steps[position + 1]["id"]] if position + 1 < len(steps) else []
        else:
            found[step_id] = [n for n in dict.fromkeys(written) if n in first]
    return found


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _pairs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old id -> new id of a process whose id changed and whose step ids did not (the only
    removed and the only added process with those step ids)."""
    gone = [k for k in old if k not in new]
    came = [k for k in new if k not in old]

    def ids(process: dict[str, Any]) -> tuple[str, ...]:
        return tuple(_first_steps(process))

    found = {}
    for key in gone:
        olds = [k for k in gone if ids(old[k]) == ids(old[key])]
        news = [k for k in came if ids(new[k]) == ids(old[key])]
        if len(olds) == 1 and len(news) == 1:
            found[key] = news[0]
    return found


def expected_processes(
    old_doc: dict[str, Any], new_doc: dict[str, Any]
) -> tuple[set[ProcessKey], set[RaciKey]]:
    old, new = old_doc.get("processes", {}), new_doc.get("processes", {})
    renamed = _pairs(old, new)
    changes: set[ProcessKey] = set()
    raci: set[RaciKey] = set()
    for key in old:
        if key not in new and key not in renamed:
            changes.add((key, "removed", None, None, None, None))
    for key in new:
        if key not in old and key not in renamed.values():
            changes.add((key, "added", None, None, None, None))
    matched = {k: k for k in old if k in new} | renamed
    for then_id, key in matched.items():
        then, now = old[then_id], new[key]
        if then_id != key:
            changes.add((key, "renamed", None, "id", then_id, key))
        if _name(then.get("name")) != _name(now.get("name")):
            changes.add(
                (key, "renamed", None, "name", _name(then.get("name")), _name(now.get("name")))
            )
        if then.get("department") != now.get("department"):
            changes.add(
                (key, "changed", None, "department", then.get("department"), now.get("department"))
            )
        if then["steps"][0]["id"] != now["steps"][0]["id"]:
            first = (then["steps"][0]["id"], now["steps"][0]["id"])
            changes.add((key, "starts", first[1], None, *first))
        at_then, at_now = _first_steps(then), _first_steps(now)
        changes |= {(key, "removed", s, None, None, None) for s in at_then if s not in at_now}
        changes |= {(key, "added", s, None, None, None) for s in at_now if s not in at_then}
        for step_id in set(at_then) & set(at_now):
            was, value = then["steps"][at_then[step_id]], now["steps"][at_now[step_id]]
            needs_then = {
                (r, a): s for r, acts in was.get("requires", {}).items() for a, s in acts.items()
            }
            needs_now = {
                (r, a): s for r, acts in value.get("requires", {}).items() for a, s in acts.items()
            }
            for resource, action in needs_then.keys() | needs_now.keys():
                scopes = (needs_then.get((resource, action)), needs_now.get((resource, action)))
                if scopes[0] != scopes[1]:
                    changes.add((key, "requires", step_id, f"{resource}.{action}", *scopes))
            for letter, part in _LETTERS:
                held_then, held_now = _held(was, part), _held(value, part)
                raci |= {(key, step_id, "joined", letter, r) for r in held_now - held_then}
                raci |= {(key, step_id, "left", letter, r) for r in held_then - held_now}
        flow_then, flow_now = _follows(then), _follows(now)
        edges_then = {(a, b) for a, after in flow_then.items() for b in after}
        edges_now = {(a, b) for a, after in flow_now.items() for b in after}
        changes |= {(key, "next-added", a, None, None, b) for a, b in edges_now - edges_then}
        changes |= {(key, "next-removed", a, None, b, None) for a, b in edges_then - edges_now}
        ends_then = {s for s, after in flow_then.items() if not after}
        ends_now = {s for s, after in flow_now.items() if not after}
        changes |= {(key, "ends", s, None, None, None) for s in ends_now - ends_then}
        changes |= {(key, "no-longer-ends", s, None, None, None) for s in ends_then - ends_now}
    return changes, raci


def _held(step: dict[str, Any], part: str) -> set[str]:
    value = step.get(part)
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)
