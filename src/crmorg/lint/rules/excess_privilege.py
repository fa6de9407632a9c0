"""Grants on sensitive resources that no responsibility requires."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Path, Severity
from crmorg.lint.grants import DeclarationOrder, requirements
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.lint.work import raci_work
from crmorg.model import Model
from crmorg.permissions.effective import Permission
from crmorg.permissions.fields import FIELD_ACTIONS
from crmorg.roles.raci import owners
from crmorg.roles.scopes import BIT, COVERED, widest


@rule("excess-privilege", "CRM215", "access", Severity.INFO)
def excess_privilege(model: Model) -> Iterator[Problem]:
    """A role has a grant on a sensitive resource that no responsibility requires.

    A grant a role writes (wildcards expanded) on a resource marked `sensitive` must
    be required, at that scope or wider, by a responsibility the role *has*
    (Accountable or Responsible), or by one that a role inheriting it has, since
    inherited grants serve the heirs; a process step the role has counts as a
    responsibility. One finding per role and resource, naming both;
    it lists the actions nobody requires and the scopes wider than required, and
    points at the first such grant.

    Fails:
    ```yaml
    resources:
      payment: {sensitive: true}
    roles:
      sales_rep: {grants: {payment: {read: team}}}
    responsibilities:
      manage_pipeline: {accountable: sales_manager, responsible: [sales_rep],
                        requires: {opportunity: {read: team}}}
    ```
    Sensitive fields count too (format v1.1). A grant of a restricted field (`read` or
    `edit`) is required when a responsibility requires the record action that uses it
    (`read`, or `update` for `edit`), at any scope; an `edit` where only `read` is
    required is reported as wider. On a resource that is not sensitive, a `read` or
    `update` grant is a grant on sensitive data when the resource has an unrestricted
    field marked `sensitive: true` (the field follows its record), and is checked as
    above. Field findings name the fields too.

    Fix: remove the grant, narrow it to what is required, or add the responsibility
    that needs it (with `requires`).
    """
    sensitive = {r for r, resource in model.resources.items() if resource.sensitive}
    exposing = _exposing(model, sensitive)
    if not sensitive and not exposing and not any(role.fields for role in model.roles.values()):
        return
    access = model.access
    needs = _needs(model)
    in_order = DeclarationOrder(access.catalog).sort
    written = {p[0] for p in exposing}
    for role_id, role in model.roles.items():
        if not role.fields and not any(
            key == "*" or key in sensitive or key in written for key in role.grants
        ):
            continue  # nothing sensitive written on this role
        justified = needs.get(role_id, {})
        excess: dict[str, list[tuple[str, Path, tuple[str, ...]]]] = {}
        own = access.own_grants[role_id]
        for permission in in_order(p for p in own if p[0] in sensitive or p in exposing):
            source = own[permission]
            if justified.get(permission, 0) & BIT[source.scope]:
                continue
            need = justified.get(permission)
            text = f"{permission[1]} at {source.scope.label}" + (
                f" (only {widest(need).label} is required)" if need is not None else ""
            )
            fields = exposing.get(permission, ()) if permission[0] not in sensitive else ()
            if fields:
                text += f" (exposes sensitive field{'s' if len(fields) > 1 else ''} "
                text += f"{listing(fields)})"
            path = ("roles", role_id, "grants", source.resource_key, source.action_key)
            excess.setdefault(permission[0], []).append((text, path, fields))
        for resource_id, field_id, level in _field_grants(model, role_id):
            action = "update" if level == "edit" else "read"
            required = justified.get((resource_id, action), 0) != 0
            if required:
                continue
            reads = justified.get((resource_id, "read"), 0) != 0
            text = f"field {field_id}: {level}" + (
                " (only read is required)" if level == "edit" and reads else ""
            )
            path = ("roles", role_id, "fields", resource_id, field_id)
            excess.setdefault(resource_id, []).append((text, path, (field_id,)))
        for resource_id, found in excess.items():
            what = (
                f"grants on sensitive resource {resource_id}"
                if resource_id in sensitive
                else f"access to sensitive fields of {resource_id}"
            )
            named = dict.fromkeys(f for _, _, fields in found for f in fields)
            yield Problem(
                f"role {role_id} has {what} that none of its responsibilities requires: "
                f"{listing([text for text, _, _ in found], 10)}; remove or narrow them, or "
                "add the responsibility that needs them",
                found[0][1],
                (role_id, resource_id, *named),
            )


def _needs(model: Model) -> dict[str, dict[Permission, int]]:
    """Role -> permission -> the down-set of the scopes its responsibilities require,
    or those of a role inheriting it (inherited grants serve the heirs)."""
    catalog, lineage = model.access.catalog, model.org.lineage
    needs: dict[str, dict[Permission, int]] = {}
    for work in raci_work(model):
        resp = work.assignment
        required = requirements(resp.requires, catalog)
        for role_id in owners(resp):
            if role_id not in model.roles:
                continue
            for ancestor in lineage[role_id]:
                into = needs.setdefault(ancestor, {})
                for permission, scope in required.items():
                    into[permission] = into.get(permission, 0) | COVERED[scope]
    return needs


def _exposing(model: Model, sensitive: set[str]) -> dict[Permission, tuple[str, ...]]:
    """(resource, read or update) -> the unrestricted sensitive fields that action
    shows, on resources that are not sensitive themselves: such a field follows its
    record, so a grant to read or update the record is a grant on sensitive data."""
    catalog = model.access.catalog
    found: dict[Permission, tuple[str, ...]] = {}
    for resource_id, resource in model.resources.items():
        if resource_id in sensitive:
            continue
        fields = tuple(
            f for f, field in resource.fields.items() if field.sensitive and not field.restricted
        )
        for action in FIELD_ACTIONS if fields else ():
            if catalog.applies(resource_id, action):
                found[(resource_id, action)] = fields
    return found


def _field_grants(model: Model, role_id: str) -> Iterator[tuple[str, str, str]]:
    """The role's own grants (read or edit) of restricted fields: (resource, field, level)."""
    for resource_id, grants in model.roles[role_id].fields.items():
        resource = model.resources.get(resource_id)
        for field_id, level in grants.items():
            field = resource.fields.get(field_id) if resource is not None else None
            if field is not None and field.restricted and level != "none":
                yield resource_id, field_id, level
