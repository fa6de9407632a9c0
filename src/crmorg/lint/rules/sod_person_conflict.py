"""A person whose roles together hold both sides of a separation of duties."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.separation_of_duties import Duties, named, sod_constraints
from crmorg.lint.wording import listing
from crmorg.model import Model


@rule("sod-person-conflict", "CRM102", "access", Severity.ERROR)
def sod_person_conflict(model: Model) -> Iterator[Problem]:
    """A person's roles together hold every permission of a separation-of-duties constraint.

    A person's grants are the union of their roles' effective grants. Reported only
    when no single role of theirs breaks the constraint (that is a sod-role-conflict).
    The finding names the constraint, the person, and which of their roles brings each
    permission; it points at the person's `roles`.

    Fails:
    ```yaml
    people:
      sam: {roles: [sales_rep, finance_clerk]}   # sales_rep: quote:create,
                                                 # finance_clerk: quote:approve
    constraints:
      - {id: quote_self_approval, kind: separation_of_duties,
         permissions: ["quote:create", "quote:approve"]}
    ```
    A field permission (`"opportunity.discount:edit"`) is held through the person's
    field access, which may join one role's `update` grant with another's field grant:
    both roles are then named.

    Fix: give the roles to different people, or add an `exclusive_roles` constraint so
    the combination is caught by design.
    """
    constraints = list(sod_constraints(model))
    if not constraints:
        return
    grants = model.access.role_grants
    duties = Duties(model)
    several: list[tuple[str, list[str]]] = []
    for person_id, person in model.people.items():
        if len(person.roles) < 2:
            continue  # one role alone is sod-role-conflict's
        roles = [r for r in dict.fromkeys(person.roles) if r in grants]
        if len(roles) > 1:
            several.append((person_id, roles))
    for constraint, permissions in constraints:
        conflicting_roles = frozenset.intersection(*map(duties.givers, permissions))
        givers = [duties.givers(p) for p in permissions if p.field is None]
        fields = [p for p in permissions if p.field is not None]
        for person_id, roles in several:
            if any(r in conflicting_roles for r in roles):
                continue
            if not all(any(r in giving for r in roles) for giving in givers):
                continue
            if not all(duties.person_holds_field(person_id, p) for p in fields):
                continue
            bringing = [duties.person_roles(person_id, p) for p in permissions]
            parts = [
                f"{named(p)} (from {listing(b)})"
                for p, b in zip(permissions, bringing, strict=True)
            ]
            combined = list(dict.fromkeys(r for b in bringing for r in b))
            yield Problem(
                f"{person_id} holds roles {listing(combined)}, which together give every "
                f"permission of separation-of-duties constraint {constraint.id}: "
                f"{', '.join(parts)}; give these roles to different people",
                ("people", person_id, "roles"),
                (constraint.id, person_id, *combined),
            )
