"""Every question of format-v1 section 3, asked of the model and of an engine."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from typing import Protocol

from crmorg.model import Model

from .engines import SCOPES, AllowsQuery, DecideQuery, FieldQuery, Record


class Engine(Protocol):
    name: str

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]: ...

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]: ...


class FieldEngine(Engine, Protocol):
    """An engine that decides on one field of a record too (format v1.1 §12)."""

    def decide_fields(self, queries: Sequence[FieldQuery]) -> list[bool]: ...


def subjects(model: Model) -> list[str]:
    """Every role, and every person whose id is not also a role's (the role wins)."""
    return [*model.roles, *(p for p in model.people if p not in model.roles)]


def allows_queries(model: Model, scopes: Iterable[str] = SCOPES) -> list[AllowsQuery]:
    """Every subject × resource × action (applicable or not) × scope."""
    return [
        (subject, action, resource, scope)
        for subject in subjects(model)
        for resource in model.resources
        for action in model.access.catalog.actions
        for scope in scopes
    ]


def records(model: Model) -> list[Record]:
    """Every record shape: owner or none, with and without explicit team and department."""
    return [
        Record(owner, team, department)
        for owner in [*model.people, None]
        for team in [None, *model.teams]
        for department in [None, *model.departments]
    ]


def decide_queries(model: Model, shapes: Sequence[Record]) -> list[DecideQuery]:
    """Every person × record shape × applicable (resource, action)."""
    permissions = model.access.catalog.permissions()
    return [
        (person, action, resource, record)
        for person in model.people
        for record in shapes
        for resource, action in permissions
    ]


def sampled_decide_queries(model: Model, count: int, seed: int = 7) -> list[DecideQuery]:
    """For big models: questions at every decision boundary, plus ``count`` random ones.

    Record shapes: every owner (or none) with no team or department, with each team,
    with each department, and with a few random pairs. For every person and shape the
    question asked is about a permission the person holds at exactly the record's
    relation, or one scope short of it, where a wrong relation changes the answer.
    """
    rng = random.Random(seed)
    people = list(model.people)
    teams, departments = list(model.teams), list(model.departments)
    shapes: list[Record] = []
    for owner in [*people, None]:
        shapes.append(Record(owner))
        shapes += [Record(owner, team=t) for t in teams]
        shapes += [Record(owner, department=d) for d in departments]
        if teams and departments:
            shapes += [Record(owner, rng.choice(teams), rng.choice(departments)) for _ in range(3)]
    permissions = model.access.catalog.permissions()
    every_shape = records(model)
    queries: list[DecideQuery] = []
    for _ in range(count):
        resource, action = rng.choice(permissions)
        queries.append((rng.choice(people), action, resource, rng.choice(every_shape)))
    held_at: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for person in people:
        for resource, action in permissions:
            scope = int(model.access.effective_scope(person, action, resource))
            held_at.setdefault((person, scope), []).append((resource, action))
    for person, record in itertools.product(people, shapes):
        relation = model.relation(person, record.owner, record.team, record.department)
        at_boundary = held_at.get((person, relation), []) + held_at.get((person, relation - 1), [])
        if at_boundary:
            resource, action = rng.choice(at_boundary)
            queries.append((person, action, resource, record))
    return queries


def field_queries(model: Model) -> list[FieldQuery]:
    """Every person × record owner (or none) × declared field × action that reads or
    edits it (format v1.1 §12): restricted fields and unrestricted ones."""
    fields = [(r, f) for r, resource in model.resources.items() for f in resource.fields]
    return [
        (person, action, resource, Record(owner), field)
        for person in model.people
        for owner in [*model.people, None]
        for resource, field in fields
        for action in ("read", "update")
        if model.access.catalog.applies(resource, action)
    ]


def mismatches_fields(
    model: Model, engine: FieldEngine, queries: Sequence[FieldQuery]
) -> list[str]:
    got = engine.decide_fields(queries)
    found = []
    for (person, action, resource, record, field), answer in zip(queries, got, strict=True):
        expected = model.decide(person, action, resource, record.owner, field=field)
        if bool(expected) != answer:
            found.append(
                f"{engine.name}: {person} {action} {resource}.{field} on {record} is "
                f"{answer}; the model: {expected.reason}"
            )
    return found


def mismatches_allows(model: Model, engine: Engine, queries: Sequence[AllowsQuery]) -> list[str]:
    got = engine.allows(queries)
    return [
        f"{engine.name}: allows{query} is {answer}, the model says {not answer}"
        for query, answer in zip(queries, got, strict=True)
        if model.allows(query[0], query[1], query[2], query[3]) != answer
    ]


def mismatches_decide(model: Model, engine: Engine, queries: Sequence[DecideQuery]) -> list[str]:
    got = engine.decide(queries)
    found = []
    for (person, action, resource, record), answer in zip(queries, got, strict=True):
        expected = model.decide(
            person, action, resource, record.owner, record.team, record.department
        )
        if bool(expected) != answer:
            found.append(
                f"{engine.name}: {person} {action} {resource} on {record} is {answer}; "
                f"the model: {expected.reason}"
            )
    return found
