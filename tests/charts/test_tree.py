"""The chart structure: validation, traversal and pruning."""

from __future__ import annotations

import pytest

from crmorg.charts import RENDERERS
from crmorg.charts.tree import Chart, ChartEdge, ChartNode, find_node, prune, walk

from .samples import sample_chart


def ids(chart: Chart) -> list[str]:
    return [step.node.id for step in walk(chart.roots)]


def chain(length: int) -> ChartNode:
    node = ChartNode(f"c{length - 1}", "leaf")
    for i in range(length - 2, -1, -1):
        node = ChartNode(f"c{i}", f"level {i}", children=(node,))
    return node


def test_registry_names_every_renderer() -> None:
    assert sorted(RENDERERS) == ["dot", "html", "mermaid", "svg"]


@pytest.mark.parametrize("bad", ["", "Sales", "a b", "a<b", 'a"b', "é", "x" * 257])
def test_node_id_must_be_safe(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid chart node id"):
        ChartNode(bad, "label")


def test_prefixed_ids_are_allowed() -> None:
    assert ChartNode("team:sales_east", "East").id == "team:sales_east"
    assert ChartNode("dept-1", "x").id == "dept-1"


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown node kinds"):
        ChartNode("a", "A", kinds=frozenset({"boss"}))  # type: ignore[arg-type]


def test_children_must_be_a_tuple() -> None:
    with pytest.raises(TypeError):
        ChartNode("a", "A", children=[ChartNode("b", "B")])  # type: ignore[arg-type]


def test_duplicate_ids_in_a_chart_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate chart node id 'a'"):
        Chart("t", (ChartNode("a", "A"), ChartNode("b", "B", children=(ChartNode("a", "A2"),))))


def test_extra_edge_must_name_known_nodes() -> None:
    with pytest.raises(ValueError, match="unknown node 'zz'"):
        Chart("t", (ChartNode("a", "A"),), (ChartEdge("a", "zz"),))
    with pytest.raises(ValueError, match="edge style"):
        ChartEdge("a", "b", style="wavy")  # type: ignore[arg-type]


def test_walk_is_pre_order_with_depths() -> None:
    steps = list(walk(sample_chart().roots))
    assert [s.node.id for s in steps] == [
        "ceo",
        "sales_director",
        "sales_manager",
        "sales_rep",
        "partner_agent",
        "key_account",
        "crm_manager",
        "crm_admin",
        "data_analyst",
        "advisory_board",
    ]
    assert [s.depth for s in steps] == [0, 1, 2, 3, 3, 2, 1, 2, 2, 0]
    assert steps[3].parent is not None and steps[3].parent.id == "sales_manager"


def test_prune_depth_zero_keeps_only_roots() -> None:
    pruned = prune(sample_chart(), depth=0)
    assert ids(pruned) == ["ceo", "advisory_board"]
    assert pruned.extra_edges == ()


def test_prune_depth_counts_levels_below_each_root() -> None:
    pruned = prune(sample_chart(), depth=1)
    assert ids(pruned) == ["ceo", "sales_director", "crm_manager", "advisory_board"]


def test_prune_by_root_and_depth() -> None:
    chart = sample_chart()
    pruned = prune(chart, root="sales_director", depth=1)
    assert ids(pruned) == ["sales_director", "sales_manager", "key_account"]
    assert pruned.title == chart.title
    full = prune(chart, root="crm_manager")
    assert ids(full) == ["crm_manager", "crm_admin", "data_analyst"]


def test_prune_keeps_extra_edges_whose_ends_survive() -> None:
    chart = sample_chart()
    assert prune(chart).extra_edges == chart.extra_edges
    assert prune(chart, root="sales_director").extra_edges == ()
    assert prune(chart, depth=2).extra_edges == chart.extra_edges


def test_prune_reuses_untouched_subtrees() -> None:
    chart = sample_chart()
    assert prune(chart).roots[0] is chart.roots[0]
    assert prune(chart, depth=10).roots[0] is chart.roots[0]


def test_prune_errors() -> None:
    with pytest.raises(KeyError):
        prune(sample_chart(), root="nobody")
    with pytest.raises(ValueError, match="depth"):
        prune(sample_chart(), depth=-1)
    with pytest.raises(KeyError):
        find_node(sample_chart(), "nobody")


def test_deep_trees_need_no_recursion() -> None:
    deep = Chart("deep", (chain(5000),))
    assert len(ids(deep)) == 5000
    pruned = prune(deep, root="c10", depth=3)
    assert ids(pruned) == ["c10", "c11", "c12", "c13"]
    assert len(ids(prune(deep, depth=4000))) == 4001
    for render in RENDERERS.values():
        assert render(deep)
