"""Fxiaoke's data-permission semantics, read back from the exported workbook only.

Written from Fxiaoke's documented model (docs/crm-systems.md): a person may do
an operation on a record when one of their 角色 ticks its 功能权限 on the object AND
the object's 基础数据权限 is public for it (公开只读: view; 公开读写: view and edit), or
that role's 数据权限 reaches the record (本人: they are its 负责人; 本部门: its 归属部门,
by default its owner's departments, is one of theirs; 本部门及下属部门: or below one of
theirs; 全公司: always; 上级可见下级: its owner reports to them through 汇报对象, at
any depth), or a 数据共享规则 shares it with them (只读: view; 读写: view and edit)
and one of their roles ticks the operation. A field whose 字段权限 is listed is read at
只读 or better, edited at 读写; a field not listed follows its record.

It knows crmorg only through the workbook's crmorg columns (resource and field ids),
and the operations by Fxiaoke's own codes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import load_workbook

ROOT = "999999"
OPERATIONS = {
    "read": "View",
    "create": "Add",
    "update": "Edit",
    "delete": "Delete",
    "assign": "ChangeOwner",
    "share": "EditTeamMember",
    "export": "Export",
    "import": "Import",
}
SHARED = {"只读": {"read"}, "读写": {"read", "update"}}
BASE: dict[str, set[str]] = {"私有": set(), "公开只读": {"read"}, "公开读写": {"read", "update"}}
FIELD_RANK = {"不可见": 0, "只读": 1, "读写": 2}


def operation_code(action: str) -> str:
    return OPERATIONS.get(action, f"button_{action}__c")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in cell.split(",")) if part)


@dataclass
class Fxiaoke:
    objects: dict[str, str] = field(default_factory=dict)
    base: dict[str, set[str]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    departments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    leaders: dict[str, str] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    functions: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    data: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)
    fields: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    sharing: list[tuple[str, str, tuple[str, ...], str, tuple[str, ...], str]] = field(
        default_factory=list
    )

    # Reading -------------------------------------------------------------------------
    @classmethod
    def from_workbook(cls, content: bytes) -> Fxiaoke:
        book = load_workbook(io.BytesIO(content), read_only=True)
        sheets = {
            ws.title.split(" ")[-1]: [
                ["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)
            ]
            for ws in book.worksheets
        }
        sim = cls()
        for api, _name, resource, base in sheets["objects"][1:]:
            sim.objects[resource] = api
            sim.base[api] = BASE[base]
        for dept, _name, _api, parent in sheets["departments"][1:]:
            sim.parents[dept] = parent or ROOT
        for user, _name, main, others, leader, roles, _groups in sheets["users"][1:]:
            sim.departments[user] = (main, *_split(others))
            if leader:
                sim.leaders[user] = leader
            sim.roles[user] = _split(roles)
        for group, _name, members in sheets["user_groups"][1:]:
            sim.groups[group] = _split(members)
        header, *rows = sheets["functional_permissions"]
        codes = [h[h.rindex("[") + 1 : -1] for h in header[2:]]
        for role, obj, *ticks in rows:
            sim.functions[(role, obj)] = {c for c, t in zip(codes, ticks, strict=True) if t}
        for role, obj, data_range, superiors in sheets["data_permissions"][1:]:
            sim.data[(role, obj)] = (data_range, superiors == "是")
        for role, obj, api, _name, crmorg_field, access in sheets["field_permissions"][1:]:
            sim.fields.setdefault((obj, crmorg_field), {})[role] = access
            assert api
        for _rule, obj, skind, sources, tkind, targets, access in sheets["sharing_rules"][1:]:
            sim.sharing.append((obj, skind, _split(sources), tkind, _split(targets), access))
        return sim

    # The organisation ----------------------------------------------------------------
    def subtree(self, departments: Iterable[str]) -> set[str]:
        found = set(departments)
        if ROOT in found:
            return {ROOT, *self.parents}
        for dept in self.parents:
            node, seen = dept, set()
            while node != ROOT and node not in seen:
                seen.add(node)
                if node in found:
                    found.add(dept)
                    break
                node = self.parents.get(node, ROOT)
        return found

    def reports_to(self, owner: str, person: str) -> bool:
        node, seen = self.leaders.get(owner), {owner}
        while node is not None and node not in seen:
            if node == person:
                return True
            seen.add(node)
            node = self.leaders.get(node)
        return node == person

    def members(self, kind: str, ids: tuple[str, ...]) -> set[str]:
        if kind == "用户组":
            return {m for g in ids for m in self.groups.get(g, ())}
        if kind == "角色":
            return {u for u, roles in self.roles.items() if set(roles) & set(ids)}
        below = self.subtree(ids)
        return {u for u, depts in self.departments.items() if set(depts) & below}

    # Deciding ------------------------------------------------------------------------
    def _in_range(
        self, data_range: str, superiors: bool, person: str, owner: str | None, record: set[str]
    ) -> bool:
        if owner is not None and owner == person:
            return True
        if data_range == "全公司":
            return True
        if superiors and owner is not None and self.reports_to(owner, person):
            return True
        mine = set(self.departments.get(person, ()))
        if data_range == "本部门":
            return bool(record & mine)
        if data_range == "本部门及下属部门":
            return bool(record & self.subtree(mine))
        return False

    def decide(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None,
        department: str | None = None,
        field_id: str | None = None,
    ) -> bool:
        obj = self.objects[resource]
        code = operation_code(action)
        record = (
            {department}
            if department is not None
            else set(self.departments.get(owner, ()))
            if owner is not None
            else set()
        )
        roles = self.roles.get(person, ())
        ticked = [r for r in roles if code in self.functions.get((r, obj), set())]
        allowed = bool(ticked) and action in self.base[obj]
        allowed = allowed or any(
            self._in_range(*self.data[(r, obj)], person, owner, record) for r in ticked
        )
        if not allowed and ticked and owner is not None:
            allowed = any(
                action in SHARED[access]
                and owner in self.members(skind, sources)
                and person in self.members(tkind, targets)
                for o, skind, sources, tkind, targets, access in self.sharing
                if o == obj
            )
        if not allowed or field_id is None:
            return allowed
        managed = self.fields.get((obj, field_id))
        if managed is None:
            return True
        rank = max((FIELD_RANK[managed.get(r, "不可见")] for r in roles), default=0)
        return rank >= (1 if action == "read" else 2)
