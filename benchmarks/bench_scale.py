"""Scale: validate 10,000 roles and 100,000 people end to end, against the fastest parse.

    python benchmarks/bench_scale.py [--roles 10000] [--people 100000] [--repeat 3]
        [--seed 2027]

Two models of that size: the nearly clean one (a handful of findings), and one with most
of it left undone (``generate_scale.py --many-findings``, with a seed of its own), whose
validation reports about one finding per role. Prints for each, in one run on one
machine state:
- the fastest YAML parse of the model's files (yaml-rs, best of ``--repeat``), and
  PyYAML's C loader for reference (``--pyyaml``; slow);
- ``crmorg validate DIR --format json`` end to end in a fresh process (start-up,
  loading, every rule, positions for every finding, the report), best of ``--repeat``,
  and its ratio to the fastest parse (goal: at most 4x, whatever the number of findings);
- the peak memory (max RSS) of that validation (goal: under 1 GiB);
- the in-process phases (load, rules) for where the time goes;
- start-up: ``crmorg --help`` and ``crmorg validate examples/reference``, best of 5.
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_scale import generate

ROOT = Path(__file__).resolve().parents[1]
_PEAK = (
    # What the `crmorg` console script does (crmorg.cli.main.entry), plus the peak memory:
    # run, flush, and exit without tearing the heap down.
    "import os, resource, sys\n"
    "from crmorg.cli.main import console\n"
    "code = console(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "sys.stderr.write(f'PEAK_KIB {peak}\\n')\n"
    "sys.stderr.flush()\n"
    "os._exit(code)\n"
)


def best(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time of ``repeat`` runs in this process."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def fastest_parse(files: list[Path]) -> None:
    import yaml_rs

    for file in files:
        yaml_rs.loads(file.read_text(encoding="utf-8"), parse_datetime=False)


def pyyaml_parse(files: list[Path], collect: bool) -> None:
    import yaml

    if not collect:
        gc.disable()
    try:
        for file in files:
            yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    finally:
        gc.enable()


def run_cli(args: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time and peak RSS (KiB) of one ``crmorg`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"crmorg {' '.join(args)} failed:\n{done.stderr}")
    peak = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")
    )
    return seconds, cpu, peak


def in_process_phases(directory: Path) -> tuple[float, float, dict[str, int]]:
    from crmorg.api import load_partial
    from crmorg.lint.engine import run

    start = time.perf_counter()
    model = load_partial(directory)
    loaded = time.perf_counter()
    report = run(model)
    return loaded - start, time.perf_counter() - loaded, report.summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2027, help="seed of the many-findings model")
    parser.add_argument("--pyyaml", action="store_true", help="also time PyYAML's C loader")
    args = parser.parse_args()

    ratios = {}
    for label, many_findings in (("nearly clean", False), ("many findings", True)):
        with tempfile.TemporaryDirectory(prefix="crmorg-scale-") as tmp:
            directory = Path(tmp)
            if many_findings:
                generate(directory, args.roles, args.people, args.seed, many_findings=True)
            else:
                generate(directory, args.roles, args.people)
            ratios[label] = measure(label, directory, args)
    print("ratios to the fastest parse, wall / CPU:")
    for label, (wall, cpu, findings) in ratios.items():
        verdict = "met" if min(wall, cpu) <= 4 else "NOT met"
        print(f"  {label:<14} ({findings:>6,} findings) {wall:5.2f}x / {cpu:.2f}x ({verdict})")

    help_time = min(_time_command(["--help"]) for _ in range(5))
    reference = min(_time_command(["validate", "examples/reference"]) for _ in range(5))
    print(f"start-up: crmorg --help             {help_time:7.3f} s")
    print(f"start-up: validate examples/reference {reference:5.3f} s")


def measure(label: str, directory: Path, args: argparse.Namespace) -> tuple[float, float, int]:
    """Print the figures of one model; its wall and CPU ratios and its number of findings."""
    files = sorted(directory.glob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"{label} model: {args.roles:,} roles, {args.people:,} people, "
        f"{size / 1e6:.1f} MB of YAML in {len(files)} files"
    )
    parse, parse_cpu = best(lambda: fastest_parse(files), args.repeat)
    print(f"fastest YAML parse (yaml-rs)        {parse:7.2f} s wall, {parse_cpu:.2f} s CPU")
    if args.pyyaml:
        on = best(lambda: pyyaml_parse(files, True), 1)[0]
        off = best(lambda: pyyaml_parse(files, False), 1)[0]
        print(f"PyYAML C loader, gc on / off       {on:7.2f} s / {off:.2f} s")

    runs = [run_cli(["validate", str(directory), "--format", "json"]) for _ in range(args.repeat)]
    seconds = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    peak = max(r[2] for r in runs)
    ratio, cpu_ratio = seconds / parse, cpu / parse_cpu
    verdict = "met" if min(ratio, cpu_ratio) <= 4 else "NOT met"
    print(f"crmorg validate, end to end         {seconds:7.2f} s wall, {cpu:.2f} s CPU")
    print(
        f"  ratio to the fastest parse        {ratio:7.2f}x wall, {cpu_ratio:.2f}x CPU "
        f"(goal <= 4x: {verdict}; CPU time is the steadier figure on a busy machine)"
    )
    print(
        f"peak memory of that validation      {peak / 1024:7.0f} MiB "
        f"(goal < 1024 MiB: {'met' if peak < 1024 * 1024 else 'NOT met'})"
    )
    load, rules, summary = in_process_phases(directory)
    print(f"  in process: load {load:.2f} s, rules {rules:.2f} s; findings {summary}")
    findings = summary["error"] + summary["warning"] + summary["info"] + summary["waived"]
    return ratio, cpu_ratio, findings


def _time_command(args: list[str]) -> float:
    """Wall time of ``python -m crmorg ARGS`` in a fresh process (interpreter start included)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "crmorg", *args], capture_output=True, cwd=ROOT, check=False
    )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
