"""The bulk paths of a validation run give exactly what the one-at-a-time paths gave.

A model with 330,000 findings is checked through shortcuts: positions looked up in one
call, findings sorted and de-duplicated in one pass, the JSON report written with its
shared parts encoded once, and rules about a few roles computing the grants of those
roles only. Each is compared here with the plain way it replaced, over generated inputs
(hostile text, duplicates, ties, every entry shape, inheritance, wildcards, baselines).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.export.strategies import load_document, model_documents

from crmorg.findings import Finding, Location, Severity, new_finding
from crmorg.lint.engine import Report, _sorted_unique, report_order, run
from crmorg.lint.rules.rules_not_run import RULES_NOT_RUN
from crmorg.loading.limits import DEFAULT_LIMITS
from crmorg.loading.positions import LazyPositions
from crmorg.reporters import json_report
from crmorg.reporters import text as text_report
from crmorg.roles import graphs
from crmorg.roles.models import Role
from crmorg.roles.raci import owners
from crmorg.source import SourceMap
from crmorg.text import hidden_escaped, reveal

# Positions ---------------------------------------------------------------------------

_ID = st.sampled_from(["r1", "r2", "r3", "sales_rep", "x"])
_LINES: dict[str, list[str]] = {
    "block": ["  {id}:", "    name: A {id}", "    grants: {{lead: {{read: own}}}}"],
    "inline": ["  {id}: {{name: B}}"],
    "commented": ["  {id}:  # note", "", "    # said", "    name: C"],
    "empty": ["  {id}:"],
    "tabbed": ["  {id}:", "    name: tab\there"],
    "list": ["  {id}:", "    inherits:", "      - r1", "      - r2"],
}


@st.composite
def _lazy_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    ids = draw(st.lists(_ID, min_size=1, max_size=5, unique=True))
    lines = ["version: 1", "roles:"]
    for entry_id in ids:
        shape = draw(st.sampled_from(sorted(_LINES)))
        lines += [line.format(id=entry_id) for line in _LINES[shape]]
    lines += ["people:", "  p1: {roles: [r1]}"]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + ending, ids


_PATHS = st.one_of(
    st.tuples(st.just("roles"), _ID),
    st.tuples(st.just("roles"), _ID, st.sampled_from(["name", "grants", "inherits"])),
    st.tuples(st.just("roles"), _ID, st.just("inherits"), st.integers(0, 2)),
    st.just(("roles",)),
    st.just(("people", "p1")),
    st.just(("roles", 0)),
)


def _source(text: str) -> SourceMap:
    source = SourceMap()
    source.add_file("m.yaml")
    source.attach_lazy("m.yaml", LazyPositions("m.yaml", text, {}, DEFAULT_LIMITS))
    return source


@settings(max_examples=50, deadline=None)
@given(_lazy_text(), st.lists(st.tuples(_PATHS, st.booleans()), max_size=12))
def test_positions_located_at_once_are_those_located_one_by_one(
    case: tuple[str, list[str]], wanted: list[tuple[tuple[Any, ...], bool]]
) -> None:
    text, _ = case
    together, alone = _source(text), _source(text)
    located = together.locate(wanted)
    one_by_one = [alone.key(path) if at_key else alone.value(path) for path, at_key in wanted]
    assert located == one_by_one
    # What was recorded on the way is the same too, so later lookups agree.
    assert together._values == alone._values
    assert together._keys == alone._keys
    for path, _ in wanted:
        assert together.value(path) == alone.value(path)
        assert together.key(path) == alone.key(path)


# Report order ------------------------------------------------------------------------

_FINDING = st.builds(
    Finding,
    rule=st.sampled_from(["vacant-role", "a-rule", RULES_NOT_RUN.name]),
    code=st.just("CRM207"),
    severity=st.sampled_from(Severity),
    message=st.sampled_from(["m", "n", "销售 \u202e"]),
    location=st.builds(
        Location, st.sampled_from(["a.yaml", "b.yaml"]), st.integers(1, 3), st.integers(1, 2)
    ),
    subjects=st.sampled_from([(), ("x",), ("x", "y")]),
    waived=st.booleans(),
)


def _plain_sorted_unique(findings: list[Finding]) -> tuple[Finding, ...]:
    """What the engine did before: sort, then keep the first of each key in a set."""
    ordered = sorted(findings, key=report_order)
    seen: set[tuple[Any, ...]] = set()
    unique: list[Finding] = []
    for finding in ordered:
        key = (finding.rule, finding.location, finding.subjects, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return tuple(unique)


@settings(max_examples=50, deadline=None)
@given(st.lists(_FINDING, max_size=30))
def test_findings_sorted_and_unique_in_one_pass(findings: list[Finding]) -> None:
    got = _sorted_unique(list(findings))
    expected = _plain_sorted_unique(findings)
    assert got == expected
    # The same objects, so which duplicate survives (its severity, its waiver) agrees.
    assert all(a is b for a, b in zip(got, expected, strict=True))


@given(_FINDING)
@settings(max_examples=25, deadline=None)
def test_a_finding_made_in_one_step_is_the_dataclasss(finding: Finding) -> None:
    args = (finding.rule, finding.code, finding.severity, finding.message)
    made = new_finding(*args, finding.location, finding.subjects)
    plain = Finding(*args, finding.location, finding.subjects)
    assert made == plain
    assert vars(made) == vars(plain)
    assert list(vars(made)) == [f.name for f in fields(Finding)]  # every field, in order
    assert repr(made) == repr(plain) and hash(made) == hash(plain)
    assert made.waive("why") == plain.waive("why")


# JSON report -------------------------------------------------------------------------

_HOSTILE = st.sampled_from(
    [
        "plain",
        'say "hi"\n\\',
        "Del\x7f nel\x85 csi\x9b1m",
        "Sales\u202eRep\u200bzw\ufeff",
        "Esc\x1b[31m\x00",
        "销售代表",
        "=cmd|' /C calc'!A0",
        "\ud800 lone",
    ]
)
_HOSTILE_FINDING = st.builds(
    Finding,
    rule=st.sampled_from(["vacant-role", "schema"]) | _HOSTILE,
    code=st.sampled_from(["CRM207", "CRM001"]),
    severity=st.sampled_from(Severity),
    message=_HOSTILE | st.text(max_size=8),
    location=st.builds(Location, _HOSTILE, st.integers(0, 10**6), st.integers(0, 10**4)),
    subjects=st.lists(_HOSTILE, max_size=3).map(tuple),
    waived=st.booleans(),
    waiver_reason=st.none() | _HOSTILE,
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_HOSTILE_FINDING, max_size=12), st.sampled_from(Severity))
def test_the_json_report_is_the_escaped_json_dumps_of_its_dictionary(
    findings: list[Finding], fail_on: Severity
) -> None:
    report = Report(tuple(findings), fail_on)
    expected = hidden_escaped(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    assert json_report.render(report) == expected + "\n"
    assert "".join(json_report.chunks(report, batch=2)) == expected + "\n"


def _plain_text_line(finding: Finding, colour: bool) -> str:
    """The text reporter's line as it was written before (every part revealed)."""
    level = "waived" if finding.waived else finding.severity.value
    if colour:
        tint = text_report._DIM if finding.waived else text_report._COLOURS[finding.severity]
        level = f"{tint}{level}{text_report._RESET}"
    line = f"{reveal(str(finding.location))}: {level} {finding.rule}: {reveal(finding.message)}"
    if finding.waived and finding.waiver_reason:
        line += f" [waived: {reveal(finding.waiver_reason)}]"
    return line


@settings(max_examples=50, deadline=None)
@given(
    st.lists(_HOSTILE_FINDING, max_size=12).map(lambda f: sorted(f, key=report_order)),
    st.sampled_from(Severity),
    st.booleans(),
)
def test_the_text_report_reveals_what_it_did(
    findings: list[Finding], fail_on: Severity, colour: bool
) -> None:
    report = Report(tuple(findings), fail_on)
    lines: list[str] = []
    current: str | None = None
    for finding in findings:
        if finding.file != current:
            if current is not None:
                lines.append("")
            current = finding.file
            shown = reveal(finding.file)
            lines.append(f"{text_report._BOLD}{shown}{text_report._RESET}" if colour else shown)
        lines.append(_plain_text_line(finding, colour))
    if lines:
        lines.append("")
    lines.append(text_report.summary_line(report, colour))
    assert text_report.render(report, colour) == "\n".join(lines) + "\n"
    failed = any(not f.waived and f.severity.rank >= fail_on.rank for f in findings)
    assert report.failed is failed


# Grants of a few roles ---------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_documents(), st.data())
def test_grants_of_a_few_roles_are_those_of_the_whole_table(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    model = load_document(doc)
    roles = sorted(model.roles)
    asked = data.draw(st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True))
    access = model.access
    few = access.grants_of_roles(asked)
    held = access.held_permissions()  # read off the grants as written: no table yet
    table = access.role_grants
    for role_id in asked:
        assert few[role_id] == table[role_id]
        assert list(few[role_id]) == list(table[role_id])  # the same order too
    assert held == {p for grants in table.values() for p in grants}
    assert access.held_permissions() == held  # and off the table, once built


def test_grants_of_a_few_roles_leave_the_table_unbuilt(tmp_path: Path) -> None:
    lines = ["version: 1", "organization: {name: Co}", "resources: {lead: {}}", "roles:"]
    lines += [f"  r{i}: {{grants: {{lead: {{read: own}}}}}}" for i in range(50)]
    lines += ["  partner: {external: true, inherits: [r1], grants: {lead: {update: team}}}"]
    (tmp_path / "model.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from crmorg.api import load_partial

    model = load_partial(tmp_path)
    grants = model.access.grants_of_roles(["partner"])
    assert set(grants) == {"r1", "partner"}  # the role and what it inherits
    assert "role_grants" not in model.access.__dict__
    assert grants["partner"] == model.access.role_grants["partner"]


# Inheritance order -------------------------------------------------------------------


def _plain_parents_first(roles: Mapping[str, Role]) -> tuple[list[str], set[str]]:
    """Kahn's algorithm as it was written before roles without parents were skipped."""
    pending = {
        role_id: sum(1 for parent in dict.fromkeys(role.inherits) if parent in roles)
        for role_id, role in roles.items()
    }
    heirs: dict[str, list[str]] = {}
    for role_id, role in roles.items():
        for parent in dict.fromkeys(role.inherits):
            if parent in roles:
                heirs.setdefault(parent, []).append(role_id)
    queue = deque(role_id for role_id, count in pending.items() if count == 0)
    order: list[str] = []
    while queue:
        role_id = queue.popleft()
        order.append(role_id)
        for heir in heirs.get(role_id, ()):
            pending[heir] -= 1
            if pending[heir] == 0:
                queue.append(heir)
    return order, {role_id for role_id, count in pending.items() if count > 0}


_ROLE_IDS = ["a", "b", "c", "d", "e", "f"]


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_ROLE_IDS),
        st.lists(st.sampled_from([*_ROLE_IDS, "unknown"]), max_size=3),
        min_size=1,
    )
)
def test_parents_first_is_kahns_order(inherits: dict[str, list[str]]) -> None:
    roles = {role_id: Role(inherits=parents) for role_id, parents in inherits.items()}
    assert graphs.parents_first(roles) == _plain_parents_first(roles)


def _plain_parent_cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle of a relation of at most one parent each, by following each chain."""
    found: list[list[str]] = []
    for start in parents:
        chain = [start]
        node = parents[start]
        while node is not None and node in parents and node not in chain:
            chain.append(node)
            node = parents[node]
        if node == start and min(chain) == start:
            found.append(chain)
    return sorted(found)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_ROLE_IDS), st.none() | st.sampled_from([*_ROLE_IDS, "unknown"])
    )
)
def test_parent_cycles_are_those_of_following_each_chain(
    parents: dict[str, str | None],
) -> None:
    assert graphs.parent_cycles(parents) == _plain_parent_cycles(parents)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_documents())
def test_duties_are_each_roles_accountable_and_responsible_parts(doc: dict[str, Any]) -> None:
    doc["responsibilities"] = {
        f"job{i}": {"accountable": role_id, "responsible": sorted(doc["roles"])[: i % 3]}
        for i, role_id in enumerate(sorted(doc["roles"])[::2])
    }
    model = load_document(doc)
    plain = {
        role_id: tuple(
            job_id for job_id, job in model.responsibilities.items() if role_id in owners(job)
        )
        for role_id in model.roles
    }
    assert dict(model.org.duties) == plain
    assert list(model.org.duties) == list(model.roles)


# End to end --------------------------------------------------------------------------


@pytest.mark.parametrize("external", [False, True])
def test_many_findings_of_one_rule_in_one_file(tmp_path: Path, external: bool) -> None:
    """Every role without a responsibility, each finding at its entry's key (one entry
    written inline); an external role's finding at the grant it overreaches with."""
    lines = ["version: 1", "organization: {name: Co}", "resources: {lead: {}}", "roles:"]
    for index in range(300):
        lines += [f"  role_{index}:", "    name: R", "    grants: {lead: {read: own}}"]
    lines += ["  inline_role: {grants: {lead: {read: team}}}"]
    if external:
        lines += ["  partner: {external: true, grants: {lead: {read: organization}}}"]
    (tmp_path / "model.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from crmorg.api import load_partial

    report = run(load_partial(tmp_path))
    lonely = report.by_rule("role-without-responsibility")
    assert len(lonely) == 301 + external
    assert [(f.line, f.column) for f in lonely[:3]] == [(5, 3), (8, 3), (11, 3)]
    assert (lonely[300].line, lonely[300].column) == (905, 3)
    overreach = report.by_rule("external-overreach")
    assert len(overreach) == external
    if external:
        assert overreach[0].subjects == ("partner", "lead")
        assert (overreach[0].line, overreach[0].column) == (906, 51)  # organization
