"""How long the fxiaoke export takes, and how much it writes.

    python benchmarks/bench_fxiaoke.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_fxiaoke.py --sizes 100 1000 5000

For each size n, the CRM benchmarks' shared model of n roles and n people
(``crm_bench.crm_document``: a department tree, teams, roles inheriting their
department's base role, ``subordinates`` grants, reporting lines, sharing rules, a
restricted field) is loaded and exported to fxiaoke with each ``--data-range``. It
prints the export's wall time (the best of three), the size of the workbook, of the
payloads and of everything, and the losses. Figures, not a test: nothing here asserts a
time.
"""

from __future__ import annotations

import argparse
import time

from crm_bench import crm_document, load_document

from crmorg.export import EXPORTERS

SCOPES = ("own", "subordinates", "team", "department", "organization")
RESOURCES = ("lead", "account", "opportunity", "contract", "invoice", "case")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args(argv)
    exporter = EXPORTERS["fxiaoke"]
    columns = ("roles / people", "data range", "export (best of 3)", "workbook", "openapi/")
    print("| " + " | ".join((*columns, "all files", "losses (over / under)")) + " |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        model = load_document(crm_document(n))
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
