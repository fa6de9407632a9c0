"""The ordered scopes of a grant: none < own < team < department < organization."""

from __future__ import annotations

from enum import IntEnum


class Scope(IntEnum):
    """How far a grant reaches; a wider scope includes every narrower one."""

    NONE = 0
    OWN = 1
    TEAM = 2
    DEPARTMENT = 3
    ORGANIZATION = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Scope) -> Scope:
        """``"team"`` -> ``Scope.TEAM``; raises ``ValueError`` naming the valid scopes."""
        if isinstance(value, Scope):
            return value
        found = SCOPE_BY_NAME.get(value)
        if found is None:
            raise ValueError(f"unknown scope {value!r}; expected one of: {', '.join(SCOPE_NAMES)}")
        return found


SCOPE_NAMES: tuple[str, ...] = tuple(scope.label for scope in Scope)
SCOPE_BY_NAME: dict[str, Scope] = {scope.label: scope for scope in Scope}
