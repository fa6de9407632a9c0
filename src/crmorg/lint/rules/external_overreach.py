"""External roles that reach beyond their team or into sensitive records."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from crmorg.findings import Path, Severity
from crmorg.lint.grants import DeclarationOrder, origin
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing, permission_text
from crmorg.model import Model
from crmorg.permissions.effective import EffectiveGrant, Permission
from crmorg.roles.models import Role
from crmorg.roles.scopes import Scope, includes, wider


@rule("external-overreach", "CRM107", "access", Severity.ERROR)
def external_overreach(model: Model) -> Iterator[Problem]:
    """An external role (partner, agent, distributor) reaches beyond its team or into
    sensitive records.

    Checked on effective grants, so a partner that inherits `employee` is caught by
    what `employee` may do. Any scope wider than `team`, and any grant at all on a
    resource marked `sensitive`, is reported; one finding per role lists them and
    names the resources, pointing at the first offending grant written on the role
    (or at its `inherits`). Only roles marked `external: true` are checked (a role that
    inherits an external role is not itself external).

    Fields count too (format v1.1): read or edit access (as `field_access` gives it)
    to a field marked `sensitive: true` or `restricted: true` on a resource that is
    not itself sensitive is reported in the same finding, with the field. A scope
    not within `team` is reported even where the partial order leaves it incomparable
    rather than wider (`subordinates`).

    Fails:
    ```yaml
    resources:
      payment: {sensitive: true}
    roles:
      partner:
        external: true
        inherits: [employee]                 # employee reads accounts organization-wide
        grants: {payment: {read: own}}       # sensitive
    ```
    Fix: give external roles their own narrow grants (`own` or `team`), without
    inheriting internal roles, and nothing on sensitive resources.
    """
    external = {role_id: role for role_id, role in model.roles.items() if role.external}
    if not external:
        return
    access = model.access
    grants = access.grants_of_roles(external)  # not every role's: few are external
    in_order = DeclarationOrder(access.catalog).sort
    exposed = sensitive_fields(model)
    for role_id, role in external.items():
        held = grants[role_id]
        offending = [
            p
            for p in in_order(held)
            if model.resources[p[0]].sensitive
            or not all(includes(Scope.TEAM, scope) for scope in held[p].scopes)
        ]
        fields = [
            (resource_id, field_id, reach)
            for resource_id, field_id in exposed
            if (reach := access.field_access(role_id, resource_id, field_id)) != "none"
        ]
        if not offending and not fields:
            continue
        parts = [f"{permission_text(p)} at {_at(model, p, held[p])}" for p in offending]
        parts += [f"field {r}.{f} ({reach}; sensitive field)" for r, f, reach in fields]
        resources = dict.fromkeys([p[0] for p in offending] + [r for r, _, _ in fields])
        yield Problem(
            f"external role {role_id} reaches too far: {listing(parts, 8)}; external roles "
            "get at most team scope and nothing sensitive",
            _position(role, role_id, [held[p] for p in offending], fields, held),
            (role_id, *resources, *dict.fromkeys(f for _, f, _ in fields)),
        )


def sensitive_fields(model: Model) -> list[tuple[str, str]]:
    """The (resource, field) pairs of sensitive or restricted fields on resources that
    are not themselves sensitive (a grant on a sensitive resource is reported as such)."""
    return [
        (resource_id, field_id)
        for resource_id, resource in model.resources.items()
        if not resource.sensitive
        for field_id, field in resource.fields.items()
        if field.sensitive or field.restricted
    ]


def _at(model: Model, permission: Permission, grant: EffectiveGrant) -> str:
    """``team (sensitive; its own grant)``: the scopes, why they overreach, and whence."""
    if model.resources[permission[0]].sensitive:
        why = "sensitive"
    elif any(wider(scope, Scope.TEAM) for scope in grant.scopes):
        why = "wider than team"
    else:
        why = "not within team"  # subordinates: incomparable with team (format v1.1)
    return f"{' and '.join(s.label for s in grant.scopes)} ({why}; {origin(grant)})"


def _position(
    role: Role,
    role_id: str,
    offending: list[EffectiveGrant],
    fields: list[tuple[str, str, str]],
    held: Mapping[Permission, EffectiveGrant],
) -> Path:
    """The first offending grant written on the role: a record grant, a field grant, or
    the record grant through which it sees a field; else its `inherits`."""
    for grant in offending:
        if grant.source.role == role_id:
            return grant.source.path
    for resource_id, field_id, reach in fields:
        if field_id in role.fields.get(resource_id, {}):
            return ("roles", role_id, "fields", resource_id, field_id)
        record = held.get((resource_id, "update" if reach == "edit" else "read"))
        if record is not None and record.source.role == role_id:
            return record.source.path
    return ("roles", role_id, "inherits")
