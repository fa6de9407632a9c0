"""Bounded work: each case of issue 19 run as a user would, with its time and peak memory.

    python benchmarks/bench_limits.py [CASE ...] [--list] [--timeout 120] [--cap-gib 6]

Each case writes its input into a temporary directory and runs one ``crmorg`` command
in a fresh process under an address-space cap (``--cap-gib``, the issue's 6 GiB) and a
time-out, then prints its exit status, wall time and peak memory (max RSS). A case
is bounded when the command ends, within the time-out, with exit status 0 or 1 (a
model that exceeds a limit gets a finding naming it, never a MemoryError, a traceback
or a hang). ``CASE`` picks cases by name (default: every case but the largest,
``roles-1m-3-files``, which takes minutes; name it to run it).

The yaml-rs parse of each validated model is printed beside it: the scale goal is a
validation within 4x that parse (see bench_scale.py).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import _PEAK as _RUN  # the console script's run, and its peak memory
from generate_scale import generate

ROOT = Path(__file__).resolve().parents[1]
_HEADER = ["version: 1", "organization:", "  name: Limits Benchmark Co."]
_RESOURCES = ["resources:", "  lead: {name: Lead}", "  account: {name: Account}"]


def write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def inheritance_cycle(out: Path, roles: int) -> list[str]:
    """``roles`` roles, each inheriting the next, the last the first: one cycle."""
    lines = [*_HEADER, *_RESOURCES, "roles:"]
    for index in range(roles):
        lines += [
            f"  role_{index}:",
            f"    inherits: [role_{(index + 1) % roles}]",
            f"    grants: {{{('lead', 'account')[index % 2]}: {{read: own}}}}",
        ]
    write(out / "model.yaml", lines)
    return ["validate", str(out), "--format", "json"]


def inheritance_chain(out: Path, roles: int, limit: int | None = None) -> list[str]:
    """``roles`` roles, each inheriting the next: one chain ``roles`` deep (with
    ``limit``, ``settings.limits.max_inheritance_depth`` raised to it)."""
    raised = [f"settings: {{limits: {{max_inheritance_depth: {limit}}}}}"] if limit else []
    lines = [*_HEADER, *raised, *_RESOURCES, "roles:"]
    for index in range(roles):
        parent = f"    inherits: [role_{index + 1}]" if index + 1 < roles else "    inherits: []"
        lines += [f"  role_{index}:", parent, "    grants: {lead: {read: own}}"]
    write(out / "model.yaml", lines)
    return ["validate", str(out), "--format", "json"]


def exported_chain(out: Path, roles: int, target: str) -> list[str]:
    """The ``roles``-deep inheritance chain, its limit raised to fit, exported to
    ``target`` (the size of what it wrote is printed)."""
    inheritance_chain(out, roles, limit=roles)
    return ["export", str(out / "model.yaml"), "--target", target, "--out", str(out / "out")]


def reporting_chain(out: Path, people: int) -> list[str]:
    """``people`` people, each reporting to the next: one chain ``people`` deep."""
    lines = [*_HEADER, *_RESOURCES, "roles:", "  rep: {grants: {lead: {read: own}}}", "people:"]
    for index in range(people):
        lines.append(
            f"  p{index}: {{roles: [rep]"
            + (f", reports_to: p{index + 1}}}" if index + 1 < people else "}")
        )
    write(out / "model.yaml", lines)
    return ["validate", str(out), "--format", "json"]


def department_chain(out: Path, departments: int) -> list[str]:
    """``departments`` departments, each the parent of the next."""
    lines = [*_HEADER, *_RESOURCES, "departments:"]
    for index in range(departments):
        parent = f", parent: d{index - 1}" if index else ""
        lines.append(f"  d{index}: {{name: D{index}{parent}}}")
    write(out / "model.yaml", lines)
    return ["validate", str(out), "--format", "json"]


def many_roles(out: Path, roles: int, files: int = 1) -> list[str]:
    """``roles`` roles split over ``files`` files (about 185 bytes of YAML each)."""
    write(out / "organization.yaml", [*_HEADER, *_RESOURCES, "departments:", "  sales: {name: S}"])
    per_file = -(-roles // files)
    for part in range(files):
        lines = ["roles:"]
        for index in range(part * per_file, min(roles, (part + 1) * per_file)):
            lines += [
                f"  role_{index}:",
                f"    name: Role number {index} of the sales organisation",
                "    department: sales",
                "    description: A generated role that reads its own leads.",
                "    grants:",
                "      lead: {read: own, update: own}",
            ]
        write(out / f"roles_{part}.yaml", lines)
    return ["validate", str(out), "--format", "json"]


def kpi_periods(out: Path, periods: int, fmt: str) -> list[str]:
    """One KPI over one metric, with ``periods`` periods of data."""
    write(
        out / "model.yaml",
        [
            *_HEADER,
            *_RESOURCES,
            "metrics:",
            "  leads_won: {unit: count, source: lead}",
            "kpis:",
            "  won:",
            "    name: Leads won",
            "    formula: leads_won",
            "    unit: count",
            "    direction: higher",
            "    target: 10",
            "    frequency: weekly",
        ],
    )
    rows = ["period,metric,value"]
    rows += [f"w{index:07d},leads_won,{index % 20}" for index in range(periods)]
    write(out / "data.csv", rows)
    return ["kpi", str(out / "model.yaml"), "--data", str(out / "data.csv"), "--format", fmt]


def kpi_days(out: Path, days: int, fmt: str) -> list[str]:
    """A monthly and a yearly KPI over ``days`` days of data (calendar periods, grouped
    into months and years by each KPI's frequency)."""
    write(
        out / "model.yaml",
        [
            *_HEADER,
            *_RESOURCES,
            "metrics:",
            "  leads_won: {unit: count, source: lead}",
            "  reps: {unit: count, source: lead, aggregate: last}",
            "kpis:",
            "  won_monthly: {formula: leads_won, unit: count, direction: higher, target: 300,",
            "                frequency: monthly}",
            "  won_per_rep: {formula: leads_won / reps, unit: count, direction: higher,",
            "                target: 100, frequency: yearly}",
        ],
    )
    first = date(2000, 1, 1)
    rows = ["period,metric,value"]
    for index in range(days):
        day = (first + timedelta(days=index)).isoformat()
        rows += [f"{day},leads_won,{index % 20}", f"{day},reps,{10 + index % 3}"]
    write(out / "data.csv", rows)
    return ["kpi", str(out / "model.yaml"), "--data", str(out / "data.csv"), "--format", fmt]


def handbook(out: Path, roles: int, people: int) -> list[str]:
    """The scale generator's model, rendered as the handbook."""
    generate(out / "model", roles, people)
    return ["docs", str(out / "model"), "--out", str(out / "site")]


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], list[str]]
    parse: bool = False
    """Whether to print the yaml-rs parse of the model files beside it."""
    output: str = ""
    """A directory (inside the case's) whose size is printed: what an export wrote."""


CASES = (
    Case("cycle-2k-roles", lambda out: inheritance_cycle(out, 2_000)),
    Case("cycle-10k-roles", lambda out: inheritance_cycle(out, 10_000)),
    Case("inheritance-chain-10k", lambda out: inheritance_chain(out, 10_000)),
    *(
        Case(
            f"export-chain-10k-{target}",
            lambda out, target=target: exported_chain(out, 10_000, target),
            output="out",
        )
        for target in ("cedar", "casbin", "rego", "openfga", "spicedb", "json", "csv")
    ),
    Case("reporting-chain-100k", lambda out: reporting_chain(out, 100_000)),
    Case("department-chain-20k", lambda out: department_chain(out, 20_000)),
    Case("roles-330k-1-file", lambda out: many_roles(out, 330_000), parse=True),
    Case("roles-1m-3-files", lambda out: many_roles(out, 1_000_000, 3), parse=True),
    Case("kpi-100k-periods-table", lambda out: kpi_periods(out, 100_000, "table")),
    Case("kpi-1m-periods-table", lambda out: kpi_periods(out, 1_000_000, "table")),
    Case("kpi-1m-periods-json", lambda out: kpi_periods(out, 1_000_000, "json")),
    Case("kpi-1m-periods-csv", lambda out: kpi_periods(out, 1_000_000, "csv")),
    Case("kpi-100k-days-monthly-yearly", lambda out: kpi_days(out, 100_000, "table")),
    Case("kpi-1m-days-monthly-yearly", lambda out: kpi_days(out, 1_000_000, "json")),
    # Renderers that ask the scorecard period by period, newest first (36,000 periods).
    Case("kpi-1m-days-markdown", lambda out: kpi_days(out, 1_000_000, "markdown")),
    Case("kpi-1m-days-html", lambda out: kpi_days(out, 1_000_000, "html")),
    Case("handbook-500-roles-2.5k-people", lambda out: handbook(out, 500, 2_500)),
    Case("handbook-2k-roles-10k-people", lambda out: handbook(out, 2_000, 10_000)),
)
_BY_DEFAULT = [case.name for case in CASES if case.name != "roles-1m-3-files"]


def run(
    args: list[str], cap_bytes: int, timeout: float, stdout: Path
) -> tuple[str, float, float | None, str]:
    """Exit status (or ``timeout``), wall seconds, peak MiB, last line said.

    Standard output goes to the file ``stdout``, as a user's ``> file`` would: held in
    this process, a report of hundreds of megabytes would cost the run its reading
    and decoding here, and later children's peaks the memory it held at their fork."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))

    start = time.perf_counter()
    try:
        with stdout.open("wb") as out:
            done = subprocess.run(
                [sys.executable, "-c", _RUN, *args],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                timeout=timeout,
                preexec_fn=cap,
                check=False,
            )
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start, None, f"still running after {timeout} s"
    seconds = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")]
    rest = [line for line in done.stderr.splitlines() if line and not line.startswith("PEAK")]
    mib = int(peak[0].split()[1]) / 1024 if peak else None
    return str(done.returncode), seconds, mib, (rest[-1] if rest else _tail(stdout))


def _tail(path: Path, size: int = 200) -> str:
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - size))
        return file.read().decode("utf-8", "replace")


_PARSE = (
    "import sys, time, pathlib, yaml_rs\n"
    "start = time.perf_counter()\n"
    "for file in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml_rs.loads(file.read_text(encoding='utf-8'), parse_datetime=False)\n"
    "print(time.perf_counter() - start)\n"
)


def parse_seconds(directory: Path) -> float:
    """The yaml-rs parse of ``directory``'s files, in a process of its own: the parsed
    data held here would count in the peak of every later case's command (a child's
    maximum resident memory starts from its parent's at fork)."""
    done = subprocess.run(
        [sys.executable, "-c", _PARSE, str(directory)], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--cap-gib", type=float, default=6.0, help="address-space cap")
    options = parser.parse_args()
    if options.list:
        print("\n".join(case.name for case in CASES))
        return
    chosen = options.cases or _BY_DEFAULT
    unknown = sorted(set(chosen) - {case.name for case in CASES})
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(unknown)} (see --list)")
    cap = int(options.cap_gib * 1024**3)
    print(f"{'case':<32} {'exit':>7} {'wall s':>8} {'peak MiB':>9}  last line of stderr")
    for case in (c for c in CASES if c.name in chosen):
        with tempfile.TemporaryDirectory(prefix="crmorg-limits-") as tmp:
            args = case.write(Path(tmp))
            status, seconds, mib, said = run(args, cap, options.timeout, Path(tmp) / "stdout")
            shown = f"{mib:9.0f}" if mib is not None else f"{'-':>9}"
            said = " ".join(said.split())[:100]
            print(f"{case.name:<32} {status:>7} {seconds:8.2f} {shown}  {said}")
            if case.output:
                written = sum(
                    f.stat().st_size for f in (Path(tmp) / case.output).rglob("*") if f.is_file()
                )
                print(f"{'  size of what it wrote (MB)':<32} {'':>7} {written / 1e6:8.2f}")
            if case.parse:
                parsed = parse_seconds(Path(tmp))
                print(f"{'  yaml-rs parse of its files':<32} {'':>7} {parsed:8.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
