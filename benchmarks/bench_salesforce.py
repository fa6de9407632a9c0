"""How long the salesforce export takes, and how much it writes.

    python benchmarks/bench_salesforce.py                 # 100 and 1,000 roles and people
    python benchmarks/bench_salesforce.py --sizes 100 1000 3000

For each size N, the CRM benchmarks' shared model of N roles and N people
(``crm_bench.crm_document``: thirty resources, baselines, a restricted field, a
department tree, teams, reporting lines, sharing rules) is loaded and exported; printed
are the export time (the plan, the fidelity comparison and the files, in CPU seconds),
the number of files and their size, the number of sharing rules and public groups, and
the losses found. Figures, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

from crm_bench import crm_document, load_document

from crmorg.export import EXPORTERS

RESOURCES = (
    "lead", "contact", "account", "opportunity", "quote", "order", "invoice", "payment",
    "case", "knowledge_article", "campaign", "segment", "report", "dashboard", "product",
    "supplier", "training_course", "workflow", "integration", "user",
)  # fmt: skip
ACTIONS = ("create", "read", "update", "delete", "export", "approve")
SCOPES = ("own", "subordinates", "team", "department", "organization")


def measure(size: int) -> dict[str, object]:
    model = load_document(crm_document(size))
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
