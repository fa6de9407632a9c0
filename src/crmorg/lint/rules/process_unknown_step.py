"""Process steps followed by steps their process does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.roles.processes import index_of


@rule("process-unknown-step", "CRM113", "raci", Severity.ERROR)
def process_unknown_step(model: Model) -> Iterator[Problem]:
    """A step's `next` names a step that is not in its process.

    `next` lists ids of steps of the same process; an id that is not one of them
    leaves the flow broken at that step. The finding points at the unknown id.

    Fails:
    ```yaml
    processes:
      complaint_handling:
        steps:
          - {id: receive, next: [resolve]}   # no step `resolve`
          - {id: reply}
    ```
    Fix: add the step, or name one the process has (`next: [reply]`).
    """
    for process_id, process in model.processes.items():
        known = index_of(process)
        for index, part in enumerate(process.steps):
            for position, name in enumerate(part.next or ()):
                if name in known:
                    continue
                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                yield Problem(
                    f"step {part.id} of process {process_id} is followed by `{name}`, which "
                    f"is not a step of the process{hint}; its steps are "
                    f"{listing(list(known), 10)}: add the step or fix the id",
                    ("processes", process_id, "steps", index, "next", position),
                    (process_id, part.id, name),
                )
