"""Sharing rules (format v1.1, section 11) that start or stop sharing records with people.

A rule shares with person P, for an action, when P is in its ``to`` group and holds a
grant of that action on the resource (the object permission gate). Each side's own
:class:`~crmorg.permissions.sharing.SharingIndex` says who is in a group; the gate is
the side's decision index. The value compared is the ``from`` group (whose records are
shared), so a rule that now shares another group's records is a ``changed`` entry.
"""

from __future__ import annotations

from crmorg.diff.access import NONE, SideAccess
from crmorg.diff.results import AccessChange, Cause
from crmorg.permissions.models import Group, SharingRule


def group_label(group: Group) -> str:
    """``team:sales_east``."""
    return f"{group.kind}:{group.id}"


def _shared(side: SideAccess, rule_id: str) -> dict[tuple[str, str], str]:
    """(person, action) -> the ``from`` group label, for every person the rule shares with."""
    rule = side.version.model.sharing.get(rule_id)
    if rule is None:
        return {}
    index = side.access.sharing
    members = index.members(rule.to)
    label = group_label(rule.from_)
    found: dict[tuple[str, str], str] = {}
    catalog = side.access.catalog
    for action in dict.fromkeys(rule.actions):
        if not catalog.applies(rule.resource, action) or rule.resource not in catalog.resources:
            continue
        for person in members:
            if side.index.person_covered(person, rule.resource, action) != NONE:
                found[(person, action)] = label
    return found


def sharing_changes(old: SideAccess, new: SideAccess) -> dict[str, list[AccessChange]]:
    """Person -> the sharing changes they see, rule by rule in model order."""
    rules = [
        *old.version.model.sharing,
        *(r for r in new.version.model.sharing if r not in old.version.model.sharing),
    ]
    found: dict[str, list[AccessChange]] = {}
    for rule_id in rules:
        before, after = _shared(old, rule_id), _shared(new, rule_id)
        if before == after:
            continue
        old_rule = old.version.model.sharing.get(rule_id)
        new_rule = new.version.model.sharing.get(rule_id)
        resource = (new_rule or old_rule).resource  # type: ignore[union-attr]
        for person, action in sorted(before.keys() | after.keys()):
            was, now = before.get((person, action)), after.get((person, action))
            if was == now:
                continue
            causes = []
            if now is not None:
                causes.append(_cause(new, old, rule_id, new_rule, old_rule, person, action))
            if was is not None:
                causes.append(_cause(old, new, rule_id, old_rule, new_rule, person, action))
            kind = "gained" if was is None else "lost" if now is None else "changed"
            change = AccessChange(
                "sharing",
                resource if new_rule is None or now is None else new_rule.resource,
                action,
                kind,  # type: ignore[arg-type]
                (was,) if was is not None else (),
                (now,) if now is not None else (),
                tuple(causes),
                rule=rule_id,
            )
            found.setdefault(person, []).append(change)
    return found


def _cause(
    side: SideAccess,
    other: SideAccess,
    rule_id: str,
    rule: SharingRule | None,
    other_rule: SharingRule | None,
    person: str,
    action: str,
) -> Cause:
    """Why the rule shares (on ``side``) what it does not on ``other``."""
    assert rule is not None
    added = "added" if side.side == "new" else "removed"
    if other_rule is None:
        why = f"sharing rule {rule_id} {added}"
    elif other_rule != rule:
        why = f"sharing rule {rule_id} changed"
    elif person not in other.access.sharing.members(rule.to) or person not in other.people:
        verb = "joined" if side.side == "new" else "left"
        why = f"{person} {verb} its group {group_label(rule.to)}"
    else:
        holds = "now holds" if side.side == "new" else "no longer holds"
        why = f"{person} {holds} a grant of {rule.resource}.{action} (the object permission)"
    return Cause("sharing", side.side, why, side.version.where(("sharing", rule_id)), None)
