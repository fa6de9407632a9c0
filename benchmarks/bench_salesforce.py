"""How long the salesforce export takes, and how much it writes.

    python benchmarks/bench_salesforce.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_salesforce.py --sizes 100 1000 3000

For each size N, a generated model of N roles and N people (twenty resources, some with
restricted fields and baselines, a department tree, teams of about ten, a reporting
tree, a few sharing rules) is loaded and exported; printed are the export time (the
plan, the fidelity comparison and the files, in CPU seconds), the number of files and
their size, the number of sharing rules and public groups, and the losses found.
Figures, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import crmorg
from crmorg.export import EXPORTERS

RESOURCES = (
    "lead", "contact", "account", "opportunity", "quote", "order", "invoice", "payment",
    "case", "knowledge_article", "campaign", "segment", "report", "dashboard", "product",
    "supplier", "training_course", "workflow", "integration", "user",
)  # fmt: skip
ACTIONS = ("create", "read", "update", "delete", "export", "approve")
SCOPES = ("own", "subordinates", "team", "department", "organization")


def generate(size: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    resources: dict[str, Any] = {}
    for i, resource_id in enumerate(RESOURCES):
        resource: dict[str, Any] = {"name": resource_id.replace("_", " ").title()}
        if i % 4 == 0:
            resource["fields"] = {
                "amount": {"name": "Amount"},
                "margin": {"name": "Margin", "restricted": True},
            }
        if i % 5 == 0:
            resource["baseline"] = {"read": "organization"}
        resources[resource_id] = resource
    departments: dict[str, Any] = {"d0": {"name": "Head office"}}
    for i in range(1, max(3, size // 20)):
        departments[f"d{i}"] = {"name": f"Department {i}", "parent": f"d{rng.randrange(i)}"}
    roles: dict[str, Any] = {}
    for i in range(size):
        grants: dict[str, dict[str, str]] = {}
        for _ in range(rng.randint(3, 8)):
            resource_id = rng.choice(RESOURCES)
            grants.setdefault(resource_id, {})[rng.choice(ACTIONS)] = rng.choice(SCOPES)
        role: dict[str, Any] = {
            "name": f"Role {i}",
            "department": f"d{rng.randrange(len(departments))}",
            "grants": grants,
        }
        if i and rng.random() < 0.5:
            role["inherits"] = [f"r{rng.randrange(i)}"]
        if rng.random() < 0.2:
            with_fields = [r for r, spec in resources.items() if "fields" in spec]
            role["fields"] = {rng.choice(with_fields): {"margin": rng.choice(["read", "edit"])}}
        roles[f"r{i}"] = role
    teams = {
        f"t{i}": {"name": f"Team {i}", "department": f"d{rng.randrange(len(departments))}"}
        for i in range(max(1, size // 10))
    }
    people: dict[str, Any] = {}
    for i in range(size):
        person: dict[str, Any] = {
            "name": f"Person {i}",
            "roles": [f"r{rng.randrange(size)}"],
            "teams": [f"t{rng.randrange(len(teams))}"],
        }
        if i:
            person["reports_to"] = f"p{rng.randrange(i // 3, i)}"
        people[f"p{i}"] = person
    groups = [{"team": t} for t in teams] + [{"department": d} for d in departments]
    sharing = {
        f"s{i}": {
            "resource": rng.choice(RESOURCES),
            "from": rng.choice(groups),
            "to": rng.choice(groups),
            "actions": ["read"],
        }
        for i in range(max(1, size // 50))
    }
    return {
        "version": 1,
        "organization": {"name": "Benchmark Co."},
        "resources": resources,
        "departments": departments,
        "roles": roles,
        "teams": teams,
        "people": people,
        "sharing": sharing,
    }


def measure(size: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(generate(size)), encoding="utf-8")
        model = crmorg.load(path)
        started = time.process_time()
        rendering = EXPORTERS["salesforce"].rendering(model)
        seconds = time.process_time() - started
    files = rendering.files
    size_bytes = sum(len(c if isinstance(c, bytes) else c.encode("utf-8")) for c in files.values())
    assert rendering.fidelity is not None
    return {
        "size": size,
        "seconds": seconds,
        "files": len(files),
        "bytes": size_bytes,
        "groups": sum(1 for p in files if "/groups/" in p),
        "rules": sum(str(c).count("<sharingOwnerRules>") for c in files.values()),
        "losses": len(rendering.fidelity.losses),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args(argv)
    print(f"{'roles=people':>12} {'export s':>9} {'files':>6} {'MB':>7} {'groups':>7} "
          f"{'rules':>6} {'losses':>7}")  # fmt: skip
    for size in args.sizes:
        m = measure(size)
        print(
            f"{m['size']:>12,} {m['seconds']:>9.2f} {m['files']:>6,} "
            f"{int(m['bytes']) / 1e6:>7.2f} {m['groups']:>7,} {m['rules']:>6,} {m['losses']:>7,}"  # type: ignore[call-overload]
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
