"""The work RACI rules judge: every responsibility, and every step of every process.

A process step is a small responsibility (format section 15): it has the same RACI
parts and ``requires``, so each RACI rule reads :func:`raci_work` instead of
``model.responsibilities`` and words its finding with the item's :attr:`Work.title`,
pointing at :attr:`Work.path` (the responsibility, or the step in its process).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crmorg.findings import Path
from crmorg.model import Model
from crmorg.roles.models import Responsibility
from crmorg.roles.processes import ProcessStep


@dataclass(frozen=True)
class Work:
    """One responsibility or process step, where it is, and how messages name it."""

    assignment: Responsibility | ProcessStep
    path: Path
    """``("responsibilities", id)`` or ``("processes", id, "steps", index)``."""
    subjects: tuple[str, ...]
    """``(responsibility,)`` or ``(process, step)``."""
    title: str
    """``responsibility X`` or ``step S of process P``."""
    name: str
    """What follows "Responsible for": ``X`` or ``step S of process P``."""


def raci_work(model: Model) -> Iterator[Work]:
    """Every responsibility, then every step of every process, in model order."""
    for resp_id, resp in model.responsibilities.items():
        yield Work(
            resp, ("responsibilities", resp_id), (resp_id,), f"responsibility {resp_id}", resp_id
        )
    yield from process_steps(model)


def process_steps(model: Model) -> Iterator[Work]:
    """Every step of every process (a duplicated step id included), in model order."""
    for process_id, process in model.processes.items():
        for index, part in enumerate(process.steps):
            title = f"step {part.id} of process {process_id}"
            path = ("processes", process_id, "steps", index)
            yield Work(part, path, (process_id, part.id), title, title)
