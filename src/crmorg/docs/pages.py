"""The page builders of the handbook: the data each page shows, then its template.

Each builder takes the :class:`~crmorg.docs.context.SiteContext` and yields pages.
Data is gathered here, in the model's order (departments in tree order), so that
templates only lay it out; every model string reaches a template as plain text and
is escaped there for its format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from crmorg.charts.tree import Chart, ChartNode, walk
from crmorg.charts.views import ChartView
from crmorg.docs import navigation
from crmorg.docs.access import (
    FieldRow,
    baseline_sentences,
    field_rows,
    role_fields,
    role_sharing,
    sharing_rows,
    used_scopes,
)
from crmorg.docs.context import Links, Page, SiteContext
from crmorg.docs.matrices import (
    PermissionCell,
    permission_matrix,
    permission_tables,
    raci_tables,
    role_resource_cell,
)
from crmorg.docs.permissions_text import describe_actions
from crmorg.docs.process_links import department_processes
from crmorg.docs.process_rows import process_views, role_steps
from crmorg.findings import Finding
from crmorg.model import Model
from crmorg.permissions.models import (
    ExclusiveRoles,
    PermissionName,
    RoleCardinality,
    SeparationOfDuties,
)
from crmorg.permissions.scopes import Scope
from crmorg.roles.scopes import RANK

__all__ = [
    "changelog_page",
    "chart_files",
    "department_pages",
    "index_page",
    "kpis_page",
    "people_page",
    "permissions_page",
    "raci_page",
    "report_page",
    "role_pages",
    "roles_page",
]

MAIN_CHART_VIEW: ChartView = "roles"
"""The view of the org chart on the overview page."""

FULL_CHART = "org-chart.svg"
"""The overview chart at full size, for the HTML site."""

_FORMULA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORMULA_FUNCTIONS = frozenset({"min", "max", "abs", "round"})


# --- shared facts --------------------------------------------------------------------


def heads_of(model: Model) -> dict[str, list[str]]:
    """Role id -> the departments it heads."""
    heads: dict[str, list[str]] = {}
    for dept_id, dept in model.departments.items():
        if dept.head is not None:
            heads.setdefault(dept.head, []).append(dept_id)
    return heads


def is_vacant(model: Model, role_id: str) -> bool:
    """A role nobody holds (not even through inheritance), where people are declared; an
    abstract role (a building block, format v1.1) is never vacant.

    This is how the org chart marks vacant roles too.
    """
    role = model.roles.get(role_id)
    if role is not None and role.abstract:
        return False
    return bool(model.people) and role_id not in model.org.held_roles


def formula_metrics(formula: str | None) -> list[str]:
    """The metric names a KPI formula uses, in order of first use."""
    if not formula:
        return []
    names = [name for name in _FORMULA_NAME.findall(formula) if name not in _FORMULA_FUNCTIONS]
    return list(dict.fromkeys(names))


def format_target(value: float | None, unit: str | None) -> str | None:
    """A KPI target as people read it: percent as ``85%``, other numbers plainly."""
    if value is None:
        return None
    if unit == "percent":
        return f"{_number(value * 100)}%"
    return _number(value)


def _number(value: float) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def findings_about(ctx: SiteContext, item_id: str) -> list[Finding]:
    return list(ctx.index.findings_about(item_id))


RULE_MESSAGES_LANG = "en"
"""The language the rules write their findings in (``crmorg validate`` prints them)."""


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    location: str
    severity: str
    message: str
    """The finding in the handbook's language: the rule's own message where the
    handbook speaks the rules' language, else the catalog's sentence for the rule."""


def finding_message(ctx: SiteContext, finding: Finding) -> str:
    """What a finding says, in the handbook's language (see :class:`FindingRow`); a
    rule the catalogs do not know (a plug-in's) keeps its own message."""
    if ctx.lang == RULE_MESSAGES_LANG:
        return finding.message
    key = f"finding.{finding.rule}"
    return ctx.t(key) if ctx.t.has(key) else finding.message


def finding_rows(ctx: SiteContext, findings: Iterable[Finding]) -> list[FindingRow]:
    """The findings as table rows; none in a client handbook (findings are the
    modellers' work list, with rule ids and file positions)."""
    if ctx.for_client:
        return []
    return [
        FindingRow(
            f,
            ctx.location(f.file, f.line, f.column),
            "waived" if f.waived else f.severity.value,
            finding_message(ctx, f),
        )
        for f in findings
    ]


def _counts(ctx: SiteContext) -> list[tuple[str, int, str | None]]:
    model = ctx.model
    return [
        ("count.departments", len(model.departments), "roles"),
        ("count.roles", len(model.roles), "roles"),
        ("count.people", len(model.people), "people"),
        ("count.teams", len(model.teams), "people"),
        ("count.responsibilities", len(model.responsibilities), "raci"),
        ("count.kpis", len(model.kpis), "kpis"),
        ("count.resources", len(model.resources), "permissions"),
    ]


# --- overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    id: str
    depth: int
    head: str | None
    head_holders: tuple[str, ...]
    parent: str | None
    roles: int
    people: int


def _department_rows(model: Model) -> list[DepartmentRow]:
    rows = []
    for dept_id, depth in model.org.department_order:
        dept = model.departments[dept_id]
        roles = model.org.department_roles[dept_id]
        people = model.org.department_people[dept_id]
        head = dept.head
        holders = model.org.direct_holders.get(head, ()) if head is not None else ()
        rows.append(
            DepartmentRow(
                dept_id, depth, head, tuple(holders), dept.parent, len(roles), len(people)
            )
        )
    return rows


def index_page(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    org = model.organization
    full = ctx.chart(MAIN_CHART_VIEW)
    chart, chart_links = full, None
    # A large organisation's overview is its department tree, each box a link down.
    large = full is not None and sum(1 for _ in walk(full.roots)) > navigation.OVERVIEW_MAX_BOXES
    if large:
        chart = ctx.chart("departments")
        chart_links = navigation.chart_links(Links(ctx, "index"), chart) if chart else None
    yield ctx.render(
        "index",
        "index",
        ctx.t("index.title"),
        description=ctx.names.text(org.description) if org is not None else "",
        counts=_counts(ctx),
        chart=chart,
        chart_links=chart_links,
        chart_note=(
            ctx.t("index.chart_note_departments", count=len(model.roles))
            if large
            else ctx.t("index.chart_note")
        ),
        chart_kinds=_chart_kinds(chart),
        full_chart=FULL_CHART if ctx.fmt.name == "html" and full is not None else None,
        departments=_department_rows(model),
        processes=department_processes(ctx, None),
        summary=ctx.report.summary,
        failed=ctx.report.failed,
        top_findings=finding_rows(  # none for a client
            ctx, [f for f in ctx.report.findings if not f.waived and f.severity.value == "error"]
        )[:10],
    )


_LEGEND_ORDER = ("department", "team", "role", "person", "head", "lead", "external", "vacant")


def _chart_kinds(chart: Chart | None) -> list[str]:
    if chart is None:
        return []
    kinds = {kind for step in walk(chart.roots) for kind in step.node.kinds}
    return [kind for kind in _LEGEND_ORDER if kind in kinds]


def chart_files(ctx: SiteContext) -> Iterator[Page]:
    """The overview chart as a standalone SVG file (HTML site only)."""
    if ctx.fmt.name != "html":
        return
    chart = ctx.chart(MAIN_CHART_VIEW)
    if chart is None:
        return
    from crmorg.charts.svg import render_svg

    yield Page(FULL_CHART, render_svg(chart))


# --- departments and roles -----------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    id: str
    holders: tuple[str, ...]
    reports_to: str | None
    head_of: tuple[str, ...]
    external: bool
    vacant: bool
    abstract: bool = False


def _role_row(model: Model, role_id: str, heads: dict[str, list[str]]) -> RoleRow:
    role = model.roles[role_id]
    return RoleRow(
        role_id,
        tuple(model.org.direct_holders.get(role_id, ())),
        role.reports_to,
        tuple(heads.get(role_id, ())),
        role.external,
        is_vacant(model, role_id),
        role.abstract,
    )


def roles_page(ctx: SiteContext) -> Iterator[Page]:
    """Every role, grouped by department in tree order."""
    model = ctx.model
    heads = heads_of(model)
    groups: list[tuple[str | None, int, list[RoleRow]]] = []
    for dept_id, depth in model.org.department_order:
        rows = [_role_row(model, r, heads) for r in ctx.index.roles_in.get(dept_id, ())]
        groups.append((dept_id, depth, rows))
    loose = [
        _role_row(model, r, heads)
        for r, role in model.roles.items()
        if role.department is None or role.department not in model.departments
    ]
    if loose:
        groups.append((None, 0, loose))
    yield ctx.render("roles", "roles", ctx.t("roles.title"), groups=groups)


@dataclass(frozen=True)
class TeamRow:
    id: str
    department: str | None
    lead: str | None
    members: tuple[str, ...]


def _team_rows(ctx: SiteContext, team_ids: Iterable[str]) -> list[TeamRow]:
    model, index = ctx.model, ctx.index
    rows = []
    for team_id in team_ids:
        team = model.teams[team_id]
        members = model.org.team_members.get(team_id, frozenset())
        ordered = index.people_in_order(members)
        rows.append(TeamRow(team_id, team.department, team.lead, ordered))
    return rows


def department_pages(ctx: SiteContext) -> Iterator[Page]:
    model, index = ctx.model, ctx.index
    heads = heads_of(model)
    for dept_id in model.departments:
        dept = model.departments[dept_id]
        roles = [_role_row(model, r, heads) for r in index.roles_in.get(dept_id, ())]
        chart = department_role_chart(ctx, dept_id)
        stem = f"departments/{dept_id}"
        yield ctx.render(
            "department",
            stem,
            ctx.names.department(dept_id),
            dept_id=dept_id,
            description=ctx.names.text(dept.description),
            parent=dept.parent,
            children=list(index.departments_under.get(dept_id, ())),
            head=dept.head,
            head_holders=tuple(model.org.direct_holders.get(dept.head, ())) if dept.head else (),
            roles=roles,
            teams=_team_rows(ctx, index.teams_in.get(dept_id, ())),
            responsibilities=list(index.responsibilities_in.get(dept_id, ())),
            kpis=list(index.kpis_in.get(dept_id, ())),
            processes=department_processes(ctx, dept_id),
            chart=chart,
            chart_links=navigation.chart_links(Links(ctx, stem), chart) if chart else None,
            chart_kinds=_chart_kinds(chart),
            raci=navigation.department_raci(ctx, dept_id),
            findings=finding_rows(ctx, findings_about(ctx, dept_id)),
        )


def department_role_chart(ctx: SiteContext, dept_id: str) -> Chart | None:
    """The roles chart cut down to one department's roles.

    Each kept role hangs below its nearest ancestor in the full chart that is also in
    the department; the others become roots. Node looks (kinds, holders) stay those
    of the full chart.
    """
    full = ctx.chart(MAIN_CHART_VIEW)
    if full is None:
        return None
    model = ctx.model
    wanted = {
        f"role:{role_id}" for role_id, role in model.roles.items() if role.department == dept_id
    }
    parent_of: dict[str, str | None] = {}
    order: list[ChartNode] = []
    for step in walk(full.roots):
        node_id = step.node.id
        parent = step.parent.id if step.parent is not None else None
        parent_of[node_id] = parent
        if node_id in wanted:
            order.append(step.node)
    if not order:
        return None
    children: dict[str, list[str]] = {node.id: [] for node in order}
    roots: list[str] = []
    for node in order:
        ancestor = parent_of[node.id]
        while ancestor is not None and ancestor not in wanted:
            ancestor = parent_of[ancestor]
        if ancestor is None:
            roots.append(node.id)
        else:
            children[ancestor].append(node.id)
    built: dict[str, ChartNode] = {}
    for node in reversed(order):  # pre-order reversed: children are built first
        kids = tuple(built.pop(child) for child in children[node.id])
        built[node.id] = ChartNode(node.id, node.label, node.sublabel, node.kinds, kids)
    title = ctx.names.department(dept_id) + ctx.t("colon") + ctx.t("count.roles")
    return Chart(
        title,
        tuple(built[root] for root in roots),
        legend=full.legend,
        slug=f"department-{dept_id}",
        vacant_marker=full.vacant_marker,
    )


@dataclass(frozen=True)
class PermissionLine:
    """One sentence of a role card: actions on a resource at one scope, and whence."""

    sentence: str
    actions: tuple[str, ...]
    scope: Scope
    source: str
    via: tuple[str, ...]
    baseline: bool = False
    """Given by the resource's baseline (format v1.1), not by a grant."""


@dataclass(frozen=True)
class ResourcePermissions:
    resource: str
    sensitive: bool
    lines: tuple[PermissionLine, ...]
    baselines: tuple[str, ...] = ()
    """The resource's baseline in words, where one of the lines comes from it."""


def role_permissions(ctx: SiteContext, role_id: str) -> list[ResourcePermissions]:
    """A role's effective grants as sentences, per resource, widest scope first; an action
    with grants at incomparable scopes (``subordinates`` and ``team``) is said at each."""
    model = ctx.model
    grants = model.role_grants.get(role_id, {})
    result = []
    for resource_id, resource in model.resources.items():
        groups: dict[tuple[Scope, str, bool], list[str]] = {}
        vias: dict[tuple[Scope, str, bool], tuple[str, ...]] = {}
        for action in model.catalog.applicable.get(resource_id, ()):
            grant = grants.get((resource_id, action))
            for member in grant.members if grant is not None else ():
                if member.scope is Scope.NONE:
                    continue
                key = (member.scope, member.source.role, member.source.baseline)
                groups.setdefault(key, []).append(action)
                vias.setdefault(key, member.via)
        if not groups:
            continue
        lines = tuple(
            PermissionLine(
                describe_actions(resource_id, resource, actions, key[0], ctx.lang),
                tuple(actions),
                key[0],
                key[1],
                vias[key],
                key[2],
            )
            for key, actions in sorted(
                groups.items(),
                key=lambda item: (-RANK[item[0][0]], item[0][1] != role_id, item[0][2]),
            )
        )
        by_baseline = any(line.baseline for line in lines)
        result.append(
            ResourcePermissions(
                resource_id,
                resource.sensitive,
                lines,
                tuple(baseline_sentences(ctx, resource_id)) if by_baseline else (),
            )
        )
    return result


def _raci_rank(letters: str) -> int:
    """Accountable first, then Responsible, Consulted, Informed."""
    return min("ARCI".index(letter) for letter in letters)


@dataclass(frozen=True)
class RaciRow:
    responsibility: str
    letters: str
    critical: bool
    department: str | None


def role_pages(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    heads = heads_of(model)
    for role_id, role in model.roles.items():
        yield ctx.render(
            "role",
            f"roles/{role_id}",
            ctx.names.role(role_id),
            role_id=role_id,
            role=role,
            description=ctx.names.text(role.description),
            head_of=heads.get(role_id, []),
            holders=list(model.org.direct_holders.get(role_id, ())),
            vacant=is_vacant(model, role_id),
            direct_reports=list(ctx.index.roles_reporting_to.get(role_id, ())),
            inherits=list(role.inherits),
            inherits_all=model.org.ancestors(role_id),
            inherited_by=list(ctx.index.roles_inheriting.get(role_id, ())),
            raci=[
                RaciRow(
                    resp_id,
                    letters,
                    model.responsibilities[resp_id].critical,
                    model.responsibilities[resp_id].department,
                )
                for resp_id, letters in sorted(
                    ctx.index.raci_of_role.get(role_id, ()), key=lambda item: _raci_rank(item[1])
                )
            ],
            steps=role_steps(ctx, role_id),
            permissions=role_permissions(ctx, role_id),
            fields=role_fields(ctx, role_id),
            sharing=role_sharing(model, role_id),
            kpis=[kpi_row(ctx, k) for k in ctx.index.kpis_owned_by.get(role_id, ())],
            kpis_contributed=[
                kpi_row(ctx, k) for k in ctx.index.kpis_contributed_to_by.get(role_id, ())
            ],
            findings=finding_rows(ctx, findings_about(ctx, role_id)),
        )


# --- people --------------------------------------------------------------------------


def people_page(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    yield ctx.render(
        "people",
        "people",
        ctx.t("people.title"),
        people=list(model.people.items()),
        person_teams={
            p: ctx.index.teams_in_order(model.org.person_teams.get(p, frozenset()))
            for p in model.people
        },
        teams=_team_rows(ctx, model.teams),
    )


# --- RACI ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementLine:
    sentence: str
    resource: str


def requirement_lines(ctx: SiteContext, responsibility_id: str) -> list[RequirementLine]:
    """What a responsibility's Responsible roles need, as sentences."""
    model = ctx.model
    requires = model.responsibilities[responsibility_id].requires
    lines = []
    for resource_key, actions in requires.items():
        resource_ids = list(model.resources) if resource_key == "*" else [resource_key]
        for resource_id in resource_ids:
            per_scope: dict[Scope, list[str]] = {}
            for action_key, scope_name in actions.items():
                scope = Scope.parse(scope_name)
                if scope == Scope.NONE:
                    continue
                applicable = model.catalog.applicable.get(resource_id)
                if action_key == "*":
                    chosen = list(applicable) if applicable is not None else []
                else:
                    chosen = [action_key]
                for action in chosen:
                    if action not in per_scope.setdefault(scope, []):
                        per_scope[scope].append(action)
            for scope in sorted(per_scope, key=RANK.__getitem__, reverse=True):
                if per_scope[scope]:
                    sentence = describe_actions(
                        resource_id,
                        model.resources.get(resource_id),
                        per_scope[scope],
                        scope,
                        ctx.lang,
                    )
                    lines.append(RequirementLine(sentence, resource_id))
    return lines


def raci_page(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    yield ctx.render(
        "raci",
        "raci",
        ctx.t("raci.title"),
        tables=raci_tables(model),
        responsibilities=list(model.responsibilities.items()),
        responsibilities_by_id=model.responsibilities,
        requirements={r: requirement_lines(ctx, r) for r in model.responsibilities},
        processes=process_views(ctx),
    )


# --- permissions ---------------------------------------------------------------------


Holder = tuple[str, Scope, bool]
"""(role, scope, whether the resource's baseline gives it)."""


@dataclass(frozen=True)
class ResourceRow:
    """Who may do each action on one resource: (action, [(role, scope, baseline)]); the
    resource's baseline in words and its fields (format v1.1)."""

    id: str
    description: str
    sensitive: bool
    grants_roles: bool
    actions: tuple[tuple[str, tuple[Holder, ...]], ...]
    baselines: tuple[str, ...] = ()
    fields: tuple[FieldRow, ...] = ()


def _resource_rows(ctx: SiteContext) -> list[ResourceRow]:
    model = ctx.model
    rows = []
    for resource_id, resource in model.resources.items():
        actions = []
        for action in model.catalog.applicable.get(resource_id, ()):
            who: list[Holder] = []
            for role_id, grants in model.role_grants.items():
                grant = grants.get((resource_id, action))
                for member in grant.members if grant is not None else ():
                    if member.scope is not Scope.NONE:
                        who.append((role_id, member.scope, member.source.baseline))
            who.sort(key=lambda item: -RANK[item[1]])
            actions.append((action, tuple(who)))
        rows.append(
            ResourceRow(
                resource_id,
                ctx.names.text(resource.description),
                resource.sensitive,
                resource.grants_roles,
                tuple(actions),
                tuple(baseline_sentences(ctx, resource_id)),
                tuple(field_rows(ctx, resource_id)),
            )
        )
    return rows


@dataclass(frozen=True)
class ConstraintRow:
    id: str
    kind: str
    text: str
    permissions: tuple[tuple[str, str], ...]
    roles: tuple[str, ...]


def _constraint_rows(ctx: SiteContext) -> list[ConstraintRow]:
    rows = []
    for constraint in ctx.model.constraints:
        if isinstance(constraint, SeparationOfDuties):
            pairs = tuple(
                (p.resource, p.action if p.field is None else f"{p.field}:{p.action}")
                for p in map(PermissionName.parse, constraint.permissions)
            )
            text = ctx.t("constraint.separation_of_duties_text")
            rows.append(ConstraintRow(constraint.id, constraint.kind, text, pairs, ()))
        elif isinstance(constraint, ExclusiveRoles):
            text = ctx.t("constraint.exclusive_roles_text", max=constraint.max)
            rows.append(
                ConstraintRow(constraint.id, constraint.kind, text, (), tuple(constraint.roles))
            )
        elif isinstance(constraint, RoleCardinality):
            if constraint.max is None:
                span = ctx.t("constraint.at_least", min=constraint.min)
            else:
                span = ctx.t("constraint.between", min=constraint.min, max=constraint.max)
            text = ctx.t(
                "constraint.role_cardinality_text", role=ctx.names.role(constraint.role), range=span
            )
            rows.append(ConstraintRow(constraint.id, constraint.kind, text, (), (constraint.role,)))
    return rows


def permissions_page(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    matrix = permission_matrix(model)
    by_role: list[tuple[str, list[tuple[str, PermissionCell]]]] = []
    for role_id in model.roles:
        cells = []
        for resource_id in model.resources:
            cell = role_resource_cell(model, role_id, resource_id)
            if cell is not None:
                cells.append((resource_id, cell))
        by_role.append((role_id, cells))
    yield ctx.render(
        "permissions",
        "permissions",
        ctx.t("permissions.title"),
        matrix=matrix,
        tables=permission_tables(matrix),
        scopes=used_scopes(model),
        by_role=by_role,
        resources=_resource_rows(ctx),
        sharing=sharing_rows(ctx),
        constraints=_constraint_rows(ctx),
    )


# --- KPIs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    id: str
    description: str
    formula: str | None
    unit: str | None
    direction: str | None
    target: str | None
    owner: str | None
    department: str | None
    frequency: str | None
    metrics: tuple[tuple[str, str | None, bool], ...]
    """(metric, its source resource, whether it is declared)."""
    contributors: tuple[str, ...] = ()


def kpi_row(ctx: SiteContext, kpi_id: str) -> KpiRow:
    model = ctx.model
    kpi = model.kpis[kpi_id]
    metrics = []
    for name in formula_metrics(kpi.formula):
        metric = model.metrics.get(name)
        metrics.append((name, metric.source if metric else None, metric is not None))
    return KpiRow(
        kpi_id,
        ctx.names.text(kpi.description),
        kpi.formula,
        kpi.unit,
        kpi.direction,
        format_target(kpi.target, kpi.unit),
        kpi.owner,
        kpi.department,
        kpi.frequency,
        tuple(metrics),
        tuple(dict.fromkeys(kpi.contributors)),
    )


def kpis_page(ctx: SiteContext) -> Iterator[Page]:
    model = ctx.model
    rows = [kpi_row(ctx, kpi_id) for kpi_id in model.kpis]
    used_by: dict[str, list[str]] = {}
    for row in rows:
        for name, _source, _declared in row.metrics:
            used_by.setdefault(name, []).append(row.id)
    yield ctx.render(
        "kpis",
        "kpis",
        ctx.t("kpis.title"),
        kpis=rows,
        metrics=list(model.metrics.items()),
        used_by=used_by,
    )


# --- change log ----------------------------------------------------------------------


def changelog_page(ctx: SiteContext) -> Iterator[Page]:
    """The commits that changed the model, newest first (only when it is in git)."""
    history = ctx.history
    if history is None:
        return
    from crmorg.docs.history import MAX_CHANGES

    yield ctx.render(
        "changelog",
        "changelog",
        ctx.t("changelog.title"),
        changes=list(history.changes),
        truncated=len(history.changes) >= MAX_CHANGES,
    )


# --- validation report ---------------------------------------------------------------


def report_page(ctx: SiteContext) -> Iterator[Page]:
    if ctx.for_client:
        return
    yield ctx.render(
        "report",
        "report",
        ctx.t("report.title"),
        summary=ctx.report.summary,
        failed=ctx.report.failed,
        findings=finding_rows(ctx, ctx.report.findings),
    )
