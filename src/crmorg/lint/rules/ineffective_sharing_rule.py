"""Sharing rules that can never share anything."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.permissions.models import GROUP_SECTIONS, SharingRule
from crmorg.roles.scopes import COVERED, Scope

_NOTHING = COVERED[Scope.NONE]


@rule("ineffective-sharing-rule", "CRM218", "access", Severity.WARNING)
def ineffective_sharing_rule(model: Model) -> Iterator[Problem]:
    """A sharing rule can never take effect: one of its groups has no members, or no
    member of `to` has any grant of an action it shares.

    A sharing rule only adds access to people who already hold some grant of the
    action on the resource (the object permission gates it, as in every CRM), so a
    rule sharing `update` with a group in which nobody may update the resource at any
    scope shares nothing. Reported once per rule: when `from` or `to` has no members
    (pointing at the group), when no member of `to` holds any of its actions (at `to`),
    or, listing them, the actions of the rule that no member of `to` holds (at the
    first of them). Checked only when the model declares people; invalid groups and
    actions are `invalid-sharing-rule`'s.

    Fails:
    ```yaml
    roles:
      support_agent: {grants: {case: {read: team}}}      # nothing on opportunity
    sharing:
      east_deals_to_support:
        resource: opportunity
        from: {team: sales_east}
        to: {role: support_agent}
        actions: [read]
    ```
    Fix: give the `to` group the object permission it needs (`opportunity: {read:
    own}` on support_agent), share only actions its members hold, or remove the rule.
    """
    if not model.people:
        return
    for rule_id, sharing in model.sharing.items():
        if sharing.resource in model.resources and all(
            model.document.known(GROUP_SECTIONS[group.kind], group.id)
            for group in (sharing.from_, sharing.to)
        ):
            problem = _ineffective(model, rule_id, sharing)
            if problem is not None:
                yield problem


def _ineffective(model: Model, rule_id: str, sharing: SharingRule) -> Problem | None:
    members = model.access.sharing.members
    groups = (("from", sharing.from_), ("to", sharing.to))
    subjects = (rule_id, sharing.resource, sharing.from_.id, sharing.to.id)
    empty = [(end, group) for end, group in groups if not members(group)]
    if empty:
        named = listing(f"`{end}` ({group.kind} {group.id})" for end, group in empty)
        return Problem(
            f"sharing rule {rule_id} can never take effect: nobody is in {named}; "
            "give the group members, or remove the rule",
            ("sharing", rule_id, empty[0][0]),
            subjects,
        )
    catalog, index = model.access.catalog, model.access.index
    receivers = members(sharing.to)
    shared = [
        (position, action)
        for position, action in enumerate(sharing.actions)
        if catalog.applies(sharing.resource, action) and action not in sharing.actions[:position]
    ]
    ungated = [
        (position, action)
        for position, action in shared
        if all(index.person_covered(p, sharing.resource, action) == _NOTHING for p in receivers)
    ]
    if not ungated:
        return None
    actions = [action for _, action in ungated]
    who = f"no member of `to` ({sharing.to.kind} {sharing.to.id}) has any grant of"
    if len(ungated) == len(shared):
        return Problem(
            f"sharing rule {rule_id} can never take effect: {who} "
            f"{listing(actions)} on {sharing.resource}, and a sharing rule only widens "
            "what a grant already allows; give them a grant, or remove the rule",
            ("sharing", rule_id, "to"),
            subjects,
        )
    return Problem(
        f"sharing rule {rule_id} can never share {listing(actions)}: {who} "
        f"{'it' if len(actions) == 1 else 'them'} on {sharing.resource}; give them a "
        "grant, or remove the action from the rule",
        ("sharing", rule_id, "actions", ungated[0][0]),
        subjects,
    )
