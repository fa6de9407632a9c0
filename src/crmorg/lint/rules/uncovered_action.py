"""Actions that apply to a resource but that no role can perform."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model


@rule("uncovered-action", "CRM205", "access", Severity.WARNING)
def uncovered_action(model: Model) -> Iterator[Problem]:
    """Actions apply to a resource, but no role can perform them.

    Either some role needs the grant, or the actions should not apply: list the
    resource's real `actions`. One finding per resource names all of its uncovered
    actions, so a first model whose resources keep the nine built-in actions gets one
    warning per resource, not one per action. It points at the resource's `actions`
    key, or at the resource when it has the built-in actions; its subject is the
    resource.

    Fails:
    ```yaml
    resources:
      invoice: {actions: [create, read, approve, export]}
    roles:
      accountant: {grants: {invoice: {create: own, read: department}}}
      # nobody can approve or export an invoice
    ```
    Fix: grant each action to the role whose job it is (`finance_manager:
    {grants: {invoice: {approve: organization}}}`), or drop it from `actions`.
    """
    covered = model.access.held_permissions()
    for resource_id, actions in model.catalog.applicable.items():
        uncovered = [
            action
            for action in dict.fromkeys(actions)
            # An undeclared action is an unknown-reference finding.
            if (resource_id, action) not in covered and action in model.catalog.actions
        ]
        if not uncovered:
            continue
        listed = model.resources[resource_id].actions is not None
        if len(uncovered) == 1:
            what, fix = f"no role can {uncovered[0]} {resource_id}", "it"
        else:
            names = listing([f"`{action}`" for action in uncovered], limit=9)
            what, fix = f"no role can perform these actions on {resource_id}: {names}", "each"
        yield Problem(
            f"{what}; grant {fix} to the role whose job it is, or remove "
            f"{'it' if fix == 'it' else 'them'} from the actions of {resource_id}",
            ("resources", resource_id, "actions") if listed else ("resources", resource_id),
            (resource_id,),
            at_key=True,
        )
