"""What every engine measurement is given, and what it reports.

A :class:`Sample` is one generated model with a fixed list of person-on-record requests
and crmorg's answers to them (``Model.decide``); a measurement loads one target's export
into its real engine, asks the same requests, and reports :class:`Figures`.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmorg.export import EXPORTERS
from crmorg.model import Model


@dataclass(frozen=True)
class Request:
    """A person acting on one record; the record's team and department when it names them."""

    person: str
    action: str
    resource: str
    owner: str
    team: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class Sample:
    model: Model
    path: Path
    """The model's file, for a measurement that loads the model itself."""
    requests: Sequence[Request]
    expected: Sequence[bool]
    """``Model.decide`` for each request."""
    relations: Sequence[str]
    """The record's relation to the person (the scope an application asks Casbin at)."""

    def render(self, target: str) -> dict[str, str]:
        return EXPORTERS[target].render(self.model)


@dataclass(frozen=True)
class Figures:
    """One target's figures on one sample."""

    target: str
    count: int
    """Policies, ``p`` lines, tuples...: what the engine evaluates or stores per model."""
    counted: str
    files: Mapping[str, int] = field(default_factory=dict)
    """File name -> size in bytes."""
    load_seconds: float = 0.0
    microseconds: float = 0.0
    """Per decision, on the sample's requests."""
    wrong: int = 0
    """Answers that differ from ``Model.decide``."""
    note: str = ""


Measure = Callable[[Sample], list[Figures]]


def make_sample(model: Model, path: Path, count: int, seed: int = 5) -> Sample:
    """``count`` random requests: a person, an applicable permission, and a record owned
    by a random person, a quarter naming a team and a quarter a department."""
    rng = random.Random(seed)
    people, teams, departments = list(model.people), list(model.teams), list(model.departments)
    permissions = model.catalog.permissions()
    requests = []
    for _ in range(count):
        resource, action = rng.choice(permissions)
        team = rng.choice(teams) if teams and rng.random() < 0.25 else None
        department = rng.choice(departments) if departments and rng.random() < 0.25 else None
        requests.append(
            Request(rng.choice(people), action, resource, rng.choice(people), team, department)
        )
    expected = [
        bool(model.decide(r.person, r.action, r.resource, r.owner, r.team, r.department))
        for r in requests
    ]
    relations = [model.relation(r.person, r.owner, r.team, r.department).label for r in requests]
    return Sample(model, path, requests, expected, relations)


def timed(run: Callable[[], object]) -> tuple[object, float]:
    """``run()`` and the CPU seconds it took, after a collection."""
    gc.collect()
    started = time.process_time()
    result = run()
    return result, time.process_time() - started


def wrong_answers(answers: Sequence[bool], sample: Sample) -> int:
    return sum(a != e for a, e in zip(answers, sample.expected, strict=True))


def engine_figures(
    sample: Sample,
    files: Mapping[str, str],
    counted: tuple[str, int, str],
    load_seconds: float,
    asked: tuple[object, float],
    note: str = "",
) -> Figures:
    """The figures of a target's engine: ``counted`` (target, count, what is counted),
    ``asked`` (the answers to the sample's requests, in order, and the seconds taken)."""
    answers, seconds = asked
    assert isinstance(answers, list)
    target, count, what = counted
    return Figures(
        target,
        count,
        what,
        sizes(files),
        load_seconds,
        seconds / len(sample.requests) * 1e6,
        wrong_answers(answers, sample),
        note,
    )


def sizes(files: Mapping[str, str]) -> dict[str, int]:
    return {name: len(text.encode("utf-8")) for name, text in sorted(files.items())}
