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


def _positions_file(entries: int) -> tuple[str, list[str]]:
    """A roles section as generators write it, with blank lines, comments and values on
    the key's line or below it, large enough for the fast reader."""
    lines, ids = ["version: 1", "roles:"], []
    for index in range(entries):
        role_id = f"role_{index}"
        ids.append(role_id)
        if index % 7 == 3:
            lines += [f"  {role_id}: {{name: Role {index}, inherits: [role_0]}}"]
            continue
        lines += [f"  {role_id}:" + ("  # note" if index % 5 == 0 else "")]
        if index % 4 == 1:
            lines += ["", "    # the role's fields"]
        lines += [
            f"    name: Role {index}",
            "    grants:",
            f"      lead: {{read: team, update: own}}  # {index}",
            "      contact: {read: own}",
        ]
    return "\n".join(lines) + "\n", ids


def test_many_positions_of_one_file_are_those_asked_for_one_by_one() -> None:
    from crmorg.findings import Location
    from crmorg.loading.limits import DEFAULT_LIMITS
    from crmorg.loading.positions import LazyPositions
    from crmorg.loading.yaml_nodes import parse_yaml

    text, ids = _positions_file(3_000)
    assert len(text) > 64 * 1024
    read: dict[tuple[object, ...], tuple[Location, Location | None]] = {}
    parse_yaml(text, "f.yaml", lambda p, v, k: read.__setitem__(p, (v, k)), DEFAULT_LIMITS)
    paths: list[tuple[str | int, ...]] = []
    for index, role_id in enumerate(ids):
        deep = ("inherits", 0) if index % 7 == 3 else ("grants", "lead", "update")
        paths += [("roles", role_id), ("roles", role_id, *deep)]
    together: dict[tuple[object, ...], tuple[Location, Location | None]] = {}
    many = LazyPositions("f.yaml", text, {}, DEFAULT_LIMITS)
    for path in paths:
        many.materialize(path, lambda p, v, k: together.__setitem__(p, (v, k)))
    for path in paths[::97]:  # one by one, each in a file read for it alone
        alone: dict[tuple[object, ...], tuple[Location, Location | None]] = {}
        LazyPositions("f.yaml", text, {}, DEFAULT_LIMITS).materialize(
            path, lambda p, v, k, into=alone: into.__setitem__(p, (v, k))
        )
        assert alone[path] == together[path] == read[path], path
    for path in paths:
        assert together[path] == read[path], path


class _Named:
    """A lazily positioned file that records where it was asked."""

    def __init__(self, file: str) -> None:
        self.file = file

    def materialize(self, path: tuple[object, ...], record: object) -> None:
        from crmorg.findings import Location

        record(path, Location(self.file, 1, 1), None)  # type: ignore[operator]


def test_an_entry_claimed_by_its_section_mapping_belongs_to_the_first_file() -> None:
    from crmorg.source import SourceMap

    merged = SourceMap()
    for file, ids, skip in (
        ("a.yaml", {"r1": {}, "r2": {}}, set()),
        ("b.yaml", {"r2": {}, "r3": {}}, {("roles", "r2")}),  # r2 again: left out
        ("c.yaml", {"r4": {}}, {("roles",)}),  # the whole section left out
    ):
        local = SourceMap()
        local.add_file(file)
        local.attach_lazy(file, _Named(file))
        local.claim(("roles",), file)
        local.claim_entries("roles", ids, file)
        merged.update(local, skip)
    where = {entry: merged.value(("roles", entry, "name")).file for entry in ("r1", "r2", "r3")}
    assert where == {"r1": "a.yaml", "r2": "a.yaml", "r3": "b.yaml"}
    # r4's claim went with its section: the section's owner (the last file claiming
    # it unskipped) answers, as the claims one per id did.
    assert merged.value(("roles", "r4", "name")).file == "b.yaml"
