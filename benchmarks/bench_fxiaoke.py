"""How long the fxiaoke export takes, and how much it writes.

    python benchmarks/bench_fxiaoke.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_fxiaoke.py --sizes 100 1000 5000

For each size n, one generated model of n roles and n people (a department tree, teams,
roles inheriting their department's base role, grants at every scope including
``subordinates``, reporting lines, two sharing rules, a restricted field) is loaded and
exported to fxiaoke with each ``--data-range``. It prints the export's wall time (the
best of three), the size of the workbook, of the payloads and of everything, and the
losses. Figures, not a test: nothing here asserts a time.
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

SCOPES = ("own", "subordinates", "team", "department", "organization")
RESOURCES = ("lead", "account", "opportunity", "contract", "invoice", "case")


def generate(n: int, seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    departments: dict[str, Any] = {"d0": {"name": "总部 Head office"}}
    for i in range(1, max(3, n // 10)):
        departments[f"d{i}"] = {"name": f"部门 {i}", "parent": f"d{rng.randrange(i)}"}
    dept_ids = sorted(departments)
    resources: dict[str, Any] = {r: {"name": r.title()} for r in RESOURCES}
    resources["opportunity"]["fields"] = {"margin": {"name": "Margin", "restricted": True}}
    roles: dict[str, Any] = {}
    for i in range(n):
        grants = {
            r: {
                a: rng.choice(SCOPES) for a in rng.sample(["read", "update", "delete", "export"], 2)
            }
            for r in rng.sample(RESOURCES, 3)
        }
        role: dict[str, Any] = {"department": rng.choice(dept_ids), "grants": grants}
        if i and rng.random() < 0.7:
            role["inherits"] = [f"r{rng.randrange(i)}"]
        if rng.random() < 0.2:
            role["fields"] = {"opportunity": {"margin": "read"}}
        roles[f"r{i}"] = role
    teams = {f"t{i}": {"department": rng.choice(dept_ids)} for i in range(max(2, n // 8))}
    team_ids = sorted(teams)
    people: dict[str, Any] = {}
    for i in range(n):
        person: dict[str, Any] = {
            "name": f"员工 {i}",
            "roles": [f"r{j}" for j in rng.sample(range(n), min(n, rng.randint(1, 3)))],
            "teams": rng.sample(team_ids, 1),
        }
        if i:
            person["reports_to"] = f"p{rng.randrange(i)}"
        people[f"p{i}"] = person
    sharing = {
        "east_to_west": {
            "resource": "opportunity",
            "from": {"team": team_ids[0]},
            "to": {"department": dept_ids[-1]},
            "actions": ["read"],
        },
        "finance": {
            "resource": "invoice",
            "from": {"department": "d0"},
            "to": {"role": "r0"},
            "actions": ["read", "update", "delete"],
        },
    }
    return {
        "version": 1,
        "organization": {"name": "Bench Ltd"},
        "resources": resources,
        "departments": departments,
        "roles": roles,
        "teams": teams,
        "people": people,
        "sharing": sharing,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args(argv)
    exporter = EXPORTERS["fxiaoke"]
    columns = ("roles / people", "data range", "export (best of 3)", "workbook", "openapi/")
    print("| " + " | ".join((*columns, "all files", "losses (over / under)")) + " |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.yaml"
            path.write_text(json.dumps(generate(n), ensure_ascii=False), encoding="utf-8")
            model = crmorg.load(path)
            for data_range in ("narrowest", "widest"):
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    rendering = exporter.rendering(model, {"data-range": data_range})
                    best = min(best, time.perf_counter() - start)
                sizes = {
                    name: len(c if isinstance(c, bytes) else c.encode())
                    for name, c in rendering.files.items()
                }
                fidelity = rendering.fidelity
                assert fidelity is not None
                over = sum(1 for loss in fidelity.losses if loss.direction.value == "over-grants")
                print(
                    f"| {n:,} / {n:,} | {data_range} | {best:.2f} s "
                    f"| {sizes['fxiaoke-configuration.xlsx'] / 1e3:,.0f} kB "
                    f"| {sum(v for k, v in sizes.items() if k.startswith('openapi/')) / 1e3:,.0f}"
                    " kB "
                    f"| {sum(sizes.values()) / 1e3:,.0f} kB "
                    f"| {len(fidelity.losses):,} ({over:,} / {len(fidelity.losses) - over:,}) |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
