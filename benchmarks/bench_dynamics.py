"""How long the ``dynamics`` export takes, and how big it is, for generated models.

    python benchmarks/bench_dynamics.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_dynamics.py --sizes 100 1000 5000

Each model is the CRM benchmarks' shared one (``crm_bench.crm_document``: thirty
resources, a department tree, teams, inheritance, reporting lines, ``subordinates``
grants, baselines, a restricted field, sharing rules). It prints, per size: the load
time, the time of the comparison that finds the losses, of the whole export (plan,
files, fidelity), the number of files and losses, and the output's size (all files, and
the zip alone). Times are wall-clock seconds of one run; not a unit test.
"""

from __future__ import annotations

import argparse
import importlib
import time

from crm_bench import crm_document, load_document, print_rows

from crmorg.export import EXPORTERS

SCOPES = ("own", "subordinates", "team", "department", "organization")
ACTIONS = ("create", "read", "update", "delete", "assign", "export")


def measure(size: int) -> dict[str, object]:
    document = crm_document(size)
    start = time.perf_counter()
    model = load_document(document)
    loaded = time.perf_counter() - start
    plan_module = importlib.import_module("crmorg.export.dynamics.plan")
    losses_module = importlib.import_module("crmorg.export.dynamics.losses")
    start = time.perf_counter()
    losses_module.fidelity(plan_module.Plan(model))
    compared = time.perf_counter() - start
    model = load_document(document)  # a fresh model: nothing cached from the comparison
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
    print_rows([measure(size) for size in arguments.sizes])


if __name__ == "__main__":
    main()
