"""The configuration workbook (``fxiaoke-configuration.xlsx``) and its sheets as CSV.

What Fxiaoke's OpenAPI does not set (功能权限, 数据权限, 字段权限, 数据共享规则) is set in
its console; the workbook says what to set, one sheet per console page, in Fxiaoke's
own words with English beside them. Every sheet is also ``workbook/<sheet>.csv``, so
the text can be reviewed and diffed. Every cell goes through the product's one
spreadsheet neutraliser, so none starts a formula, in the workbook or in a CSV.

The name is ASCII (``fxiaoke-configuration.xlsx``, not ``配置手册.xlsx``): zip tools,
mail gateways and Windows code pages still garble non-ASCII file names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from crmorg.cells import csv_writer, spreadsheet_cell
from crmorg.export.fxiaoke.mapping import (
    BUILTIN_OPERATIONS,
    NO,
    SUPERIORS_SEE_SUBORDINATES,
    YES,
    operation,
)
from crmorg.export.fxiaoke.plan import Plan
from crmorg.xlsx import workbook_bytes

WORKBOOK: Final = "fxiaoke-configuration.xlsx"
CSV_DIRECTORY: Final = "workbook"
TICK: Final = "✓"


@dataclass(frozen=True)
class Sheet:
    slug: str
    """The CSV's name and the English half of the sheet's title."""
    zh: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def title(self) -> str:
        return f"{self.zh} {self.slug}"

    @property
    def csv_name(self) -> str:
        return f"{CSV_DIRECTORY}/{self.slug}.csv"


def _join(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def sheets(plan: Plan) -> tuple[Sheet, ...]:
    """Every sheet, in the order an administrator works through them."""
    names = {o.resource: o.api_name for o in plan.objects}
    order = list(BUILTIN_OPERATIONS)  # Fxiaoke's own order: 查看, 新建, 编辑, 删除, ...
    actions = sorted(
        {a for o in plan.objects for a in o.actions},
        key=lambda a: (order.index(a) if a in order else len(order), a),
    )
    return (
        Sheet(
            "objects",
            "对象",
            (
                "对象 Object API name",
                "对象名称 Object name",
                "crmorg 资源 crmorg resource",
                "基础数据权限 Base data permission",
            ),
            tuple((o.api_name, o.name, o.resource, o.base.value) for o in plan.objects),
        ),
        Sheet(
            "departments",
            "部门",
            (
                "部门编号 Department ID",
                "部门名称 Name",
                "接口名称 API name",
                "上级部门 Parent department",
            ),
            tuple((d.id, d.name, d.api_name, d.parent or "") for d in plan.departments),
        ),
        Sheet(
            "users",
            "员工",
            (
                "员工编号 User ID",
                "姓名 Name",
                "主属部门 Main department",
                "附属部门 Other departments",
                "汇报对象 Reports to",
                "角色 Roles",
                "用户组 User groups",
            ),
            tuple(
                (
                    u.id,
                    u.name,
                    u.main_department,
                    _join(u.other_departments),
                    u.leader or "",
                    _join(u.roles),
                    _join(u.groups),
                )
                for u in plan.users
            ),
        ),
        Sheet(
            "user_groups",
            "用户组",
            ("用户组编号 Group ID", "名称 Name", "成员 Members"),
            tuple((g.id, g.name, _join(g.members)) for g in plan.groups),
        ),
        Sheet(
            "roles",
            "角色",
            ("角色编码 Role code", "角色名称 Name", "说明 Note"),
            tuple(
                (
                    r.id,
                    r.name,
                    "继承 inherits " + _join(r.inherits) + " (effective grants carried)"
                    if r.inherits
                    else "",
                )
                for r in plan.roles
            ),
        ),
        Sheet(
            "functional_permissions",
            "功能权限",
            (
                "角色编码 Role code",
                "对象 Object",
                *(f"{operation(a).zh} {operation(a).en} [{operation(a).code}]" for a in actions),
            ),
            tuple(
                (
                    ro.role,
                    names[ro.resource],
                    *(TICK if a in ro.actions else "" for a in actions),
                )
                for ro in plan.role_objects
            ),
        ),
        Sheet(
            "data_permissions",
            "数据权限",
            (
                "角色编码 Role code",
                "对象 Object",
                "数据范围 Data range",
                f"{SUPERIORS_SEE_SUBORDINATES} Superiors see subordinates",
            ),
            tuple(
                (ro.role, names[ro.resource], ro.data_range.value, YES if ro.superiors else NO)
                for ro in plan.role_objects
            ),
        ),
        Sheet(
            "field_permissions",
            "字段权限",
            (
                "角色编码 Role code",
                "对象 Object",
                "字段 Field API name",
                "字段名称 Field name",
                "crmorg 字段 crmorg field",
                "权限 Access",
            ),
            tuple(
                (f.role, names[f.resource], f.api_name, f.name, f.field, f.access.value)
                for f in plan.fields
            ),
        ),
        Sheet(
            "sharing_rules",
            "数据共享规则",
            (
                "规则编号 Rule ID",
                "对象 Object",
                "来源类型 Source type",
                "来源 Source",
                "目标类型 Target type",
                "目标 Target",
                "权限 Access",
            ),
            tuple(
                (
                    s.id,
                    names[s.resource],
                    s.source_kind,
                    _join(s.sources),
                    s.target_kind,
                    _join(s.targets),
                    s.access.value,
                )
                for s in plan.sharing
            ),
        ),
    )


def _cells(sheet: Sheet) -> list[list[str]]:
    return [[spreadsheet_cell(c) for c in row] for row in (sheet.header, *sheet.rows)]


def render_csv(sheet: Sheet) -> str:
    out = io.StringIO(newline="")
    csv_writer(out).writerows(_cells(sheet))
    return out.getvalue()


def render_workbook(all_sheets: Sequence[Sheet]) -> bytes:
    """The workbook, byte for byte the same on every run: fixed document times, and
    its zip entries sorted with fixed timestamps."""
    # Imported here: openpyxl takes a noticeable part of a second, which every other
    # command would pay at start-up.
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in all_sheets:
        worksheet = workbook.create_sheet(sheet.title)
        for row in _cells(sheet):
            worksheet.append(row)
    return workbook_bytes(workbook)


def render_sheets(plan: Plan) -> dict[str, str | bytes]:
    found = sheets(plan)
    files: dict[str, str | bytes] = {sheet.csv_name: render_csv(sheet) for sheet in found}
    files[WORKBOOK] = render_workbook(found)
    return files
