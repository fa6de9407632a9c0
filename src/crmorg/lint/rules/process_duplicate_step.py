"""Two steps of one process with the same id."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("process-duplicate-step", "CRM114", "raci", Severity.ERROR)
def process_duplicate_step(model: Model) -> Iterator[Problem]:
    """Two steps of one process have the same id.

    Step ids are unique within their process: `next` names steps by id, so a second
    step with an id already used cannot be told apart from the first (the first is
    the one every `next` reaches). The finding points at the second step's `id`.
    The same id in two different processes is fine.

    Fails:
    ```yaml
    processes:
      complaint_handling:
        steps:
          - {id: reply}
          - {id: reply}                     # a second `reply`
    ```
    Fix: give each step its own id (`follow_up`).
    """
    for process_id, process in model.processes.items():
        first: dict[str, int] = {}
        for index, part in enumerate(process.steps):
            if part.id not in first:
                first[part.id] = index
                continue
            earlier = model.locate(("processes", process_id, "steps", first[part.id], "id"))
            yield Problem(
                f"process {process_id} has two steps with id `{part.id}`, the first at "
                f"{earlier}; give each step its own id",
                ("processes", process_id, "steps", index, "id"),
                (process_id, part.id),
            )
