"""Decisions equal a deliberately plain reading of format-v1 section 3.

The reference below knows nothing of crmorg: it works on the same Python data that is
written out as YAML, recomputes everything naively on every question (recursion over
``inherits``, wildcards expanded on the spot, membership by scanning every person and
team, "descendant" by walking ``parent`` upwards), and follows the wording of section 3
sentence by sentence. Hypothesis generates random valid models; every question that
can be asked of one is asked of both.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmorg

SCOPES = ("none", "own", "team", "department", "organization")
RANK = {scope: rank for rank, scope in enumerate(SCOPES)}
BUILTIN = ("create", "read", "update", "delete", "assign", "share", "export", "import", "approve")
EXTRA = ("refund", "escalate", "archive")


# The plain reading of section 3 --------------------------------------------------------
class Plain:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.resources: dict[str, Any] = data.get("resources", {})
        self.roles: dict[str, Any] = data.get("roles", {})
        self.people: dict[str, Any] = data.get("people", {})
        self.teams: dict[str, Any] = data.get("teams", {})
        self.departments: dict[str, Any] = data.get("departments", {})

    def actions(self) -> list[str]:
        """Built-in actions, then the model's own (which never remove built-ins)."""
        return list(BUILTIN) + [a for a in self.data.get("actions", []) if a not in BUILTIN]

    def applies(self, resource: str, action: str) -> bool:
        listed = self.resources[resource].get("actions")
        return action in (listed if listed is not None else BUILTIN)

    # "A role's effective grants are its own plus those of every role it inherits,
    # transitively; for each (resource, action) the widest scope wins. Wildcards expand
    # to the declared resources and to the actions that apply to each."
    def own_scope(self, role: str, resource: str, action: str) -> int:
        best = 0
        for resource_key, actions in self.roles[role].get("grants", {}).items():
            if resource_key not in ("*", resource):
                continue
            for action_key, scope in actions.items():
                if action_key in ("*", action) and self.applies(resource, action):
                    best = max(best, RANK[scope])
        return best

    def inherited(self, role: str, seen: set[str] | None = None) -> set[str]:
        seen = set() if seen is None else seen
        for parent in self.roles[role].get("inherits", []):
            if parent not in seen:
                seen.add(parent)
                self.inherited(parent, seen)
        return seen

    def role_scope(self, role: str, resource: str, action: str) -> int:
        return max(self.own_scope(r, resource, action) for r in {role, *self.inherited(role)})

    # "A person's effective grants are the union of their roles' effective grants."
    def person_scope(self, person: str, resource: str, action: str) -> int:
        roles = self.people[person].get("roles", [])
        return max((self.role_scope(r, resource, action) for r in roles), default=0)

    # "allows(subject, action, resource, scope) (subject: a role id or a person id) is
    # true when the subject's effective scope for (resource, action) is at least scope."
    def allows(self, subject: str, action: str, resource: str, scope: str) -> bool:
        if subject in self.roles:
            granted = self.role_scope(subject, resource, action)
        else:
            granted = self.person_scope(subject, resource, action)
        return granted >= RANK[scope]

    # Membership: a team's members are the people who list it, plus its lead; a person's
    # departments are those of their teams and of their roles.
    def in_team(self, person: str, team: str) -> bool:
        return team in self.people[person].get("teams", []) or (
            self.teams[team].get("lead") == person
        )

    def teams_of(self, person: str) -> set[str]:
        return {team for team in self.teams if self.in_team(person, team)}

    def departments_of(self, person: str) -> set[str]:
        found = {self.teams[t].get("department") for t in self.teams_of(person)}
        found |= {self.roles[r].get("department") for r in self.people[person].get("roles", [])}
        return {d for d in found if d is not None}

    def is_within(self, department: str, ancestor: str) -> bool:
        """``department`` is ``ancestor`` or a descendant of it (walking ``parent`` up)."""
        current: str | None = department
        while current is not None:
            if current == ancestor:
                return True
            current = self.departments[current].get("parent")
        return False

    # "A decision on one record: the record has an owner (person id) and may name a team
    # and a department; where it does not, they are the owner's teams and departments."
    def may_act_at(
        self, person: str, scope: str, owner: str | None, team: str | None, dept: str | None
    ) -> bool:
        record_teams = {team} if team else (self.teams_of(owner) if owner else set())
        record_departments = {dept} if dept else (self.departments_of(owner) if owner else set())
        own = owner is not None and person == owner
        in_team = own or any(self.in_team(person, t) for t in record_teams)
        in_department = in_team or any(
            self.is_within(d, mine)
            for d in record_departments
            for mine in self.departments_of(person)
        )
        return {
            "none": False,
            "own": own,
            "team": in_team,
            "department": in_department,
            "organization": True,
        }[scope]

    def decide(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None,
        team: str | None,
        dept: str | None,
    ) -> bool:
        granted = SCOPES[self.person_scope(person, resource, action)]
        return self.may_act_at(person, granted, owner, team, dept)

    def narrowest(self, person: str, owner: str | None, team: str | None, dept: str | None) -> str:
        return next(s for s in SCOPES[1:] if self.may_act_at(person, s, owner, team, dept))


# Random valid models ---------------------------------------------------------------------
def _ids(prefix: str, count: int, draw: st.DrawFn) -> list[str]:
    """``count`` ids, numbered in a shuffled order so declaration order is not structure."""
    numbers = draw(st.permutations(range(count)))
    return [f"{prefix}{n}" for n in numbers]


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"version": 1, "organization": {"name": "Random Org"}}
    extra = draw(st.lists(st.sampled_from(EXTRA), unique=True, max_size=3))
    if extra:
        data["actions"] = extra
    all_actions = list(BUILTIN) + extra

    resources: dict[str, Any] = {}
    for resource in _ids("res_", draw(st.integers(1, 3)), draw):
        entry: dict[str, Any] = {"name": resource.replace("_", " ").title()}
        if draw(st.booleans()):
            entry["actions"] = draw(
                st.lists(st.sampled_from(all_actions), unique=True, min_size=1, max_size=6)
            )
        resources[resource] = entry
    data["resources"] = resources

    def applicable(resource: str) -> list[str]:
        listed: list[str] = resources[resource].get("actions", list(BUILTIN))
        return listed

    departments: dict[str, Any] = {}
    dept_ids = _ids("dept_", draw(st.integers(0, 5)), draw)
    for index, dept in enumerate(dept_ids):
        entry = {"name": dept}
        if index and draw(st.booleans()):
            entry["parent"] = draw(st.sampled_from(dept_ids[:index]))
        departments[dept] = entry
    if departments:
        data["departments"] = dict(reversed(list(departments.items())))

    chain = draw(st.booleans())
    role_count = draw(st.integers(12, 16) if chain else st.integers(1, 10))
    role_ids = _ids("role_", role_count, draw)
    roles: dict[str, Any] = {}
    for index, role in enumerate(role_ids):
        entry = {}
        parents = (
            draw(st.lists(st.sampled_from(role_ids[:index]), unique=True, max_size=3))
            if index
            else []
        )
        if chain and index:
            parents = [role_ids[index - 1], *[p for p in parents if p != role_ids[index - 1]]]
        if parents:
            entry["inherits"] = parents
        in_department = draw(st.booleans())
        if dept_ids and in_department:
            entry["department"] = draw(st.sampled_from(dept_ids))
        grants: dict[str, dict[str, str]] = {}
        for resource_key in draw(
            st.lists(st.sampled_from([*resources, "*"]), unique=True, max_size=3)
        ):
            choices = all_actions if resource_key == "*" else applicable(resource_key)
            keys = draw(
                st.lists(st.sampled_from([*choices, "*"]), unique=True, min_size=1, max_size=3)
            )
            grants[resource_key] = {key: draw(st.sampled_from(SCOPES)) for key in keys}
        if grants:
            entry["grants"] = grants
        roles[role] = entry
    # Declared in a shuffled order: heirs may come before what they inherit.
    order = draw(st.permutations(role_ids))
    data["roles"] = {role: roles[role] for role in order}

    person_ids = _ids("person_", draw(st.integers(1, 5)), draw)
    team_ids = _ids("team_", draw(st.integers(0, 3)), draw)
    teams: dict[str, Any] = {}
    for team in team_ids:
        entry = {}
        in_department, has_lead = draw(st.booleans()), draw(st.booleans())
        if dept_ids and in_department:
            entry["department"] = draw(st.sampled_from(dept_ids))
        if has_lead:
            entry["lead"] = draw(st.sampled_from(person_ids))
        teams[team] = entry
    if teams:
        data["teams"] = teams
    people: dict[str, Any] = {}
    for person in person_ids:
        entry = {"roles": draw(st.lists(st.sampled_from(role_ids), unique=True, max_size=3))}
        if team_ids:
            entry["teams"] = draw(st.lists(st.sampled_from(team_ids), unique=True, max_size=2))
        people[person] = entry
    data["people"] = people
    return data


def _write(data: dict[str, Any], root: Path, split: bool, flow: bool) -> Path:
    """The model as one file, or as a directory with a file per section."""

    def dump(part: dict[str, Any]) -> str:
        return yaml.safe_dump(part, sort_keys=False, allow_unicode=True, default_flow_style=flow)

    if not split:
        path = root / "model.yaml"
        path.write_text(dump(data), encoding="utf-8")
        return path
    folder = root / "model"
    for index, (section, value) in enumerate(data.items()):
        target = folder / ("roles" if section == "roles" else "") / f"{index:02}_{section}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump({section: value}), encoding="utf-8")
    return folder


def _contexts(plain: Plain) -> list[tuple[str | None, str | None]]:
    """Record contexts: the owner's own, each team, each department, and a mixture."""
    teams = list(plain.teams)
    departments = list(plain.departments)
    contexts: list[tuple[str | None, str | None]] = [(None, None)]
    contexts += [(team, None) for team in teams]
    contexts += [(None, dept) for dept in departments]
    if teams and departments:
        contexts.append((teams[-1], departments[0]))
    return contexts


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=models(), split=st.booleans(), flow=st.booleans())
def test_decisions_equal_the_plain_reading_of_section_3(
    data: dict[str, Any], split: bool, flow: bool
) -> None:
    plain = Plain(data)
    with tempfile.TemporaryDirectory() as tmp:
        model = crmorg.load(_write(data, Path(tmp), split, flow))
    actions = plain.actions()
    assert set(model.catalog.actions) == set(actions)

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

    owners: list[str | None] = [*plain.people, None]
    for person in plain.people:
        for owner in owners:
            for team, dept in _contexts(plain):
                required = plain.narrowest(person, owner, team, dept)
                assert model.relation(person, owner, team, dept).name.lower() == required
                for resource in plain.resources:
                    for action in actions:
                        decision = model.decide(
                            person, action, resource, owner=owner, team=team, department=dept
                        )
                        expected = plain.decide(person, action, resource, owner, team, dept)
                        assert bool(decision) is expected, (
                            person,
                            action,
                            resource,
                            owner,
                            team,
                            dept,
                            decision.reason,
                        )
                        assert decision.granted == plain.person_scope(person, resource, action)
                        assert decision.required.name.lower() == required


def test_plain_reading_of_a_known_model() -> None:
    """The reference itself, checked by hand on a small model (a test of the test)."""
    data: dict[str, Any] = {
        "actions": ["refund"],
        "resources": {"deal": {}, "payment": {"actions": ["read", "refund"]}},
        "departments": {"top": {"name": "T"}, "sales": {"name": "S", "parent": "top"}},
        "roles": {
            "base": {"grants": {"*": {"read": "own"}}},
            "rep": {"inherits": ["base"], "department": "sales",
                    "grants": {"deal": {"update": "team"}, "payment": {"*": "none"}}},
            "boss": {"inherits": ["rep"], "department": "top",
                     "grants": {"*": {"*": "department"}}},
        },
        "teams": {"east": {"department": "sales", "lead": "bo"}},
        "people": {"ann": {"roles": ["rep"], "teams": ["east"]}, "bo": {"roles": ["boss"]},
                   "cy": {"roles": ["base"]}},
    }  # fmt: skip
    plain = Plain(data)
    assert plain.role_scope("rep", "payment", "read") == RANK["own"]
    assert plain.role_scope("rep", "payment", "refund") == RANK["none"]
    assert plain.role_scope("boss", "payment", "refund") == RANK["department"]
    assert plain.role_scope("boss", "deal", "refund") == 0  # refund does not apply to deals
    assert plain.teams_of("bo") == {"east"}
    assert plain.departments_of("ann") == {"sales"}
    assert plain.narrowest("bo", "ann", None, None) == "team"
    assert plain.narrowest("cy", "ann", None, None) == "organization"
    assert plain.narrowest("bo", "cy", None, "sales") == "department"
    assert plain.decide("ann", "update", "deal", "bo", None, None) is True
    assert plain.decide("ann", "update", "deal", "cy", None, None) is False
