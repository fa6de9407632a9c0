"""``entities.json`` of the ``cedar`` target: the organisation as Cedar's entity hierarchy.

Nothing is expanded, so the file grows with people + roles + teams + departments +
grants. Parents carry every relation a policy asks with ``in``:

- a department is in the department above it;
- a grant (``opportunity.read.team``) is in its permission's baseline grant, if any;
- a field grant ``edit`` is in the ``read`` grant of its field;
- a role is in the roles it inherits, the grants and field grants written on it;
- a person is in the roles they hold, their teams and departments, and (with grants at
  ``subordinates``) their manager's reporting line, which is in the line above it.
"""

from __future__ import annotations

from typing import Any

from crmorg.export.compiled import CompiledModel, OwnGrant, PersonFacts
from crmorg.roles.scopes import Scope
from crmorg.text import json_text

NAMESPACE = "CRM"

Permit = tuple[str, str, Scope]
"""(resource, action, scope): one Grant entity."""


def grant_id(grant: OwnGrant | Permit) -> str:
    """The Grant entity's id: ``resource.action.scope``."""
    if isinstance(grant, OwnGrant):
        grant = (grant.resource, grant.action, grant.scope)
    resource, action, scope = grant
    return f"{resource}.{action}.{scope.label}"


def field_grant_id(resource: str, field: str, access: str) -> str:
    return f"{resource}.{field}.{access}"


def written(compiled: CompiledModel) -> list[Permit]:
    """Every (resource, action, scope) written on some role, sorted; ``none`` writes none."""
    return sorted(
        {
            (grant.resource, grant.action, grant.scope)
            for role in compiled.roles.values()
            for grant in role.grants
        }
    )


def permits(compiled: CompiledModel) -> list[Permit]:
    """Every grant entity: those written, and the baseline of each permission written."""
    found = set(written(compiled))
    for resource, action, _ in list(found):
        baseline = compiled.baselines.get((resource, action))
        if baseline is not None:
            found.add((resource, action, baseline))
    return sorted(found)


def reports_written(compiled: CompiledModel) -> bool:
    """Whether reporting lines are needed: some grant or baseline is at ``subordinates``."""
    return any(scope is Scope.SUBORDINATES for _, _, scope in permits(compiled))


def entity_ref(kind: str, entity_id: str) -> dict[str, Any]:
    return {"__entity": {"type": f"{NAMESPACE}::{kind}", "id": entity_id}}


def _uid(kind: str, entity_id: str) -> dict[str, str]:
    return {"type": f"{NAMESPACE}::{kind}", "id": entity_id}


def entities_json(compiled: CompiledModel) -> str:
    entities = [
        *_departments(compiled),
        *_grants(compiled),
        *_field_grants(compiled),
        *_people(compiled),
        *_roles(compiled),
        *_teams(compiled),
    ]
    # One entity per line: a fraction of the size of indented JSON (5,000 people and
    # 1,000 roles: 6 MB against 10), and each entity's change is one line of a diff.
    if not entities:
        return "[]\n"
    return "[\n" + ",\n".join(json_text(e, ensure_ascii=False) for e in entities) + "\n]\n"


def _departments(compiled: CompiledModel) -> list[dict[str, Any]]:
    return [
        {
            "uid": _uid("Department", dept.id),
            "attrs": {"name": dept.name},
            "parents": [_uid("Department", dept.parent)] if dept.parent else [],
        }
        for dept in compiled.departments.values()
    ]


def _grants(compiled: CompiledModel) -> list[dict[str, Any]]:
    found = []
    for resource, action, scope in permits(compiled):
        baseline = compiled.baselines.get((resource, action))
        parents = []
        if baseline is not None and baseline is not scope:
            parents.append(_uid("Grant", grant_id((resource, action, baseline))))
        found.append(
            {
                "uid": _uid("Grant", grant_id((resource, action, scope))),
                "attrs": {"resource": resource, "action": action, "scope": scope.label},
                "parents": parents,
            }
        )
    return found


def _field_grants(compiled: CompiledModel) -> list[dict[str, Any]]:
    found = []
    for resource, fields in compiled.restricted_fields.items():
        for field in fields:
            read = _uid("FieldGrant", field_grant_id(resource, field, "read"))
            edit = _uid("FieldGrant", field_grant_id(resource, field, "edit"))
            found.append({"uid": edit, "attrs": {}, "parents": [read]})
            found.append({"uid": read, "attrs": {}, "parents": []})
    return found


def _people(compiled: CompiledModel) -> list[dict[str, Any]]:
    lines = reports_written(compiled)
    managers = {p.manager for p in compiled.people.values() if p.manager} if lines else set()
    found = []
    for person in compiled.people.values():
        attrs: dict[str, Any] = {
            "name": person.name,
            "teams": [entity_ref("Team", t) for t in person.teams],
            "departments": [entity_ref("Department", d) for d in person.departments],
        }
        parents = (
            [_uid("Role", r) for r in person.roles]
            + [_uid("Team", t) for t in person.teams]
            + [_uid("Department", d) for d in person.departments]
        )
        if lines and person.id in managers:
            attrs["reports"] = entity_ref("ReportingLine", person.id)
        if lines and person.manager is not None:
            parents.append(_uid("ReportingLine", person.manager))
        found.append({"uid": _uid("Person", person.id), "attrs": attrs, "parents": parents})
    found += [_reporting_line(compiled.people[manager]) for manager in sorted(managers)]
    return found


def _reporting_line(manager: PersonFacts) -> dict[str, Any]:
    """Everyone who reports to ``manager``, directly or not: in the line above too."""
    above = [_uid("ReportingLine", manager.manager)] if manager.manager else []
    return {"uid": _uid("ReportingLine", manager.id), "attrs": {}, "parents": above}


def _roles(compiled: CompiledModel) -> list[dict[str, Any]]:
    return [
        {
            "uid": _uid("Role", role.id),
            "attrs": {
                "name": role.name,
                "source": role.source,
                "grants": [
                    {
                        "grant": entity_ref("Grant", grant_id(grant)),
                        "written": grant.written,
                        "source": grant.source,
                    }
                    for grant in role.grants
                ],
            },
            "parents": [_uid("Role", parent) for parent in role.inherits]
            + [_uid("Grant", grant_id(grant)) for grant in role.grants]
            + [
                _uid("FieldGrant", field_grant_id(g.resource, g.field, g.access))
                for g in role.field_grants
            ],
        }
        for role in compiled.roles.values()
    ]


def _teams(compiled: CompiledModel) -> list[dict[str, Any]]:
    found = []
    for team in compiled.teams.values():
        attrs: dict[str, Any] = {"name": team.name}
        if team.department is not None:
            attrs["department"] = entity_ref("Department", team.department)
        found.append({"uid": _uid("Team", team.id), "attrs": attrs, "parents": []})
    return found
