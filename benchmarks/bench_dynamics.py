"""How long the ``dynamics`` export takes, and how big it is, for generated models.

    python benchmarks/bench_dynamics.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_dynamics.py --sizes 100 1000 5000

Each model has a department tree (people whose roles and teams sit in departments that
do not nest), teams, a reporting tree (five reports each), roles granting every scope
(``team`` and ``subordinates`` included) on thirty resources, a restricted field per
resource and a few sharing rules: everything the fidelity comparison has to look at.
It prints, per size: the load time, the time of the comparison that finds the losses,
of the whole export (plan, files, fidelity), the number of files and losses, and the
output's size (all files, and the zip alone). Times are wall-clock seconds of one run;
not a unit test.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import crmorg
from crmorg.export import EXPORTERS
from crmorg.model import Model

SCOPES = ("own", "subordinates", "team", "department", "organization")
ACTIONS = ("create", "read", "update", "delete", "assign", "export")


def generate(size: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    resources = {
        f"res{i}": {
            "name": f"Resource {i}",
            "fields": {"secret": {"name": "Secret", "restricted": True}},
        }
        for i in range(30)
    }
    resources["lead"] = {"name": "Lead", "baseline": {"read": "organization"}}
    n_departments = max(3, size // 10)
    departments: dict[str, Any] = {"d0": {"name": "Head office"}}
    for i in range(1, n_departments):
        departments[f"d{i}"] = {"name": f"Department {i}", "parent": f"d{rng.randrange(i)}"}
    roles: dict[str, Any] = {}
    for i in range(size):
        grants: dict[str, dict[str, str]] = {}
        for _ in range(rng.randint(2, 6)):
            resource = rng.choice(list(resources))
            grants.setdefault(resource, {})[rng.choice(ACTIONS)] = rng.choice(SCOPES)
        role: dict[str, Any] = {
            "name": f"Role {i}",
            "department": f"d{rng.randrange(n_departments)}",
            "grants": grants,
        }
        if i and rng.random() < 0.5:
            role["inherits"] = [f"r{rng.randrange(i)}"]
        if rng.random() < 0.2:
            role["fields"] = {f"res{rng.randrange(30)}": {"secret": rng.choice(["read", "edit"])}}
        roles[f"r{i}"] = role
    n_teams = max(2, size // 8)
    teams = {
        f"t{i}": {"name": f"Team {i}", "department": f"d{rng.randrange(n_departments)}"}
        for i in range(n_teams)
    }
    people: dict[str, Any] = {}
    for i in range(size):
        person: dict[str, Any] = {
            "name": f"Person {i}",
            "roles": rng.sample(list(roles), rng.randint(1, 3)),
            "teams": rng.sample(list(teams), rng.randint(0, 2)),
        }
        if i:
            person["reports_to"] = f"p{(i - 1) // 5}"  # a tree, five reports each
        people[f"p{i}"] = person
    sharing = {
        f"s{i}": {
            "resource": f"res{i}",
            "from": {"team": f"t{i}"},
            "to": {"department": f"d{i % n_departments}"},
            "actions": ["read"],
        }
        for i in range(min(5, n_teams))
    }
    return {
        "version": 1,
        "organization": {"name": f"Generated {size}"},
        "resources": resources,
        "departments": departments,
        "roles": roles,
        "teams": teams,
        "people": people,
        "sharing": sharing,
    }


def load(document: dict[str, Any]) -> Model:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(document), encoding="utf-8")
        return crmorg.load(path)


def measure(size: int) -> dict[str, object]:
    document = generate(size)
    start = time.perf_counter()
    model = load(document)
    loaded = time.perf_counter() - start
    plan_module = importlib.import_module("crmorg.export.dynamics.plan")
    losses_module = importlib.import_module("crmorg.export.dynamics.losses")
    start = time.perf_counter()
    losses_module.fidelity(plan_module.Plan(model))
    compared = time.perf_counter() - start
    model = load(document)  # a fresh model: nothing cached from the comparison
    start = time.perf_counter()
    rendering = EXPORTERS["dynamics"].rendering(model)
    exported = time.perf_counter() - start
    sizes = {
        name: len(content if isinstance(content, bytes) else content.encode("utf-8"))
        for name, content in rendering.files.items()
    }
    assert rendering.fidelity is not None
    return {
        "roles and people": size,
        "load s": round(loaded, 2),
        "comparison s": round(compared, 2),
        "export s": round(exported, 2),
        "files": len(sizes),
        "losses": len(rendering.fidelity.losses),
        "output KiB": round(sum(sizes.values()) / 1024),
        "solution.zip KiB": round(sizes["solution.zip"] / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    arguments = parser.parse_args()
    rows = [measure(size) for size in arguments.sizes]
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))


if __name__ == "__main__":
    main()
