"""The validated content of a model: one typed object per section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crmorg.findings import Path
from crmorg.kpi.models import Kpi, Metric
from crmorg.permissions.models import Constraint, Resource, SharingRule
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.roles.processes import Process
from crmorg.sections import ID_SECTIONS, SECTION_KEYS
from crmorg.settings import Organization, Settings

SECTIONS: tuple[str, ...] = SECTION_KEYS
__all__ = ["ID_SECTIONS", "SECTIONS", "Document"]


@dataclass(frozen=True)
class Document:
    """Every section of a model after validation (``crmorg.sections`` declares them;
    ``version`` is checked while loading and not kept).

    ``rejected`` keeps the ids whose definitions failed validation, so that references
    to them are not reported a second time as unknown; ``salvaged`` what validates of
    a rejected entry once its invalid values are left out (read only by the
    unknown-reference check, so that one error in an entry does not hide another).
    ``unread`` names the files that could not be read, so that the checks know the
    model is incomplete; ``over_limits`` the limits (``settings.limits``) the model's
    shape exceeds, so that the checks whose work those limits bound are left out.
    """

    organization: Organization | None = None
    actions: tuple[str, ...] = ()
    resources: Mapping[str, Resource] = field(default_factory=dict)
    departments: Mapping[str, Department] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)
    responsibilities: Mapping[str, Responsibility] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    kpis: Mapping[str, Kpi] = field(default_factory=dict)
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    sharing: Mapping[str, SharingRule] = field(default_factory=dict)
    processes: Mapping[str, Process] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    rejected: Mapping[str, frozenset[str]] = field(default_factory=dict)
    constraint_index: Mapping[str, int] = field(default_factory=dict)
    salvaged: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    unread: tuple[str, ...] = ()
    over_limits: tuple[str, ...] = ()

    def known(self, section: str, entity_id: str) -> bool:
        """Whether ``entity_id`` is defined in ``section`` (even if it was rejected)."""
        entities: Mapping[str, object] = getattr(self, section)
        return entity_id in entities or entity_id in self.rejected.get(section, frozenset())

    def path_of(self, section: str, entity_id: str) -> Path:
        """The document path of an entry: ``(section, id)``, or its index in a list."""
        if section == "constraints":  # the one list whose entries have ids
            return (section, self.constraint_index.get(entity_id, 0))
        return (section, entity_id)
