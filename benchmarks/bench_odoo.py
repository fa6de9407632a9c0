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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from crm_bench import crm_document, load_document

from crmorg.export import EXPORTERS
from crmorg.export.odoo.losses import find_losses
from crmorg.export.odoo.plan import build_plan


def measure(size: int) -> None:
    doc = crm_document(size)
    started = time.perf_counter()
    model = load_document(doc)
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
