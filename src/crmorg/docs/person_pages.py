"""One onboarding page per person: ``people/<id>.html`` (or ``.md``).

A person's page says who they are in the organisation (roles, manager, teams, the
people who report to them), what they may do in the CRM (the plain sentences of their
roles' cards, :func:`crmorg.docs.pages.role_permissions`, which include the
``subordinates`` and ``team`` scopes), what they answer for (their RACI letters and
process steps), the KPIs they own or are measured on, and a checklist for the first
week, 30, 60 and 90 days derived from all that: each item names a person, record
type, responsibility or KPI of the model, and a phase with nothing to do is left out.

Everything per role (its sentences, its RACI rows, its KPIs) is worked out once and
shared by every holder, so 10,000 people cost 10,000 short pages, not 10,000 scans.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from crmorg.docs.context import Links, Page, SiteContext
from crmorg.docs.pages import KpiRow, ResourcePermissions, kpi_row, role_permissions
from crmorg.docs.process_rows import StepRow, role_steps
from crmorg.roles.scopes import RANK

__all__ = ["PHASES", "person_pages", "process_steps"]

PHASES = ("week1", "day30", "day60", "day90")
"""The checklist's phases, in order (``person.phase.<phase>`` names each)."""

_LISTED = 5
"""How many record types a "get access" item names before "and N more"."""


def process_steps(ctx: SiteContext, roles: Sequence[str]) -> list[StepRow]:
    """The process steps ``roles`` take part in, in process then step order; a step two
    of the roles take part in is listed once, with the letters of both."""
    letters: dict[tuple[str, str], set[str]] = {}
    rows: dict[tuple[str, str], StepRow] = {}
    for role_id in roles:
        for row in role_steps(ctx, role_id):
            key = (row.process, row.step)
            rows.setdefault(key, row)
            letters.setdefault(key, set()).update(row.letters)
    order = {
        (process_id, part.id): (p, i)
        for p, (process_id, process) in enumerate(ctx.model.processes.items())
        for i, part in enumerate(process.steps)
    }
    return [
        replace(rows[key], letters="".join(x for x in "RACI" if x in letters[key]))
        for key in sorted(rows, key=lambda key: order.get(key, (0, 0)))
    ]


@dataclass(frozen=True)
class RaciItem:
    responsibility: str
    letters: str
    roles: tuple[str, ...]
    """The person's roles that hold those letters."""


@dataclass(frozen=True)
class RoleAccess:
    role: str
    resources: tuple[ResourcePermissions, ...]


@dataclass(frozen=True)
class Phase:
    key: str
    items: tuple[str, ...]
    """Each item already in the page's format (links in it)."""


@dataclass
class _PerRole:
    """What every holder of a role shares, worked out on first use."""

    ctx: SiteContext
    permissions: dict[str, tuple[ResourcePermissions, ...]] = field(default_factory=dict)
    kpis: dict[str, KpiRow] = field(default_factory=dict)
    reaches: dict[str, str] = field(default_factory=dict)
    """Role -> the record types it reaches, as linked text. Every person page is in
    ``people/``, so links from one read the same from all."""
    templates: dict[str, str] = field(default_factory=dict)

    def say(self, key: str, **values: Any) -> str:
        """Catalog text ``key`` in the page's format, its ``{placeholders}`` filled with
        ``values`` (escaped unless already in the format): ``str.format`` on text
        escaped once, as Markup's own ``format`` is ten times slower."""
        fmt = self.ctx.fmt
        template = self.templates.get(key)
        if template is None:
            template = self.templates[key] = str(fmt.escape(self.ctx.t(key)))
        filled = {
            name: value if isinstance(value, Markup) else str(fmt.escape(str(value)))
            for name, value in values.items()
        }
        return template.format(**filled)

    def widest(self, access: RoleAccess) -> str:
        found = self.reaches.get(access.role)
        if found is None:
            link = Links(self.ctx, "people/_")
            found = self.reaches[access.role] = _widest(self, link, access)
        return found

    def of(self, role_id: str) -> tuple[ResourcePermissions, ...]:
        found = self.permissions.get(role_id)
        if found is None:
            found = self.permissions[role_id] = tuple(role_permissions(self.ctx, role_id))
        return found

    def kpi(self, kpi_id: str) -> KpiRow:
        found = self.kpis.get(kpi_id)
        if found is None:
            found = self.kpis[kpi_id] = kpi_row(self.ctx, kpi_id)
        return found


def person_pages(ctx: SiteContext) -> Iterator[Page]:
    model, index = ctx.model, ctx.index
    shared = _PerRole(ctx)
    reports: dict[str, list[str]] = {}
    for person_id, person in model.people.items():
        if person.reports_to is not None:
            reports.setdefault(person.reports_to, []).append(person_id)
    for person_id, person in model.people.items():
        stem = f"people/{person_id}"
        roles = [r for r in dict.fromkeys(person.roles) if r in model.roles]
        inherited = [
            a
            for a in dict.fromkeys(x for r in roles for x in model.org.ancestors(r))
            if a not in roles
        ]
        teams = index.teams_in_order(model.org.person_teams.get(person_id, frozenset()))
        raci = _raci(ctx, roles)
        owned = [k for r in roles for k in index.kpis_owned_by.get(r, ())]
        measured = [k for r in roles for k in index.kpis_contributed_to_by.get(r, ())]
        owned = list(dict.fromkeys(owned))
        measured = [k for k in dict.fromkeys(measured) if k not in owned]
        access = [RoleAccess(r, shared.of(r)) for r in roles]
        steps = process_steps(ctx, roles)
        facts = _Facts(
            person_id,
            person.reports_to if person.reports_to in model.people else None,
            tuple(reports.get(person_id, ())),
            tuple((t, model.teams[t].lead) for t in teams),
            tuple(access),
            tuple(raci),
            tuple(shared.kpi(k) for k in owned),
            tuple(shared.kpi(k) for k in measured),
            tuple(steps),
        )
        yield ctx.render(
            "person",
            stem,
            ctx.names.person(person_id),
            person_id=person_id,
            person=person,
            title_text=ctx.names.text(person.title),
            roles=roles,
            inherited=inherited,
            facts=facts,
            checklist=_checklist(ctx, Links(ctx, stem), facts, shared),
        )


@dataclass(frozen=True)
class _Facts:
    person: str
    manager: str | None
    reports: tuple[str, ...]
    teams: tuple[tuple[str, str | None], ...]
    access: tuple[RoleAccess, ...]
    raci: tuple[RaciItem, ...]
    kpis_owned: tuple[KpiRow, ...]
    kpis_measured: tuple[KpiRow, ...]
    steps: tuple[StepRow, ...]


def _raci(ctx: SiteContext, roles: Sequence[str]) -> list[RaciItem]:
    """The responsibilities the person's roles take part in: letters merged, A first."""
    letters: dict[str, dict[str, None]] = {}
    holders: dict[str, dict[str, None]] = {}
    for role_id in roles:
        for responsibility, held in ctx.index.raci_of_role.get(role_id, ()):
            merged = letters.setdefault(responsibility, {})
            merged.update(dict.fromkeys(held))
            holders.setdefault(responsibility, {})[role_id] = None
    items = [
        RaciItem(r, "".join(sorted(held, key="ARCI".index)), tuple(holders[r]))
        for r, held in letters.items()
    ]
    items.sort(key=lambda item: "ARCI".index(item.letters[0]))
    return items


def _checklist(ctx: SiteContext, link: Links, facts: _Facts, shared: _PerRole) -> list[Phase]:
    """The first week, 30, 60 and 90 days, each item derived from the model."""
    t, fmt = ctx.t, ctx.fmt

    def say(key: str, **values: Any) -> str:
        return shared.say(f"person.check.{key}", **values)

    def links(kind: str, ids: Sequence[str]) -> str:
        return fmt.safe(str(fmt.escape(t("list_sep"))).join(link.to(kind, i) for i in ids))

    phases: dict[str, list[str]] = {phase: [] for phase in PHASES}
    week1, day30, day60, day90 = (phases[p] for p in PHASES)
    if facts.manager is not None:
        week1.append(say("meet_manager", who=link.person(facts.manager)))
    for team, lead in facts.teams:
        if lead is not None and lead != facts.person:
            week1.append(say("meet_lead", who=link.person(lead), team=link.team(team)))
        elif lead == facts.person:
            week1.append(say("meet_team", team=link.team(team)))
    if facts.reports:
        week1.append(say("meet_reports", who=links("person", facts.reports)))
    for access in facts.access:
        if access.resources:
            week1.append(say("access", role=link.role(access.role), what=shared.widest(access)))
    answerable = [i.responsibility for i in facts.raci if set(i.letters) & {"A", "R"}]
    if answerable:
        week1.append(say("read_raci", what=links("responsibility", answerable)))
    kpis = (*facts.kpis_owned, *facts.kpis_measured)
    if kpis:
        week1.append(say("read_kpis", what=links("kpi", [k.id for k in kpis])))
    for item in facts.raci:
        if "R" in item.letters:
            day30.append(say("do", what=link.responsibility(item.responsibility)))
    for step in facts.steps:
        if "R" in step.letters:
            day30.append(
                say("run_step", step=fmt.escape(step.name), process=link.process(step.process))
            )
    frequent = [k for k in kpis if k.frequency in ("daily", "weekly", "monthly")]
    for kpi in frequent:
        day30.append(say("first_report", what=link.kpi(kpi.id), target=_target(ctx, kpi)))
    consulted = [i.responsibility for i in facts.raci if "C" in i.letters]
    if consulted:
        day60.append(say("consulted", what=links("responsibility", consulted)))
    informed = [i.responsibility for i in facts.raci if "I" in i.letters]
    if informed:
        day60.append(say("informed", what=links("responsibility", informed)))
    for kpi in kpis:
        if kpi.frequency == "quarterly":
            day60.append(say("first_quarter", what=link.kpi(kpi.id), target=_target(ctx, kpi)))
    for item in facts.raci:
        if "A" in item.letters:
            day90.append(say("accountable", what=link.responsibility(item.responsibility)))
    reviewer = link.person(facts.manager) if facts.manager else fmt.escape(t("person.manager"))
    for kpi in facts.kpis_owned:
        day90.append(say("review_owned", what=link.kpi(kpi.id), who=reviewer))
    for kpi in facts.kpis_measured:
        day90.append(say("review_measured", what=link.kpi(kpi.id), who=reviewer))
    return [Phase(p, tuple(items)) for p, items in phases.items() if items]


def _widest(shared: _PerRole, link: Links, access: RoleAccess) -> str:
    """The record types a role reaches, widest scope first: ``Account (team), ...``."""
    ranked = sorted(
        access.resources,
        key=lambda r: -max((RANK[line.scope] for line in r.lines), default=0),
    )
    t, fmt = shared.ctx.t, shared.ctx.fmt
    shown = []
    for resource in ranked[:_LISTED]:
        widest = max(resource.lines, key=lambda line: RANK[line.scope]).scope
        shown.append(
            shared.say(
                "person.resource_at",
                resource=link.resource(resource.resource),
                scope=t(f"scope.{widest.label}"),
            )
        )
    text = str(fmt.escape(t("list_sep"))).join(shown)
    if len(ranked) > _LISTED:
        text += str(fmt.escape(t("person.and_more", count=len(ranked) - _LISTED)))
    return fmt.safe(text)


def _target(ctx: SiteContext, kpi: KpiRow) -> str:
    return kpi.target if kpi.target is not None else ctx.t("not_set")
