"""Charts of a model: four views of the organisation as a :class:`Chart`.

- ``departments``: the department tree (``parent``); a department's sublabel names
  its head role and who holds it, and a department with a head is marked "head".
- ``roles``: role-level reporting (``reports_to``); roots are roles that report to
  no one. Marked: department-head roles ("head"), external roles, and, when the
  model declares people, vacant roles (nobody holds them, directly or through a
  role that inherits them). The sublabel names the holders.
- ``people``: the person-level reporting tree (``reports_to``); team leads are
  marked "lead", holders of a department-head role "head", people with an
  external role "external". The sublabel is the person's title.
- ``teams``: departments (only those with teams below them), their teams, and each
  team's members (the lead first, marked "lead").

Names are localised: the text for ``lang``, else English, else the first given,
else the id. Node ids are the model ids prefixed with their kind
(``role:sales_rep``), so that they are unique in every view. A model with a
reporting or department cycle (which validation reports) still charts: the cycle
is cut where it is entered. Every walk is iterative.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal, get_args

from crmorg.catalogs import LANGUAGES, messages
from crmorg.model import Model
from crmorg.text import Text, localize

from .svg import LEGEND
from .tree import Chart, ChartNode, NodeKind, prune, walk

__all__ = ["VIEWS", "ChartView", "build_chart"]

ChartView = Literal["departments", "roles", "people", "teams"]
VIEWS: tuple[ChartView, ...] = get_args(ChartView)

# Holders named in a role's sublabel before the rest are summed up as "+N".
_MAX_NAMES = 3
_NOBODY = "\u2014"  # an em dash: no holder, in any language


def _name(text: Text | None, fallback: str, lang: str) -> str:
    return localize(text, lang, fallback) or fallback


def _names(ids: Sequence[str], names: Mapping[str, str], sep: str = ", ") -> str:
    shown = [names.get(i, i) for i in ids[:_MAX_NAMES]]
    rest = len(ids) - _MAX_NAMES
    return sep.join(shown) + (f" +{rest}" if rest > 0 else "")


def _forest(
    ids: Sequence[str],
    parent_of: Mapping[str, str | None],
    make: Callable[[str, tuple[ChartNode, ...]], ChartNode],
) -> tuple[ChartNode, ...]:
    """Trees of ``ids`` by ``parent_of``, in ``ids`` order, built without recursion.

    Roots are the ids without a known parent; ids left over belong to cycles, and
    each cycle is entered (and cut) at its first id in ``ids`` order.
    """
    known = set(ids)
    children: dict[str, list[str]] = {i: [] for i in ids}
    roots: list[str] = []
    for i in ids:
        parent = parent_of.get(i)
        if parent is None or parent not in known or parent == i:
            roots.append(i)
        else:
            children[parent].append(i)
    order: list[str] = []
    tree_children: dict[str, list[str]] = {i: [] for i in ids}
    visited: set[str] = set()

    def visit(start: str) -> None:
        visited.add(start)
        stack = [start]
        while stack:
            current = stack.pop()
            order.append(current)
            fresh = [c for c in children[current] if c not in visited]
            visited.update(fresh)
            tree_children[current] = fresh
            stack.extend(reversed(fresh))

    for root in roots:
        visit(root)
    for i in ids:
        if i not in visited:
            roots.append(i)
            visit(i)
    built: dict[str, ChartNode] = {}
    for i in reversed(order):
        built[i] = make(i, tuple(built.pop(c) for c in tree_children[i]))
    return tuple(built[r] for r in roots)


class _Names:
    """Localised display names of a model's entities."""

    def __init__(self, model: Model, lang: str) -> None:
        self.lang = lang
        language = lang.split("-")[0].split("_")[0]
        # Between names in a box ("王芳、James Miller"), from the message catalog.
        self.sep = messages(language if language in LANGUAGES else "en")["list_sep"]
        self.people = {pid: _name(p.name, pid, lang) for pid, p in model.people.items()}
        self.roles = {rid: _name(r.name, rid, lang) for rid, r in model.roles.items()}
        self.departments = {did: _name(d.name, did, lang) for did, d in model.departments.items()}
        self.teams = {tid: _name(t.name, tid, lang) for tid, t in model.teams.items()}


def _head_roles(model: Model) -> set[str]:
    return {d.head for d in model.departments.values() if d.head is not None}


def _departments_view(model: Model, names: _Names) -> tuple[ChartNode, ...]:
    holders = model.org.direct_holders

    def make(dept_id: str, children: tuple[ChartNode, ...]) -> ChartNode:
        dept = model.departments[dept_id]
        kinds: set[NodeKind] = {"department"}
        sublabel = None
        if dept.head is not None:
            kinds.add("head")
            held_by = holders.get(dept.head, ())
            who = _names(held_by, names.people, names.sep) if held_by else _NOBODY
            sublabel = f"{names.roles.get(dept.head, dept.head)} \u00b7 {who}"
        return ChartNode(
            f"department:{dept_id}",
            names.departments[dept_id],
            sublabel,
            frozenset(kinds),
            children,
        )

    parents = {did: d.parent for did, d in model.departments.items()}
    return _forest(list(model.departments), parents, make)


def _roles_view(model: Model, names: _Names) -> tuple[ChartNode, ...]:
    holders = model.org.direct_holders
    heads = _head_roles(model)
    held = model.org.held_roles

    def make(role_id: str, children: tuple[ChartNode, ...]) -> ChartNode:
        role = model.roles[role_id]
        kinds: set[NodeKind] = {"role"}
        if role_id in heads:
            kinds.add("head")
        if role.external:
            kinds.add("external")
        if model.people and role_id not in held and not role.abstract:
            kinds.add("vacant")
        held_by = holders.get(role_id, ())
        sublabel = _names(held_by, names.people, names.sep) if held_by else None
        return ChartNode(
            f"role:{role_id}", names.roles[role_id], sublabel, frozenset(kinds), children
        )

    parents = {rid: r.reports_to for rid, r in model.roles.items()}
    return _forest(list(model.roles), parents, make)


class _PersonMarks:
    """Which people lead a team, hold a department-head role or an external role."""

    def __init__(self, model: Model) -> None:
        heads = _head_roles(model)
        self.leads = {t.lead for t in model.teams.values() if t.lead is not None}
        self.heads = {pid for pid, p in model.people.items() if any(r in heads for r in p.roles)}
        self.external = {
            pid
            for pid, p in model.people.items()
            if any(r in model.roles and model.roles[r].external for r in p.roles)
        }

    def kinds(self, person_id: str, is_lead: bool) -> frozenset[NodeKind]:
        kinds: set[NodeKind] = {"person"}
        if is_lead:
            kinds.add("lead")
        if person_id in self.heads:
            kinds.add("head")
        if person_id in self.external:
            kinds.add("external")
        return frozenset(kinds)


def _person_sublabel(model: Model, person_id: str, names: _Names) -> str | None:
    person = model.people[person_id]
    if person.title is not None:
        return _name(person.title, "", names.lang) or None
    roles = [names.roles.get(r, r) for r in person.roles]
    return names.sep.join(roles) or None


def _people_view(model: Model, names: _Names) -> tuple[ChartNode, ...]:
    marks = _PersonMarks(model)

    def make(person_id: str, children: tuple[ChartNode, ...]) -> ChartNode:
        return ChartNode(
            f"person:{person_id}",
            names.people[person_id],
            _person_sublabel(model, person_id, names),
            marks.kinds(person_id, person_id in marks.leads),
            children,
        )

    parents = {pid: p.reports_to for pid, p in model.people.items()}
    return _forest(list(model.people), parents, make)


def _teams_view(model: Model, names: _Names) -> tuple[ChartNode, ...]:
    members = model.org.team_members
    marks = _PersonMarks(model)
    person_order = {pid: index for index, pid in enumerate(model.people)}

    def member_node(team_id: str, person_id: str) -> ChartNode:
        return ChartNode(
            f"member:{team_id}:{person_id}",
            names.people[person_id],
            _person_sublabel(model, person_id, names),
            marks.kinds(person_id, model.teams[team_id].lead == person_id),
        )

    def team_node(team_id: str) -> ChartNode:
        lead = model.teams[team_id].lead
        ordered = sorted(
            members.get(team_id, frozenset()),
            key=lambda pid: (pid != lead, person_order.get(pid, 0), pid),
        )
        return ChartNode(
            f"team:{team_id}",
            names.teams[team_id],
            None,
            frozenset({"team"}),
            tuple(member_node(team_id, pid) for pid in ordered if pid in model.people),
        )

    teams_in: dict[str, list[str]] = {}
    loose: list[str] = []
    for team_id, team in model.teams.items():
        if team.department is not None and team.department in model.departments:
            teams_in.setdefault(team.department, []).append(team_id)
        else:
            loose.append(team_id)
    # Only departments with a team in them or below them.
    keep: set[str] = set()
    for dept_id in teams_in:
        current: str | None = dept_id
        while current is not None and current in model.departments and current not in keep:
            keep.add(current)
            current = model.departments[current].parent

    def make(dept_id: str, children: tuple[ChartNode, ...]) -> ChartNode:
        teams = tuple(team_node(t) for t in teams_in.get(dept_id, ()))
        return ChartNode(
            f"department:{dept_id}",
            names.departments[dept_id],
            None,
            frozenset({"department"}),
            teams + children,
        )

    ids = [d for d in model.departments if d in keep]
    parents = {did: d.parent for did, d in model.departments.items()}
    return _forest(ids, parents, make) + tuple(team_node(t) for t in loose)


_BUILDERS: Mapping[ChartView, Callable[[Model, _Names], tuple[ChartNode, ...]]] = {
    "departments": _departments_view,
    "roles": _roles_view,
    "people": _people_view,
    "teams": _teams_view,
}
# Which chart ids a ``root`` model id may stand for, per view, tried in this order.
_ROOT_PREFIXES: Mapping[ChartView, tuple[str, ...]] = {
    "departments": ("department",),
    "roles": ("role",),
    "people": ("person",),
    "teams": ("department", "team"),
}


def build_chart(
    model: Model,
    view: ChartView,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
) -> Chart:
    """The ``view`` of ``model`` as a chart, cut to ``root``'s subtree and ``depth``.

    ``root`` is a model id of the view's kind (a department, role or person; for
    ``teams`` a department or a team); ``depth`` counts levels below the root(s),
    0 meaning the root(s) alone. Raises ``ValueError`` for an unknown view, a root
    that is not in the chart, or a negative depth.
    """
    if view not in _BUILDERS:
        raise ValueError(f"unknown chart view {view!r}; the views are: {', '.join(VIEWS)}")
    names = _Names(model, lang)
    language = lang.split("-")[0].split("_")[0]
    words = messages(language if language in LANGUAGES else "en")
    org = model.organization
    org_name = _name(org.name, "", lang) if org is not None else ""
    view_title = words[f"chart.title.{view}"]
    title = f"{org_name}{words['colon']}{view_title}" if org_name else view_title
    # English legends are the renderers' own; other languages name every kind.
    legend = (
        ()
        if language not in LANGUAGES or language == "en"
        else tuple((kind, words[f"legend.{kind}"]) for kind, _ in LEGEND)
    )
    slug = view if root is None else f"{view}-{root}"
    chart = Chart(
        title,
        _BUILDERS[view](model, names),
        legend=legend,
        slug=slug,
        vacant_marker=words["chart.vacant"],
    )
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    root_id = None
    if root is not None:
        ids = {step.node.id for step in walk(chart.roots)}
        candidates = [f"{prefix}:{root}" for prefix in _ROOT_PREFIXES[view]]
        root_id = next((c for c in candidates if c in ids), None)
        if root_id is None:
            kinds = " or ".join(_ROOT_PREFIXES[view])
            raise ValueError(f"no {kinds} `{root}` in the {view} chart")
    if root_id is None and depth is None:
        return chart
    return prune(chart, root_id, depth)
