"""Write a large, realistic, nearly clean model: the subject of the scale benchmark.

    python benchmarks/generate_scale.py OUT_DIR [--roles 10000] [--people 100000]
        [--seed 11] [--many-findings]

Three files (``organization.yaml``, ``roles.yaml``, ``people.yaml``), block-style YAML as
people write it. Every role is held and has a responsibility whose needs its grants
cover, every department has a head and a KPI, every team a lead, and spans of control
stay under the limit, so validation does all its work and reports only what a real
large model would (information findings, one waived escalation).

``--many-findings`` writes the same shape with most of it left undone, as a model under
construction is: only a few roles have responsibilities, only a few departments have a
KPI, and the responsibilities left do not require the sensitive grants. Validation then
reports about one finding per role (``role-without-responsibility``), per department
(``department-without-kpi``) and per sensitive grant (``excess-privilege``).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

RESOURCES = (
    "lead", "contact", "account", "opportunity", "quote", "order", "invoice", "payment",
    "case", "knowledge_article", "campaign", "segment", "report", "dashboard", "product",
    "supplier", "training_course", "workflow", "integration", "user",
)  # fmt: skip
SENSITIVE = {"invoice", "payment", "integration", "user"}
WORK_RESOURCES = [r for r in RESOURCES if r not in SENSITIVE]
ACTIONS = ("create", "read", "update", "delete", "assign", "share", "export", "import")
SCOPES = ("own", "team", "department")


def generate(
    out: Path,
    roles: int = 10_000,
    people: int = 100_000,
    seed: int = 11,
    many_findings: bool = False,
) -> None:
    """Write the model's three files into ``out`` (see the module's docstring)."""
    rng = random.Random(seed)
    # In the many-findings model one role in 50 has a responsibility, and one
    # department in 8 a KPI; one role in 3 holds a grant on a sensitive resource.
    kept = 50 if many_findings else 1
    measured = 8 if many_findings else 1
    out.mkdir(parents=True, exist_ok=True)
    departments = max(4, roles // 100)
    dept_ids = [f"dept_{d}" for d in range(departments)]
    role_ids = [f"role_{r}" for r in range(roles)]
    role_dept = {role: dept_ids[index % departments] for index, role in enumerate(role_ids)}
    teams = max(2, people // 10)

    lines = ["version: 1", "organization:", "  name: Scale Benchmark Trading Co.", "resources:"]
    for resource in RESOURCES:
        lines.append(f"  {resource}:")
        lines.append(f"    name: {resource.replace('_', ' ').title()}")
        if resource in SENSITIVE:
            lines.append("    sensitive: true")
        if resource == "user":
            lines.append("    grants_roles: true")
        if resource == "quote":
            lines.append(
                "    actions: [create, read, update, delete, assign, share, export, "
                "import, approve]"
            )
        else:
            lines.append(f"    actions: [{', '.join(ACTIONS)}]")
    lines.append("departments:")
    for index, dept in enumerate(dept_ids):
        lines.append(f"  {dept}:")
        lines.append(f"    name: Department {index}")
        if index:
            lines.append(f"    parent: {dept_ids[(index - 1) // 8]}")
        lines.append(f"    head: head_{dept}")
    lines.append("responsibilities:")
    for index, role in enumerate(role_ids):
        if index % kept:
            continue
        resource = WORK_RESOURCES[index % len(WORK_RESOURCES)]
        lines += [
            f"  work_{index}:",
            f"    name: Work stream {index}",
            f"    department: {role_dept[role]}",
            f"    accountable: head_{role_dept[role]}",
            f"    responsible: [{role}]",
            f"    requires: {{{resource}: {{read: own, update: own}}}}",
        ]
        if index % 500 == 0:
            lines.append("    critical: true")
    for dept in dept_ids:
        lines += [
            f"  lead_{dept}:",
            f"    department: {dept}",
            f"    accountable: head_{dept}",
            f"    responsible: [head_{dept}]",
            "    requires: {report: {read: department}}",
        ]
    lines += [
        "  administer_crm:",
        "    accountable: crm_admin",
        "    responsible: [crm_admin]",
        "    requires: {user: {read: organization, assign: organization}}",
        "  approve_quotes:",
        "    accountable: quote_approver",
        "    responsible: [quote_approver]",
        "    requires: {quote: {approve: organization}}",
        "  follow_policy:",
        "    accountable: employee",
        "    responsible: [employee]",
        "    requires: {knowledge_article: {read: organization}}",
    ]
    lines.append("teams:")
    for index in range(teams):
        lines += [
            f"  team_{index}:",
            f"    name: Team {index}",
            f"    department: {dept_ids[index % departments]}",
            f"    lead: p{index * 10}",
        ]
    lines.append("metrics:")
    for resource in WORK_RESOURCES[:6]:
        lines.append(f"  {resource}_count: {{unit: count, source: {resource}}}")
    lines.append("kpis:")
    for index, dept in enumerate(dept_ids):
        if index % measured:
            continue
        first, second = WORK_RESOURCES[index % 6], WORK_RESOURCES[(index + 1) % 6]
        lines += [
            f"  kpi_{index}:",
            f"    name: KPI {index}",
            f"    department: {dept}",
            f"    owner: head_{dept}",
            f"    formula: {first}_count / {second}_count",
            "    unit: ratio",
            "    direction: higher",
            "    target: 1.2",
            "    frequency: monthly",
        ]
    lines += [
        "constraints:",
        "  - id: quote_self_approval",
        "    kind: separation_of_duties",
        '    permissions: ["quote:create", "quote:approve"]',
        "  - id: one_admin_team",
        "    kind: role_cardinality",
        "    role: crm_admin",
        "    min: 1",
        "    max: 3",
        "settings:",
        "  span_of_control: 10",
        "  waivers:",
        "    - rule: privilege-escalation",
        "      subjects: [crm_admin]",
        "      reason: Administrators are vetted; their assignments are reviewed weekly.",
    ]
    _write(out / "organization.yaml", lines)

    lines = [
        "version: 1",
        "roles:",
        "  employee:",
        "    name: Employee",
        "    department: dept_0",
        "    grants:",
        "      knowledge_article: {read: organization}",
    ]
    for dept in dept_ids:
        lines += [
            f"  head_{dept}:",
            f"    name: Head of {dept}",
            f"    department: {dept}",
            "    inherits: [employee]",
            "    grants:",
            "      report: {read: department}",
            "      dashboard: {read: department}",
        ]
        for index in range(6):
            lines.append(f"      {WORK_RESOURCES[index]}: {{read: department}}")
    lines += [
        "  crm_admin:",
        "    name: CRM administrator",
        "    department: dept_0",
        "    inherits: [employee]",
        "    grants:",
        '      "*": {create: organization, read: organization, update: organization, '
        "delete: organization, assign: organization, share: organization, "
        "export: organization, import: organization}",
        "  quote_approver:",
        "    name: Quote approver",
        "    department: dept_0",
        "    inherits: [employee]",
        "    grants:",
        "      quote: {read: organization, approve: organization}",
    ]
    for index, role in enumerate(role_ids):
        own = WORK_RESOURCES[index % len(WORK_RESOURCES)]
        extra = rng.sample([r for r in WORK_RESOURCES if r not in (own, "quote")], 3)
        lines += [
            f"  {role}:",
            f"    name: Role {index}",
            f"    department: {role_dept[role]}",
            "    inherits: [employee]",
            f"    reports_to: head_{role_dept[role]}",
            "    grants:",
            f"      {own}: {{read: team, update: own, create: own}}",
        ]
        for resource in extra:
            lines.append(f"      {resource}: {{read: {rng.choice(SCOPES)}}}")
        if many_findings and rng.random() < 1 / 3:
            sensitive = rng.choice(sorted(SENSITIVE - {"user"}))
            lines.append(f"      {sensitive}: {{read: own, export: {rng.choice(SCOPES)}}}")
    _write(out / "roles.yaml", lines)

    lines = ["version: 1", "people:"]
    heads = [f"head_{dept}" for dept in dept_ids]
    for index in range(people):
        held = [role_ids[index % roles]]
        if index < departments:
            held.append(heads[index])
        if index in (1, 2):
            held.append("crm_admin")
        if index == 3:
            held = ["quote_approver"]
        lines += [
            f"  p{index}:",
            f"    name: Person {index}",
            f"    email: p{index}@example.com",
            f"    roles: [{', '.join(held)}]",
            f"    teams: [team_{index // 10}]",
        ]
        if index:
            lines.append(f"    reports_to: p{(index - 1) // 9}")
    _write(out / "people.yaml", lines)


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--many-findings", action="store_true", help="leave most of the model undone"
    )
    args = parser.parse_args()
    generate(args.out, args.roles, args.people, args.seed, args.many_findings)


if __name__ == "__main__":
    main()
