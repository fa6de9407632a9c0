"""One role that holds both sides of a separation of duties."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.separation_of_duties import Duties, sod_constraints
from crmorg.lint.wording import listing
from crmorg.model import Model


@rule("sod-role-conflict", "CRM101", "access", Severity.ERROR)
def sod_role_conflict(model: Model) -> Iterator[Problem]:
    """One role's effective grants hold every permission of a separation-of-duties constraint.

    Effective grants count: the role's own grants, every role it inherits, and `*`
    wildcards. The finding names the constraint, the role and, for each permission,
    whether the role grants it itself or inherits it (and from which role).

    A role that only inherits its conflict is not reported again: the finding is on
    the role where the conflict first arises, and its message names the roles that
    inherit it. The position is the role's own grant that completes the conflict or,
    when every permission is inherited, the role's `inherits`.

    Fails:
    ```yaml
    roles:
      sales_rep: {grants: {quote: {create: own}}}
      sales_manager:
        inherits: [sales_rep]
        grants: {quote: {approve: department}}   # now creates *and* approves
    constraints:
      - {id: quote_self_approval, kind: separation_of_duties,
         permissions: ["quote:create", "quote:approve"]}
    ```
    A permission may name a field (format v1.1): `"opportunity.discount:edit"` is held
    when the role's field access to `discount` is `edit` (`:read`: at least `read`),
    which needs the record permission (`update`, or `read`) and, for a restricted
    field, a field grant.

    Fix: move one side to another role (approval to finance), or waive the finding in
    `settings.waivers` with the control that makes it safe.
    """
    duties = Duties(model)
    org = model.org
    for constraint, permissions in sod_constraints(model):
        conflicting = frozenset.intersection(*map(duties.givers, permissions))
        for role_id in model.roles:
            if role_id not in conflicting:
                continue
            if any(p in conflicting for p in org.lineage[role_id] if p != role_id):
                continue
            held = [duties.role_held(role_id, p) for p in permissions]
            sources = [source for h in held for source in h.sources]
            inheriting = sorted(org.heirs[role_id] - {role_id})
            also = (
                f"; {listing(inheriting)} inherit{'s' if len(inheriting) == 1 else ''} it"
                if inheriting
                else ""
            )
            own = [h.own for h in held if h.own is not None]
            yield Problem(
                f"role {role_id} holds every permission of separation-of-duties constraint "
                f"{constraint.id}: {', '.join(h.text for h in held)}{also}; give one of them "
                "to another role",
                own[-1] if own else ("roles", role_id, "inherits"),
                tuple(dict.fromkeys((constraint.id, role_id, *sources))),
            )
