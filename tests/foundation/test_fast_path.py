"""The fast parse (yaml-rs) and the positioned reader give the very same findings.

Large plain files are read by yaml-rs when it is installed, and positions are recovered
only for the entries findings point at. These tests load the same large model with the
fast parser and without it and compare every finding: rule, message, file, line, column.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.api import load_partial
from crmorg.lint.engine import run
from crmorg.loading import fast_yaml

pytestmark = pytest.mark.skipif(not fast_yaml.available(), reason="yaml-rs is not installed")

MUTATIONS = (
    ("role", "    inherits: [nobody]"),
    ("role", "    grants: {lead: {read: everyone}}"),
    ("role", "    name: no"),
    ("role", "    colour: blue"),
    ("person", "    roles: [ghost]"),
    ("person", "    reports_to: p0"),
    ("person", "    teams: [Bad-Team]"),
    ("person", "    email: 12"),
    ("person", "    name: {en: Li, 1zh: x}"),
)


def _model(mutations: list[tuple[int, int]], duplicate: bool) -> str:
    lines = [
        "version: 1",
        "organization: {name: Fast path}",
        "resources:",
        "  lead: {name: Lead}",
        "departments:",
        "  sales: {name: Sales, head: r0}",
        "roles:",
    ]
    inserts: dict[tuple[str, int], str] = {}
    for kind_index, target in mutations:
        kind, text = MUTATIONS[kind_index]
        inserts[(kind, target)] = text
    for index in range(150):
        lines += [f"  r{index}:", f"    name: Role {index}", "    department: sales"]
        if ("role", index) in inserts:
            lines.append(inserts[("role", index)])
        else:
            lines.append("    grants: {lead: {read: own}}")
    lines.append("people:")
    for index in range(1500):
        lines += [f"  p{index}:", f"    name: Person number {index}"]
        if ("person", index) in inserts:
            lines.append(inserts[("person", index)])
        else:
            lines.append(f"    roles: [r{index % 150}]")
        if duplicate and index == 700:
            lines += ["  p3:", "    name: again"]
    return "\n".join(lines) + "\n"


def _findings(path: Path) -> list[tuple[str, str, str, int, int]]:
    report = run(load_partial(path))
    return [(f.rule, f.message, f.file, f.line, f.column) for f in report.findings]


def _both(path: Path) -> Iterator[list[tuple[str, str, str, int, int]]]:
    yield _findings(path)
    saved = fast_yaml._yaml_rs
    fast_yaml._yaml_rs = None
    try:
        yield _findings(path)
    finally:
        fast_yaml._yaml_rs = saved


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutations=st.lists(
        st.tuples(st.integers(0, len(MUTATIONS) - 1), st.integers(0, 149)), max_size=4
    ),
    duplicate=st.booleans(),
)
def test_fast_and_positioned_readers_agree(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[tuple[int, int]], duplicate: bool
) -> None:
    directory = tmp_path_factory.mktemp("fast")
    text = _model(mutations, duplicate)
    assert len(text) > 64 * 1024  # large enough for the fast path
    (directory / "model.yaml").write_text(text, encoding="utf-8")
    fast, positioned = _both(directory)
    assert fast == positioned


def test_the_fast_path_is_taken_for_large_plain_files() -> None:
    text = _model([], duplicate=False)
    assert fast_yaml.fast_parse(text, 100_000) is not None
    assert fast_yaml.fast_parse(text.replace("Person number 1\n", "no\n"), 100_000) is None
    assert fast_yaml.fast_parse(text + "x: &a [1]\ny: *a\n", 100_000) is None


@pytest.mark.parametrize("depth", [65, 100, 200])
def test_deep_nesting_in_a_large_file_is_the_same_finding_on_both_paths(
    tmp_path: Path, depth: int
) -> None:
    """Nesting past crmorg's bound of 64 but within yaml-rs's own limit: the fast reader
    accepts it, the format rejects it, and the file is read again by the reference reader,
    so the finding is crmorg's depth bound at the collection that crosses it."""
    text = _model([], duplicate=False) + "  p9999:\n    name: " + "[" * depth + "]" * depth + "\n"
    (tmp_path / "model.yaml").write_text(text, encoding="utf-8")
    fast, positioned = _both(tmp_path)
    assert fast == positioned
    assert [f[0] for f in fast] == ["limit-exceeded", "rules-not-run"]
    assert "over the limit of 64 (max_nesting_depth)" in fast[0][1]


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_other_line_breaks_are_screened_as_line_feeds(newline: str) -> None:
    """An alias after a carriage return is still an alias: the screen must see it."""
    text = _model([], duplicate=False)
    assert fast_yaml.fast_parse(text.replace("\n", newline), 100_000) is not None
    aliased = (text + "x: &a [1]\ny: *a\n").replace("\n", newline)
    assert fast_yaml.fast_parse(aliased, 100_000) is None


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_yaml_1_1_line_breaks_go_to_the_reference_reader(separator: str) -> None:
    text = _model([], duplicate=False).replace("Person number 7\n", f"Person{separator}7\n")
    assert fast_yaml.fast_parse(text, 100_000) is None


def test_both_readers_agree_on_a_model_with_a_finding_per_role(tmp_path: Path) -> None:
    """The many-findings model of the scale benchmark, small: its positions come from
    the scan of block entries on the fast path, and must be the positioned reader's."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        from generate_scale import generate
    finally:
        sys.path.pop(0)
    generate(tmp_path, roles=300, people=1_500, seed=5, many_findings=True)
    fast, positioned = _both(tmp_path)
    assert fast == positioned
    rules = {finding[0] for finding in fast}
    assert {"role-without-responsibility", "excess-privilege", "department-without-kpi"} <= rules
    assert len(fast) > 300


@settings(max_examples=300, deadline=None)
@given(st.text("ab\n", max_size=60), st.integers(0, 12))
def test_long_lines_are_found_as_splitting_the_text_finds_them(text: str, limit: int) -> None:
    longest = max(map(len, text.split("\n")))
    assert fast_yaml._has_line_longer_than(text, limit) is (longest > limit)
