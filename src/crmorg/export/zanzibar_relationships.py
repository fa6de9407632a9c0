"""The relationships of the ``openfga`` and ``spicedb`` exports, grouped by what they state.

The schema is :mod:`crmorg.export.zanzibar`'s. What is written, per part of the model:

- a department: ``ancestor`` -> every department above it;
- a person: ``team`` / ``member`` and ``department`` / ``member`` both ways; ``managers``
  -> everyone above them in the reporting lines (only when some grant reaches at
  ``subordinates``); and their **effective grants**: for each permission they hold, one
  ``policy:<resource>#<scope>_<action>`` per maximal scope of it (format v1.1 §9),
  read from the decision index, so inheritance and baselines are already in it; and
  ``field_<field>_<access>`` per restricted field their roles grant;
- a sharing rule: ``recipient`` -> each member of its ``to`` group, and each member of
  its ``from`` group -> ``shared_<type>_<action>`` -> ``sharing:<rule>#recipient``.

So the number of relationships is linear in the model (per person: their teams,
departments, managers and held permissions; per sharing rule: its two groups), and no
part of it grows with the depth of inheritance. Roles write nothing: their grants are
in their holders' relationships. People with the same roles have the same grants,
worked out once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from crmorg.export.compiled import source_of
from crmorg.export.zanzibar import (
    DEPARTMENT,
    MANAGERS,
    PERSON,
    POLICY,
    RECIPIENT,
    SHARING,
    TEAM,
    Relationship,
    ZanzibarNames,
)
from crmorg.model import Model
from crmorg.roles.scopes import COVERED, Scope, maximal
from crmorg.text import localize


@dataclass(frozen=True)
class RelationshipEntry:
    """Relationships that one fact of the model produces, and what that fact is.

    ``about`` is plain text (names included); renderers make it safe for a comment.
    """

    about: str
    relationships: tuple[Relationship, ...]


RelationshipGroup: TypeAlias = tuple[RelationshipEntry, ...]
"""The entries of one department, person or sharing rule."""

PersonGrants: TypeAlias = tuple[tuple[str, str], ...]
"""(resource, policy relation) of each effective grant a person holds."""


def relationships(model: Model, names: ZanzibarNames) -> tuple[RelationshipGroup, ...]:
    """Every relationship of the static export: departments, people, sharing rules."""
    groups = list(_departments(model))
    cache: dict[int, PersonGrants] = {}
    grants = {p: _grants_of(model, names, p, cache) for p in sorted(model.people)}
    reports_count = any(
        relation.startswith(f"{Scope.SUBORDINATES.label}_")
        for held in grants.values()
        for _, relation in held
    )
    for person_id, held in grants.items():
        entries = _person(model, names, person_id, held, with_managers=reports_count)
        if entries:
            groups.append(entries)
    groups += _sharing_rules(model, names)
    return tuple(groups)


def flatten(groups: Iterable[RelationshipGroup]) -> Iterator[Relationship]:
    return (r for group in groups for entry in group for r in entry.relationships)


def count(groups: Iterable[RelationshipGroup]) -> int:
    return sum(len(entry.relationships) for group in groups for entry in group)


def _departments(model: Model) -> Iterator[RelationshipGroup]:
    above: dict[str, set[str]] = {dept: set() for dept in model.departments}
    for upper, under in model.org.department_below.items():
        for dept_id in under:
            if dept_id != upper and dept_id in above:
                above[dept_id].add(upper)
    for dept_id, dept in sorted(model.departments.items()):
        ancestors = sorted(above[dept_id])
        if ancestors:
            name = localize(dept.name, fallback=dept_id)
            yield (
                RelationshipEntry(
                    f"department {dept_id}: {name}; below {', '.join(ancestors)}",
                    tuple(
                        Relationship(DEPARTMENT, dept_id, "ancestor", DEPARTMENT, a)
                        for a in ancestors
                    ),
                ),
            )


def _grants_of(
    model: Model, names: ZanzibarNames, person: str, cache: dict[int, PersonGrants]
) -> PersonGrants:
    """The person's effective grants as policy relations, from the decision index (once
    per index row: people with the same roles share one)."""
    index = model.access.index
    row = index.person_row(person)
    found = cache.get(row)
    if found is None:
        nothing = COVERED[Scope.NONE]
        held: list[tuple[str, str]] = []
        for resource, action in sorted(model.access.catalog.permissions()):
            covered = index.field(row, resource, action)
            if covered != nothing:
                held += [(resource, names.grant_relation(action, s)) for s in maximal(covered)]
        found = cache[row] = tuple(held)
    return found


def _person(
    model: Model, names: ZanzibarNames, person_id: str, held: PersonGrants, *, with_managers: bool
) -> RelationshipGroup:
    org = model.org
    person = model.people[person_id]
    found: list[Relationship] = []
    for team in sorted(org.person_teams[person_id]):
        found.append(Relationship(PERSON, person_id, TEAM, TEAM, team))
        found.append(Relationship(TEAM, team, "member", PERSON, person_id))
    for dept_id in sorted(org.person_departments[person_id]):
        found.append(Relationship(PERSON, person_id, DEPARTMENT, DEPARTMENT, dept_id))
        found.append(Relationship(DEPARTMENT, dept_id, "member", PERSON, person_id))
    if with_managers:
        found += [
            Relationship(PERSON, person_id, MANAGERS, PERSON, manager)
            for manager in sorted(org.chain(person_id))
        ]
    entries: list[RelationshipEntry] = []
    if found:
        name = localize(person.name, fallback=person_id)
        about = f"person {person_id}: {name} ({source_of(model, ('people', person_id))})"
        entries.append(RelationshipEntry(about, tuple(found)))
    grants = [Relationship(POLICY, r, relation, PERSON, person_id) for r, relation in held]
    grants += _field_grants(model, names, person_id)
    if grants:
        roles = sorted({r for r in person.roles if r in model.roles})
        about = (
            f"{person_id}'s effective grants, from their roles ({', '.join(roles)}), what "
            "those inherit and the baselines (crmorg explain says where each is written)"
        )
        entries.append(RelationshipEntry(about, tuple(grants)))
    return tuple(entries)


def _field_grants(model: Model, names: ZanzibarNames, person_id: str) -> list[Relationship]:
    fields = model.access.fields
    found = []
    for (resource, field_id), named in sorted(names.fields.items()):
        grant = fields.person_grant(person_id, resource, field_id)
        if grant is not None and grant.access in named.policy:
            relation = named.policy[grant.access]
            found.append(Relationship(POLICY, resource, relation, PERSON, person_id))
    return found


def _sharing_rules(model: Model, names: ZanzibarNames) -> Iterator[RelationshipGroup]:
    sharing = model.access.sharing
    for rule_id, rule in sorted(model.sharing.items()):
        pairs = {(rule.resource, action) for action in rule.actions}
        shared = sorted(names.shared[p] for p in pairs if p in names.shared)
        if not shared:
            continue
        recipients = sorted(sharing.members(rule.to))
        owners = sorted(sharing.members(rule.from_))
        written = [Relationship(SHARING, rule_id, RECIPIENT, PERSON, p) for p in recipients]
        written += [
            Relationship(PERSON, owner, relation, SHARING, rule_id, RECIPIENT)
            for owner in owners
            for relation in shared
        ]
        actions = ", ".join(sorted(dict.fromkeys(rule.actions)))
        about = (
            f"sharing rule {rule_id}: {rule.resource} records of {rule.from_.kind} "
            f"{rule.from_.id} shared with {rule.to.kind} {rule.to.id} for "
            f"{actions} ({source_of(model, ('sharing', rule_id))})"
        )
        yield (RelationshipEntry(about, tuple(written)),)
