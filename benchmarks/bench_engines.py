"""How the policy engines decide on crmorg's exports as the model grows.

    python benchmarks/bench_engines.py                       # 100, 1,000, 3,000 roles
    python benchmarks/bench_engines.py --sizes 100 1000 --targets cedar rego
    python benchmarks/bench_engines.py --chain 10000         # only the deep chain

For each size, a random model from a seeded generator (``bench_decisions.generate``:
30 resources, roles in a department tree inheriting their department's base role and
sometimes another job role, people 5x roles with one to three roles and a team) is
exported to each target and loaded into the target's real engine. Every engine is
asked the same fixed sample of 2,000 person-on-record requests (a quarter of the records
name a team, a quarter a department), and its answers are compared with
``Model.decide()``: the ``wrong`` column must be 0. Figures per target: what it
evaluates (policies, ``p`` lines...), the exported files' sizes, the engine's load time,
CPU µs per decision, and how the time per decision grows from one size to the next.
crmorg's own ``decide()`` is beside them, cold (the first 2,000 after load) and warm.

Then a 10,000-deep inheritance chain (``--chain``) is exported to Cedar, Casbin and Rego:
seconds and megabytes per target (issue 19: output linear in depth).

Each target's measurement is a function in its own module under ``benchmarks/engines/``,
registered in ``engines.MEASUREMENTS``.

Goals (issue 20): per decision at 1,000 roles Cedar at most 1 ms, Casbin 300 µs, Rego
200 µs, each growing at most 3x from 100 to 1,000 roles; Cedar's policy count and
Casbin's ``p`` lines independent of the roles; entities.json at most 10 MB at 5,000
people. A 10,000-deep chain exports to every target in seconds, under 50 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_decisions import generate
from engines import MEASUREMENTS
from engines.sample import Figures, make_sample

import crmorg
from crmorg.export import EXPORTERS

POLICY_TARGETS = ("cedar", "casbin", "rego")


def measure_size(roles: int, requests: int, targets: Sequence[str], tmp: Path) -> list[Figures]:
    path = tmp / f"model_{roles}.json"
    path.write_text(json.dumps(generate(roles, roles * 5)), encoding="utf-8")
    model = crmorg.load(path)
    sample = make_sample(model, path, requests)
    figures: list[Figures] = []
    for name in targets:
        figures += MEASUREMENTS[name](sample)
    return figures


def table(results: dict[int, list[Figures]]) -> str:
    header = (
        f"{'roles':>6} {'target':<15} {'count':>8} {'':<12} {'files':>10} {'largest':>28} "
        f"{'load s':>7} {'µs/dec':>9} {'growth':>7} {'wrong':>5}  note"
    )
    lines = [header, "-" * len(header)]
    previous: dict[str, float] = {}
    for roles, figures in results.items():
        for f in figures:
            grown = f.microseconds / previous[f.target] if f.target in previous else None
            previous[f.target] = f.microseconds
            megabytes = sum(f.files.values()) / 1e6
            largest = max(f.files, key=f.files.__getitem__, default="")
            biggest = f"{largest} {f.files[largest] / 1e6:.2f}MB" if largest else ""
            lines.append(
                f"{roles:>6} {f.target:<15} {f.count:>8,} {f.counted:<12} "
                f"{megabytes:>8.2f}MB {biggest:>28} "
                f"{f.load_seconds:>7.2f} {f.microseconds:>9.1f} "
                f"{'' if grown is None else f'{grown:.2f}x':>7} {f.wrong:>5}  {f.note}"
            )
        lines.append("")
    return "\n".join(lines)


def chain_document(depth: int, seed: int = 3) -> dict[str, object]:
    """A chain of ``depth`` roles, each inheriting the one before; a third of them grant
    one more permission on ten resources, and a few people hold roles along it."""
    rng = random.Random(seed)
    resources = {f"res{i}": {"name": f"Resource {i}"} for i in range(10)}
    actions = ("create", "read", "update", "delete", "assign", "share", "export")
    roles: dict[str, object] = {}
    for i in range(depth):
        role: dict[str, object] = {"name": f"Level {i}"}
        if i:
            role["inherits"] = [f"c{i - 1}"]
        if i % 3 == 0:
            scope = rng.choice(("own", "team", "department", "organization"))
            role["grants"] = {rng.choice(list(resources)): {rng.choice(actions): scope}}
        roles[f"c{i}"] = role
    people = {f"p{i}": {"roles": [f"c{i * (depth // 10)}"]} for i in range(10)}
    return {
        "version": 1,
        "organization": {"name": "Deep chain"},
        "resources": resources,
        "roles": roles,
        "people": people,
    }


def measure_chain(depth: int, targets: Sequence[str], tmp: Path) -> str:
    path = tmp / "chain.json"
    path.write_text(json.dumps(chain_document(depth)), encoding="utf-8")
    model = crmorg.load(path)
    lines = [f"A {depth:,}-deep inheritance chain: export time and size"]
    for target in targets:
        started = time.process_time()
        files = EXPORTERS[target].render(model)
        seconds = time.process_time() - started
        megabytes = sum(len(t.encode("utf-8")) for t in files.values()) / 1e6
        lines.append(f"  {target:<7} {seconds:7.2f} s  {megabytes:8.2f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 3000])
    parser.add_argument("--targets", nargs="+", default=list(MEASUREMENTS))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--chain", type=int, default=10_000, help="0: no deep chain")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.targets) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(MEASUREMENTS)}")
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for roles in args.sizes:
            results[roles] = measure_size(roles, args.requests, args.targets, Path(tmp))
            print(table({roles: results[roles]}), flush=True)
        if len(results) > 1:
            print(table(results))
        if args.chain:
            chained = [t for t in args.targets if t in POLICY_TARGETS]
            print(measure_chain(args.chain, chained, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
