"""What the handbook's pages look up per role, person, team, department or finding
subject, built once per site.

A page for each of n roles (or people, or departments) that scanned every role, person,
KPI or finding to find its own would make the handbook quadratic in the model: 2,000
roles and 10,000 people took eight times as long as a quarter of that. Each index here
is one pass over its section; lists keep the section's order, so pages read exactly as
the scans they replace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from crmorg.findings import Finding
from crmorg.model import Model
from crmorg.roles.raci import letters

_Key = TypeVar("_Key")


def _grouped(pairs: Iterable[tuple[_Key, str]]) -> dict[_Key, tuple[str, ...]]:
    found: dict[_Key, list[str]] = {}
    for key, item in pairs:
        found.setdefault(key, []).append(item)
    return {key: tuple(items) for key, items in found.items()}


@dataclass(frozen=True)
class SiteIndex:
    """One model's lookups for its pages (each in the order of the section it lists)."""

    model: Model
    findings: tuple[Finding, ...]

    @cached_property
    def raci_of_role(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """Role -> (responsibility, its letters) for each responsibility it takes part in."""
        found: dict[str, list[tuple[str, str]]] = {}
        for responsibility_id, responsibility in self.model.responsibilities.items():
            for role_id, held in letters(responsibility).items():
                found.setdefault(role_id, []).append((responsibility_id, held))
        return {role_id: tuple(rows) for role_id, rows in found.items()}

    @cached_property
    def roles_reporting_to(self) -> Mapping[str | None, tuple[str, ...]]:
        return _grouped((role.reports_to, r) for r, role in self.model.roles.items())

    @cached_property
    def roles_inheriting(self) -> Mapping[str, tuple[str, ...]]:
        return _grouped(
            (parent, r)
            for r, role in self.model.roles.items()
            for parent in dict.fromkeys(role.inherits)
        )

    @cached_property
    def roles_in(self) -> Mapping[str | None, tuple[str, ...]]:
        """Department -> the roles whose department it is."""
        return _grouped((role.department, r) for r, role in self.model.roles.items())

    @cached_property
    def departments_under(self) -> Mapping[str | None, tuple[str, ...]]:
        """Department -> its direct sub-departments."""
        return _grouped((dept.parent, d) for d, dept in self.model.departments.items())

    @cached_property
    def teams_in(self) -> Mapping[str | None, tuple[str, ...]]:
        return _grouped((team.department, t) for t, team in self.model.teams.items())

    @cached_property
    def responsibilities_in(self) -> Mapping[str | None, tuple[str, ...]]:
        return _grouped((resp.department, r) for r, resp in self.model.responsibilities.items())

    @cached_property
    def kpis_in(self) -> Mapping[str | None, tuple[str, ...]]:
        return _grouped((kpi.department, k) for k, kpi in self.model.kpis.items())

    @cached_property
    def kpis_owned_by(self) -> Mapping[str | None, tuple[str, ...]]:
        return _grouped((kpi.owner, k) for k, kpi in self.model.kpis.items())

    @cached_property
    def kpis_contributed_to_by(self) -> Mapping[str, tuple[str, ...]]:
        """Role -> the KPIs it is measured on as a contributor (not as their owner)."""
        return _grouped(
            (role_id, k)
            for k, kpi in self.model.kpis.items()
            for role_id in dict.fromkeys(kpi.contributors)
            if role_id != kpi.owner
        )

    @cached_property
    def _person_rank(self) -> Mapping[str, int]:
        return {person_id: rank for rank, person_id in enumerate(self.model.people)}

    @cached_property
    def _team_rank(self) -> Mapping[str, int]:
        return {team_id: rank for rank, team_id in enumerate(self.model.teams)}

    def people_in_order(self, people: Iterable[str]) -> tuple[str, ...]:
        """``people`` (declared ones) in the people section's order."""
        rank = self._person_rank
        return tuple(sorted((p for p in people if p in rank), key=rank.__getitem__))

    def teams_in_order(self, teams: Iterable[str]) -> list[str]:
        """``teams`` (declared ones) in the teams section's order."""
        rank = self._team_rank
        return sorted((t for t in teams if t in rank), key=rank.__getitem__)

    @cached_property
    def _findings_of(self) -> Mapping[str, tuple[Finding, ...]]:
        found: dict[str, list[Finding]] = {}
        for finding in self.findings:
            for subject in dict.fromkeys(finding.subjects):
                found.setdefault(subject, []).append(finding)
        return {subject: tuple(items) for subject, items in found.items()}

    def findings_about(self, item_id: str) -> Iterator[Finding]:
        """The findings naming ``item_id`` among their subjects, in the report's order."""
        return iter(self._findings_of.get(item_id, ()))
