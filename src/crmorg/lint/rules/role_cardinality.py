"""Too few or too many people holding a role."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.permissions.models import RoleCardinality


@rule("role-cardinality", "CRM104", "organisation", Severity.ERROR)
def role_cardinality(model: Model) -> Iterator[Problem]:
    """The number of people holding a role is outside a constraint's `min`..`max`.

    People hold a role directly or through a role that inherits it. Checked only when
    the model declares people (a model of roles alone has no one to count). The finding
    points at the bound that is broken and names the constraint, the role and the
    people who hold it.

    Fails:
    ```yaml
    people:
      ann: {roles: [crm_admin]}
      bob: {roles: [crm_admin]}
      cy: {roles: [crm_admin]}
    constraints:
      - {id: few_admins, kind: role_cardinality, role: crm_admin, min: 1, max: 2}
    ```
    Fix: take the role from someone (or give it to someone, below `min`), or change
    the bound if the organisation really needs it.
    """
    if not model.people:
        return
    org = model.org
    for constraint in model.constraints:
        if not isinstance(constraint, RoleCardinality) or constraint.role not in model.roles:
            continue
        # The holders of this role alone: those given it or a role that inherits it.
        holding = org.heirs[constraint.role] | {constraint.role}
        held = len({p for role in holding for p in org.direct_holders.get(role, ())})
        if held >= constraint.min and (constraint.max is None or held <= constraint.max):
            continue  # within bounds: nobody need be listed
        people = tuple(
            p for p, person in model.people.items() if not holding.isdisjoint(person.roles)
        )
        base = model.constraint_path(constraint.id)
        subjects = (constraint.id, constraint.role, *people)
        who = f": {listing(people)}" if people else ""
        count = f"{len(people)} {'person holds' if len(people) == 1 else 'people hold'}"
        if len(people) < constraint.min:
            yield Problem(
                f"{count} role {constraint.role}{who}; constraint {constraint.id} wants at "
                f"least {constraint.min}: give the role to more people",
                (*base, "min"),
                subjects,
            )
        if constraint.max is not None and len(people) > constraint.max:
            yield Problem(
                f"{count} role {constraint.role}{who}; constraint {constraint.id} allows at "
                f"most {constraint.max}: take it from some of them",
                (*base, "max"),
                subjects,
            )
