"""How the ``zoho`` export grows with the model: time and output size.

    python benchmarks/bench_zoho.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_zoho.py --sizes 100 300

For each size, a seeded model from ``bench_decisions.generate`` (30 resources, a
department tree, roles inheriting their department's base role, people with one to
three roles and a team, and reporting lines) with as many people as roles is exported
to ``zoho``. Figures: the plan's steps (positions, profiles, groups, sharing rules),
its files and bytes, the losses, and the seconds taken to build the plan and to compute
the fidelity report (which compares every person's reach in the model and in Zoho).
Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from crm_bench import crm_document, load_document, print_rows

from crmorg.export.zoho.build import build_plan
from crmorg.export.zoho.render import render
from crmorg.export.zoho.report import fidelity_of


def measure(size: int) -> dict[str, object]:
    model = load_document(crm_document(size))
    started = time.perf_counter()
    plan = build_plan(model)
    files = render(plan)
    planned = time.perf_counter()
    fidelity = fidelity_of(model, plan)
    reported = time.perf_counter()
    kinds = Counter(step.name.split(":", 1)[0] for step in plan.steps)
    size_bytes = sum(len(c.encode("utf-8") if isinstance(c, str) else c) for c in files.values())
    return {
        "size": size,
        "steps": len(plan.steps),
        "roles": kinds["role"],
        "profiles": kinds["profile"],
        "groups": kinds["group"],
        "rules": kinds["rule"],
        "files": len(files),
        "MB": round(size_bytes / 1e6, 2),
        "losses": len(fidelity.losses),
        "plan s": round(planned - started, 2),
        "report s": round(reported - planned, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    print_rows([measure(size) for size in args.sizes])


if __name__ == "__main__":
    main()
