"""Where the handbook's other pages link to the process pages.

The overview and each department page list their processes (``link.process`` opens
a process's page, ``processes/<id>``); a role card's steps
(:mod:`crmorg.docs.process_rows`) link to the step there (anchor ``step-<id>``).
"""

from __future__ import annotations

from crmorg.docs.context import SiteContext

__all__ = ["department_processes", "process_stem"]


def process_stem(process_id: str) -> str:
    """The page of a process, relative to the site root, without its extension."""
    return f"processes/{process_id}"


def department_processes(ctx: SiteContext, dept_id: str | None) -> list[str]:
    """The processes a department runs (``None``: every process), in model order."""
    return [
        pid for pid, p in ctx.model.processes.items() if dept_id is None or p.department == dept_id
    ]
