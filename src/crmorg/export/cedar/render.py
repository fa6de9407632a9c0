"""Rendering the ``cedar`` target: ``policies.cedar``, ``schema.cedarschema``, ``entities.json``.

A *grant* is one permission at one scope (``opportunity.read.team``), an entity in
``entities.json``. A role's parents are the grants written on it and the roles it
inherits, and a person's parents are the roles they hold, so Cedar's entity hierarchy
carries inheritance and the union of a person's roles. There is one ``permit`` per
permission (resource, action) that some role is granted, however many roles there are:
its ``when`` condition admits a principal ``in`` one of the permission's grants on the
records that grant's scope reaches (format-v1 section 3). Cedar evaluates every policy
for every request, so the policy count is what a decision costs. A person's departments
are parents too, below the departments above them, so the department scope asks Cedar's
hierarchy rather than an expanded reach.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from crmorg.export.compiled import CompiledModel, OwnGrant, compile_model
from crmorg.export.escaping import comment_text
from crmorg.export.naming import resource_type_names
from crmorg.export.scope_forms import Trivial, down_set
from crmorg.export.templates import template
from crmorg.model import Model
from crmorg.roles.scopes import Scope
from crmorg.text import json_text

NAMESPACE = "CRM"
POLICIES = "policies.cedar"
SCHEMA = "schema.cedarschema"
ENTITIES = "entities.json"

ORGANIZATION_TYPES = template("crmorg.export.cedar", "organization.cedarschema")
"""The schema's entity types for departments, teams, roles and people (inside the namespace)."""

_TEAM = (
    "(resource has team && principal in resource.team)",
    "(!(resource has team) && resource has owner &&\n"
    "     principal.teams.containsAny(resource.owner.teams))",
)
# A department is `in` the departments above it and a person `in` their departments, so
# `x in principal.departments` holds for x at or below one of the principal's departments.
_DEPARTMENT = (
    "(resource has department && resource.department in principal.departments)",
    "(!(resource has department) && resource has owner &&\n"
    "     resource.owner in principal.departments)",
)

REACH: Mapping[Scope, tuple[str, ...] | Trivial] = {
    Scope.NONE: Trivial.NO_RECORD,
    Scope.OWN: ("(resource has owner && resource.owner == principal)",),
    Scope.TEAM: _TEAM,
    Scope.DEPARTMENT: _DEPARTMENT,
    Scope.ORGANIZATION: Trivial.EVERY_RECORD,
}
"""Each scope's own reach, as the terms of a ``when`` condition. A record's team and
department are its own when given and its owner's otherwise, so each has two terms."""


def scope_condition(scope: Scope) -> str | None:
    """The ``when`` condition that admits exactly the records a grant at ``scope`` reaches:
    those that it or a scope it includes reaches. ``None`` when it reaches every record."""
    terms: list[str] = []
    for included in down_set(scope):
        reach = REACH[included]
        if reach is Trivial.EVERY_RECORD:
            return None
        if reach is not Trivial.NO_RECORD:
            terms += reach
    return " ||\n  ".join(terms) or "false"


Permit = tuple[str, str, Scope]
"""(resource, action, scope): one Grant entity and its policy."""


def grant_id(grant: OwnGrant | Permit) -> str:
    """The Grant entity's id: ``resource.action.scope``."""
    if isinstance(grant, OwnGrant):
        grant = (grant.resource, grant.action, grant.scope)
    resource, action, scope = grant
    return f"{resource}.{action}.{scope.label}"


def permits(compiled: CompiledModel) -> list[Permit]:
    """Every (resource, action, scope) written on some role, sorted; ``none`` writes none."""
    return sorted(
        {
            (grant.resource, grant.action, grant.scope)
            for role in compiled.roles.values()
            for grant in role.grants
        }
    )


def grant_terms(permission: Sequence[Permit]) -> list[str]:
    """A permission's ``when`` terms: per grant of it, widest first, its holders on the
    records its scope reaches."""
    terms = []
    for grant in sorted(permission, key=lambda g: g[2], reverse=True):
        held = f'principal in {NAMESPACE}::Grant::"{grant_id(grant)}"'
        condition = scope_condition(grant[2])
        if condition is None:
            terms.append(held)
        else:
            inner = condition.replace("\n", "\n  ")
            terms.append(f"({held} && (\n    {inner}))")
    return terms


def render(model: Model) -> dict[str, str]:
    compiled = compile_model(model)
    types = resource_type_names(compiled.resources)
    return {
        POLICIES: _policies(compiled, types),
        SCHEMA: _schema(compiled, types),
        ENTITIES: _entities(compiled),
    }


def _header(compiled: CompiledModel, what: str) -> list[str]:
    organization = comment_text(compiled.organization) or "an unnamed organization"
    return [
        f"// {what} for {organization}, generated by crmorg.",
        "// Do not edit: change the model and export again.",
    ]


def _policies(compiled: CompiledModel, types: dict[str, str]) -> str:
    lines = _header(compiled, "Cedar policies")
    lines += [
        "// One permit per permission (resource, action) that some role is granted. It admits",
        '// a principal in one of its grants, CRM::Grant::"resource.action.scope", on the',
        "// records that the grant's scope reaches. In entities.json a role is in the grants",
        "// written on it and in the roles it inherits, and a person in the roles they hold,",
        "// so a grant reaches every holder of a role that has it or inherits it.",
        "// Which roles are given a grant, and where: each role's `grants` in entities.json.",
        "// A record's team and department are its own attributes when present, and its",
        "// owner's otherwise.",
    ]
    granted = permits(compiled)
    for (resource, action), grants in itertools.groupby(granted, key=lambda g: g[:2]):
        lines.append("")
        lines += [
            f'@id("{resource}.{action}")',
            f'@resource("{resource}")',
            f'@action("{action}")',
            "permit (",
            f"  principal is {NAMESPACE}::Person,",
            f'  action == {NAMESPACE}::Action::"{action}",',
            f"  resource is {NAMESPACE}::{types[resource]}",
            ")",
            "when {",
            "  " + " ||\n  ".join(grant_terms(list(grants))),
            "};",
        ]
    if not granted:
        lines += ["", "// The model grants nothing, so every request is denied."]
    return "\n".join(lines) + "\n"


def _schema(compiled: CompiledModel, types: dict[str, str]) -> str:
    lines = _header(compiled, "Cedar schema")
    lines += [f"namespace {NAMESPACE} {{", *ORGANIZATION_TYPES.splitlines()]
    for resource in compiled.resources:
        lines += [
            f"  // resource {resource}",
            f"  entity {types[resource]} {{",
            "    owner?: Person,",
            "    team?: Team,",
            "    department?: Department,",
            "  };",
        ]
    for action in compiled.actions:
        applies = [types[r] for r in compiled.resources if action in compiled.applicable[r]]
        if not applies:
            lines.append(f'  action "{action}";')
            continue
        lines += [
            f'  action "{action}" appliesTo {{',
            "    principal: [Person],",
            f"    resource: [{', '.join(applies)}],",
            "  };",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def entity_ref(kind: str, entity_id: str) -> dict[str, Any]:
    return {"__entity": {"type": f"{NAMESPACE}::{kind}", "id": entity_id}}


def _uid(kind: str, entity_id: str) -> dict[str, str]:
    return {"type": f"{NAMESPACE}::{kind}", "id": entity_id}


def _entities(compiled: CompiledModel) -> str:
    entities: list[dict[str, Any]] = []
    for dept in compiled.departments.values():
        entities.append(
            {
                "uid": _uid("Department", dept.id),
                "attrs": {"name": dept.name},
                "parents": [_uid("Department", dept.parent)] if dept.parent else [],
            }
        )
    for resource, action, scope in permits(compiled):
        entities.append(
            {
                "uid": _uid("Grant", grant_id((resource, action, scope))),
                "attrs": {"resource": resource, "action": action, "scope": scope.label},
                "parents": [],
            }
        )
    for person in compiled.people.values():
        entities.append(
            {
                "uid": _uid("Person", person.id),
                "attrs": {
                    "name": person.name,
                    "teams": [entity_ref("Team", t) for t in person.teams],
                    "departments": [entity_ref("Department", d) for d in person.departments],
                },
                "parents": [_uid("Role", r) for r in person.roles]
                + [_uid("Team", t) for t in person.teams]
                + [_uid("Department", d) for d in person.departments],
            }
        )
    for role in compiled.roles.values():
        entities.append(
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
                + [_uid("Grant", grant_id(grant)) for grant in role.grants],
            }
        )
    for team in compiled.teams.values():
        attrs: dict[str, Any] = {"name": team.name}
        if team.department is not None:
            attrs["department"] = entity_ref("Department", team.department)
        entities.append({"uid": _uid("Team", team.id), "attrs": attrs, "parents": []})
    # One entity per line: a fraction of the size of indented JSON (5,000 people and
    # 1,000 roles: 4 MB against 10), and each entity's change is one line of a diff.
    if not entities:
        return "[]\n"
    return "[\n" + ",\n".join(json_text(e, ensure_ascii=False) for e in entities) + "\n]\n"
