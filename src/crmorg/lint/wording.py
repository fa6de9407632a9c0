"""How findings name things: permissions, and lists that stay short."""

from __future__ import annotations

from collections.abc import Iterable

from crmorg.permissions.effective import Permission


def permission_text(permission: Permission) -> str:
    """``("quote", "approve")`` -> ``quote.approve``."""
    return f"{permission[0]}.{permission[1]}"


def listing(items: Iterable[str], limit: int = 6) -> str:
    """``a, b and c``; past ``limit`` items, ``a, b, ... and 4 more``."""
    values = list(items)
    if len(values) > limit:
        shown = values[:limit]
        return ", ".join(shown) + f" and {len(values) - limit} more"
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]
