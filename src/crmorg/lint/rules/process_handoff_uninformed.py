"""Hand-offs between process steps that the next step's Responsible roles do not hear of."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.roles.processes import edges, index_of
from crmorg.roles.raci import letters


@rule("process-handoff-uninformed", "CRM222", "raci", Severity.WARNING)
def process_handoff_uninformed(model: Model) -> Iterator[Problem]:
    """A step hands work over to a step whose Responsible role takes no part in it.

    For each hand-off A → B (B follows A), every role Responsible for B should
    hear of A: be Responsible, Accountable, Consulted or Informed there. Otherwise
    nobody announces the work that is now theirs. One finding per hand-off and role,
    at step A, where the role is to be added. A step that loops to itself hands
    nothing over.

    Fails:
    ```yaml
    processes:
      complaint_handling:
        steps:
          - {id: receive, accountable: service_manager, responsible: [service_rep]}
          - {id: resolve, accountable: service_manager, responsible: [tech_support]}
    ```
    Fix: inform the next step's Responsible roles in the step before:
    `informed: [tech_support]` on `receive`.
    """
    for process_id, process in model.processes.items():
        positions = index_of(process)
        for source, target in edges(process):
            if source == target:
                continue
            before = process.steps[positions[source]]
            told = letters(before)
            for role_id in dict.fromkeys(process.steps[positions[target]].responsible):
                if role_id in told or role_id not in model.roles:
                    continue
                yield Problem(
                    f"role {role_id} is Responsible for step {target} of process "
                    f"{process_id} but takes no part in step {source}, which hands the work "
                    f"over to it; add {role_id} to {source}'s `informed` (or `consulted`)",
                    ("processes", process_id, "steps", positions[source]),
                    (process_id, source, target, role_id),
                    at_key=True,
                )
