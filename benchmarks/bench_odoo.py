"""How long the Odoo export takes, and how big the addon it writes is.

    python benchmarks/bench_odoo.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_odoo.py --sizes 100 1000 3000

For each size, a model of that many roles and that many people (bench_decisions.py's
generator: roles in a department tree, people with one to three roles and a team), with
the constructs of format v1.1 added: reporting lines, grants at ``subordinates``,
baselines, a restricted field and sharing rules. It prints the time to load, to build
the plan and the losses, and to render, the number of groups, access rights and record
rules, the losses, and the size of each file. Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_decisions import generate

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.odoo.losses import find_losses
from crmorg.export.odoo.plan import build_plan


def with_access(doc: dict[str, Any], seed: int = 3) -> dict[str, Any]:
    """``doc`` with reporting lines, subordinates grants, baselines, a restricted field
    and sharing rules."""
    rng = random.Random(seed)
    people = list(doc["people"])
    for index, person in enumerate(people[1:], start=1):
        doc["people"][person]["reports_to"] = people[rng.randrange(max(1, index // 4) or 1)]
    resources = list(doc["resources"])
    for resource in resources[:5]:
        doc["resources"][resource]["baseline"] = {"read": "team"}
    doc["resources"][resources[1]]["fields"] = {
        "amount": {"name": "Amount"},
        "margin": {"name": "Margin", "restricted": True},
    }
    roles = [r for r in doc["roles"] if r.startswith("job")]
    for role in roles[::7]:
        doc["roles"][role]["grants"].setdefault(resources[2], {})["update"] = "subordinates"
    for role in roles[::11]:
        doc["roles"][role]["fields"] = {resources[1]: {"margin": "read"}}
    teams = list(doc["teams"])
    doc["sharing"] = {
        f"s{i}": {
            "resource": resources[i % len(resources)],
            "from": {"team": teams[i % len(teams)]},
            "to": {"role": roles[i % len(roles)]},
            "actions": ["read"],
        }
        for i in range(min(10, len(roles)))
    }
    return doc


def measure(size: int) -> None:
    doc = with_access(generate(size, size))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(doc), encoding="utf-8")
        started = time.perf_counter()
        model = crmorg.load(path)
        loaded = time.perf_counter()
        plan = build_plan(model, "18")
        planned = time.perf_counter()
        losses = find_losses(model, plan)
        lost = time.perf_counter()
        files = EXPORTERS["odoo"].render(model)
        rendered = time.perf_counter()
    total = sum(len(c.encode("utf-8") if isinstance(c, str) else c) for c in files.values())
    print(f"{size:,} roles, {size:,} people")
    print(f"  load {loaded - started:8.2f} s   plan {planned - loaded:6.2f} s   "
          f"losses {lost - planned:6.2f} s   whole export {rendered - lost:6.2f} s")  # fmt: skip
    print(f"  {len(plan.groups):,} groups, {len(plan.accesses):,} access rights, "
          f"{len(plan.rules):,} record rules, {len(losses):,} losses")  # fmt: skip
    print(f"  {total / 1e6:.2f} MB in {len(files)} files")
    for name, content in sorted(files.items()):
        print(f"    {len(content):>12,}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    for size in parser.parse_args().sizes:
        measure(size)


if __name__ == "__main__":
    main()
