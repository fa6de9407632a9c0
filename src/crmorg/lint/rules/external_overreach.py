"""External roles that reach beyond their team or into sensitive records."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.grants import DeclarationOrder, grant_path, origin
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing, permission_text
from crmorg.model import Model
from crmorg.roles.scopes import Scope, includes


@rule("external-overreach", "CRM107", "access", Severity.ERROR)
def external_overreach(model: Model) -> Iterator[Problem]:
    """An external role (partner, agent, distributor) reaches beyond its team or into
    sensitive records.

    Checked on effective grants, so a partner that inherits `employee` is caught by
    what `employee` may do. Any scope wider than `team`, and any grant at all on a
    resource marked `sensitive`, is reported; one finding per role lists them and
    names the resources, pointing at the first offending grant written on the role
    (or at its `inherits`). Only roles marked `external: true` are checked (a role that
    inherits an external role is not itself external).

    Fails:
    ```yaml
    resources:
      payment: {sensitive: true}
    roles:
      partner:
        external: true
        inherits: [employee]                 # employee reads accounts organization-wide
        grants: {payment: {read: own}}       # sensitive
    ```
    Fix: give external roles their own narrow grants (`own` or `team`), without
    inheriting internal roles, and nothing on sensitive resources.
    """
    grants = model.access.role_grants
    in_order = DeclarationOrder(model.access.catalog).sort
    for role_id, role in model.roles.items():
        if not role.external:
            continue
        held = grants[role_id]
        offending = [
            p
            for p in in_order(held)
            if not includes(Scope.TEAM, held[p].scope) or model.resources[p[0]].sensitive
        ]
        if not offending:
            continue
        parts = []
        for p in offending:
            why = "sensitive" if model.resources[p[0]].sensitive else "wider than team"
            parts.append(
                f"{permission_text(p)} at {held[p].scope.label} ({why}; {origin(held[p])})"
            )
        resources = list(dict.fromkeys(p[0] for p in offending))
        own = [p for p in offending if held[p].source.role == role_id]
        yield Problem(
            f"external role {role_id} reaches too far: {listing(parts, 8)}; external roles "
            "get at most team scope and nothing sensitive",
            grant_path(role_id, held[own[0]]) if own else ("roles", role_id, "inherits"),
            (role_id, *resources),
        )
