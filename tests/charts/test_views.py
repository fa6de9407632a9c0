"""Charts built from a model loaded through ``crmorg.load``."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import crmorg
from crmorg.charts import RENDERERS
from crmorg.charts.tree import Chart, ChartNode, walk
from crmorg.charts.views import VIEWS, build_chart
from crmorg.model import Model

MODEL = """\
version: 1
organization: {name: {en: Acme Trading, zh: 艾克美贸易}}
resources:
  opportunity: {name: Opportunity}
departments:
  management: {name: {en: Management, zh: 管理层}, head: ceo}
  sales: {name: {en: Sales, zh: 销售部}, parent: management, head: sales_manager}
  it: {name: IT, parent: management}
  legal: {name: Legal, parent: management}
roles:
  ceo: {name: {en: Chief Executive, zh: 首席执行官}, department: management}
  sales_manager:
    name: {en: Sales Manager, zh: 销售经理}
    department: sales
    reports_to: ceo
  sales_rep:
    name: {en: Sales Representative, zh: 销售代表}
    department: sales
    reports_to: sales_manager
    inherits: [employee]
  employee: {name: Employee, department: management}
  partner:
    name: {fr: Partenaire, de: Vertriebspartner}
    department: sales
    external: true
    reports_to: sales_manager
  crm_admin: {department: it, reports_to: ceo}
teams:
  sales_east: {name: {en: East Sales, zh: 华东销售}, department: sales, lead: alice}
  it_ops: {name: IT Ops, department: it}
people:
  dan: {name: Dan Li, roles: [ceo]}
  alice:
    name: {en: Alice Wang, zh: 王爱丽}
    title: {en: Head of Sales, zh: 销售总监}
    roles: [sales_manager]
    reports_to: dan
  bob: {name: Bob Chen, roles: [sales_rep], teams: [sales_east], reports_to: alice}
  carol: {name: Carol Liu, roles: [sales_rep], teams: [sales_east], reports_to: alice}
  kevin: {name: Kevin Ng, roles: [partner], teams: [sales_east], reports_to: alice}
"""


def load(tmp_path: Path, text: str = MODEL) -> Model:
    path = tmp_path / "model.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return crmorg.load(path)


@pytest.fixture
def model(tmp_path: Path) -> Model:
    return load(tmp_path)


def outline(chart: Chart) -> list[str]:
    """Each node as an indented ``id [kinds] label / sublabel`` line."""
    return [
        "  " * s.depth
        + f"{s.node.id} [{','.join(sorted(s.node.kinds))}] {s.node.label}"
        + (f" / {s.node.sublabel}" if s.node.sublabel is not None else "")
        for s in walk(chart.roots)
    ]


def test_departments_view(model: Model) -> None:
    chart = build_chart(model, "departments")
    assert chart.title == "Acme Trading: Departments"
    assert outline(chart) == [
        "department:management [department,head] Management / Chief Executive · Dan Li",
        "  department:sales [department,head] Sales / Sales Manager · Alice Wang",
        "  department:it [department] IT",
        "  department:legal [department] Legal",
    ]


def test_roles_view_follows_reports_to(model: Model) -> None:
    assert outline(build_chart(model, "roles")) == [
        "role:ceo [head,role] Chief Executive / Dan Li",
        "  role:sales_manager [head,role] Sales Manager / Alice Wang",
        "    role:sales_rep [role] Sales Representative / Bob Chen, Carol Liu",
        "    role:partner [external,role] Partenaire / Kevin Ng",
        "  role:crm_admin [role,vacant] crm_admin",
        # Held only through inheritance (sales_rep inherits it): not vacant.
        "role:employee [role] Employee",
    ]


def test_people_view_marks_leads_heads_and_externals(model: Model) -> None:
    assert outline(build_chart(model, "people")) == [
        "person:dan [head,person] Dan Li / Chief Executive",
        "  person:alice [head,lead,person] Alice Wang / Head of Sales",
        "    person:bob [person] Bob Chen / Sales Representative",
        "    person:carol [person] Carol Liu / Sales Representative",
        "    person:kevin [external,person] Kevin Ng / Partenaire",
    ]


def test_teams_view_nests_departments_teams_and_members(model: Model) -> None:
    assert outline(build_chart(model, "teams")) == [
        "department:management [department] Management",
        "  department:sales [department] Sales",
        "    team:sales_east [team] East Sales",
        "      member:sales_east:alice [head,lead,person] Alice Wang / Head of Sales",
        "      member:sales_east:bob [person] Bob Chen / Sales Representative",
        "      member:sales_east:carol [person] Carol Liu / Sales Representative",
        "      member:sales_east:kevin [external,person] Kevin Ng / Partenaire",
        "  department:it [department] IT",
        "    team:it_ops [team] IT Ops",
    ]


def test_names_are_localised_with_fallbacks(model: Model) -> None:
    chart = build_chart(model, "roles", lang="zh")
    assert chart.title == "艾克美贸易：角色"
    labels = {s.node.id: s.node.label for s in walk(chart.roots)}
    assert labels["role:sales_rep"] == "销售代表"
    assert labels["role:employee"] == "Employee"  # plain text in every language
    assert labels["role:partner"] == "Partenaire"  # no zh, no en: the first given
    assert labels["role:crm_admin"] == "crm_admin"  # no name: the id
    de = {s.node.id: s.node.label for s in walk(build_chart(model, "roles", lang="de").roots)}
    assert de["role:partner"] == "Vertriebspartner"
    people = build_chart(model, "people", lang="zh")
    assert outline(people)[1] == "  person:alice [head,lead,person] 王爱丽 / 销售总监"


def test_root_and_depth(model: Model) -> None:
    assert outline(build_chart(model, "roles", root="sales_manager", depth=0)) == [
        "role:sales_manager [head,role] Sales Manager / Alice Wang"
    ]
    assert [s.node.id for s in walk(build_chart(model, "departments", depth=0).roots)] == [
        "department:management"
    ]
    team = build_chart(model, "teams", root="sales_east", depth=1)
    assert len(list(walk(team.roots))) == 5
    dept = build_chart(model, "teams", root="sales", depth=1)
    assert [s.node.id for s in walk(dept.roots)] == ["department:sales", "team:sales_east"]
    with pytest.raises(ValueError, match="no person `nobody`"):
        build_chart(model, "people", root="nobody")
    with pytest.raises(ValueError, match="no department or team `legal` in the teams chart"):
        build_chart(model, "teams", root="legal")  # legal has no team
    with pytest.raises(ValueError, match="depth"):
        build_chart(model, "roles", depth=-1)
    with pytest.raises(ValueError, match="unknown chart view"):
        build_chart(model, "org", root=None)  # type: ignore[arg-type]


def test_cycles_still_chart(tmp_path: Path) -> None:
    model = load(
        tmp_path,
        """\
        version: 1
        organization: {name: Loop}
        departments:
          a: {name: A, parent: b}
          b: {name: B, parent: a}
        roles:
          x: {name: X, reports_to: y}
          y: {name: Y, reports_to: x}
          z: {name: Z, reports_to: z}
        people:
          p: {name: P, roles: [x], reports_to: q}
          q: {name: Q, roles: [y], reports_to: p}
        """,
    )
    for view in VIEWS:
        chart = build_chart(model, view)
        ids = [s.node.id for s in walk(chart.roots)]
        assert len(ids) == len(set(ids))
    assert outline(build_chart(model, "roles")) == [
        "role:z [role,vacant] Z",
        "role:x [role] X / P",
        "  role:y [role] Y / Q",
    ]
    assert len(build_chart(model, "departments").roots) == 1


def test_hostile_names_render_harmlessly(tmp_path: Path) -> None:
    model = load(
        tmp_path,
        """\
        version: 1
        organization: {name: "<script>alert(1)</script>"}
        departments:
          d: {name: "{{ d }} <b>&amp;</b>", head: r}
        roles:
          r: {name: "\\"r\\" --> [x]\\nline 2", department: d}
        people:
          p: {name: {en: "%%{init}%% `p`", zh: 销售}, roles: [r]}
        """,
    )
    for view in VIEWS:
        chart = build_chart(model, view)
        for render in RENDERERS.values():
            assert render(chart)
        svg = ET.fromstring(RENDERERS["svg"](chart).encode("utf-8"))
        texts = "\n".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}tspan"))
        nodes: list[ChartNode] = [s.node for s in walk(chart.roots)]
        for node in nodes:
            assert node.label.split("\n")[0] in texts
    labels = [s.node.label for s in walk(build_chart(model, "roles").roots)]
    assert labels == ['"r" --> [x]\nline 2']


def test_empty_model_gives_an_empty_chart(tmp_path: Path) -> None:
    model = load(tmp_path, "version: 1\norganization: {name: Empty}\n")
    for view in VIEWS:
        chart = build_chart(model, view)
        assert chart.roots == ()
        for render in RENDERERS.values():
            assert render(chart)


def test_the_svg_legend_speaks_the_charts_language(model: Model) -> None:
    from crmorg.charts.svg import render_svg

    chinese = render_svg(build_chart(model, "roles", lang="zh"))
    english = render_svg(build_chart(model, "roles"))
    assert "角色" in chinese and ">Role<" not in chinese
    assert ">Role<" in english and "角色</text>" not in english
    # the legend survives pruning
    pruned = build_chart(model, "roles", depth=0, lang="zh")
    assert pruned.legend == build_chart(model, "roles", lang="zh").legend
