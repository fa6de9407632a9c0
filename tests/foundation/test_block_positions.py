"""The cheap scan of block-style entries gives exactly PyYAML's positions, or gives up.

Entries are generated in block and flow style, with comments, blank lines, duplicate
keys, odd indentation and lines outside the scan's subset; whenever the scan accepts an
entry, every path PyYAML records must be located where PyYAML put it, and a path the
entry does not hold at its deepest recorded ancestor.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.findings import Location, Path
from crmorg.loading.block_positions import simple_entry
from crmorg.loading.yaml_nodes import parse_yaml

WORDS = st.sampled_from(
    ["own", "team", "Role 1", "O'Brien", "p1@example.com", "a-b", "1.5", "销售 代表", "x(y)", "12"]
)
ODD_VALUES = st.sampled_from(
    ['"quoted"', "'single'", "a: b", "[a, b", "{a: b", "&x y", "*y", "|", "- x", "a #b", "~"]
)
KEYS = st.sampled_from(["a", "b", "name", "grants", "lead", "x1", "é", "read-only", "2"])


def _flow(depth: int) -> st.SearchStrategy[str]:
    spaces = st.sampled_from(["", " ", "  "])
    if depth == 0:
        return WORDS
    inner = st.one_of(WORDS, _flow(depth - 1))
    sequence = st.builds(
        lambda items, pad: "[" + pad + f",{pad or ' '}".join(items) + pad + "]",
        st.lists(inner, max_size=3),
        spaces,
    )
    mapping = st.builds(
        lambda pairs, pad: "{" + pad + ", ".join(f"{k}: {v}" for k, v in pairs) + pad + "}",
        st.lists(st.tuples(KEYS, inner), max_size=3),
        spaces,
    )
    return st.one_of(sequence, mapping)


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", " " * indent + "# note", "#", "   "])))
        key = " " * indent + draw(KEYS) + ":"
        kind = draw(st.sampled_from(["words", "flow", "block", "empty", "odd"]))
        comment = draw(st.sampled_from(["", "", " # why", "  #"]))
        if kind == "block" and depth < 3:
            lines.append(key + comment)
            lines += draw(_block(indent + draw(st.sampled_from([1, 2, 4])), depth + 1))
        elif kind in ("empty", "block"):
            lines.append(key + comment)
        else:
            value = draw({"words": WORDS, "flow": _flow(3), "odd": ODD_VALUES}[kind])
            lines.append(key + draw(st.sampled_from([" ", "  "])) + value + comment)
    return lines


@st.composite
def _entries(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from([2, 4]))
    head = " " * indent + "entry:"
    if draw(st.booleans()):
        lines = [head + " " + draw(st.one_of(WORDS, _flow(3)))]
    else:
        lines = [head, *draw(_block(indent + draw(st.sampled_from([1, 2])), 1))]
    if draw(st.integers(0, 3)) == 0 and len(lines) > 1:  # a line shifted out of place
        at = draw(st.integers(1, len(lines) - 1))
        lines[at] = draw(st.sampled_from([" ", "   "])) + lines[at].lstrip(" ")
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(st.sampled_from(["  other: 1", "more text", "      - item"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _pyyaml_positions(text: str) -> dict[Path, tuple[Location, Location | None]] | None:
    recorded: dict[Path, tuple[Location, Location | None]] = {}

    def record(path: Path, value: Location, key: Location | None) -> None:
        recorded[path] = (value, key)

    parsed = parse_yaml(text, "entry.yaml", record)
    return recorded if parsed.data is not None else None


def _point(location: Location) -> tuple[int, int]:
    return (location.line - 1, location.column - 1)


@settings(max_examples=600, deadline=None)
@given(_entries())
def test_scanned_positions_are_pyyamls(text: str) -> None:
    entry = simple_entry(text)
    if entry is None:
        return
    recorded = _pyyaml_positions(text)
    assert recorded is not None, "the scan accepted an entry PyYAML cannot read"
    assert entry.root == _point(recorded[()][0])
    for path, (value, key) in recorded.items():
        if not path:
            continue
        expected_key = _point(key) if key is not None else None
        assert entry.locate(path) == (path, _point(value), expected_key), path
        for beyond in ("zz", 7):
            found, at, _ = entry.locate((*path, beyond))
            assert found == path and at == _point(value)


def test_a_generated_role_is_scanned() -> None:
    text = (
        "  role_1:\n    name: Role 1\n    inherits: [employee]\n    grants:\n"
        "      lead: {read: team, update: own}\n      # reviewed\n"
        "      case: {read: own}\n\n"
    )
    entry = simple_entry(text)
    assert entry is not None
    assert entry.locate(("role_1", "grants", "case", "read")) == (
        ("role_1", "grants", "case", "read"),
        (6, 19),
        (6, 13),
    )


def test_entries_outside_the_subset_are_left_to_pyyaml() -> None:
    for text in (
        '  r:\n    name: "Quoted"\n',
        "  r:\n    roles:\n      - a\n",
        "  r:\n    name: two\n      lines\n",
        "  r:\n    grants: {lead: {read: own},\n      case: {read: own}}\n",
        "  r:\n    name: x\n  s:\n    name: y\n",
        "  r:\n    name: bell\x07\n",
    ):
        assert simple_entry(text) is None, text
