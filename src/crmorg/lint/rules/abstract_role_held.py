"""People given a role that is only a building block."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("abstract-role-held", "CRM108", "access", Severity.ERROR)
def abstract_role_held(model: Model) -> Iterator[Problem]:
    """A person holds an abstract role directly.

    A role marked `abstract: true` is a building block that other roles inherit (a
    common base of grants, like `employee`); it is never given to anyone as such. The
    finding points at the entry of the person's `roles` that names it. Holding a role
    that inherits an abstract one is how its grants are meant to be held, and is not
    reported. Abstract roles are never `vacant-role`s and need no responsibility of
    their own (`role-without-responsibility`).

    Fails:
    ```yaml
    roles:
      employee: {abstract: true, grants: {account: {read: organization}}}
      sales_rep: {inherits: [employee]}
    people:
      ann: {roles: [employee]}           # employee is only a building block
    ```
    Fix: give the person a role that inherits it (`roles: [sales_rep]`), or, if people
    really hold the role as it is, remove `abstract: true`.
    """
    roles = model.roles
    abstract = {role_id for role_id, role in roles.items() if role.abstract}
    if not abstract:
        return
    for person_id, person in model.people.items():
        for index, role_id in enumerate(person.roles):
            if role_id in abstract:
                yield Problem(
                    f"{person_id} holds role {role_id}, which is abstract: a building block "
                    "other roles inherit, never held as such; give a role that inherits "
                    "it instead",
                    ("people", person_id, "roles", index),
                    (person_id, role_id),
                )
