"""What the handbook's other pages show of processes: links to the process pages.

The overview and each department page list their processes; each role card lists
the process steps the role takes part in, linked to the step on its process page
(anchor ``step-<id>``, see :mod:`crmorg.docs.process_pages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.docs.context import SiteContext
from crmorg.roles.processes import index_of
from crmorg.text import localize

__all__ = ["StepLink", "department_processes", "process_stem", "role_steps"]


@dataclass(frozen=True)
class StepLink:
    """A step a role takes part in: its page, anchor, label and the role's letters."""

    stem: str
    anchor: str
    label: str
    letters: str


def process_stem(process_id: str) -> str:
    """The page of a process, relative to the site root, without its extension."""
    return f"processes/{process_id}"


def role_steps(ctx: SiteContext, role_id: str) -> list[StepLink]:
    """The process steps ``role_id`` takes part in, for its role card."""
    found = []
    for part in ctx.model.steps_of(role_id):
        process = ctx.model.processes[part.process]
        step = process.steps[index_of(process)[part.step]]
        name = localize(process.name, ctx.lang, part.process) or part.process
        label = f"{name} › {localize(step.name, ctx.lang, step.id) or step.id}"
        found.append(StepLink(process_stem(part.process), f"step-{part.step}", label, part.letters))
    return found


def department_processes(ctx: SiteContext, dept_id: str | None) -> list[str]:
    """The processes a department runs (``None``: every process), in model order."""
    return [
        pid for pid, p in ctx.model.processes.items() if dept_id is None or p.department == dept_id
    ]
