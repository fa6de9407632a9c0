"""Decisions equal a plain reading of format v1.1, sections 9 to 12.

Like the reading of section 3 beside it, the reference below knows nothing of crmorg: it
takes the YAML's data, recomputes everything naively on every question, and follows the
contract's sentences: a partial order of scopes given as its covering pairs, reports by
walking ``reports_to`` up from the owner, baselines gated by any grant of the action,
sharing rules gated the same way, and restricted fields needing a field grant too.
Hypothesis generates models with all of it (tests/export/strategies.py).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.export.strategies import load_document, model_documents

from .test_decisions_property import Plain

# "none < own < subordinates < organization and own < team < department < organization"
COVERS = {
    ("none", "own"),
    ("own", "subordinates"),
    ("subordinates", "organization"),
    ("own", "team"),
    ("team", "department"),
    ("department", "organization"),
}
SCOPES = ("none", "own", "subordinates", "team", "department", "organization")
LEVEL = {"none": 0, "read": 1, "edit": 2}


def at_least(scope: str, other: str) -> bool:
    """``scope`` is ``other`` or above it in the order."""
    return scope == other or any(
        at_least(scope, upper) for lower, upper in COVERS if lower == other
    )


class Plain11(Plain):
    def grant_scopes(self, role: str, resource: str, action: str) -> set[str]:
        """The scopes written for (resource, action) on the role and what it inherits."""
        found: set[str] = set()
        for r in {role, *self.inherited(role)}:
            for resource_key, actions in self.roles[r].get("grants", {}).items():
                if resource_key not in ("*", resource) or not self.applies(resource, action):
                    continue
                for action_key, scope in actions.items():
                    if action_key in ("*", action) and scope != "none":
                        found.add(scope)
        return found

    # "A baseline gives its scope for an action to every subject that has any effective
    # grant of that action on that resource; it gives nothing to a subject without one."
    def baseline(self, resource: str, action: str) -> str | None:
        written = self.resources[resource].get("baseline", {})
        if not self.applies(resource, action):
            return None
        return written.get(action, written.get("*"))

    def subject_scopes(self, subject: str, resource: str, action: str) -> set[str]:
        if subject in self.roles:
            found = self.grant_scopes(subject, resource, action)
        else:
            found = set()
            for role in self.people[subject].get("roles", []):
                found |= self.grant_scopes(role, resource, action)
        base = self.baseline(resource, action)
        if found and base is not None:
            found.add(base)
        return found

    def allows(self, subject: str, action: str, resource: str, scope: str) -> bool:
        if scope == "none":
            return True
        return any(at_least(s, scope) for s in self.subject_scopes(subject, resource, action))

    # "A person's reports are the people whose reports_to chain reaches them."
    def reports_to(self, owner: str, person: str) -> bool:
        seen = {owner}
        current = self.people[owner].get("reports_to")
        while current is not None and current not in seen:
            if current == person:
                return True
            seen.add(current)
            current = self.people[current].get("reports_to")
        return False

    def reaches(
        self, person: str, scope: str, owner: str | None, team: str | None, dept: str | None
    ) -> bool:
        if scope == "subordinates":
            own = owner is not None and owner == person
            return own or (owner is not None and self.reports_to(owner, person))
        if scope == "organization":
            return True
        return self.may_act_at(person, scope, owner, team, dept)

    def in_group(self, person: str, group: dict[str, str]) -> bool:
        if "role" in group:
            return any(
                group["role"] in {r, *self.inherited(r)}
                for r in self.people[person].get("roles", [])
            )
        if "team" in group:
            return self.in_team(person, group["team"])
        return any(self.is_within(d, group["department"]) for d in self.departments_of(person))

    def field_level(self, person: str, resource: str, field: str) -> int:
        best = 0
        for role in self.people[person].get("roles", []):
            for r in {role, *self.inherited(role)}:
                written = self.roles[r].get("fields", {}).get(resource, {}).get(field)
                best = max(best, LEVEL.get(written or "none", 0))
        return best

    def decide11(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None,
        team: str | None,
        dept: str | None,
        field: str | None = None,
    ) -> bool:
        scopes = self.subject_scopes(person, resource, action)
        allowed = any(self.reaches(person, s, owner, team, dept) for s in scopes)
        if not allowed and scopes and owner is not None:
            allowed = any(
                rule["resource"] == resource
                and action in rule["actions"]
                and self.in_group(person, rule["to"])
                and self.in_group(owner, rule["from"])
                for rule in self.data.get("sharing", {}).values()
            )
        if allowed and field is not None:
            declared = self.resources[resource]["fields"][field]
            if declared.get("restricted"):
                needs = 2 if action == "update" else 1
                allowed = self.field_level(person, resource, field) >= needs
        return allowed

    def field_access(self, subject: str, resource: str, field: str) -> str:
        may_read = self.applies(resource, "read") and self.allows(subject, "read", resource, "own")
        may_edit = self.applies(resource, "update") and self.allows(
            subject, "update", resource, "own"
        )
        restricted = self.resources[resource]["fields"][field].get("restricted", False)
        if subject in self.roles:
            level = (
                max(
                    LEVEL[self.roles[r].get("fields", {}).get(resource, {}).get(field, "none")]
                    for r in {subject, *self.inherited(subject)}
                )
                if restricted
                else 2
            )
        else:
            level = self.field_level(subject, resource, field) if restricted else 2
        if may_edit and level == 2:
            return "edit"
        return "read" if may_read and level >= 1 else "none"


def _documents() -> Any:
    return model_documents()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=_documents())
def test_decisions_equal_the_plain_reading_of_sections_9_to_12(data: dict[str, Any]) -> None:
    plain = Plain11(data)
    model = load_document(data)
    assert not [f for f in model.load_findings if f.severity.value == "error"]
    actions = plain.actions()
    for subject in [*plain.roles, *plain.people]:
        for resource in plain.resources:
            for action in actions:
                for scope in SCOPES:
                    expected = plain.allows(subject, action, resource, scope)
                    assert model.allows(subject, action, resource, scope) is expected, (
                        subject,
                        action,
                        resource,
                        scope,
                    )
            for field in plain.resources[resource].get("fields", {}):
                assert model.field_access(subject, resource, field) == plain.field_access(
                    subject, resource, field
                ), (subject, resource, field)
    owners: list[str | None] = [*plain.people, None]
    for person in plain.people:
        for owner in owners:
            for team, dept in [(None, None), *((t, None) for t in plain.teams)]:
                for resource in plain.resources:
                    fields = [None, *plain.resources[resource].get("fields", {})]
                    for action in actions:
                        for field in fields if action in ("read", "update") else [None]:
                            decision = model.decide(
                                person, action, resource, owner, team, dept, field=field
                            )
                            expected = plain.decide11(
                                person, action, resource, owner, team, dept, field
                            )
                            assert bool(decision) is expected, (
                                person,
                                action,
                                resource,
                                owner,
                                team,
                                field,
                                decision.reason,
                            )
                            assert decision.reason  # every layer can be said in words
