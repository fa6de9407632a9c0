"""What a target can express, declared beside it, and what a model asks of it.

A :class:`Construct` is something a model may say that not every target can represent
(a forced inheritance cycle, an id shared by a person and a role, ...), declared once
with the function that finds where a model says it. Each target declares its
:class:`Capabilities`: the questions its engine answers and the constructs it
expresses. :func:`inexpressible` lists what a model says outside them, and the export
refuses such a model with one :class:`~crmorg.export.errors.UnsupportedModelError`.

A target expresses only what it lists, so a new construct (a ``subordinates`` scope,
baselines, sharing rules, field permissions) is refused by every target until the
target says otherwise: adding one is a :class:`Construct` in :data:`CONSTRUCTS`, and
one flag in the ``expresses`` of each target that can express it
(``EVERY_V1_CONSTRUCT | {SUBORDINATES_SCOPE}``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import networkx as nx

from crmorg.export.compiled import source_of
from crmorg.export.errors import Inexpressible
from crmorg.findings import Path
from crmorg.model import Model


class Question(enum.Enum):
    """A question that a target's engine answers itself, from the exported files."""

    SUBJECT_AT_SCOPE = "may a role or person act at a scope (Model.allows)"
    PERSON_ON_RECORD = "may a person act on one record (Model.decide)"


@dataclass(frozen=True)
class Use:
    """Where a model uses a construct: a model path, and what is there."""

    path: Path
    text: str


@dataclass(frozen=True)
class Construct:
    """Something a model may say that a target may be unable to express."""

    name: str
    summary: str
    find: Callable[[Model], Iterable[Use]]


def _cycles(graph: nx.DiGraph[str]) -> tuple[tuple[str, ...], ...]:
    """The cycles of ``graph`` that matter, each as its sorted ids, sorted."""
    found = []
    for component in nx.strongly_connected_components(graph):
        # A role inheriting itself (or a department its own parent) changes nothing.
        if len(component) > 1:
            found.append(tuple(sorted(component)))
    return tuple(sorted(found))


def _inheritance_cycles(model: Model) -> Iterator[Use]:
    for cycle in _cycles(model.inheritance_graph):
        yield Use(("roles", cycle[0], "inherits"), f"inheritance cycle {' -> '.join(cycle)}")


def _department_cycles(model: Model) -> Iterator[Use]:
    for cycle in _cycles(model.department_tree):
        yield Use(("departments", cycle[0], "parent"), f"department cycle {' -> '.join(cycle)}")


def _shared_person_role_ids(model: Model) -> Iterator[Use]:
    for shared in sorted(set(model.roles) & set(model.people)):
        yield Use(("people", shared), f"`{shared}` names both a role and a person")


INHERITANCE_CYCLE = Construct(
    "inheritance-cycle",
    "roles that inherit each other in a circle (only exported with --force)",
    _inheritance_cycles,
)
DEPARTMENT_CYCLE = Construct(
    "department-cycle",
    "departments that are each other's parents (only exported with --force)",
    _department_cycles,
)
SHARED_PERSON_ROLE_ID = Construct(
    "shared-person-role-id",
    "an id that names both a role and a person (the format allows it)",
    _shared_person_role_ids,
)

CONSTRUCTS: tuple[Construct, ...] = (INHERITANCE_CYCLE, DEPARTMENT_CYCLE, SHARED_PERSON_ROLE_ID)
"""Every construct a target may be unable to express, in the order they are reported."""

EVERY_V1_CONSTRUCT = frozenset({INHERITANCE_CYCLE, DEPARTMENT_CYCLE, SHARED_PERSON_ROLE_ID})
"""What a target expresses if it expresses all that format v1 can say. Constructs of a
later version are not in it, so such a target still refuses them until it lists them."""


@dataclass(frozen=True)
class Capabilities:
    """What one target can do: the questions it answers and the constructs it expresses.

    ``why_not`` gives, for a construct it cannot express, the reason and the fix that the
    refusal shows.
    """

    answers: frozenset[Question] = frozenset()
    expresses: frozenset[Construct] = frozenset()
    why_not: Mapping[Construct, str] = field(default_factory=dict)


def inexpressible(model: Model, capabilities: Capabilities) -> tuple[Inexpressible, ...]:
    """Every use in ``model`` of a construct that ``capabilities`` does not express."""
    found: list[Inexpressible] = []
    for construct in CONSTRUCTS:
        if construct in capabilities.expresses:
            continue
        reason = capabilities.why_not.get(construct, "the target cannot express it")
        found += [
            Inexpressible(construct.name, f"{use.text}; {reason}", source_of(model, use.path))
            for use in construct.find(model)
        ]
    return tuple(found)
