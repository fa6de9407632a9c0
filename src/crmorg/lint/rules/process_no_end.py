"""Processes that never end."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.roles.processes import end_steps, reachable


@rule("process-no-end", "CRM221", "raci", Severity.WARNING)
def process_no_end(model: Model) -> Iterator[Problem]:
    """No step that a process reaches ends it: every path from its first step loops.

    A step ends the process when no step follows it: `next: []`, or the last step with no
    `next` (a `next` naming only unknown steps ends it too: that is `process-unknown-step`'s
    finding, not a second one here). A process whose every path loops back has no outcome
    anyone can be accountable for, and no swimlane can show where it stops. A warning, not
    an error: work that recurs (a monthly report, a feedback loop) is real, and the model
    stays consistent; but one round of it should end, and the next round is a new run of the
    process. The finding points at the process.

    Fails:
    ```yaml
    processes:
      feedback_loop:
        steps:
          - {id: collect}
          - {id: improve, next: [collect]}  # and round again, for ever
    ```
    Fix: end one round: `improve` gets `next: []` (the next round is a new run of the
    process), or its `next` also names a closing step that ends.
    """
    for process_id, process in model.processes.items():
        reached = reachable(process)
        if set(reached) & set(end_steps(process)):
            continue
        yield Problem(
            f"process {process_id} never ends: every path from its first step loops "
            f"(through {listing(list(reached), 10)}); end a step with `next: []` or "
            "leave `next` out on the last step",
            ("processes", process_id),
            (process_id,),
            at_key=True,
        )
