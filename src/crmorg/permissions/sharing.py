"""Sharing rules (format v1.1, section 11): who is in a group, and which rule shares a record.

A rule shares the records of ``resource`` owned by a member of ``from`` with the members
of ``to``, for its ``actions``; the object permission still gates it (the caller checks
that the person holds some grant of the action). Group members are found once per group.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from crmorg.permissions.effective import Permission
from crmorg.permissions.models import Group, SharingRule
from crmorg.roles.orggraph import OrgGraph


class SharingIndex:
    """The rules of a model by (resource, action), and the members of each group."""

    def __init__(self, rules: Mapping[str, SharingRule], org: OrgGraph) -> None:
        self._rules = rules
        self._org = org
        self._members: dict[tuple[str, str], frozenset[str]] = {}

    @cached_property
    def by_permission(self) -> Mapping[Permission, tuple[str, ...]]:
        """(resource, action) -> the ids of the rules that share it, in model order."""
        found: dict[Permission, list[str]] = {}
        for rule_id, rule in self._rules.items():
            for action in dict.fromkeys(rule.actions):
                found.setdefault((rule.resource, action), []).append(rule_id)
        return {permission: tuple(ids) for permission, ids in found.items()}

    def rule(self, rule_id: str) -> SharingRule:
        return self._rules[rule_id]

    def members(self, group: Group) -> frozenset[str]:
        """The people in ``group``: holders of the role or of a role inheriting it, the
        team's members, or the people with a department at or below the department."""
        key = (group.kind, group.id)
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = self._find(group)
        return found

    def _find(self, group: Group) -> frozenset[str]:
        org = self._org
        if group.kind == "role":
            return frozenset(org.effective_holders.get(group.id, ()))
        if group.kind == "team":
            return org.team_members.get(group.id, frozenset())
        below = org.department_below.get(group.id, frozenset({group.id}))
        return frozenset(
            person
            for person, depts in org.person_departments.items()
            if not depts.isdisjoint(below)
        )

    def sharing(self, person: str, resource: str, action: str, owner: str | None) -> str | None:
        """The first rule that shares the record with ``person`` for ``action``, if any."""
        if owner is None:
            return None
        for rule_id in self.by_permission.get((resource, action), ()):
            rule = self._rules[rule_id]
            if person in self.members(rule.to) and owner in self.members(rule.from_):
                return rule_id
        return None
