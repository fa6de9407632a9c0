"""Bulk and destructive actions held by too many people."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.grants import DeclarationOrder, grant_path
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing, permission_text
from crmorg.model import Model
from crmorg.permissions.effective import Permission
from crmorg.roles.scopes import Scope


@rule("bulk-action-widely-held", "CRM112", "access", Severity.WARNING)
def bulk_action_widely_held(model: Model) -> Iterator[Problem]:
    """A bulk or destructive action is held by more of the people than
    `settings.bulk_actions.max_share` allows (default a quarter, and at least
    `min_holders`, default 3).

    Deleting, exporting, importing or reassigning every record of a kind
    (`settings.bulk_actions.destructive`, counted at `organization` scope), or any
    action that works on many records at once (`settings.bulk_actions.bulk`:
    `mass_delete`, `mass_update`, `change_owner`... counted at any scope), should sit
    with a few roles: in a vendor's default design every standard user often holds
    them. Holders are counted on effective grants (inheritance and baselines included),
    once per person; the finding names the roles that give it, with how many people each,
    and points at the grant of the role that gives it to the most people.

    Fails:
    ```yaml
    roles:
      sales_rep: {grants: {lead: {read: own, export: organization}}}
    people:
      ann: {roles: [sales_rep]}
      bob: {roles: [sales_rep]}
      cy: {roles: [sales_rep]}
    ```
    Fix: give the action to a role few people hold (an operations or admin role), or
    narrow it; raise `settings.bulk_actions.max_share` if the spread is intended.
    """
    settings = model.settings.bulk_actions
    everyone = len(model.people)
    if everyone < settings.min_holders:
        return
    destructive = frozenset(settings.destructive)
    bulk = frozenset(settings.bulk)
    access = model.access
    givers: dict[Permission, list[str]] = {}
    for role_id, held in access.role_grants.items():
        for permission, grant in held.items():
            action = permission[1]
            counted = action in bulk or (
                action in destructive and Scope.ORGANIZATION in grant.scopes
            )
            if counted:
                givers.setdefault(permission, []).append(role_id)
    if not givers:
        return
    holders_of = _holders({r for roles in givers.values() for r in roles}, model)
    for permission, roles in list(givers.items()):
        givers[permission] = [r for r in roles if holders_of[r]]
    in_order = DeclarationOrder(access.catalog).sort
    for permission in in_order(givers):
        roles = givers[permission]
        people = {p for role_id in roles for p in holders_of[role_id]}
        share = len(people) / everyone
        if len(people) < settings.min_holders or share <= settings.max_share:
            continue
        ranked = sorted(roles, key=lambda r: (-len(holders_of[r]), r))
        widest = ranked[0]
        scope = "at any scope" if permission[1] in bulk else "on every record"
        yield Problem(
            f"{permission_text(permission)} {scope} is held by {len(people)} of {everyone} "
            f"people ({share:.0%}, more than {settings.max_share:.0%}), through "
            + listing([f"{r} ({len(holders_of[r])})" for r in ranked], 8)
            + "; keep bulk and destructive actions with a few roles, or raise "
            "`settings.bulk_actions.max_share`",
            grant_path(widest, access.role_grants[widest][permission]),
            (*ranked, permission[0]),
        )


def _holders(roles: set[str], model: Model) -> dict[str, list[str]]:
    """The people given each of ``roles`` directly (in model order): one pass over the
    people for the few roles that give a counted action, not an index of every role."""
    found: dict[str, list[str]] = {role_id: [] for role_id in roles}
    for person_id, person in model.people.items():
        for role_id in person.roles:
            held = found.get(role_id)
            if held is not None and (not held or held[-1] != person_id):
                held.append(person_id)
    return found
