"""Actions that apply to a resource but that no role can perform."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.effective import Permission


@rule("uncovered-action", code="CRM205", group="access", family="gap", severity=Severity.WARNING)
def uncovered_action(model: Model) -> Iterator[Problem]:
    """An action applies to a resource, but no role can perform it.

    Either some role needs the grant, or the action should not apply: list the
    resource's real `actions`. One finding per (resource, action); it points at the
    action in the resource's `actions` list, or at the resource when it has the
    built-in actions.

    Fails:
    ```yaml
    resources:
      invoice: {actions: [create, read, approve]}
    roles:
      accountant: {grants: {invoice: {create: own, read: department}}}
      # nobody can approve an invoice
    ```
    Fix: grant the action to the role whose job it is (`finance_manager:
    {grants: {invoice: {approve: organization}}}`), or drop it from `actions`.
    """
    covered: set[Permission] = set()
    for held in model.role_grants.values():
        covered.update(held)
    for resource_id, actions in model.catalog.applicable.items():
        listed = model.resources[resource_id].actions
        for action in dict.fromkeys(actions):
            if (resource_id, action) in covered or action not in model.catalog.actions:
                continue  # an undeclared action is an unknown-reference finding
            path = (
                ("resources", resource_id, "actions", listed.index(action))
                if listed is not None
                else ("resources", resource_id)
            )
            yield Problem(
                f"no role can {action} {resource_id}; grant it to the role whose job it is, "
                f"or remove `{action}` from the actions of {resource_id}",
                path,
                (resource_id, action),
                at_key=listed is None,
            )
