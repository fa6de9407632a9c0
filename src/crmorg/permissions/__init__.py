"""Grants, scopes, effective permissions, decisions and separation of duties."""

from crmorg.permissions.models import BUILTIN_ACTIONS, Resource
from crmorg.permissions.scopes import Scope

__all__ = ["BUILTIN_ACTIONS", "Resource", "Scope"]
