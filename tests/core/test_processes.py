"""Processes (format section 15): the model, its positions and the flow helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.api import load_partial
from crmorg.permissions.decisions import UnknownIdError
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
