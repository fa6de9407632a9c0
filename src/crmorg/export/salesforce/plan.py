"""What the Salesforce org will hold for a crmorg model: the plan the files are written from.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from crmorg.export.salesforce.names import (
    CUSTOM_SUFFIX,
    ApiNames,
    description,
    field_name,
    label,
    object_names,
    pascal,
)
from crmorg.model import Model
from crmorg.permissions.models import Group
from crmorg.roles.scopes import BIT, Scope
from crmorg.text import localize

OBJECT_ACTIONS: Mapping[str, str] = {
    "create": "allowCreate",
    "read": "allowRead",
    "update": "allowEdit",
    "delete": "allowDelete",
}
"""The crmorg actions that are Salesforce object permissions; any other action is a
custom permission."""
RECORD_ACTIONS = ("read", "update", "delete")
"""The actions Salesforce decides per record (create and custom permissions are not)."""
READ, EDIT = "Read", "Edit"
API_VERSION = "63.0"
HIERARCHY_OPTIONS = ("reports", "flat")
"""``reports``: the role hierarchy follows ``reports_to``; ``flat``: no hierarchy."""


@dataclass(frozen=True)
class ObjectAccess:
    """One object permission of a permission set."""

    create: bool = False
    read: bool = False
    edit: bool = False
    delete: bool = False
    view_all: bool = False
    modify_all: bool = False

    def closed(self) -> ObjectAccess:
        """With what Salesforce requires alongside: Create, Edit, Delete and View All need
        Read; Delete needs Edit; Modify All needs Read, Edit, Delete and View All."""
        modify_all = self.modify_all
        delete = self.delete or modify_all
        edit = self.edit or delete
        view_all = self.view_all or modify_all
        read = self.read or self.create or edit or view_all
        return ObjectAccess(self.create, read, edit, delete, view_all, modify_all)

    def union(self, other: ObjectAccess) -> ObjectAccess:
        return ObjectAccess(
            *(a or b for a, b in zip(_flags(self), _flags(other), strict=True))
        ).closed()

    def allows(self, action: str) -> bool:
        return {"create": self.create, "read": self.read, "update": self.edit}.get(
            action, self.delete if action == "delete" else False
        )


def _flags(access: ObjectAccess) -> tuple[bool, ...]:
    return (
        access.create,
        access.read,
        access.edit,
        access.delete,
        access.view_all,
        access.modify_all,
    )


@dataclass(frozen=True)
class SField:
    resource: str
    field: str
    api: str
    """The field's API name on its object (``Margin__c``)."""
    label: str
    description: str
    restricted: bool

    @property
    def custom(self) -> bool:
        return self.api.endswith(CUSTOM_SUFFIX)


@dataclass(frozen=True)
class SObject:
    resource: str
    api: str
    label: str
    description: str
    sharing_model: str
    fields: tuple[SField, ...]

    @property
    def custom(self) -> bool:
        return self.api.endswith(CUSTOM_SUFFIX)


@dataclass(frozen=True)
class CustomPermission:
    name: str
    label: str
    resource: str
    action: str


@dataclass
class PermissionSet:
    name: str
    label: str
    description: str
    role: str
    objects: dict[str, ObjectAccess] = field(default_factory=dict)
    fields: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    """``Object.Field`` -> (readable, editable)."""
    custom_permissions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PermissionSetGroup:
    name: str
    label: str
    role: str
    sets: tuple[str, ...]


@dataclass(frozen=True)
class UserRole:
    name: str
    label: str
    person: str
    parent: str | None
    """The user role of the person's manager."""


@dataclass(frozen=True)
class PublicGroup:
    name: str
    label: str
    description: str
    members: frozenset[str]
    """Person ids."""


@dataclass(frozen=True)
class OwnerRule:
    """Records of ``object`` owned by ``shared_from`` (``None``: all internal users)
    are shared with ``shared_to`` at ``access`` (Read or Edit)."""

    name: str
    label: str
    object: str
    access: str
    shared_from: str | None
    shared_to: str
    origin: tuple[str, ...]
    """What it carries: ``("team", id)``, ``("department", id)``, ``("organization",)``
    or ``("sharing", rule id)``."""


@dataclass(frozen=True)
class UserRow:
    person: str
    name: str
    email: str
    role: str


@dataclass
class Plan:
    organization: str
    hierarchy: str
    objects: dict[str, SObject]
    custom_permissions: dict[tuple[str, str], CustomPermission]
    permission_sets: dict[str, PermissionSet]
    permission_set_groups: dict[str, PermissionSetGroup]
    user_roles: dict[str, UserRole]
    groups: dict[str, PublicGroup]
    rules: list[OwnerRule]
    users: list[UserRow]
    assignments: list[tuple[str, str]]
    """(person, permission set group)."""
    dropped_reporting: list[str]
    """People whose ``reports_to`` the role hierarchy could not hold (a cycle)."""

    def person_access(self, person_roles: Iterable[str], object_api: str) -> ObjectAccess:
        """The object permission a person gets through their groups' permission sets."""
        access = ObjectAccess()
        for role in person_roles:
            group = self.permission_set_groups.get(role)
            for set_name in group.sets if group is not None else ():
                found = self.sets_by_name[set_name].objects.get(object_api)
                if found is not None:
                    access = access.union(found)
        return access

    @cached_property
    def sets_by_name(self) -> dict[str, PermissionSet]:
        return {ps.name: ps for ps in self.permission_sets.values()}


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
        organization=model.name,
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
    _Sharing(model, plan).build()
    return plan


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


def _at_organization(grant: object) -> bool:
    return grant is not None and getattr(grant, "scope", None) is Scope.ORGANIZATION


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


class _Sharing:
    """The public groups and owner-based sharing rules of a plan."""

    def __init__(self, model: Model, plan: Plan) -> None:
        self.model = model
        self.plan = plan
        self.group_names = ApiNames(40)
        self.rule_names: dict[str, ApiNames] = {}
        self.by_members: dict[frozenset[str], str] = {}

    def group(self, wanted: str, title: str, about: str, members: frozenset[str]) -> str:
        name = self.group_names.take(wanted)
        self.plan.groups[name] = PublicGroup(name, label(title, 40), description(about), members)
        return name

    def rule(
        self,
        obj: str,
        wanted: str,
        title: str,
        access: str,
        source: str | None,
        to: str,
        origin: tuple[str, ...],
    ) -> None:
        names = self.rule_names.setdefault(obj, ApiNames(40))
        self.plan.rules.append(
            OwnerRule(names.take(wanted), label(title), obj, access, source, to, origin)
        )

    def build(self) -> None:
        model, org = self.model, self.model.org
        teams = {
            team: self.group(
                f"Crm_Team_{pascal(team)}",
                localize(model.teams[team].name) or team,
                f"The members of the team {team} (crmorg).",
                org.team_members.get(team, frozenset()),
            )
            for team in sorted(model.teams)
        }
        below = org.department_below
        departments = {
            dept: self.group(
                f"Crm_Dept_{pascal(dept)}",
                localize(model.departments[dept].name) or dept,
                f"The people of the department {dept} and of those below it (crmorg).",
                frozenset(
                    p
                    for p, depts in org.person_departments.items()
                    if not depts.isdisjoint(below.get(dept, frozenset({dept})))
                ),
            )
            for dept in sorted(model.departments)
        }
        roles: dict[str, str] = {}
        for resource in sorted(model.resources):
            self.reach(resource, teams, departments)
            self.sharing_rules(resource, teams, departments, roles)

    def reach(
        self, resource: str, teams: Mapping[str, str], departments: Mapping[str, str]
    ) -> None:
        """Sharing rules for the ``organization``, ``team`` and ``department`` reach."""
        model, plan = self.model, self.plan
        sobject = plan.objects[resource]
        obj = sobject.api
        applies = model.access.catalog.applies
        covered = model.access.index.person_covered
        people = sorted(model.people)
        access = {p: plan.person_access(model.people[p].roles, obj) for p in people}

        def reaching(action: str, scope: Scope) -> set[str]:
            if not applies(resource, action):
                return set()
            return {p for p in people if covered(p, resource, action) & BIT[scope]}

        edit_all = sobject.sharing_model == "ReadWrite"
        read_all = sobject.sharing_model in ("Read", "ReadWrite")
        all_edit = {p for p in people if edit_all or access[p].modify_all}
        all_read = all_edit | {p for p in people if read_all or access[p].view_all}
        need_edit = reaching("update", Scope.ORGANIZATION) - all_edit
        need_read = reaching("read", Scope.ORGANIZATION) - all_read - need_edit
        short = pascal(resource)
        for level, needed in ((EDIT, need_edit), (READ, need_read)):
            if needed:
                to = self.group(
                    f"Crm_All_{short}_{level}",
                    f"{resource}: every record, {level}",
                    f"Who may {level.lower()} every {resource} record (crmorg).",
                    frozenset(needed),
                )
                self.rule(
                    obj,
                    f"Crm_All_{level}",
                    f"Every record: {level}",
                    level,
                    None,
                    to,
                    ("organization",),
                )
        everywhere_edit = all_edit | need_edit
        everywhere_read = all_read | need_edit | need_read
        for kind, units in (("team", teams), ("department", departments)):
            scope = Scope.TEAM if kind == "team" else Scope.DEPARTMENT
            prefix = "Team" if kind == "team" else "Dept"
            edit = reaching("update", scope) - everywhere_edit
            read = reaching("read", scope) - everywhere_read - edit
            for unit, source in units.items():
                if kind == "team":
                    members = self.model.org.team_members.get(unit, frozenset())
                else:
                    members = frozenset(
                        p for p, d in self.model.org.person_departments.items() if unit in d
                    )
                for level, needed in ((EDIT, edit), (READ, read)):
                    to_people = frozenset(members & needed)
                    if not to_people:
                        continue
                    if to_people == self.plan.groups[source].members:
                        to = source
                    else:
                        to = self.group(
                            f"Crm_{prefix}_{pascal(unit)}_{short}_{level}",
                            f"{unit}: {resource} {level}",
                            f"Who in {kind} {unit} may {level.lower()} its {resource} records "
                            "(crmorg).",
                            to_people,
                        )
                    self.rule(
                        obj,
                        f"Crm_{kind.title()}_{pascal(unit)}_{level}",
                        f"{kind.title()} {unit}: {level}",
                        level,
                        source,
                        to,
                        (kind, unit),
                    )

    def sharing_rules(
        self,
        resource: str,
        teams: Mapping[str, str],
        departments: Mapping[str, str],
        roles: dict[str, str],
    ) -> None:
        model = self.model
        obj = self.plan.objects[resource].api
        for rule_id in sorted(model.sharing):
            rule = model.sharing[rule_id]
            if rule.resource != resource:
                continue
            actions = set(rule.actions)
            level = EDIT if "update" in actions else READ if "read" in actions else None
            if level is None:
                continue  # create and custom actions are not per record; delete cannot be
            source = self.group_for(rule.from_, teams, departments, roles)
            to = self.group_for(rule.to, teams, departments, roles)
            title = localize(rule.name) or rule_id
            self.rule(obj, f"Crm_{pascal(rule_id)}", title, level, source, to, ("sharing", rule_id))

    def group_for(
        self,
        group: Group,
        teams: Mapping[str, str],
        departments: Mapping[str, str],
        roles: dict[str, str],
    ) -> str:
        if group.team is not None and group.team in teams:
            return teams[group.team]
        if group.department is not None and group.department in departments:
            return departments[group.department]
        role = group.role or group.team or group.department or ""
        if role not in roles:
            members = self.model.access.sharing.members(group)
            roles[role] = self.group(
                f"Crm_Role_{pascal(role)}",
                localize(self.model.roles[role].name) if role in self.model.roles else role,
                f"The holders of the role {role} and of the roles inheriting it (crmorg).",
                members,
            )
        return roles[role]
