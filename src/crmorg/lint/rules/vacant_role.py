"""Roles nobody holds."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.lacking import absent
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_MESSAGE = "nobody holds role {id}; give it to someone, or remove it"


@rule("vacant-role", "CRM207", "organisation", Severity.WARNING)
def vacant_role(model: Model) -> Iterator[Problem]:
    """No person holds the role, directly or through a role that inherits it.

    Checked only when the model declares people: a model of roles alone describes
    jobs, not staffing. A base role that nobody holds as such but that held roles
    inherit (like `employee`) is not vacant, and an abstract role (`abstract: true`,
    format v1.1), which nobody may hold as such, never is.

    Fails:
    ```yaml
    roles:
      crm_trainer: {department: crm}
    people:
      ann: {roles: [crm_admin]}        # nobody is crm_trainer
    ```
    Fix: give the role to someone (`roles: [crm_admin, crm_trainer]`), or waive it
    while the position is being filled.
    """
    if not model.people:
        return iter(())
    concrete = (role_id for role_id, role in model.roles.items() if not role.abstract)
    return absent("roles", concrete, model.org.held_roles, _MESSAGE)
