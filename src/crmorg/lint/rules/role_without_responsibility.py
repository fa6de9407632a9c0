"""Roles that have no responsibility."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("role-without-responsibility", "CRM206", "raci", Severity.WARNING)
def role_without_responsibility(model: Model) -> Iterator[Problem]:
    """A role is neither Accountable nor Responsible for any responsibility or process step.

    A role *has* a responsibility, or a step of a process, when it is its Accountable
    or one of its Responsible roles; being Consulted or Informed, or inheriting a role
    that has one, does not count. A role without work either lacks documentation of
    what it is for, or is not needed. An abstract role (`abstract: true`) is a building
    block of other roles, with no job of its own, and is not reported.

    Fails:
    ```yaml
    roles:
      data_analyst: {grants: {report: {"*": organization}}}
    responsibilities: {}            # nothing names data_analyst
    ```
    Fix: add the responsibility it carries (`analyse_sales: {accountable:
    sales_manager, responsible: [data_analyst]}`), or remove the role.
    """
    duties = model.org.duties
    steps = model.step_parts
    for role_id, role in model.roles.items():
        if duties[role_id] or role.abstract:
            continue
        if not any(part.owns for part in steps.get(role_id, ())):
            yield Problem(
                f"role {role_id} is neither Accountable nor Responsible for any "
                "responsibility or process step; say what it is for, or remove it",
                ("roles", role_id),
                (role_id,),
                at_key=True,
            )
