"""Processes (format section 15): the model, its positions and the flow helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.api import load, load_partial
from crmorg.document import Document
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import run
from crmorg.lint.rule import Rule
from crmorg.lint.rules.process_handoff_uninformed import process_handoff_uninformed
from crmorg.lint.rules.process_no_end import process_no_end
from crmorg.lint.rules.process_unknown_step import process_unknown_step
from crmorg.lint.rules.process_unreachable_step import process_unreachable_step
from crmorg.model import Model
from crmorg.permissions.decisions import UnknownIdError
from crmorg.roles.models import Role
from crmorg.roles.processes import (
    Process,
    ProcessStep,
    StepPart,
    back_edges,
    edges,
    end_steps,
    participation,
    reachable,
    step,
    successors,
)

MODEL = """\
organization: {name: T}
resources:
  case: {}
roles:
  rep: {}
  manager: {}
  tech: {}
processes:
  complaints:
    name: {en: Complaint handling, zh: 投诉处理}
    steps:
      - id: receive
        name: {en: Log the complaint, zh: 登记投诉}
        responsible: [rep]
        accountable: manager
        informed: [tech]
        requires: {case: {create: own}}
      - id: resolve
        responsible: [tech]
        accountable: manager
        next: [reply, resolve]
      - id: reply
        responsible: [rep]
        accountable: manager
"""


def _process(*steps: dict[str, object]) -> Process:
    return Process.model_validate({"steps": list(steps)})


def test_loading_keeps_processes_with_positions(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(MODEL, encoding="utf-8")
    model = load_partial(tmp_path)
    assert not model.load_findings
    process = model.process("complaints")
    assert model.processes == {"complaints": process}
    assert [s.id for s in process.steps] == ["receive", "resolve", "reply"]
    assert process.steps[0].requires == {"case": {"create": "own"}}
    where = model.locate(("processes", "complaints", "steps", 1))
    assert (where.line, where.column) == (18, 9)
    where = model.locate(("processes", "complaints", "steps", 1, "next", 1))
    assert (where.line, where.column) == (21, 23)
    assert model.steps_of("tech") == (
        StepPart("complaints", "receive", "I"),
        StepPart("complaints", "resolve", "R"),
    )
    assert model.steps_of("manager")[0].owns
    with pytest.raises(UnknownIdError, match="no process `nope`"):
        model.process("nope")
    with pytest.raises(UnknownIdError, match="no role `nope`"):
        model.steps_of("nope")


def test_an_invalid_step_is_a_schema_error_at_its_field(tmp_path: Path) -> None:
    text = MODEL.replace("        next: [reply, resolve]", "        next: reply")
    (tmp_path / "model.yaml").write_text(text, encoding="utf-8")
    model = load_partial(tmp_path)
    (finding,) = model.load_findings
    assert finding.rule == "schema"
    assert (finding.line, finding.column) == (21, 15)
    assert "complaints" not in model.processes


def test_a_process_needs_a_step(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "organization: {name: T}\nprocesses:\n  empty: {steps: []}\n", encoding="utf-8"
    )
    (finding,) = load_partial(tmp_path).load_findings
    assert finding.rule == "schema" and finding.line == 3


def test_default_next_is_the_following_step() -> None:
    process = _process({"id": "a"}, {"id": "b", "next": ["a", "c", "zz", "c"]}, {"id": "c"})
    assert successors(process, "a") == ("b",)
    assert successors(process, "b") == ("a", "c")  # unknown left out, each once
    assert successors(process, "c") == ()
    assert successors(process, "zz") == ()
    assert edges(process) == (("a", "b"), ("b", "a"), ("b", "c"))
    assert back_edges(process) == (("b", "a"),)
    assert end_steps(process) == ("c",)
    assert reachable(process) == ("a", "b", "c")


def test_next_empty_ends_and_unreached_steps() -> None:
    process = _process({"id": "a", "next": []}, {"id": "b"}, {"id": "c", "next": ["b"]})
    assert end_steps(process) == ("a",)
    assert reachable(process) == ("a",)
    assert back_edges(process) == (("c", "b"),)


def test_a_duplicated_id_names_the_first_step() -> None:
    process = _process({"id": "a", "responsible": ["x"]}, {"id": "a", "responsible": ["y"]})
    found = step(process, "a")
    assert found is not None and found.responsible == ["x"]
    assert successors(process, "a") == ("a",)  # the first `a` is followed by the second
    assert participation({"p": process}) == {"x": (StepPart("p", "a", "R"),)}


def test_participation_gives_each_roles_letters() -> None:
    process = _process(
        {"id": "a", "accountable": "m", "responsible": ["m", "r"], "informed": ["i"]},
        {"id": "b", "consulted": ["r"]},
    )
    assert participation({"p": process}) == {
        "m": (StepPart("p", "a", "RA"),),
        "r": (StepPart("p", "a", "R"), StepPart("p", "b", "C")),
        "i": (StepPart("p", "a", "I"),),
    }


_IDS = st.sampled_from(["s0", "s1", "s2", "s3", "s4", "s5"])


@st.composite
def _processes(draw: st.DrawFn) -> Process:
    count = draw(st.integers(1, 6))
    steps = []
    for index in range(count):
        nexts = draw(st.none() | st.lists(_IDS, max_size=3))
        steps.append(ProcessStep(id=f"s{index}", next=nexts))
    return Process(steps=steps)


@settings(max_examples=50, deadline=None)
@given(_processes())
def test_the_helpers_agree_with_a_plain_walk(process: Process) -> None:
    ids = [s.id for s in process.steps]
    graph: dict[str, list[str]] = {}
    for index, part in enumerate(process.steps):
        if part.next is None:
            graph[part.id] = ids[index + 1 : index + 2]
        else:
            graph[part.id] = [n for n in dict.fromkeys(part.next) if n in ids]
    assert {s: list(successors(process, s)) for s in ids} == graph
    seen, frontier = {ids[0]}, [ids[0]]
    while frontier:
        for target in graph[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert set(reachable(process)) == seen
    assert list(reachable(process)) == [s for s in ids if s in seen]
    assert set(end_steps(process)) == {s for s in ids if not graph[s]}
    assert set(back_edges(process)) == {
        (a, b) for a in ids for b in graph[a] if ids.index(b) <= ids.index(a)
    }


_ROLES = st.sampled_from(["a", "b", "c"])


@st.composite
def _staffed(draw: st.DrawFn) -> Process:
    count = draw(st.integers(1, 5))
    steps = []
    for index in range(count):
        steps.append(
            ProcessStep(
                id=f"s{index}",
                next=draw(st.none() | st.lists(_IDS, max_size=3)),
                accountable=draw(st.none() | _ROLES),
                responsible=draw(st.lists(_ROLES, max_size=2)),
                informed=draw(st.lists(_ROLES, max_size=2)),
            )
        )
    return Process(steps=steps)


@settings(max_examples=40, deadline=None)
@given(_staffed())
def test_the_flow_rules_agree_with_a_plain_recomputation(process: Process) -> None:

    model = Model(Document(roles={r: Role() for r in "abc"}, processes={"p": process}))
    ids = [s.id for s in process.steps]
    graph = {
        part.id: (ids[i + 1 : i + 2] if part.next is None else [n for n in part.next if n in ids])
        for i, part in enumerate(process.steps)
    }
    seen, frontier = {ids[0]}, [ids[0]]
    while frontier:
        for target in graph[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)

    def subjects(rule: Rule) -> set[tuple[str, ...]]:
        return {p.subjects for p in rule.check(model)}

    assert subjects(process_unreachable_step) == {("p", s) for s in ids if s not in seen}
    assert subjects(process_no_end) == ({("p",)} if all(graph[s] for s in seen) else set())
    unknown = {("p", s.id, n) for s in process.steps for n in s.next or () if n not in ids}
    assert subjects(process_unknown_step) == unknown
    by_id = {s.id: s for s in process.steps}
    handoffs = set()
    for source in ids:
        for target in graph[source]:
            before = by_id[source]
            told = {*before.responsible, *before.informed, before.accountable}
            handoffs |= {
                ("p", source, target, r)
                for r in by_id[target].responsible
                if source != target and r not in told
            }
    assert subjects(process_handoff_uninformed) == handoffs


def test_the_reference_model_holds_the_seed_processes_and_they_are_clean() -> None:

    model = load(Path(__file__).parents[2] / "examples" / "reference")
    assert set(model.processes) == {
        "feedback_handling",
        "problem_resolution",
        "monthly_reporting",
        "cross_department_communication",
    }
    for process in model.processes.values():
        assert isinstance(process.name, dict) and set(process.name) == {"en", "zh"}
        for part in process.steps:
            assert isinstance(part.name, dict) and set(part.name) == {"en", "zh"}
    report = run(model, LintConfig(select=frozenset({"raci"})))
    assert [f for f in report.findings if f.severity.value != "info"] == []
    feedback = model.process("feedback_handling")
    assert [s.id for s in feedback.steps][:6] == [
        "collect",
        "classify",
        "route",
        "resolve",
        "reply",
        "follow_up",
    ]
    assert back_edges(feedback) == (("follow_up", "resolve"),)
