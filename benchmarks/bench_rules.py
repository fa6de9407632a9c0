"""How validation scales: generate models of 1k, 10k and 100k people, time each phase.

    python benchmarks/bench_rules.py                     # 1,000 10,000 100,000 people
    python benchmarks/bench_rules.py --sizes 2000 20000  # other sizes
    python benchmarks/bench_rules.py --rules             # also the slowest rules

Each model is written as YAML files into a temporary directory, shaped like a real
company: roles ~ people / 10 (each inheriting a department base role, which inherits
`employee`), departments ~ people / 100 in a tree, teams ~ people / 10, one
responsibility per role, twenty resources, a handful of constraints and KPIs. The
phases are: load (read and validate the YAML), structure (graphs and memberships),
effective grants, then each rule family run rule by rule. The rules must scale close
to linearly: ten times the people should cost about ten times the time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

from crmorg.api import load_partial
from crmorg.lint.registry import builtin_rules
from crmorg.lint.rule import Problem, Rule
from crmorg.model import Model

T = TypeVar("T")

RESOURCES = (
    "lead", "contact", "account", "activity", "opportunity", "quote", "order", "invoice",
    "payment", "case", "knowledge_article", "campaign", "segment", "report", "dashboard",
    "product", "project", "task", "user", "audit_log",
)  # fmt: skip
SENSITIVE = {"invoice", "payment", "user", "audit_log"}
BUSINESS = [r for r in RESOURCES if r not in SENSITIVE]
SCOPES = ("own", "team", "department", "organization")
ACTIONS = ("create", "read", "update", "delete", "assign", "share", "export", "import", "approve")


def generate(people: int, directory: Path, seed: int = 7) -> None:
    """Write a model of ``people`` people into ``directory`` (several YAML files)."""
    rng = random.Random(seed)
    n_departments = max(3, people // 100)
    n_roles = max(10, people // 10)
    n_teams = max(2, people // 10)
    departments = [f"dept_{i}" for i in range(n_departments)]
    roles = [f"role_{i}" for i in range(n_roles)]
    role_department = {role: departments[i % n_departments] for i, role in enumerate(roles)}

    out = ["version: 1", "organization: {name: Benchmark Trading}", "resources:"]
    for resource in RESOURCES:
        flags = ", sensitive: true" if resource in SENSITIVE else ""
        flags += ", grants_roles: true" if resource == "user" else ""
        out.append(f"  {resource}: {{name: {resource}{flags}}}")
    out.append("departments:")
    for i, dept in enumerate(departments):
        parent = f", parent: {departments[(i - 1) // 4]}" if i else ""
        out.append(f"  {dept}: {{name: D{i}{parent}, head: base_{dept}}}")
    _write(directory / "structure.yaml", out)

    out = ["roles:", "  employee:", "    department: dept_0", "    grants:"]
    out.append("      knowledge_article: {read: organization}")
    out.append("      task: {create: own, read: team}")
    for dept in departments:
        out.append(
            f"  base_{dept}: {{department: {dept}, inherits: [employee], grants: "
            f"{{report: {{read: department}}, dashboard: {{read: department}}}}}}"
        )
    out.append("  crm_admin:")
    out.append("    department: dept_0")
    out.append('    grants: {"*": {read: organization}, user: {"*": organization}}')
    for i, role in enumerate(roles):
        dept = role_department[role]
        grants = ", ".join(
            f"{resource}: {{{_actions(rng)}}}" for resource in rng.sample(BUSINESS, 4)
        )
        reports = f", reports_to: {roles[i // 5]}" if i else ""
        out.append(
            f"  {role}: {{department: {dept}, inherits: [base_{dept}]{reports}, "
            f"grants: {{{grants}}}}}"
        )
    _write(directory / "roles.yaml", out)

    out = ["responsibilities:"]
    for i, role in enumerate(roles):
        resource = rng.choice(BUSINESS)
        critical = ", critical: true" if i % 50 == 0 else ""
        out.append(
            f"  work_{i}: {{department: {role_department[role]}, accountable: "
            f"{roles[i // 5]}, responsible: [{role}], consulted: [{roles[(i + 1) % n_roles]}], "
            f"requires: {{{resource}: {{read: own}}}}{critical}}}"
        )
    for dept in departments:
        out.append(
            f"  lead_{dept}: {{department: {dept}, accountable: base_{dept}, "
            f"responsible: [base_{dept}], requires: {{report: {{read: department}}}}}}"
        )
    out.append("  policy: {accountable: employee, responsible: [employee]}")
    out.append(
        "  administer: {accountable: crm_admin, responsible: [crm_admin], "
        "requires: {user: {read: organization, assign: organization}}}"
    )
    out.append("teams:")
    for i in range(n_teams):
        out.append(f"  team_{i}: {{department: {departments[i % n_departments]}, lead: p{i * 10}}}")
    _write(directory / "responsibilities.yaml", out)

    chunk = 10_000
    for start in range(0, people, chunk):
        out = ["people:"]
        for i in range(start, min(people, start + chunk)):
            role = roles[(i // 10) % n_roles]
            extra = f", {roles[(i * 7) % n_roles]}" if i % 20 == 0 else ""
            admin = ", crm_admin" if i in (1, 2) else ""
            reports = f", reports_to: p{i // 8}" if i else ""
            out.append(
                f"  p{i}: {{name: Person {i}, roles: [{role}{extra}{admin}], "
                f"teams: [team_{(i // 10) % n_teams}]{reports}}}"
            )
        _write(directory / f"people_{start // chunk:03d}.yaml", out)

    out = ["metrics:"]
    for resource in BUSINESS[:8]:
        out.append(f"  {resource}_count: {{unit: count, source: {resource}}}")
    out.append("kpis:")
    for i, dept in enumerate(departments):
        a, b = BUSINESS[i % 8], BUSINESS[(i + 1) % 8]
        out.append(
            f"  kpi_{i}: {{department: {dept}, owner: base_{dept}, formula: "
            f"{a}_count / {b}_count, unit: ratio, direction: higher, target: 1, "
            "frequency: monthly}"
        )
    out.append("constraints:")
    for i in range(10):
        a, b = BUSINESS[i], BUSINESS[(i + 3) % len(BUSINESS)]
        out.append(
            f"  - {{id: sod_{i}, kind: separation_of_duties, "
            f'permissions: ["{a}:create", "{b}:approve"]}}'
        )
        out.append(
            f"  - {{id: excl_{i}, kind: exclusive_roles, "
            f"roles: [{roles[i]}, {roles[-1 - i]}], max: 1}}"
        )
        out.append(f"  - {{id: card_{i}, kind: role_cardinality, role: {roles[i]}, min: 1}}")
    out.append("settings: {span_of_control: 12}")
    _write(directory / "kpis_constraints.yaml", out)


def _actions(rng: random.Random) -> str:
    return ", ".join(f"{action}: {rng.choice(SCOPES)}" for action in rng.sample(ACTIONS, 4))


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def _problems(rule: Rule, model: Model) -> list[Problem]:
    return list(rule.check(model))


def _structure(model: Model) -> None:
    """Build the organisation facts the rules share (OrgGraph), as the first rule would."""
    org = model.org
    for facts in (
        org.lineage,
        org.effective_holders,
        org.department_below,
        org.person_teams,
        org.direct_reports,
        org.inheritance_cycles,
        org.department_cycles,
        org.reporting_cycles,
    ):
        assert facts is not None


def measure(people: int, show_rules: bool) -> Iterator[tuple[str, float, str]]:
    """(phase, seconds, note) for one generated model."""
    with tempfile.TemporaryDirectory(prefix="crmorg-bench-") as tmp:
        directory = Path(tmp)
        _, seconds = _timed(lambda: generate(people, directory))
        size = sum(p.stat().st_size for p in directory.iterdir())
        yield "generate", seconds, f"{size / 1e6:.1f} MB of YAML"
        model, seconds = _timed(lambda: load_partial(directory))
        yield (
            "load",
            seconds,
            f"{len(model.roles):,} roles, {len(model.load_findings)} load findings",
        )
        _, seconds = _timed(lambda: _structure(model))
        yield "structure", seconds, "graphs, memberships"
        grants, seconds = _timed(lambda: model.role_grants)
        total = sum(len(g) for g in grants.values())
        yield "effective grants", seconds, f"{total:,} role grants"
        per_rule: list[tuple[float, str, int]] = []
        for family in ("model", "conflict", "gap"):
            family_seconds = 0.0
            found = 0
            for rule in builtin_rules().values():
                if rule.info.family != family:
                    continue
                problems, seconds = _timed(partial(_problems, rule, model))
                family_seconds += seconds
                found += len(problems)
                per_rule.append((seconds, rule.name, len(problems)))
            yield f"{family} rules", family_seconds, f"{found:,} findings"
        if show_rules:
            for seconds, name, found in sorted(per_rule, reverse=True)[:8]:
                yield f"  {name}", seconds, f"{found:,} findings"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rules", action="store_true", help="also show the slowest rules")
    args = parser.parse_args(argv)
    for people in args.sizes:
        print(f"\n{people:,} people")
        print(f"  {'phase':<32}{'seconds':>9}  note")
        for phase, seconds, note in measure(people, args.rules):
            print(f"  {phase:<32}{seconds:>9.3f}  {note}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
