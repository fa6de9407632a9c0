"""How fast decisions are: Model.allows() against the floor and the real engines.

    python benchmarks/bench_decisions.py                  # 1,000 roles, 5,000 people
    python benchmarks/bench_decisions.py --roles 200 --people 1000 --engine-requests 500

One run generates a model (roles in a department tree, each inheriting its department's
base role, which inherits `employee`; people with one to three roles and a team), loads
it, and measures:

- ``Model.allows()`` cold: the first 20,000 random questions (subject, action, resource,
  scope) on a freshly loaded model, building the index on the way;
- the index alone, built on another freshly loaded model;
- ``Model.allows()`` warm, on a million random questions;
- the floor: a bare Python dict lookup of the same answers, ``table[key] >= rank``;
- ``Model.decide()`` on 2,000 people-on-records requests: the first pass after load, then
  warm;
- pycasbin ``enforce()`` on crmorg's own casbin export of the model;
- cedarpy ``is_authorized_batch`` on crmorg's own cedar export, people on records.

Goals (issues 17 and 20): allows() warm at least 500,000 a second and within 3x of the
dict lookup, cold at most 5 µs each; decide() warm at most 5 µs, cold at most 20 µs; the
index built in well under a second. Times are CPU times. The engines evaluate every policy for every
request, so they are timed on fewer requests; their answers are checked too.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.naming import resource_type_names
from crmorg.model import Model

BUILTIN = ("create", "read", "update", "delete", "assign", "share", "export", "import", "approve")
SCOPES = ("none", "own", "team", "department", "organization")
RANK = {name: rank for rank, name in enumerate(SCOPES)}


def generate(n_roles: int, n_people: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    resources: dict[str, Any] = {}
    for i in range(30):
        resource: dict[str, Any] = {"name": f"Resource {i}"}
        if i % 3 == 0:
            resource["actions"] = rng.sample([*BUILTIN, "refund", "convert"], 6)
        resources[f"res{i}"] = resource
    resource_ids = list(resources)
    n_departments = max(3, n_roles // 20)
    departments: dict[str, Any] = {"d0": {"name": "Head office"}}
    for i in range(1, n_departments):
        departments[f"d{i}"] = {"name": f"Department {i}", "parent": f"d{rng.randrange(i)}"}
    department_ids = list(departments)

    def grants(count: int) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for _ in range(count):
            resource_id = rng.choice(resource_ids)
            actions = resources[resource_id].get("actions", BUILTIN)
            action = "*" if rng.random() < 0.15 else rng.choice(actions)
            result.setdefault(resource_id, {})[action] = rng.choice(SCOPES[1:])
        return result

    roles: dict[str, Any] = {"employee": {"name": "Employee", "grants": grants(5)}}
    for dept in department_ids:
        roles[f"{dept}_base"] = {
            "name": f"{dept} staff",
            "department": dept,
            "inherits": ["employee"],
            "grants": grants(4),
        }
    job_roles: list[str] = []
    while len(roles) < n_roles:
        role_id = f"job{len(roles)}"
        dept = rng.choice(department_ids)
        parents = [f"{dept}_base"]
        if job_roles and rng.random() < 0.3:
            parents.append(rng.choice(job_roles))
        roles[role_id] = {
            "name": f"Job {role_id}",
            "department": dept,
            "inherits": parents,
            "grants": grants(rng.randint(3, 10)),
        }
        job_roles.append(role_id)
    people: dict[str, Any] = {}
    teams: dict[str, Any] = {}
    n_teams = max(1, n_people // 10)
    for i in range(n_teams):
        teams[f"t{i}"] = {"department": rng.choice(department_ids)}
    for i in range(n_people):
        people[f"p{i}"] = {
            "roles": rng.sample(job_roles, rng.randint(1, 3)),
            "teams": [f"t{rng.randrange(n_teams)}"],
        }
    for i in range(n_teams):
        teams[f"t{i}"]["lead"] = f"p{rng.randrange(n_people)}"
    return {
        "version": 1,
        "organization": {"name": "Benchmark Co."},
        "actions": ["refund", "convert"],
        "resources": resources,
        "departments": departments,
        "roles": roles,
        "teams": teams,
        "people": people,
    }


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f} decisions/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=1_000_000)
    parser.add_argument("--engine-requests", type=int, default=200)
    parser.add_argument("--cold", type=int, default=20_000, help="cold allows() decisions")
    parser.add_argument("--decide", type=int, default=2_000, help="decide() requests")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(generate(args.roles, args.people)), encoding="utf-8")
        started = time.perf_counter()
        model = crmorg.load(path)
        loaded = time.perf_counter() - started
        # Fresh models for the figures that include the work done on first use.
        for_index, for_decide = crmorg.load(path), crmorg.load(path)
    print(
        f"model: {model!r}; {len(model.catalog.permissions())} permissions; "
        f"loaded in {loaded:.2f} s"
    )
    rng = random.Random(11)
    subjects = [*model.roles, *model.people]
    permissions = model.catalog.permissions()
    questions = []
    for _ in range(args.questions):
        resource, action = rng.choice(permissions)
        questions.append((rng.choice(subjects), action, resource, rng.choice(SCOPES)))

    # Cold: the first decisions on a freshly loaded model, the index built on the way.
    allows = model.allows
    cold = questions[: args.cold]
    gc.collect()
    started = time.process_time()
    for subject, action, resource, scope in cold:
        allows(subject, action, resource, scope)
    cold_time = time.process_time() - started
    print(
        f"allows() cold:   {cold_time / len(cold) * 1e6:8.2f} µs per decision (CPU), "
        f"the first {len(cold):,} after load"
    )
    index = for_index.access.index
    gc.collect()
    started = time.process_time()
    index.build()
    roles_built = time.process_time() - started
    started = time.process_time()
    for person in for_index.people:
        index.person_row(person)
    people_built = time.process_time() - started
    print(
        f"index: roles {roles_built:.3f} s, every person {people_built:.3f} s (CPU; "
        "a person's row is made when first asked about)"
    )

    # Warm: allows() and the floor -------------------------------------------------------------
    table = {
        (s, r, a): int(model.effective_scope(s, a, r)) for s, a, r, _ in questions
    }  # the same answers, as a bare dict
    gc.collect()
    started = time.process_time()
    for subject, action, resource, scope in questions:
        allows(subject, action, resource, scope)
    allows_time = time.process_time() - started

    rank = RANK
    started = time.process_time()
    for subject, action, resource, scope in questions:
        table[(subject, resource, action)] >= rank[scope]  # noqa: B015
    floor_time = time.process_time() - started
    assert all(
        allows(s, a, r, sc) == (table[(s, r, a)] >= rank[sc]) for s, a, r, sc in questions[:10000]
    )
    print(
        f"allows() warm:   {rate(len(questions), allows_time)}, "
        f"{allows_time / len(questions) * 1e6:.2f} µs"
    )
    print(
        f"dict lookup:     {rate(len(questions), floor_time)}, "
        f"{floor_time / len(questions) * 1e6:.2f} µs"
    )
    print(f"allows() / dict: {allows_time / floor_time:.2f}x the floor's time")
    bench_decide(for_decide, args.decide, rng)

    engine_questions = questions[: args.engine_requests]
    bench_casbin(model, engine_questions)
    bench_cedar(model, engine_questions, rng)
    return 0


def bench_decide(model: Model, count: int, rng: random.Random) -> None:
    """decide() on people and records: the first ``count`` after load, then the same again."""
    people = list(model.people)
    permissions = model.catalog.permissions()
    requests = []
    for _ in range(count):
        resource, action = rng.choice(permissions)
        requests.append((rng.choice(people), action, resource, rng.choice(people)))
    decide = model.decide
    timings = []
    for _ in range(3):  # the first pass is cold; the last two are warm
        gc.collect()
        started = time.process_time()
        for person, action, resource, owner in requests:
            decide(person, action, resource, owner)
        timings.append((time.process_time() - started) / count * 1e6)
    print(
        f"decide() cold:   {timings[0]:8.2f} µs per decision (CPU), the first {count:,} "
        f"after load; warm: {min(timings[1:]):.2f} µs"
    )


def bench_casbin(model: Model, questions: list[tuple[str, str, str, str]]) -> None:
    import casbin

    files = EXPORTERS["casbin"].render(model)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        enforcer = casbin.Enforcer(str(Path(tmp) / "model.conf"), str(Path(tmp) / "policy.csv"))
        loaded = time.perf_counter() - started
    p_lines = sum(1 for line in files["policy.csv"].splitlines() if line.startswith("p,"))
    started = time.perf_counter()
    answers = [enforcer.enforce(s, r, a, scope) for s, a, r, scope in questions]
    elapsed = time.perf_counter() - started
    wrong = sum(answer != model.allows(*q) for answer, q in zip(answers, questions, strict=True))
    print(
        f"casbin enforce: {rate(len(questions), elapsed)}  "
        f"({p_lines} p lines, loaded in {loaded:.2f} s; {wrong} answers differ)"
    )


def bench_cedar(
    model: Model, questions: list[tuple[str, str, str, str]], rng: random.Random
) -> None:
    import cedarpy

    files = EXPORTERS["cedar"].render(model)
    types = resource_type_names(model.resources)
    people = list(model.people)
    started = time.perf_counter()
    policies = cedarpy.PolicySet.from_str(files["policies.cedar"])
    entities_list = json.loads(files["entities.json"])
    requests, expected = [], []
    for index, (_, action, resource, _) in enumerate(questions):
        person, owner = rng.choice(people), rng.choice(people)
        record_id = f"r{index}"
        entities_list.append(
            {
                "uid": {"type": f"CRM::{types[resource]}", "id": record_id},
                "attrs": {"owner": {"__entity": {"type": "CRM::Person", "id": owner}}},
                "parents": [],
            }
        )
        requests.append(
            {
                "principal": {"type": "CRM::Person", "id": person},
                "action": {"type": "CRM::Action", "id": action},
                "resource": {"type": f"CRM::{types[resource]}", "id": record_id},
                "context": {},
            }
        )
        expected.append(bool(model.decide(person, action, resource, owner=owner)))
    entities = cedarpy.Entities.from_json_str(json.dumps(entities_list))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    results = cedarpy.is_authorized_batch(requests, policies, entities)
    elapsed = time.perf_counter() - started
    wrong = sum(
        (r.decision == cedarpy.Decision.Allow) != e for r, e in zip(results, expected, strict=True)
    )
    count = files["policies.cedar"].count("\npermit (")
    print(
        f"cedar batch:    {rate(len(requests), elapsed)}  "
        f"({count} policies, loaded in {loaded:.2f} s; people on records; {wrong} answers differ)"
    )


if __name__ == "__main__":
    sys.exit(main())
