"""Hostile inputs and environments: each case of issue 19 that is not a size, run as a user would.

    python benchmarks/bench_robustness.py [CASE ...] [--list]

Each case builds its input (and its hostile environment: a read-only or immutable
directory, a file-size limit, a full device, a run killed while writing, a symlink loop,
a FIFO...) in a temporary directory, runs one ``crmorg`` command in a fresh process and
prints its exit status, wall time, peak memory, the first line it said on standard error
and what was checked afterwards (the earlier output intact, staging left behind, raw
control characters in what it wrote). The sizes are in ``bench_limits.py``; the tests
that hold each behaviour are in ``tests/foundation``.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import _PEAK  # the console script's run, and its peak memory

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = str(ROOT / "examples" / "reference")
_KILLED_WHILE_WRITING = (
    "import os, signal, sys\n"
    "import crmorg.output\n"
    "from crmorg.cli.main import main\n"
    "written = crmorg.output._write_file\n"
    "def write_then_die(path, text):\n"
    "    written(path, text)\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "crmorg.output._write_file = write_then_die\n"
    "main(sys.argv[1:])\n"
)
_HEADER = "version: 1\norganization: {name: Robust Co.}\nresources:\n  lead: {name: Lead}\n"
_HIDDEN = {
    "NUL": "\x00",
    "ESC": "\x1b",
    "OSC title": "\x1b]0;pwned\x07",
    "DEL": "\x7f",
    "C1": "\x9b",
    "U+202E": "\u202e",
    "U+200B": "\u200b",
}
_RAW = "\x00\x1b\x07\x7f\x9b\u202e\u200b"  # each hidden character above, and BEL


@dataclass
class Run:
    """One command, with the environment it runs in."""

    args: list[str]
    preexec: Callable[[], None] | None = None
    stdout_to: str | None = None
    script: str = _PEAK
    cwd: Path = ROOT
    afterwards: Callable[[str], str] = field(default=lambda stdout: "")
    """What was checked once it ended, given its standard output."""


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Run]


def _quote(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".crmorg-" not in str(p)
    }


def _leftovers(directory: Path) -> int:
    return sum(1 for p in directory.iterdir() if ".crmorg-" in p.name)


def _kept(directory: Path, before: dict[str, bytes]) -> Callable[[str], str]:
    def check(stdout: str) -> str:
        intact = "intact" if _files(directory) == before else "CHANGED"
        return f"earlier output {intact}, {_leftovers(directory)} left behind"

    return check


def _earlier(out: Path, args: list[str]) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "crmorg", *args], cwd=ROOT, capture_output=True, check=False
    )
    return _files(out)


def _no_permission_override() -> None:
    if os.geteuid() == 0:  # root: drop the capabilities that write through a mode
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def _one_kilobyte_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def read_only(tmp: Path) -> Run:
    place = tmp / "shared"
    place.mkdir()
    args = ["export", REFERENCE, "--target", "cedar", "--out", str(place / "out")]
    before = _earlier(place, args)
    place.chmod(0o555)
    kept = _kept(place, before)

    def afterwards(stdout: str) -> str:
        place.chmod(0o755)
        return kept(stdout)

    return Run(args, preexec=_no_permission_override, afterwards=afterwards)


def immutable(tmp: Path) -> Run:
    place = tmp / "frozen"
    place.mkdir()
    args = ["docs", REFERENCE, "--out", str(place / "site")]
    before = _earlier(place, args)
    subprocess.run(["chattr", "+i", str(place)], check=True)
    kept = _kept(place, before)

    def afterwards(stdout: str) -> str:
        subprocess.run(["chattr", "-i", str(place)], check=True)
        return kept(stdout)

    return Run(args, afterwards=afterwards)


def file_as_parent(tmp: Path) -> Run:
    (tmp / "taken").write_text("mine\n")
    before = _files(tmp)
    return Run(
        ["docs", REFERENCE, "--out", str(tmp / "taken" / "site")], afterwards=_kept(tmp, before)
    )


def under_proc(tmp: Path) -> Run:
    return Run(["chart", REFERENCE, "--format", "svg", "--out", "/proc/crmorg-out/chart.svg"])


def file_size_limit(tmp: Path) -> Run:
    args = ["export", REFERENCE, "--target", "rego", "--out", str(tmp / "out")]
    return Run(args, preexec=_one_kilobyte_files, afterwards=_kept(tmp, _earlier(tmp, args)))


def chart_size_limit(tmp: Path) -> Run:
    args = ["chart", REFERENCE, "--format", "svg", "--out", str(tmp / "chart.svg")]
    return Run(args, preexec=_one_kilobyte_files, afterwards=_kept(tmp, _earlier(tmp, args)))


def full_device(tmp: Path) -> Run:
    return Run(["validate", REFERENCE, "--format", "json"], stdout_to="/dev/full")


def foreign_out(command: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        (tmp / "mine").mkdir()
        (tmp / "mine" / "thesis.txt").write_text("not crmorg's\n")
        before = _files(tmp)
        args = (
            ["docs", REFERENCE, "--out", str(tmp / "mine")]
            if command == "docs"
            else ["export", REFERENCE, "--target", "json", "--out", str(tmp / "mine")]
        )
        return Run(args, afterwards=_kept(tmp, before))

    return build


def killed_then_good(tmp: Path) -> Run:
    args = ["docs", REFERENCE, "--out", str(tmp / "site")]
    _earlier(tmp, args)
    for _ in range(3):
        subprocess.run(
            [sys.executable, "-c", _KILLED_WHILE_WRITING, *args],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
    staged = _leftovers(tmp)

    def afterwards(stdout: str) -> str:
        return f"{staged} staging dirs after 3 kills; after the good run {_leftovers(tmp)}"

    return Run(args, afterwards=afterwards)


def non_finite(value: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        (tmp / "model.yaml").write_text(
            _HEADER + "metrics:\n  won: {unit: count, source: lead}\n"
            "kpis:\n  k:\n    name: Won\n    formula: won\n"
            f"    target: {value}\n    direction: higher\n"
        )
        return Run(["validate", str(tmp), "--format", "json"], afterwards=_findings)

    return build


def _findings(stdout: str) -> str:
    """The findings of a ``--format json`` report, by rule and severity."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return "standard output is not a JSON report"
    found = Counter(f"{f['rule']} ({f['severity']})" for f in report["findings"])
    order = {"error": 0, "warning": 1, "info": 2}
    first = min(report["findings"], key=lambda f: order[f["severity"]], default=None)
    said = f"; {first['line']}:{first['column']} {first['message'][:90]}" if first else ""
    return ", ".join(f"{n}× {rule}" for rule, n in sorted(found.items())) + said


def hidden_in(where: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        roles = "".join(
            f"  {label.lower().replace(' ', '_').replace('+', '')}:\n"
            f"    name: {_quote('Rep' + ch + 'x')}\n    grants: {{lead: {{read: own}}}}\n"
            for label, ch in _HIDDEN.items()
        )
        if where == "ids":
            roles = "".join(
                f"  {_quote('r' + ch + str(i))}:\n    name: R{i}\n"
                for i, ch in enumerate(_HIDDEN.values())
            )
        (tmp / "model.yaml").write_text(_HEADER + "roles:\n" + roles)
        return Run(["validate", str(tmp), "--format", "json"], afterwards=_findings)

    return build


def hidden_through(command: list[str], output: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        hidden_in("names")(tmp)
        out = tmp / output

        def afterwards(stdout: str) -> str:
            written = "".join(
                p.read_text("utf-8", "replace") for p in [out, *out.rglob("*")] if p.is_file()
            )
            return f"raw hidden characters in what it wrote: {sum(map(written.count, _RAW))}"

        return Run([*command[:1], str(tmp), *command[1:], "--out", str(out)], afterwards=afterwards)

    return build


_FORMULAS = (" =cmd", "\u200b=cmd", "\ufeff=cmd", "\n=cmd", "\uff1dcmd", "\t+1", "@SUM(A1)")


def formulas_in_csv(tmp: Path) -> Run:
    roles = "".join(
        f"  r{i}:\n    name: {_quote(text)}\n    grants: {{lead: {{read: own}}}}\n"
        for i, text in enumerate(_FORMULAS)
    )
    (tmp / "model.yaml").write_text(_HEADER + "roles:\n" + roles)
    out = tmp / "matrix.csv"

    def afterwards(stdout: str) -> str:
        rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"), newline="")))
        cells = [cell for row in rows for cell in row]
        live = [
            c for c in cells if c.lstrip(" \t\r\n\u200b\ufeff")[:1] in ("=", "+", "@", "\uff1d")
        ]
        return f"{len(cells)} cells parse as CSV; cells that start a formula: {len(live)}"

    return Run(["matrix", str(tmp), "--format", "csv", "--out", str(out)], afterwards=afterwards)


def kpi_csv_with_cr(tmp: Path) -> Run:
    (tmp / "model.yaml").write_text(
        _HEADER + "metrics:\n  won: {unit: count, source: lead}\n"
        'kpis:\n  k:\n    name: "Won\\r=cmd"\n    formula: won\n    target: 5\n'
        "    direction: higher\n"
    )
    (tmp / "data.csv").write_text("period,metric,value\n2026-01,won,7\n2026-02,won,3\n")

    def afterwards(stdout: str) -> str:
        rows = list(csv.reader(io.StringIO(stdout.lstrip("\ufeff"), newline="")))
        widths = sorted({len(row) for row in rows})
        raw_cr = sum(cell.count("\r") for row in rows for cell in row)
        return f"parses as CSV: {len(rows)} rows of {widths} cells; CR kept inside quotes: {raw_cr}"

    return Run(
        ["kpi", str(tmp), "--data", str(tmp / "data.csv"), "--format", "csv"],
        afterwards=afterwards,
    )


def alias_bomb_cr(tmp: Path) -> Run:
    lines = ["version: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for before, name in zip("abcdefg", "bcdefgh", strict=True):  # ten times as many each
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 10) + "]")
    padding = ["# " + "padding past the fast path's threshold " * 2] * 800
    (tmp / "model.yaml").write_text("\r".join([*lines, *padding]) + "\r", newline="")
    return Run(["validate", str(tmp), "--format", "json"], afterwards=_findings)


def encoded(encoding: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        text = _HEADER + "roles:\n  rep: {name: Rep}\n"
        (tmp / "model.yaml").write_bytes(text.encode(encoding))
        return Run(["validate", str(tmp), "--format", "json"], afterwards=_findings)

    return build


def link(kind: str) -> Callable[[Path], Run]:
    def build(tmp: Path) -> Run:
        model = tmp / "model"
        model.mkdir()
        (model / "organization.yaml").write_text(_HEADER)
        if kind == "dangling":
            (model / "roles.yaml").symlink_to(tmp / "gone.yaml")
        elif kind == "loop":
            (model / "a.yaml").symlink_to(model / "b.yaml")
            (model / "b.yaml").symlink_to(model / "a.yaml")
        else:
            shared = tmp / "shared"
            shared.mkdir()
            (shared / "roles.yaml").write_text("roles:\n  rep: {name: Rep}\n")
            (model / "team").symlink_to(shared)
        return Run(["validate", str(model), "--format", "json"], afterwards=_findings)

    return build


def fifo(tmp: Path) -> Run:
    os.mkfifo(tmp / "pipe")
    return Run(["validate", str(tmp / "pipe"), "--format", "json"], afterwards=_findings)


def dev_zero(tmp: Path) -> Run:
    return Run(["validate", "/dev/zero", "--format", "json"], afterwards=_findings)


CASES = (
    Case("out-read-only-directory", read_only),
    Case("out-immutable-directory", immutable),
    Case("out-under-a-regular-file", file_as_parent),
    Case("out-under-proc", under_proc),
    Case("out-file-size-limit-export", file_size_limit),
    Case("out-file-size-limit-chart", chart_size_limit),
    Case("stdout-dev-full", full_device),
    Case("out-not-crmorgs-docs", foreign_out("docs")),
    Case("out-not-crmorgs-export", foreign_out("export")),
    Case("docs-killed-3x-then-good-run", killed_then_good),
    Case("kpi-target-nan", non_finite(".nan")),
    Case("kpi-target-inf", non_finite(".inf")),
    Case("kpi-target-minus-inf", non_finite("-.inf")),
    Case("kpi-target-1e400", non_finite("1e400")),
    Case("hidden-characters-in-names", hidden_in("names")),
    Case("hidden-characters-in-ids", hidden_in("ids")),
    Case("hidden-through-handbook", hidden_through(["docs"], "site")),
    Case("hidden-through-matrix-csv", hidden_through(["matrix", "--format", "csv"], "m.csv")),
    Case("hidden-through-cedar", hidden_through(["export", "--target", "cedar"], "cedar")),
    Case("hidden-through-rego", hidden_through(["export", "--target", "rego"], "rego")),
    Case("hidden-through-svg-chart", hidden_through(["chart", "--format", "svg"], "c.svg")),
    Case("formulas-in-matrix-csv", formulas_in_csv),
    Case("kpi-csv-name-with-cr", kpi_csv_with_cr),
    Case("alias-bomb-cr-line-ends-66kb", alias_bomb_cr),
    Case("model-in-utf-16", encoded("utf-16")),
    Case("model-in-utf-32", encoded("utf-32")),
    Case("dangling-symlink", link("dangling")),
    Case("symlink-loop", link("loop")),
    Case("symlinked-sub-directory", link("directory")),
    Case("fifo-as-path", fifo),
    Case("dev-zero-as-path", dev_zero),
)


def run(spec: Run, timeout: float) -> tuple[str, float, float | None, str, str]:
    """Exit status (or ``timeout``), wall seconds, peak MiB, first line said, standard output."""
    stdout = Path(spec.stdout_to).open("w") if spec.stdout_to else subprocess.PIPE  # noqa: SIM115
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", spec.script, *spec.args],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            cwd=spec.cwd,
            timeout=timeout,
            preexec_fn=spec.preexec,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start, None, f"still running after {timeout} s", ""
    finally:
        if spec.stdout_to:
            stdout.close()  # type: ignore[union-attr]
    seconds = time.perf_counter() - start
    lines = done.stderr.splitlines()
    peak = [int(line.split()[1]) / 1024 for line in lines if line.startswith("PEAK_KIB")]
    said = [line for line in lines if line and not line.startswith("PEAK_KIB")]
    if not said and done.stdout[:1] not in ("", "{"):
        said = done.stdout.splitlines()[:1]
    first = said[0] if said else ""
    return str(done.returncode), seconds, (peak[0] if peak else None), first, done.stdout or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--timeout", type=float, default=120.0)
    options = parser.parse_args()
    if options.list:
        print("\n".join(case.name for case in CASES))
        return
    unknown = sorted(set(options.cases) - {case.name for case in CASES})
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(unknown)} (see --list)")
    if shutil.which("chattr") is None:
        print("(chattr is not installed: out-immutable-directory will fail)", file=sys.stderr)
    print("| case | exit | wall s | peak MiB | first line said | checked afterwards |")
    print("|---|---|---|---|---|---|")
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for case in (c for c in CASES if not options.cases or c.name in options.cases):
        with tempfile.TemporaryDirectory(prefix="crmorg-robust-") as tmp:
            spec = case.build(Path(tmp))
            status, seconds, mib, said, stdout = run(spec, options.timeout)
            checked = spec.afterwards(stdout).replace(tmp, "TMP").replace("|", "\\|")
            said = " ".join(said.replace(tmp, "TMP").split())[:110].replace("|", "\\|")
            shown = f"{mib:.0f}" if mib is not None else "-"
            print(f"| {case.name} | {status} | {seconds:.2f} | {shown} | {said} | {checked} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
