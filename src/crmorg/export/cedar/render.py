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

Format v1.1: a grant at ``subordinates`` reaches records whose owner is ``in`` the
principal's reporting line (each person is in their manager's ``ReportingLine``, each
line in the line above it); a baseline is a grant that every other grant of its
permission is ``in``; sharing rules and restricted fields are policies of their own
(:mod:`crmorg.export.cedar.layers`). Entities: :mod:`crmorg.export.cedar.entities`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from crmorg.export.cedar.entities import NAMESPACE, entities_json, grant_id, permits
from crmorg.export.cedar.layers import field_policies, sharing_policies
from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.escaping import comment_text
from crmorg.export.naming import resource_type_names
from crmorg.export.scope_forms import Trivial, down_set
from crmorg.export.templates import template
from crmorg.model import Model
from crmorg.permissions.fields import FIELD_ACTIONS
from crmorg.roles.scopes import SCOPES, Scope

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
    # A person is in their manager's reporting line, and a line in the line above it.
    Scope.SUBORDINATES: (
        "(resource has owner && principal has reports &&\n"
        "     resource.owner in principal.reports)",
    ),
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


_WIDEST_FIRST = {scope: -rank for rank, scope in enumerate(SCOPES)}


def grant_terms(permission: Sequence[tuple[str, str, Scope]]) -> list[str]:
    """A permission's ``when`` terms: per grant of it, widest first, its holders on the
    records its scope reaches."""
    terms = []
    for grant in sorted(permission, key=lambda g: _WIDEST_FIRST[g[2]]):
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
        ENTITIES: entities_json(compiled),
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
    lines += sharing_policies(compiled, types)
    lines += field_policies(compiled, types)
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
        ]
        if action in FIELD_ACTIONS:  # a request about one field names it (v1.1 §12)
            lines.append("    context: { field?: String },")
        lines.append("  };")
    lines.append("}")
    return "\n".join(lines) + "\n"
