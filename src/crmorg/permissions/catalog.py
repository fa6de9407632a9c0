"""Which actions exist, and which apply to each resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crmorg.permissions.models import BUILTIN_ACTIONS, WILDCARD, Resource


@dataclass(frozen=True)
class ActionCatalog:
    """The declared resources and the actions that apply to each of them."""

    resources: Mapping[str, Resource]
    actions: tuple[str, ...]
    applicable: Mapping[str, tuple[str, ...]]
    _expanded: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each key pair's expansion, once: a large model repeats the same few pairs."""

    @classmethod
    def build(
        cls, resources: Mapping[str, Resource], extra_actions: tuple[str, ...]
    ) -> ActionCatalog:
        actions = BUILTIN_ACTIONS + tuple(a for a in extra_actions if a not in BUILTIN_ACTIONS)
        applicable = {
            resource_id: tuple(resource.actions)
            if resource.actions is not None
            else BUILTIN_ACTIONS
            for resource_id, resource in resources.items()
        }
        return cls(resources, actions, applicable)

    def applies(self, resource: str, action: str) -> bool:
        return action in self.applicable.get(resource, ())

    def expand(self, resource_key: str, action_key: str) -> tuple[tuple[str, str], ...]:
        """The (resource, action) pairs a grant key pair names, wildcards expanded."""
        found = self._expanded.get((resource_key, action_key))
        if found is None:
            found = self._expanded[(resource_key, action_key)] = tuple(
                self._expand(resource_key, action_key)
            )
        return found

    def _expand(self, resource_key: str, action_key: str) -> list[tuple[str, str]]:
        resources = list(self.resources) if resource_key == WILDCARD else [resource_key]
        pairs: list[tuple[str, str]] = []
        for resource in resources:
            applicable = self.applicable.get(resource)
            if applicable is None:
                continue
            if action_key == WILDCARD:
                pairs.extend((resource, action) for action in applicable)
            elif action_key in applicable:
                pairs.append((resource, action_key))
        return pairs

    def permissions(self) -> list[tuple[str, str]]:
        """Every (resource, action) pair that applies, in declaration order."""
        return [(r, a) for r, actions in self.applicable.items() for a in actions]
