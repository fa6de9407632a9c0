"""What rules read off grants beyond the access model: what a responsibility requires,
permissions in declaration order, and where and how a role comes by a grant."""

from __future__ import annotations

from collections.abc import Iterable

from crmorg.findings import Path
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.effective import EffectiveGrant, Permission, expand_grants
from crmorg.permissions.models import GrantMap
from crmorg.roles.scopes import Scope


def requirements(requires: GrantMap, catalog: ActionCatalog) -> dict[Permission, Scope]:
    """A ``requires`` map with wildcards expanded: (resource, action) -> scope.

    A requirement at ``none`` asks for nothing, so it is left out.
    """
    return {
        permission: scope
        for permission, (scope, _, _) in expand_grants(requires, catalog).items()
        if scope is not Scope.NONE
    }


class DeclarationOrder:
    """Permissions in the order their resources and actions are declared, so that a
    finding lists them the way the model reads."""

    def __init__(self, catalog: ActionCatalog) -> None:
        self._rank = {permission: rank for rank, permission in enumerate(catalog.permissions())}

    def sort(self, permissions: Iterable[Permission]) -> list[Permission]:
        rank = self._rank
        return sorted(permissions, key=lambda p: (rank.get(p, len(rank)), p))


def grant_path(role: str, grant: EffectiveGrant | None) -> Path:
    """Where a role's effective grant is written: on the role itself, or its ``inherits``."""
    if grant is not None and grant.source.role == role:
        return grant.source.path
    return ("roles", role, "inherits")


def origin(grant: EffectiveGrant | None) -> str:
    """How a role comes by a grant, in words: its own, or inherited along a path."""
    if grant is None:
        return "not granted"
    if len(grant.via) <= 1:
        return "its own grant"
    return "inherited from " + " via ".join([grant.via[-1], *reversed(grant.via[1:-1])])
