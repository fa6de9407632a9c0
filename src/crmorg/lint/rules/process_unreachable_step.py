"""Process steps that no path from the first step reaches."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.roles.processes import first_step, index_of, reachable


@rule("process-unreachable-step", "CRM220", "raci", Severity.WARNING)
def process_unreachable_step(model: Model) -> Iterator[Problem]:
    """No path from a process's first step reaches one of its steps.

    A process starts at its first step and goes on by `next` (by default, to the
    following step). A step that no path reaches is never done: an earlier step
    ends the process (`next: []`) or jumps past it. One finding per step, at the
    step; a second step with an already used id is `process-duplicate-step`'s.

    Fails:
    ```yaml
    processes:
      complaint_handling:
        steps:
          - {id: receive, next: [reply]}
          - {id: resolve}                   # receive jumps past it
          - {id: reply, next: []}
    ```
    Fix: name the step in an earlier step's `next` (`next: [resolve]`), or remove it.
    """
    for process_id, process in model.processes.items():
        reached = set(reachable(process))
        start = first_step(process).id
        for step_id, index in index_of(process).items():
            if step_id in reached:
                continue
            yield Problem(
                f"step {step_id} of process {process_id} is never reached: no path from the "
                f"first step ({start}) leads to it; name it in an earlier step's `next`, "
                "or remove it",
                ("processes", process_id, "steps", index),
                (process_id, step_id),
                at_key=True,
            )
