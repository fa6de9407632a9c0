"""An entry's own position, read off the scanned lines, is exactly what PyYAML records.

Most findings point at an entry itself (``("roles", "r1")``); for a fast-read file its
key and the start of its value come from the lines the entry scan found, without
reading the entry. These tests compare them with PyYAML's, over generated entries of
every shape a fast-read file can hold.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.findings import Location
from crmorg.loading.limits import DEFAULT_LIMITS
from crmorg.loading.positions import LazyPositions
from crmorg.loading.yaml_nodes import parse_yaml

_WORD = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
_COMMENT = st.sampled_from(["", "  # note", " #x"])
_BLANKS = st.lists(st.sampled_from(["", "   ", "  # between", "# at the margin"]), max_size=2)


@st.composite
def _entry(draw: st.DrawFn, entry_id: str) -> list[str]:
    shape = draw(st.sampled_from(["plain", "quoted", "flow", "block", "sequence", "list"]))
    comment = draw(_COMMENT)
    if shape == "plain":
        return [f"  {entry_id}: {draw(_WORD)} {draw(_WORD)}{comment}"]
    if shape == "quoted":
        return [f'  {entry_id}: "{draw(_WORD)}: x"{comment}']
    if shape == "flow":
        return [f"  {entry_id}: {{name: {draw(_WORD)}, roles: [{draw(_WORD)}]}}{comment}"]
    head = [f"  {entry_id}:{comment}", *draw(_BLANKS)]
    if shape == "block":
        fields = draw(st.lists(_WORD, min_size=1, max_size=3, unique=True))
        return head + [f"    {field}: {draw(_WORD)}" for field in fields]
    if shape == "sequence":
        return head + [f"    - {draw(_WORD)}" for _ in range(draw(st.integers(1, 3)))]
    return head + [f"  - {draw(_WORD)}" for _ in range(draw(st.integers(1, 3)))]


@st.composite
def _section(draw: st.DrawFn) -> tuple[str, list[str]]:
    ids = draw(st.lists(_WORD, min_size=1, max_size=6, unique=True))
    lines = ["version: 1", "roles:"]
    for entry_id in ids:
        lines += draw(_entry(entry_id))
        lines += draw(_BLANKS)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + ending, ids


@settings(max_examples=400, deadline=None)
@given(_section())
def test_an_entrys_own_position_is_pyyamls(case: tuple[str, list[str]]) -> None:
    text, ids = case
    read: dict[tuple[object, ...], tuple[Location, Location | None]] = {}
    parse_yaml(text, "f.yaml", lambda p, v, k: read.__setitem__(p, (v, k)), DEFAULT_LIMITS)
    for entry_id in ids:
        scanned: dict[tuple[object, ...], tuple[Location, Location | None]] = {}

        def record(
            path: tuple[object, ...],
            value: Location,
            key: Location | None,
            into: dict[tuple[object, ...], tuple[Location, Location | None]] = scanned,
        ) -> None:
            into[path] = (value, key)

        positions = LazyPositions("f.yaml", text, {}, DEFAULT_LIMITS)
        entry = ("roles", entry_id)
        positions.materialize(entry, record)
        assert scanned[entry] == read[entry], entry_id
        # A deeper path asked for afterwards is read as before: every path of the entry.
        for path in [p for p in read if len(p) > 2 and p[:2] == entry]:
            positions.materialize(path, record)
            assert scanned[path] == read[path], path
