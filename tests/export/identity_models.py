"""Generated models for the identity targets: the export strategies, plus what only the
people side has (e-mail addresses, some shared or invalid, and reporting lines that may
run in a circle), and an independent reading of the model's memberships."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from crmorg.model import Model

from .strategies import load_document, model_documents

EMAILS = st.sampled_from(
    [
        "ann@example.com",
        "ann@example.com",  # shared by two people: both fall back to their ids
        "Bob.Smith+crm@sales.example.org",
        "not an address",
        "x@host.test",
        "销售@example.com",
        "\u202eevil@example.com",
    ]
)


@st.composite
def identity_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(model_documents(access=True))
    people = doc.get("people", {})
    ids = sorted(people)
    for person_id in ids:
        if draw(st.booleans()):
            people[person_id]["email"] = draw(EMAILS)
        if ids and draw(st.integers(0, 3)) == 0:
            people[person_id]["reports_to"] = draw(st.sampled_from(ids))
    return doc


def identity_models() -> st.SearchStrategy[Model]:
    return identity_documents().map(load_document)


def lineage(model: Model, role: str) -> set[str]:
    """The role and every role it inherits, transitively (known roles only)."""
    found, pending = set(), [role]
    while pending:
        current = pending.pop()
        if current in found or current not in model.roles:
            continue
        found.add(current)
        pending.extend(model.roles[current].inherits)
    return found


def departments_of(model: Model, person: str) -> set[str]:
    """A person's departments: of the teams they list or lead, and of their roles."""
    teams = set(model.people[person].teams) | {
        t for t, team in model.teams.items() if team.lead == person
    }
    found = {model.teams[t].department for t in teams if t in model.teams}
    found |= {model.roles[r].department for r in model.people[person].roles if r in model.roles}
    return {d for d in found if d in model.departments}


def at_or_below(model: Model, department: str, other: str) -> bool:
    """Whether ``other`` is ``department`` or below it (parent chain, cycle-safe)."""
    seen: set[str] = set()
    current: str | None = other
    while current is not None and current in model.departments and current not in seen:
        if current == department:
            return True
        seen.add(current)
        current = model.departments[current].parent
    return False


def expected_groups(model: Model) -> Mapping[tuple[str, str], set[str]]:
    """(kind, id) -> the people in that group, read from the model's sections."""
    groups: dict[tuple[str, str], set[str]] = {}
    for role in model.roles:
        groups[("role", role)] = {
            p
            for p, person in model.people.items()
            if any(role in lineage(model, given) for given in person.roles)
        }
    for team_id, team in model.teams.items():
        groups[("team", team_id)] = {
            p for p, person in model.people.items() if team_id in person.teams
        } | ({team.lead} if team.lead in model.people else set())
    for dept in model.departments:
        groups[("department", dept)] = {
            p
            for p in model.people
            if any(at_or_below(model, dept, d) for d in departments_of(model, p))
        }
    return groups
