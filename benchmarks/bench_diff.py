"""How long ``crmorg diff`` takes on two large versions of one model.

    python benchmarks/bench_diff.py                      # 10,000 roles, 100,000 people
    python benchmarks/bench_diff.py --roles 1000 --people 10000

OLD is the CRM benchmarks' shared model (crm_bench.py: bench_decisions' generator with
format 1.1's access added: reporting lines, ``subordinates`` grants, baselines, a
restricted field, sharing rules). NEW is OLD with a pull request's worth of changes: a
grant added to a department's base role (everyone in it gains), grants widened and
removed on job roles, people given and relieved of roles, people moved to another
manager, joining and leaving, a baseline widened, a sharing rule and a field grant added.
It prints the time to load each side, to compare access alone, to compare with both
sides validated (findings introduced and resolved), and the console script end to end,
with what the diff found. Figures, not a test.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from bench_decisions import generate
from crm_bench import print_rows, with_access

import crmorg


def changed(doc: dict[str, Any], seed: int = 5) -> dict[str, Any]:
    """``doc`` with a pull request's worth of access changes."""
    rng = random.Random(seed)
    new = copy.deepcopy(doc)
    roles, people, resources = new["roles"], new["people"], new["resources"]
    resource_ids = list(resources)
    jobs = [r for r in roles if r.startswith("job")]
    people_ids = list(people)
    base = next(r for r in roles if r.endswith("_base") and r != "d0_base")
    roles[base]["grants"].setdefault(resource_ids[3], {})["export"] = "department"
    for role in rng.sample(jobs, 40):
        roles[role]["grants"].setdefault(rng.choice(resource_ids), {})["read"] = "organization"
    for role in rng.sample(jobs, 20):
        grants = roles[role]["grants"]
        if grants:
            del grants[next(iter(grants))]
    for person in rng.sample(people_ids, 500):
        held = people[person]["roles"]
        if len(held) > 1 and rng.random() < 0.5:
            held.pop()
        else:
            held.append(rng.choice(jobs))
    for person in rng.sample(people_ids[1:], 200):
        people[person]["reports_to"] = rng.choice(people_ids[:1000])
    leaving = set(rng.sample(people_ids[1000:], 100))
    for person in leaving:
        del people[person]
    for record in people.values():
        if record.get("reports_to") in leaving:
            del record["reports_to"]
    for team in new["teams"].values():
        if team.get("lead") in leaving:
            team["lead"] = people_ids[0]
    for i in range(100):
        people[f"new{i}"] = {"roles": [rng.choice(jobs)], "teams": [rng.choice(list(new["teams"]))]}
    resources[resource_ids[0]]["baseline"] = {"read": "department"}
    new["sharing"]["bench_extra"] = {
        "resource": resource_ids[1],
        "from": {"team": next(iter(new["teams"]))},
        "to": {"role": jobs[0]},
        "actions": ["read"],
    }
    roles[jobs[1]]["fields"] = {resource_ids[1]: {"margin": "edit"}}
    return new


def write_block_yaml(path: Path, doc: dict[str, Any]) -> None:
    """``doc`` as block-style YAML, as people write models (and as crmorg reads fastest)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(doc, out, Dumper=dumper, default_flow_style=False, sort_keys=False)


def timed(work: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def cpu_timed(work: Any) -> tuple[Any, str]:
    """The result, and ``wall s / CPU s`` (the CPU time is the steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, f"{time.perf_counter() - wall:.2f} / {time.process_time() - cpu:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--no-cli", action="store_true", help="skip the console-script run")
    args = parser.parse_args(argv)
    old_doc = with_access(generate(args.roles, args.people))
    new_doc = changed(old_doc)
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp) / "old.yaml", Path(tmp) / "new.yaml"
        for path, doc in ((old_path, old_doc), (new_path, new_doc)):
            write_block_yaml(path, doc)
        size = old_path.stat().st_size / 1e6
        old, load_old = cpu_timed(lambda: crmorg.load(old_path))
        new, load_new = cpu_timed(lambda: crmorg.load(new_path))
        result, access_only = cpu_timed(lambda: crmorg.diff(old, new, findings=False))
        # Fresh models, so that validation pays for its own tables.
        old2, new2 = crmorg.load(old_path), crmorg.load(new_path)
        full, with_findings = cpu_timed(lambda: crmorg.diff(old2, new2))
        cli: dict[str, float] = {}
        if not args.no_cli:
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
            command = [sys.executable, "-m", "crmorg", "diff", str(old_path), str(new_path),
                       "--format", "json"]  # fmt: skip
            for extra in ([], ["--no-findings"]):
                _, cli[" ".join(extra)] = timed(
                    lambda extra=extra: subprocess.run(
                        [*command, *extra], env=env, capture_output=True, check=False
                    )
                )
    print(
        f"model: {args.roles:,} roles, {args.people:,} people, {size:.1f} MB of YAML per side; "
        f"{len(result.roles):,} roles and {len(result.people):,} people changed, "
        f"{len(result.people_gaining):,} gaining, {len(result.people_losing):,} losing; "
        f"{len(full.findings.introduced) if full.findings else 0} findings introduced, "
        f"{len(full.findings.resolved) if full.findings else 0} resolved; "
        f"{len(full.structure):,} structural changes"
    )
    rows: list[dict[str, object]] = [
        {"step": "load OLD", "seconds (wall / CPU)": load_old},
        {"step": "load NEW", "seconds (wall / CPU)": load_new},
        {"step": "diff, access only (findings=False)", "seconds (wall / CPU)": access_only},
        {"step": "diff with both sides validated", "seconds (wall / CPU)": with_findings},
    ]
    for extra, seconds in cli.items():
        step = f"crmorg diff OLD NEW --format json {extra}".rstrip() + ", end to end"
        rows.append({"step": step, "seconds (wall / CPU)": f"{seconds:.2f} wall"})
    print_rows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
