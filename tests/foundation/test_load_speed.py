"""The shortcuts that keep loading a large model fast give what the full computations give:
chain depths told in one pass, and positions found for many entries of a file at once."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.loading import bounds
from crmorg.roles import graphs
from crmorg.roles.models import Role

NODES = [f"n{index}" for index in range(12)]
OUTSIDE = ["x_outside"]


@st.composite
def single_parents(draw: st.DrawFn) -> dict[str, SimpleNamespace]:
    """Entries with at most one parent each, in any order: cycles, self-links, parents
    written later, parents outside the section."""
    nodes = draw(st.lists(st.sampled_from(NODES), unique=True, max_size=len(NODES)))
    choice = st.one_of(st.none(), st.sampled_from(nodes + OUTSIDE)) if nodes else st.none()
    return {node: SimpleNamespace(reports_to=draw(choice)) for node in nodes}


@st.composite
def inheriting_roles(draw: st.DrawFn) -> dict[str, Role]:
    nodes = draw(st.lists(st.sampled_from(NODES), unique=True, max_size=len(NODES)))
    parents = st.lists(st.sampled_from(nodes + OUTSIDE), max_size=3) if nodes else st.just([])
    return {node: Role(name=node, inherits=draw(parents)) for node in nodes}


@settings(max_examples=50, deadline=None)
@given(single_parents())
def test_a_settled_chain_is_the_deepest_chain(entries: dict[str, SimpleNamespace]) -> None:
    settled = bounds._settled_chain(entries, "reports_to")
    depths = graphs.chain_depths({node: entry.reports_to for node, entry in entries.items()})
    deepest = max(depths.values(), default=0)
    if settled is not None:
        assert settled == deepest
    written_before = list(entries)
    if all(
        entry.reports_to is None
        or entry.reports_to not in entries
        or written_before.index(entry.reports_to) < written_before.index(node)
        for node, entry in entries.items()
    ):
        assert settled == deepest  # parents first: one pass is enough


@settings(max_examples=50, deadline=None)
@given(inheriting_roles())
def test_settled_inheritance_is_the_deepest_inheritance(roles: dict[str, Role]) -> None:
    settled = bounds._settled_inheritance(roles)
    deepest, _ = graphs.deepest_inheritance(roles)
    if settled is not None:
        assert settled == deepest
    order = list(roles)
    if all(
        parent not in roles or order.index(parent) < order.index(node)
        for node, role in roles.items()
        for parent in role.inherits
    ):
        assert settled == deepest
