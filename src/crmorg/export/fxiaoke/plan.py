"""What the Fxiaoke export carries, decided once from the model, and what it loses.

Fxiaoke's roles are flat: each crmorg role becomes one 角色 holding its *effective*
grants (own, inherited, baselines). Per role and object a 角色 has 功能权限 (one tick
per operation) and one 数据权限: a 数据范围 (本人, 本部门, 本部门及下属部门, 全公司) and
whether 上级可见下级 (superiors see their subordinates' records). Teams become 用户组,
departments 部门, people 员工 with a 主属部门, 附属部门 and an 汇报对象; sharing rules
become 数据共享规则 whose permission is 只读 or 读写. What does not fit is a
:class:`~crmorg.export.fidelity.Loss`.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from crmorg.export.compiled import CompiledModel, compile_model
from crmorg.export.fidelity import Direction, Fidelity, Loss, holders
from crmorg.export.fxiaoke.mapping import (
    FIELD_ACCESS,
    GROUP_KINDS,
    ROOT_DEPARTMENT,
    SHARE_ACTIONS,
    STANDARD_OBJECTS,
    BasePermission,
    DataRange,
    FieldAccess,
    ShareAccess,
    field_api_name,
    object_api_name,
    operation,
)
from crmorg.model import Model
from crmorg.roles.scopes import Scope
from crmorg.text import localize

TARGET = "fxiaoke"


class RangeChoice(enum.Enum):
    """How one 数据范围 is chosen for a role's object when its operations reach differently."""

    NARROWEST = "narrowest"
    """Never more than the model: the narrowest reach among the operations (under-grants)."""
    WIDEST = "widest"
    """Never less than the model: the widest reach among them (over-grants)."""


class Reach(enum.Enum):
    """The parts of a scope's reach beyond a person's own records."""

    SUBORDINATES = "records of their reports"
    TEAM = "records of a team they are in"
    DEPARTMENT = "records of their departments and those below"
    ORGANIZATION = "every record"


_WANTED = {
    Scope.NONE: frozenset(),
    Scope.OWN: frozenset(),
    Scope.SUBORDINATES: frozenset({Reach.SUBORDINATES}),
    Scope.TEAM: frozenset({Reach.TEAM}),
    Scope.DEPARTMENT: frozenset({Reach.TEAM, Reach.DEPARTMENT}),
    Scope.ORGANIZATION: frozenset(Reach),
}
"""What each crmorg scope reaches (format v1.1 §9: department includes team)."""

_CARRIED = {
    DataRange.SELF: frozenset(),
    DataRange.DEPARTMENT: frozenset(),  # never written: crmorg's department includes below
    DataRange.SUBTREE: frozenset({Reach.DEPARTMENT}),
    DataRange.COMPANY: frozenset(Reach),
}
"""What each 数据范围 reaches. Fxiaoke records have no team, so only 全公司 reaches a
team's records."""


def _range_of(scopes: Iterable[Scope]) -> DataRange:
    wanted = frozenset().union(*(_WANTED[s] for s in scopes))
    if Reach.ORGANIZATION in wanted:
        return DataRange.COMPANY
    if Reach.DEPARTMENT in wanted:
        return DataRange.SUBTREE
    return DataRange.SELF


def reach_of(data_range: DataRange, superiors: bool) -> frozenset[Reach]:
    return _CARRIED[data_range] | ({Reach.SUBORDINATES} if superiors else frozenset())


@dataclass(frozen=True)
class DepartmentRow:
    id: str
    name: str
    api_name: str
    """The name sent to the API: only letters, digits, ``-`` and ``_``, unique."""
    parent: str | None


@dataclass(frozen=True)
class UserRow:
    id: str
    name: str
    main_department: str
    """A department id, or :data:`ROOT_DEPARTMENT` for someone in no department."""
    other_departments: tuple[str, ...]
    leader: str | None
    roles: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class GroupRow:
    id: str
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class RoleRow:
    id: str
    name: str
    inherits: tuple[str, ...]


@dataclass(frozen=True)
class ObjectRow:
    resource: str
    api_name: str
    name: str
    actions: tuple[str, ...]
    base: BasePermission = BasePermission.PRIVATE
    """基础数据权限: what every user whose 功能权限 ticks the operation may do anywhere."""


@dataclass(frozen=True)
class RoleObject:
    """One role's 功能权限 and 数据权限 on one object."""

    role: str
    resource: str
    actions: tuple[str, ...]
    data_range: DataRange
    superiors: bool


@dataclass(frozen=True)
class FieldRow:
    role: str
    resource: str
    field: str
    api_name: str
    name: str
    access: FieldAccess


@dataclass(frozen=True)
class SharingRow:
    id: str
    resource: str
    source_kind: str
    sources: tuple[str, ...]
    target_kind: str
    targets: tuple[str, ...]
    access: ShareAccess


@dataclass(frozen=True)
class Plan:
    """Everything the payloads and the workbook are written from, sorted."""

    organization: str
    departments: tuple[DepartmentRow, ...]
    """Parents before children."""
    users: tuple[UserRow, ...]
    groups: tuple[GroupRow, ...]
    roles: tuple[RoleRow, ...]
    objects: tuple[ObjectRow, ...]
    role_objects: tuple[RoleObject, ...]
    fields: tuple[FieldRow, ...]
    sharing: tuple[SharingRow, ...]
    fidelity: Fidelity
    custom_actions: tuple[tuple[str, str], ...] = field(default=())
    """(object API name, action) of every custom button the workbook ticks."""


def _safe_department_name(name: str) -> str:
    """Fxiaoke takes letters, digits (Chinese too), ``-`` and ``_`` in a department name."""
    kept = "".join(
        c if c in "-_" or unicodedata.category(c)[0] in "LN" else "_"
        for c in unicodedata.normalize("NFKC", name)
    )
    return kept.strip("_") or "_"


def _departments(compiled: CompiledModel) -> tuple[list[DepartmentRow], list[tuple[str, ...]]]:
    """Departments parents first, each cycle cut above its smallest id (returned)."""
    parents = {d.id: d.parent for d in compiled.departments.values()}
    cut: list[tuple[str, ...]] = []
    for start in sorted(parents):
        seen: list[str] = []
        node: str | None = start
        while node is not None and node not in seen:
            seen.append(node)
            node = parents[node]
        if node is not None:  # a cycle through `node`
            cycle = seen[seen.index(node) :]
            top = min(cycle)
            parents[top] = None
            cut.append(tuple(sorted(cycle)))
    children: dict[str | None, list[str]] = {}
    for dept_id, parent in parents.items():
        children.setdefault(parent, []).append(dept_id)
    ordered: list[str] = []
    todo = sorted(children.get(None, []), reverse=True)
    while todo:
        node = todo.pop()
        ordered.append(node)
        todo += sorted(children.get(node, []), reverse=True)
    used: set[str] = set()
    rows = []
    for dept_id in ordered:
        dept = compiled.departments[dept_id]
        api_name = wanted = _safe_department_name(dept.name)
        suffix = 0
        while api_name in used:  # Fxiaoke refuses a department name twice
            suffix += 1
            api_name = f"{wanted}_{dept_id}" + (f"_{suffix}" if suffix > 1 else "")
        used.add(api_name)
        rows.append(DepartmentRow(dept_id, dept.name, api_name, parents[dept_id]))
    return rows, cut


class _Losses:
    """The losses found so far, each with its people sorted."""

    def __init__(self) -> None:
        self.found: list[Loss] = []

    def add(
        self,
        construct: str,
        path: tuple[str, ...],
        written: str,
        carried: str,
        direction: Direction,
        people: Iterable[str],
    ) -> None:
        self.found.append(
            Loss(construct, path, written, carried, direction, tuple(sorted(set(people))))
        )


def _describe(data_range: DataRange, superiors: bool) -> str:
    return f"数据范围 {data_range.value}" + (" + 上级可见下级" if superiors else "")


def _role_objects(
    model: Model,
    compiled: CompiledModel,
    choice: RangeChoice,
    losses: _Losses,
    record_team: set[str],
) -> list[RoleObject]:
    """Each role's 功能权限 and 数据权限 per object, and the losses of its grants;
    ``record_team`` gets everyone who reaches records through a team, which a
    Fxiaoke record cannot name.

    A loss is the role's, but it names only the holders who feel it: those whose roles
    together still lack (or still exceed) that reach for the permission."""
    rows: dict[tuple[str, str], RoleObject] = {}
    scopes: dict[tuple[str, str, str], tuple[Scope, ...]] = {}
    # (role, resource, action) -> (what the model reaches, what the role's range reaches)
    reach: dict[tuple[str, str, str], tuple[frozenset[Reach], frozenset[Reach]]] = {}
    for role in compiled.roles.values():
        by_resource: dict[str, dict[str, tuple[Scope, ...]]] = {}
        for effective in role.effective:
            by_resource.setdefault(effective.resource, {})[effective.action] = effective.scopes
            scopes[(role.id, effective.resource, effective.action)] = effective.scopes
        for resource, actions in sorted(by_resource.items()):
            wants = {a: frozenset().union(*(_WANTED[x] for x in s)) for a, s in actions.items()}
            pick = min if choice is RangeChoice.NARROWEST else max
            data_range = pick((_range_of(s) for s in actions.values()), key=lambda r: r.rank)
            every = all if choice is RangeChoice.NARROWEST else any
            # 全公司 already reaches every record.
            flag = data_range is not DataRange.COMPANY and every(
                Reach.SUBORDINATES in w for w in wants.values()
            )
            carried = reach_of(data_range, flag)
            for action in actions:
                reach[(role.id, resource, action)] = (wants[action], carried)
            rows[(role.id, resource)] = RoleObject(
                role.id, resource, tuple(sorted(actions)), data_range, flag
            )
    felt = _felt(compiled, reach, record_team)
    for (role_id, resource, action), (wanted, carried) in sorted(reach.items()):
        row = rows[(role_id, resource)]
        held = scopes[(role_id, resource, action)]
        written = f"{resource}.{action} at {'+'.join(s.label for s in held)}"
        path = ("roles", role_id, "grants", resource, action)
        people = holders(model, [role_id])
        lacking, exceeding = felt.get((resource, action), ({}, {}))
        for direction, atoms, by_person, word in (
            (Direction.UNDER, wanted - carried, lacking, "not"),
            (Direction.OVER, carried - wanted, exceeding, "also"),
        ):
            if not atoms:
                continue
            affected = [p for p in people if by_person.get(p, frozenset()) & atoms]
            if people and not affected:
                continue  # held, but its holders' other roles make up for it
            losses.add(
                "scope",
                path,
                written,
                f"{_describe(row.data_range, row.superiors)}: {word} "
                + f"; {word} ".join(r.value for r in Reach if r in atoms),
                direction,
                affected,
            )
    return list(rows.values())


def _felt(
    compiled: CompiledModel,
    reach: dict[tuple[str, str, str], tuple[frozenset[Reach], frozenset[Reach]]],
    record_team: set[str],
) -> dict[tuple[str, str], tuple[dict[str, frozenset[Reach]], dict[str, frozenset[Reach]]]]:
    """Per permission, what each person's roles together lack and exceed (and into
    ``record_team``, who lacks a team's reach).

    A team's reach is felt only by someone in a team, and beside a department's reach
    only in a team of no department (a team's department is its members' too, so
    本部门及下属部门 covers the team)."""
    loose = {t.id for t in compiled.teams.values() if t.department is None}
    found: dict[tuple[str, str], tuple[dict[str, frozenset[Reach]], dict[str, frozenset[Reach]]]]
    found = {}
    by_role: dict[str, list[tuple[str, str, frozenset[Reach], frozenset[Reach]]]] = {}
    for (role_id, resource, action), (wanted, carried) in reach.items():
        by_role.setdefault(role_id, []).append((resource, action, wanted, carried))
    managers = {m for p in compiled.people.values() for m in p.managers if m != p.id}
    for person in compiled.people.values():
        # Reaches that find no record for this person, whatever the grant.
        idle = frozenset({Reach.SUBORDINATES} if person.id not in managers else set()) | frozenset(
            {Reach.DEPARTMENT} if not person.departments else set()
        )
        wanted_by: dict[tuple[str, str], frozenset[Reach]] = {}
        carried_by: dict[tuple[str, str], frozenset[Reach]] = {}
        for role_id in person.roles:
            for resource, action, wanted, carried in by_role.get(role_id, ()):
                key = (resource, action)
                wanted_by[key] = wanted_by.get(key, frozenset()) | wanted
                carried_by[key] = carried_by.get(key, frozenset()) | carried
        for key, wanted in wanted_by.items():
            carried = carried_by[key]
            lacking, exceeding = wanted - carried - idle, carried - wanted - idle
            if Reach.TEAM in lacking and person.teams:
                # On a record naming its own department, 本部门及下属部门 misses the team.
                record_team.add(person.id)
            if Reach.TEAM in lacking:
                in_team = bool(person.teams)
                if Reach.DEPARTMENT in carried:
                    in_team = bool(loose & set(person.teams))
                if not in_team:
                    lacking -= {Reach.TEAM}
            entry = found.setdefault(key, ({}, {}))
            if lacking:
                entry[0][person.id] = lacking
            if exceeding:
                entry[1][person.id] = exceeding
    return found


def _sharing(model: Model, compiled: CompiledModel, losses: _Losses) -> list[SharingRow]:
    rows = []
    for rule in compiled.sharing:
        # A rule adds nothing for someone who reaches every record anyway, nor when no
        # one owns records in its source group.
        owners = compiled.group_members(rule.from_)
        recipients = sorted(compiled.group_members(rule.to)) if owners else []
        actions = frozenset(rule.actions)
        carried = actions & SHARE_ACTIONS[ShareAccess.READ_WRITE]
        path = ("sharing", rule.id)
        for action in sorted(actions - carried):
            # A rule gives only to those whose own grants hold the action (§11's gate).
            gated = _through(model, recipients, owners, action, rule.resource)
            if gated:
                losses.add(
                    "sharing-rule",
                    path,
                    f"{rule.resource}.{action} shared from {rule.from_[0]} {rule.from_[1]} "
                    f"to {rule.to[0]} {rule.to[1]}",
                    "a 数据共享规则 gives only 只读 (read) or 读写 (read and edit)",
                    Direction.UNDER,
                    gated,
                )
        if not carried:
            continue
        access = ShareAccess.READ_WRITE if "update" in carried else ShareAccess.READ_ONLY
        readers = _through(model, recipients, owners, "read", rule.resource)
        if "read" not in carried and readers:
            losses.add(
                "sharing-rule",
                path,
                f"{rule.resource}.read not shared from {rule.from_[0]} {rule.from_[1]} "
                f"to {rule.to[0]} {rule.to[1]} (update only)",
                "读写 gives read as well as edit",
                Direction.OVER,
                readers,
            )
        rows.append(
            SharingRow(
                rule.id,
                rule.resource,
                GROUP_KINDS[rule.from_[0]],
                _group(model, rule.from_),
                GROUP_KINDS[rule.to[0]],
                _group(model, rule.to),
                access,
            )
        )
    return rows


def _through(
    model: Model, people: Iterable[str], owners: Iterable[str], action: str, resource: str
) -> list[str]:
    """Those for whom a rule's ``action`` on some owner's record is more than their own
    grants reach: they hold the action (the rule's gate) but not everywhere, and some owner is
    neither themselves nor, where they reach their reports, one of those. (A record may
    name a team and a department that are not theirs.)"""
    owned = sorted(owners)
    org = model.org
    return [
        person
        for person in people
        if model.allows(person, action, resource, "own")
        and not model.allows(person, action, resource, "organization")
        and any(
            owner != person
            and not (
                model.allows(person, action, resource, "subordinates")
                and org.manages(person, owner)
            )
            for owner in owned
        )
    ]


def _group(model: Model, group: tuple[str, str]) -> tuple[str, ...]:
    """A sharing group as Fxiaoke names it: a role with every role that inherits it
    (Fxiaoke's roles are flat), or the one team or department."""
    kind, group_id = group
    if kind != "role":
        return (group_id,)
    heirs = model.org.heirs.get(group_id, frozenset())
    return tuple(sorted({group_id, *heirs} & set(model.roles)))


def _department_losses(
    model: Model,
    compiled: CompiledModel,
    cycles: list[tuple[str, ...]],
    users: list[UserRow],
    role_objects: list[RoleObject],
    losses: _Losses,
) -> None:
    for cycle in cycles:
        inside = set(cycle)
        affected = {p.id for p in compiled.people.values() if inside & set(p.departments)}
        for rule in compiled.sharing:
            if rule.from_[0] == "department" and rule.from_[1] in inside:
                affected |= compiled.group_members(rule.to)
        losses.add(
            "structure",
            ("departments", min(cycle), "parent"),
            f"department cycle {' -> '.join(cycle)}",
            f"the cycle is cut: {min(cycle)} sits under 全公司, so the others do not reach it",
            Direction.UNDER,
            affected,
        )
    by_role: dict[str, list[RoleObject]] = {}
    for ro in role_objects:
        by_role.setdefault(ro.role, []).append(ro)
    for user in users:
        if user.main_department != ROOT_DEPARTMENT:
            continue
        mine = [ro for role in user.roles for ro in by_role.get(role, ())]
        everywhere = {
            (ro.resource, a)
            for ro in mine
            if ro.data_range is DataRange.COMPANY
            for a in ro.actions
        }
        # 全公司's subtree holds every department and everyone in none: felt on a
        # record of a department (one without an owner names its own) or of anyone else.
        felt = (bool(compiled.departments) or len(compiled.people) > 1) and any(
            ro.data_range is DataRange.SUBTREE and (ro.resource, a) not in everywhere
            for ro in mine
            for a in ro.actions
        )
        if felt:
            losses.add(
                "structure",
                ("people", user.id),
                f"{user.id} is in no department",
                "placed in 全公司, where 本部门及下属部门 reaches every record",
                Direction.OVER,
                [user.id],
            )


def _manual(custom_actions: list[tuple[str, str]], renamed: list[DepartmentRow]) -> list[str]:
    steps = [
        "Get a corpAccessToken and corpId (or the v2 app token) and load openapi/ in the "
        "order of plan.json, replacing each model id with the Fxiaoke id the earlier call "
        "returned",
        "Fill in each user's mobile number (and account) before /cgi/user/add: the model has none",
        "Set each object's 基础数据权限 as the 对象 sheet says",
        "Set 数据权限 per role and object in the console as the 数据权限 sheet says, and "
        "上级可见下级 to all levels (所有下级)",
        "Tick 功能权限 per role and object as the 功能权限 sheet says",
        "Set 字段权限 per role as the 字段权限 sheet says (new fields default to 读写)",
        "Create the 数据共享规则 of the 数据共享规则 sheet under 数据权限 → 数据共享",
    ]
    steps += [
        f"Create the custom button {code} (按钮) on {obj} before ticking it"
        for obj, code in custom_actions
    ]
    if renamed:
        steps.append(
            "Department names were made API-safe (letters, digits, - and _); rename "
            + ", ".join(d.id for d in renamed)
            + " in the console to their workbook names if wanted"
        )
    return steps


def plan(model: Model, choice: RangeChoice = RangeChoice.NARROWEST) -> Plan:
    compiled = compile_model(model)
    mapping = model.settings.export.fxiaoke
    losses = _Losses()
    departments, cycles = _departments(compiled)
    users = []
    for person in compiled.people.values():
        # 主属部门: the department of their first role that has one, else the first.
        depts = [d for d in person.departments if d in compiled.departments]
        of_roles = [model.roles[r].department for r in person.roles]
        main = next((d for d in of_roles if d in depts), None)
        if main is not None:
            depts = [main, *(d for d in depts if d != main)]
        users.append(
            UserRow(
                person.id,
                localize(model.people[person.id].name, "zh", person.id),
                depts[0] if depts else ROOT_DEPARTMENT,
                tuple(depts[1:]),
                person.manager,
                person.roles,
                person.teams,
            )
        )
    groups = [GroupRow(t.id, t.name, t.members) for t in compiled.teams.values()]
    roles = [
        RoleRow(r.id, localize(model.roles[r.id].name, "zh", r.id), r.ancestors)
        for r in compiled.roles.values()
    ]
    objects = [
        ObjectRow(
            resource,
            object_api_name(resource, mapping),
            localize(model.resources[resource].name, "zh", "")
            or STANDARD_OBJECTS.get(resource, ("", resource))[1],
            compiled.applicable[resource],
            _base_permission(compiled, resource),
        )
        for resource in compiled.resources
        if resource in model.resources
    ]
    record_team: set[str] = set()
    choice_objects = _role_objects(model, compiled, choice, losses, record_team)
    if record_team and compiled.teams:
        losses.add(
            "structure",
            ("teams", next(iter(compiled.teams))),
            "a record's own team or department (format §3), beside a team's reach",
            "Fxiaoke records have no team: a team's reach is carried only by 全公司, and "
            "a department's by the departments of the record's owner or 归属部门",
            Direction.UNDER,
            record_team,
        )
    fields = [
        FieldRow(
            role.id,
            resource,
            field_id,
            field_api_name(resource, field_id, mapping),
            localize(model.resources[resource].fields[field_id].name, "zh", field_id),
            _field_access(role.field_access(resource, field_id)),
        )
        for role in compiled.roles.values()
        for resource, field_ids in compiled.restricted_fields.items()
        for field_id in field_ids
    ]
    sharing = _sharing(model, compiled, losses)
    _department_losses(model, compiled, cycles, users, choice_objects, losses)
    api_names = {o.resource: o.api_name for o in objects}
    custom = sorted(
        {
            (api_names[ro.resource], operation(a).code)
            for ro in choice_objects
            for a in ro.actions
            if operation(a).code.startswith("button_")
        }
    )
    renamed = [d for d in departments if d.api_name != d.name]
    fidelity = Fidelity(
        TARGET,
        tuple(losses.found),
        manual=tuple(_manual(custom, renamed)),
        carried=_carried(compiled, losses.found, fields, sharing),
    )
    return Plan(
        organization=compiled.organization,
        departments=tuple(departments),
        users=tuple(users),
        groups=tuple(groups),
        roles=tuple(roles),
        objects=tuple(objects),
        role_objects=tuple(choice_objects),
        fields=tuple(fields),
        sharing=tuple(sharing),
        fidelity=fidelity,
        custom_actions=tuple(custom),
    )


def _base_permission(compiled: CompiledModel, resource: str) -> BasePermission:
    """The object's 基础数据权限 from its baseline (format v1.1 §10): a baseline at
    ``organization`` gives, like 公开只读 / 公开读写, to everyone who holds the action.
    The roles' 数据范围 carry it as well, so this only saves the console work."""

    def public(action: str) -> bool:
        return compiled.baselines.get((resource, action)) is Scope.ORGANIZATION

    if public("read") and public("update"):
        return BasePermission.PUBLIC_READ_WRITE
    return BasePermission.PUBLIC_READ_ONLY if public("read") else BasePermission.PRIVATE


def _field_access(access: str | None) -> FieldAccess:
    return FIELD_ACCESS[access or "none"]


def _carried(
    compiled: CompiledModel,
    losses: list[Loss],
    fields: list[FieldRow],
    sharing: list[SharingRow],
) -> dict[str, int]:
    lost_grants = {loss.path for loss in losses if loss.construct == "scope"}
    effective = [
        ("roles", role.id, "grants", e.resource, e.action)
        for role in compiled.roles.values()
        for e in role.effective
    ]
    lost_rules = {loss.path[1] for loss in losses if loss.construct == "sharing-rule"}
    return {
        "grant": sum(1 for path in effective if path not in lost_grants),
        "baseline": len(compiled.baselines),
        "field-permission": len(fields),
        "sharing-rule": sum(1 for rule in compiled.sharing if rule.id not in lost_rules),
        "structure": len(compiled.roles)
        + len(compiled.teams)
        + len(compiled.departments)
        + len(compiled.people),
    }
