"""Building the plan of what the Salesforce org will hold for a crmorg model.

One :class:`Plan` per export, built once and only sorted afterwards:

- a role becomes a **permission set** with the object permissions, custom permissions
  and field permissions of its own grants, and (when it is held or may be) a
  **permission set group** of its set and the sets of every role it inherits;
- a resource becomes an **object** (standard or custom) whose organisation-wide
  default carries the baselines at ``organization`` (Private, Read or ReadWrite);
- ``reports_to`` becomes the **role hierarchy**: one user role per person, below their
  manager's, so that Salesforce's "grant access using hierarchies" is ``subordinates``;
- teams and departments (with the departments below them) become **public groups**,
  and ``team``, ``department`` and ``organization`` reach becomes **owner-based
  sharing rules** from those groups to the people whose grants reach that far;
- crmorg sharing rules become owner-based sharing rules between public groups.

Salesforce decides a record as: the object permission, and one of ownership, the role
hierarchy, the organisation-wide default, a sharing rule, View All or Modify All; a
sharing rule gives Read or Edit, never Delete. :mod:`.losses` compares that with the
model and lists every difference.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmorg.export.salesforce.names import (
    ApiNames,
    description,
    field_name,
    label,
    object_names,
    pascal,
)
from crmorg.export.salesforce.org import (
    OBJECT_ACTIONS,
    RECORD_ACTIONS,
    CustomPermission,
    ObjectAccess,
    PermissionSet,
    PermissionSetGroup,
    Plan,
    SField,
    SObject,
    UserRole,
    UserRow,
)
from crmorg.export.salesforce.sharing import add_sharing
from crmorg.model import Model
from crmorg.permissions.effective import GrantSource
from crmorg.roles.scopes import BIT, Scope
from crmorg.text import localize


def build_plan(model: Model, hierarchy: str = "reports") -> Plan:
    mapping = model.settings.export.salesforce
    resources = sorted(model.resources)
    apis = object_names(resources, mapping.objects)
    objects = {r: _object(model, r, apis[r], mapping.fields.get(r, {})) for r in resources}
    custom_permissions = _custom_permissions(model, resources)
    permission_sets = _permission_sets(model, objects, custom_permissions)
    groups_of_sets = _permission_set_groups(model, permission_sets)
    user_roles, dropped = _user_roles(model, hierarchy)
    plan = Plan(
        hierarchy=hierarchy,
        objects=objects,
        custom_permissions=custom_permissions,
        permission_sets=permission_sets,
        permission_set_groups=groups_of_sets,
        user_roles=user_roles,
        groups={},
        rules=[],
        users=[
            UserRow(
                person,
                localize(model.people[person].name) or person,
                model.people[person].email or "",
                user_roles[person].name,
            )
            for person in sorted(model.people)
        ],
        assignments=sorted(
            (person, groups_of_sets[role].name)
            for person, held in model.people.items()
            for role in dict.fromkeys(held.roles)
            if role in groups_of_sets
        ),
        dropped_reporting=dropped,
    )
    plan.refused_names = _refused_names(mapping.objects, mapping.fields, objects)
    add_sharing(model, plan)
    return plan


def _refused_names(
    objects: Mapping[str, str],
    fields: Mapping[str, Mapping[str, str]],
    planned: Mapping[str, SObject],
) -> list[str]:
    """Each name the settings ask for that the export could not use (not a valid API
    name, or taken by another resource or field), with the name used instead."""
    refused = []
    for resource, wanted in sorted(objects.items()):
        used = planned[resource].api if resource in planned else None
        if used is not None and used != wanted:
            refused.append(f"objects.{resource}: {wanted} (used {used})")
    for resource, renames in sorted(fields.items()):
        if resource not in planned:
            continue
        by_field = {f.field: f.api for f in planned[resource].fields}
        for field_id, wanted in sorted(renames.items()):
            used = by_field.get(field_id)
            if used is not None and used != wanted:
                refused.append(f"fields.{resource}.{field_id}: {wanted} (used {used})")
    return refused


def _object(model: Model, resource: str, api: str, renames: Mapping[str, str]) -> SObject:
    spec = model.resources[resource]
    baselines = model.access.baselines
    read_all = _at_organization(baselines.get((resource, "read")))
    edit_all = _at_organization(baselines.get((resource, "update")))
    sharing_model = "ReadWrite" if read_all and edit_all else "Read" if read_all else "Private"
    taken = ApiNames(40)
    fields = tuple(
        SField(
            resource,
            field_id,
            field_name(field_id, renames, taken),
            label(localize(spec_field.name) or field_id, 40),
            description(localize(spec_field.description)),
            spec_field.restricted,
        )
        for field_id, spec_field in sorted(spec.fields.items())
    )
    return SObject(
        resource,
        api,
        label(localize(spec.name) or resource, 40),
        description(localize(spec.description)),
        sharing_model,
        fields,
    )


def _at_organization(grant: GrantSource | None) -> bool:
    return grant is not None and grant.scope is Scope.ORGANIZATION


def _custom_permissions(
    model: Model, resources: list[str]
) -> dict[tuple[str, str], CustomPermission]:
    wanted = sorted(
        {
            permission
            for grants in model.access.own_grants.values()
            for permission, grant in grants.items()
            if permission[1] not in OBJECT_ACTIONS and grant.scope is not Scope.NONE
        }
    )
    names = ApiNames(40)
    return {
        (resource, action): CustomPermission(
            names.take(f"Crm_{pascal(resource)}_{pascal(action)}"),
            label(f"{localize(model.resources[resource].name) or resource}: {action}"),
            resource,
            action,
        )
        for resource, action in wanted
        if resource in resources
    }


def _permission_sets(
    model: Model,
    objects: Mapping[str, SObject],
    custom_permissions: Mapping[tuple[str, str], CustomPermission],
) -> dict[str, PermissionSet]:
    names = ApiNames(80)
    index = model.access.index
    organization = BIT[Scope.ORGANIZATION]
    found: dict[str, PermissionSet] = {}

    def everywhere(role_id: str, resource: str) -> bool:
        """Whether the role reads, edits and deletes every record: Modify All."""
        return all(
            model.access.catalog.applies(resource, action)
            and index.covered(role_id, resource, action) & organization
            for action in RECORD_ACTIONS
        )

    for role_id in sorted(model.roles):
        role = model.roles[role_id]
        ps = PermissionSet(
            names.take(f"Crm_{pascal(role_id)}"),
            label(localize(role.name) or role_id),
            description(localize(role.description)),
            role_id,
        )
        wanted: dict[str, dict[str, bool]] = {}
        for (resource, action), grant in sorted(model.access.own_grants[role_id].items()):
            if grant.scope is Scope.NONE or grant.baseline or resource not in objects:
                continue
            if action in OBJECT_ACTIONS:
                flags = wanted.setdefault(resource, {})
                flags[action] = True
                if action == "read" and grant.scope is Scope.ORGANIZATION:
                    flags["view_all"] = True
            elif (resource, action) in custom_permissions:
                ps.custom_permissions.add(custom_permissions[(resource, action)].name)
        for resource in objects:
            inherited = model.org.lineage[role_id] - {role_id}
            if everywhere(role_id, resource) and not any(
                everywhere(r, resource) for r in inherited
            ):
                wanted.setdefault(resource, {})["modify_all"] = True
        for resource, flags in wanted.items():
            ps.objects[objects[resource].api] = ObjectAccess(
                create=flags.get("create", False),
                read=flags.get("read", False),
                edit=flags.get("update", False),
                delete=flags.get("delete", False),
                view_all=flags.get("view_all", False),
                modify_all=flags.get("modify_all", False),
            ).closed()
        granted = role.fields
        for resource, sobject in objects.items():
            access = ps.objects.get(sobject.api, ObjectAccess())
            for sfield in sobject.fields:
                if sfield.restricted:
                    level = granted.get(resource, {}).get(sfield.field, "none")
                    readable, editable = level in ("read", "edit"), level == "edit"
                else:
                    readable, editable = access.read, access.edit
                if readable or editable:
                    ps.fields[f"{sobject.api}.{sfield.api}"] = (True, editable)
        found[role_id] = ps
    return found


def _permission_set_groups(
    model: Model, permission_sets: Mapping[str, PermissionSet]
) -> dict[str, PermissionSetGroup]:
    held = {role for person in model.people.values() for role in person.roles}
    names = ApiNames(80)
    lineage = model.org.lineage
    return {
        role_id: PermissionSetGroup(
            names.take(f"Crm_{pascal(role_id)}_Group"),
            permission_sets[role_id].label,
            role_id,
            tuple(
                sorted(permission_sets[r].name for r in lineage[role_id] if r in permission_sets)
            ),
        )
        for role_id in sorted(model.roles)
        if not model.roles[role_id].abstract or role_id in held
    }


def _user_roles(model: Model, hierarchy: str) -> tuple[dict[str, UserRole], list[str]]:
    """One user role per person, below their manager's; with a flat hierarchy, one role
    that everybody shares (peers in a role see nothing of each other's through it)."""
    names = ApiNames(80)
    people = sorted(model.people)
    if hierarchy != "reports":
        shared = UserRole(names.take("Crm_Staff"), "Staff", "", None)
        return dict.fromkeys(people, shared), []
    role_names = {p: names.take(f"Crm_{pascal(p)}") for p in people}
    parent: dict[str, str] = {}
    dropped: list[str] = []
    for person in people:
        manager = model.people[person].reports_to
        if manager is None or manager not in model.people:
            continue
        if manager == person or _above(parent, manager, person):
            dropped.append(person)
            continue
        parent[person] = manager
    return {
        p: UserRole(
            role_names[p],
            label(localize(model.people[p].name) or p),
            p,
            role_names[parent[p]] if p in parent else None,
        )
        for p in people
    }, dropped


def _above(parent: Mapping[str, str], start: str, person: str) -> bool:
    """Whether ``person`` is ``start`` or above it already (a new edge would close a cycle)."""
    current: str | None = start
    while current is not None:
        if current == person:
            return True
        current = parent.get(current)
    return False
