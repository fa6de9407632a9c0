"""Ways around the handbook: glossary, site search, the interactive chart, links in charts.

- :func:`glossary_page`: the terms the handbook uses (:data:`GLOSSARY`), in plain words;
  the text is in the message catalogs (``glossary.term.*``, ``glossary.def.*``).
- :func:`search_pages`: ``search.html`` and ``search-index.js``, a prebuilt index that
  assigns a global (``fetch()`` of a JSON file fails on ``file://``), read by a small
  inline script; the index lists items in the model's order, so it is deterministic.
- :func:`chart_page`: ``chart.html``, the role and people charts with zoom, pan,
  folding and find (:func:`crmorg.charts.html.chart_script`, inlined: no network).
  Without JavaScript the static SVG charts stay, every box a link.
- :func:`chart_links`: for a chart, the page each box opens, relative to one page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crmorg.charts.html import chart_script
from crmorg.charts.svg import render_svg
from crmorg.charts.tree import Chart, walk
from crmorg.charts.views import ChartView
from crmorg.docs.access import used_scopes
from crmorg.docs.context import Links, Page, SiteContext
from crmorg.docs.html import inline_svg
from crmorg.docs.matrices import RaciMatrix, raci_matrix
from crmorg.model import Model
from crmorg.permissions.scopes import Scope
from crmorg.text import hidden_escaped

__all__ = [
    "GLOSSARY",
    "OVERVIEW_MAX_BOXES",
    "SEARCH_INDEX",
    "chart_links",
    "chart_page",
    "department_raci",
    "glossary_page",
    "search_pages",
]

GLOSSARY: tuple[str, ...] = (
    "raci",
    "responsible",
    "accountable",
    "consulted",
    "informed",
    "scope",
    "scope_own",
    "scope_team",
    "scope_department",
    "scope_subordinates",
    "reports",
    "scope_organization",
    "sensitive",
    "critical",
    "inherited",
    "baseline",
    "abstract",
    "sharing_rule",
)
"""The glossary's terms, in the order the page lists them; anchors are ``term-<key>``."""

OVERVIEW_MAX_BOXES = 150
"""Above this many roles the overview shows the department chart, each box a link down
to the department's page, instead of one chart of every role."""

SEARCH_INDEX = "search-index.js"
SEARCH_GLOBAL = "CRMORG_SEARCH"

# Where a box of each kind of chart node leads: (page stem, anchor prefix or None).
_NODE_PAGES: Mapping[str, tuple[str, str | None]] = {
    "role": ("roles/{id}", None),
    "department": ("departments/{id}", None),
    "person": ("people", "person-"),
    "team": ("people", "team-"),
    "member": ("people", "person-"),
}


@cache
def static_text(name: str) -> str:
    """A file of the handbook's package data ``static/`` (a script, the stylesheet)."""
    return resources.files("crmorg.docs").joinpath(f"static/{name}").read_text("utf-8")


def chart_links(links: Links, chart: Chart) -> dict[str, str]:
    """Node id -> the URL (relative to ``links``' page) of the card or row it stands for."""
    hrefs: dict[str, str] = {}
    for step in walk(chart.roots):
        kind, _, rest = step.node.id.partition(":")
        target = _NODE_PAGES.get(kind)
        if target is None:
            continue
        item_id = rest.rpartition(":")[2]  # member:<team>:<person> -> the person
        stem, prefix = target
        anchor = f"{prefix}{item_id}" if prefix is not None else None
        hrefs[step.node.id] = links.url(stem.format(id=item_id), anchor)
    return hrefs


# --- glossary --------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    definition: str

    @property
    def anchor(self) -> str:
        return f"term-{self.key}"


def _unused_terms(model: Model) -> set[str]:
    """Terms of format v1.1 that the model has no use for (a 1.0 model never hears of them)."""
    unused = set()
    if Scope.SUBORDINATES not in used_scopes(model):
        unused |= {"scope_subordinates", "reports"}
    if not any(resource.baseline for resource in model.resources.values()):
        unused.add("baseline")
    if not model.sharing:
        unused.add("sharing_rule")
    if not any(role.abstract for role in model.roles.values()):
        unused.add("abstract")
    return unused


def glossary_terms(ctx: SiteContext) -> list[Term]:
    """The glossary's terms that apply to the model, in :data:`GLOSSARY` order."""
    unused = _unused_terms(ctx.model)
    return [
        Term(key, ctx.t(f"glossary.term.{key}"), ctx.t(f"glossary.def.{key}"))
        for key in GLOSSARY
        if key not in unused
    ]


def glossary_page(ctx: SiteContext) -> Iterator[Page]:
    yield ctx.render("glossary", "glossary", ctx.t("glossary.title"), terms=glossary_terms(ctx))


# --- department pages ------------------------------------------------------------


def department_raci(ctx: SiteContext, dept_id: str) -> RaciMatrix | None:
    """The department's responsibilities against its own roles that take part in them."""
    responsibilities = ctx.index.responsibilities_in.get(dept_id, ())
    if not responsibilities:
        return None
    whole = raci_matrix(ctx.model, responsibilities)
    own = set(ctx.index.roles_in.get(dept_id, ()))
    roles = tuple(role for role in whole.roles if role in own)
    if not roles:
        return None
    return RaciMatrix(whole.responsibilities, roles, whole.cells)


# --- search ----------------------------------------------------------------------


def _entries(ctx: SiteContext) -> list[dict[str, str]]:
    """What the search finds: ``t`` title, ``k`` kind, ``u`` URL from the root, ``d``
    description, ``i`` id, in the model's order."""
    model, names, root = ctx.model, ctx.names, Links(ctx, "index")
    entries: list[dict[str, str]] = []

    def add(kind: str, title: str, url: str, description: str = "", item_id: str = "") -> None:
        entry = {"t": title, "k": ctx.t(f"search.kind.{kind}"), "u": url}
        if description:
            entry["d"] = " ".join(description.split())[:160]
        if item_id:
            entry["i"] = item_id
        entries.append(entry)

    for section in ctx.sections:
        if section.nav is not None and section.stem is not None:
            add("page", ctx.t(section.nav), root.url(section.stem))
    for dept_id, dept in model.departments.items():
        add(
            "department",
            names.department(dept_id),
            root.url(f"departments/{dept_id}"),
            names.text(dept.description),
            dept_id,
        )
    for role_id, role in model.roles.items():
        holders = [names.person(p) for p in model.org.direct_holders.get(role_id, ())]
        description = names.text(role.description) or ctx.t.join(holders[:5])
        add("role", names.role(role_id), root.url(f"roles/{role_id}"), description, role_id)
    for person_id, person in model.people.items():
        roles = ctx.t.join([names.role(r) for r in person.roles])
        title = names.text(person.title) if person.title is not None else ""
        add(
            "person",
            names.person(person_id),
            root.url("people", f"person-{person_id}"),
            title or roles,
            person_id,
        )
    for team_id in model.teams:
        add("team", names.team(team_id), root.url("people", f"team-{team_id}"), "", team_id)
    for resp_id, resp in model.responsibilities.items():
        add(
            "responsibility",
            names.responsibility(resp_id),
            root.url("raci", f"resp-{resp_id}"),
            names.text(resp.description),
            resp_id,
        )
    for kpi_id, kpi in model.kpis.items():
        add(
            "kpi",
            names.kpi(kpi_id),
            root.url("kpis", f"kpi-{kpi_id}"),
            names.text(kpi.description),
            kpi_id,
        )
    for resource_id, resource in model.resources.items():
        add(
            "resource",
            names.resource(resource_id),
            root.url("permissions", f"resource-{resource_id}"),
            names.text(resource.description),
            resource_id,
        )
    for term in glossary_terms(ctx):
        add("term", term.term, root.url("glossary", term.anchor), term.definition)
    return entries


def search_index(ctx: SiteContext) -> str:
    """``search-index.js``: one statement assigning the index to a global."""
    data = json.dumps(_entries(ctx), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Nothing in the file can end a script element or open a comment, whatever the names.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Line separators end a statement in older engines; hidden characters (controls,
    # bidi, zero-width) are written as escapes, which mean the same characters.
    data = hidden_escaped(data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"window.{SEARCH_GLOBAL} = {data};\n"


def search_pages(ctx: SiteContext) -> Iterator[Page]:
    """The search page and its index (HTML site only)."""
    if ctx.fmt.name != "html":
        return
    yield Page(SEARCH_INDEX, search_index(ctx))
    yield ctx.render(
        "search",
        "search",
        ctx.t("search.title"),
        index_file=SEARCH_INDEX,
        script=ctx.fmt.safe(static_text("search.js")),
        texts={
            "none": ctx.t("search.no_results"),
            "count": ctx.t("search.count"),
        },
    )


# --- the interactive chart -------------------------------------------------------


@dataclass(frozen=True)
class InteractiveChart:
    label: str
    slug: str
    svg: str


def chart_page(ctx: SiteContext) -> Iterator[Page]:
    """``chart.html``: the role and people charts, interactive (HTML site only)."""
    if ctx.fmt.name != "html":
        return
    links = Links(ctx, "chart")
    charts = []
    views: tuple[tuple[ChartView, str], ...] = (
        ("roles", "chart.roles"),
        ("people", "chart.people"),
    )
    for view, label in views:
        chart = ctx.chart(view)
        if chart is None:
            continue
        svg = render_svg(chart, links=chart_links(links, chart), interactive=True)
        charts.append(InteractiveChart(ctx.t(label), chart.slug, ctx.fmt.safe(inline_svg(svg))))
    yield ctx.render(
        "chart",
        "chart",
        ctx.t("chart.title"),
        charts=charts,
        script=ctx.fmt.safe(chart_script()),
    )
