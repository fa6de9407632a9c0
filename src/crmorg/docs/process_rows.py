"""What the handbook shows of processes: the steps on a role card, and each process's
steps with their RACI parts on the RACI page (anchor ``process-<id>``). ``link.process``
opens a process's own page (:mod:`crmorg.docs.process_pages`)."""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.docs.context import SiteContext
from crmorg.roles.processes import ProcessStep, index_of, successors
from crmorg.text import localize


@dataclass(frozen=True)
class StepRow:
    """One step a role takes part in, on its card: the process, the step, its letters."""

    process: str
    step: str
    name: str
    letters: str


@dataclass(frozen=True)
class StepView:
    """One step of a process as the RACI page lists it; ``next`` are step names."""

    id: str
    name: str
    part: ProcessStep
    next: tuple[str, ...]


@dataclass(frozen=True)
class ProcessView:
    id: str
    description: str
    department: str | None
    steps: tuple[StepView, ...]


def _step_name(part: ProcessStep, lang: str) -> str:
    return localize(part.name, lang, part.id)


def role_steps(ctx: SiteContext, role_id: str) -> list[StepRow]:
    """The steps ``role_id`` takes part in, in process then step order."""
    model = ctx.model
    rows = []
    for found in model.step_parts.get(role_id, ()):
        process = model.processes[found.process]
        part = process.steps[index_of(process)[found.step]]
        rows.append(StepRow(found.process, found.step, _step_name(part, ctx.lang), found.letters))
    return rows


def process_views(ctx: SiteContext) -> list[ProcessView]:
    """Every process with its steps (the first of a duplicated id), in model order."""
    views = []
    for process_id, process in ctx.model.processes.items():
        positions = index_of(process)
        steps = tuple(
            StepView(
                part.id,
                _step_name(part, ctx.lang),
                part,
                tuple(
                    _step_name(process.steps[positions[after]], ctx.lang)
                    for after in successors(process, part.id)
                ),
            )
            for part in (process.steps[i] for i in positions.values())
        )
        description = ctx.names.text(process.description) if process.description else ""
        views.append(ProcessView(process_id, description, process.department, steps))
    return views
