"""Fxiaoke's own vocabulary: object API names, function codes, data ranges, field access.

The words are Fxiaoke's (纷享销客) as its console and OpenAPI use them; the English
beside each is for reviewers. What could not be confirmed in Fxiaoke's published
documentation is marked in ``docs/crm-systems.md``.
"""

from __future__ import annotations

import enum
from typing import Final, NamedTuple

from crmorg.settings import TargetMapping

STANDARD_OBJECTS: Final[dict[str, tuple[str, str]]] = {
    "lead": ("LeadsObj", "销售线索"),
    "account": ("AccountObj", "客户"),
    "contact": ("ContactObj", "联系人"),
    "opportunity": ("NewOpportunityObj", "商机"),
    "quote": ("QuoteObj", "报价单"),
    "order": ("SalesOrderObj", "销售订单"),
    "sales_order": ("SalesOrderObj", "销售订单"),
    "contract": ("ContractObj", "合同"),
    "product": ("ProductObj", "产品"),
    "case": ("CasesObj", "工单"),
    "service_case": ("CasesObj", "工单"),
    "campaign": ("MarketingEventObj", "营销活动"),
    "marketing_event": ("MarketingEventObj", "营销活动"),
}
"""crmorg resource id -> (Fxiaoke preset object API name, its Chinese name)."""

ROOT_DEPARTMENT: Final = "999999"
"""全公司, the top of Fxiaoke's organisation (the docs also say 0; see the docs page)."""


class Operation(NamedTuple):
    """One 功能权限 (function permission) of an object: its code and its words."""

    code: str
    zh: str
    en: str


BUILTIN_OPERATIONS: Final[dict[str, Operation]] = {
    "read": Operation("View", "查看", "View"),
    "create": Operation("Add", "新建", "Create"),
    "update": Operation("Edit", "编辑", "Edit"),
    "delete": Operation("Delete", "删除", "Delete"),
    "assign": Operation("ChangeOwner", "更换负责人", "Change owner"),
    "share": Operation("EditTeamMember", "编辑团队成员", "Edit team members"),
    "export": Operation("Export", "导出", "Export"),
    "import": Operation("Import", "导入", "Import"),
}
"""crmorg's built-in actions that Fxiaoke has a function permission for."""


def operation(action: str) -> Operation:
    """The function permission for ``action``: a built-in one, or a custom button
    (按钮权限) for ``approve`` and every model-specific action."""
    found = BUILTIN_OPERATIONS.get(action)
    if found is not None:
        return found
    return Operation(f"button_{action}__c", f"自定义按钮 {action}", f"Custom button {action}")


def function_code(object_api_name: str, action: str) -> str:
    """Fxiaoke's function code, ``AccountObj||Edit``."""
    return f"{object_api_name}||{operation(action).code}"


class DataRange(enum.Enum):
    """数据范围: whose records a role's 数据权限 reaches, narrowest first."""

    SELF = "本人"
    DEPARTMENT = "本部门"
    SUBTREE = "本部门及下属部门"
    COMPANY = "全公司"

    @property
    def rank(self) -> int:
        return list(DataRange).index(self)


class BasePermission(enum.Enum):
    """基础数据权限 of an object, company-wide."""

    PRIVATE = "私有"
    PUBLIC_READ_ONLY = "公开只读"
    PUBLIC_READ_WRITE = "公开读写"


BASE_ACTIONS: Final = {
    BasePermission.PRIVATE: frozenset[str](),
    BasePermission.PUBLIC_READ_ONLY: frozenset({"read"}),
    BasePermission.PUBLIC_READ_WRITE: frozenset({"read", "update"}),
}
"""The crmorg actions each base permission gives on every record."""

SUPERIORS_SEE_SUBORDINATES: Final = "上级可见下级"
YES, NO = "是", "否"


class FieldAccess(enum.Enum):
    """字段权限 of one role on one field."""

    HIDDEN = "不可见"
    READ_ONLY = "只读"
    READ_WRITE = "读写"


FIELD_ACCESS: Final = {
    "none": FieldAccess.HIDDEN,
    "read": FieldAccess.READ_ONLY,
    "edit": FieldAccess.READ_WRITE,
}


class ShareAccess(enum.Enum):
    """权限 of a 数据共享规则."""

    READ_ONLY = "只读"
    READ_WRITE = "读写"


SHARE_ACTIONS: Final = {
    ShareAccess.READ_ONLY: frozenset({"read"}),
    ShareAccess.READ_WRITE: frozenset({"read", "update"}),
}
"""The crmorg actions each sharing permission gives."""

GROUP_KINDS: Final = {"team": "用户组", "role": "角色", "department": "部门"}
"""A crmorg sharing group kind -> the kind of a Fxiaoke sharing rule's source or target."""


def object_api_name(resource: str, mapping: TargetMapping) -> str:
    """The Fxiaoke object for ``resource``: settings first, then a preset object, then a
    custom object (``xxx__c``)."""
    named = mapping.objects.get(resource)
    if named is not None:
        return named
    standard = STANDARD_OBJECTS.get(resource)
    return standard[0] if standard is not None else f"{resource}__c"


def field_api_name(resource: str, field: str, mapping: TargetMapping) -> str:
    """The Fxiaoke field for ``field`` of ``resource``: settings, else ``field__c``."""
    return mapping.fields.get(resource, {}).get(field, f"{field}__c")
