"""Processes (format section 15): work as a flow of steps, each a small responsibility.

A :class:`Process` is a list of :class:`ProcessStep`; each step has the RACI parts and
``requires`` of a responsibility (so :mod:`crmorg.roles.raci` reads it as one) and
``next``, the steps that may follow it. Without ``next`` a step is followed by the next
one in the list, and the last step ends the process; ``next: []`` ends it anywhere.

The helpers here are pure functions of one process, what the rules, the handbook and the
swimlane charts read: :func:`successors`, :func:`edges`, :func:`end_steps`,
:func:`reachable`, :func:`back_edges`, and :func:`participation` (what each role does in
which step). A ``next`` naming a step the process does not have is left out of every
helper (the ``process-unknown-step`` rule reports it); when two steps share an id, the
first one is the step that the id names (``process-duplicate-step`` reports the other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import Field

from crmorg.roles.models import GrantMap
from crmorg.roles.raci import letters
from crmorg.text import Described, Id

__all__ = [
    "Process",
    "ProcessStep",
    "StepPart",
    "back_edges",
    "edges",
    "end_steps",
    "first_step",
    "index_of",
    "owned_steps",
    "participation",
    "reachable",
    "step",
    "successors",
]


class ProcessStep(Described):
    """One step of a process: who does it (RACI), what it requires, what follows it."""

    id: Id
    accountable: Id | None = None
    responsible: list[Id] = Field(default_factory=list)
    consulted: list[Id] = Field(default_factory=list)
    informed: list[Id] = Field(default_factory=list)
    requires: GrantMap = Field(default_factory=dict)
    next: list[Id] | None = Field(
        default=None,
        description="The step ids that may follow; default: the following step "
        "(none after the last); `[]` ends the process.",
    )


class Process(Described):
    """A flow of steps, in order, that a department runs."""

    department: Id | None = None
    steps: list[ProcessStep] = Field(min_length=1, description="The steps, in order.")


def index_of(process: Process) -> Mapping[str, int]:
    """Step id -> its position in ``steps`` (the first step of that id)."""
    found: dict[str, int] = {}
    for position, part in enumerate(process.steps):
        found.setdefault(part.id, position)
    return found


def step(process: Process, step_id: str) -> ProcessStep | None:
    """The step ``step_id`` names, or None."""
    position = index_of(process).get(step_id)
    return None if position is None else process.steps[position]


def first_step(process: Process) -> ProcessStep:
    """Where the process starts: its first step."""
    return process.steps[0]


def successors(process: Process, step_id: str) -> tuple[str, ...]:
    """The steps that may follow ``step_id``, each once, in the order written.

    ``next`` when given (unknown ids left out), else the following step in the list;
    nothing after the last step or ``next: []``. An unknown ``step_id`` has none.
    """
    positions = index_of(process)
    position = positions.get(step_id)
    if position is None:
        return ()
    written = process.steps[position].next
    if written is None:
        following = position + 1
        return (process.steps[following].id,) if following < len(process.steps) else ()
    return tuple(dict.fromkeys(n for n in written if n in positions))


def edges(process: Process) -> tuple[tuple[str, str], ...]:
    """Every (step, following step) pair, in step order then ``next`` order."""
    return tuple(
        (source, target) for source in index_of(process) for target in successors(process, source)
    )


def end_steps(process: Process) -> tuple[str, ...]:
    """The steps that end the process (no step follows them), in step order."""
    return tuple(s for s in index_of(process) if not successors(process, s))


def reachable(process: Process) -> tuple[str, ...]:
    """The steps some path from the first step reaches (the first included), in step order."""
    start = first_step(process).id
    seen = {start}
    pending = [start]
    while pending:
        for target in successors(process, pending.pop()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return tuple(s for s in index_of(process) if s in seen)


def back_edges(process: Process) -> tuple[tuple[str, str], ...]:
    """The edges that go back to the same or an earlier step: where the process loops."""
    positions = index_of(process)
    return tuple((a, b) for a, b in edges(process) if positions[b] <= positions[a])


@dataclass(frozen=True)
class StepPart:
    """What one role does in one step: its RACI letters there (``"RA"``, ``"I"``)."""

    process: str
    step: str
    letters: str

    @property
    def owns(self) -> bool:
        """Whether the role *has* the step (it is Accountable or Responsible)."""
        return "R" in self.letters or "A" in self.letters


def participation(processes: Mapping[str, Process]) -> dict[str, tuple[StepPart, ...]]:
    """Role id -> the steps it takes part in, in process then step order.

    Only roles named in some step appear; each step of a duplicated id counts once.
    """
    found: dict[str, list[StepPart]] = {}
    for process_id, process in processes.items():
        for position in index_of(process).values():
            part = process.steps[position]
            for role_id, held in letters(part).items():
                found.setdefault(role_id, []).append(StepPart(process_id, part.id, held))
    return {role_id: tuple(parts) for role_id, parts in found.items()}


def owned_steps(
    roles: Iterable[str], processes: Mapping[str, Process]
) -> dict[str, tuple[StepPart, ...]]:
    """Role id -> the steps it *has* (Accountable or Responsible), for each of ``roles``."""
    parts = participation(processes)
    return {r: tuple(p for p in parts.get(r, ()) if p.owns) for r in roles}
