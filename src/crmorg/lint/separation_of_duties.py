"""The separation-of-duties constraints of a model, with their permissions parsed."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.model import Model
from crmorg.permissions.effective import Permission
from crmorg.permissions.models import SeparationOfDuties


def sod_constraints(model: Model) -> Iterator[tuple[SeparationOfDuties, list[Permission]]]:
    """Each separation-of-duties constraint with its distinct (resource, action) pairs."""
    for constraint in model.constraints:
        if isinstance(constraint, SeparationOfDuties):
            permissions: list[Permission] = []
            for text in dict.fromkeys(constraint.permissions):
                resource, action = text.split(":", 1)
                permissions.append((resource, action))
            yield constraint, permissions
