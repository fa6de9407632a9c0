"""Small helpers shared by the foundation tests."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

import crmorg
from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import Finding
from crmorg.loading.limits import DEFAULT_LIMITS, Limits

HEAD = "version: 1\norganization: {name: Acme Trading}\n"
"""The two lines every single-file model starts with (so a model's line 3 is its body)."""

SALES_MODEL = """\
version: 1
organization: {name: Acme}
actions: [refund]
resources:
  lead: {name: Lead}
  deal: {name: Deal}
  payment: {name: Payment, actions: [read, refund]}
departments:
  sales: {name: Sales}
roles:
  employee:
    grants:
      lead: {read: own}
  sales_rep:
    inherits: [employee]
    department: sales
    grants:
      deal: {read: team, update: own}
  team_leader:
    inherits: [sales_rep]
    grants:
      deal: {"*": team}
  sales_manager:
    inherits: [team_leader]
    grants:
      payment: {read: department}
  wildcard:
    grants:
      "*": {read: team}
      lead: {read: team}
teams:
  east: {name: East, department: sales, lead: mia}
people:
  ann: {roles: [sales_rep], teams: [east]}
  bob: {roles: [sales_rep], teams: [east]}
  mia: {roles: [sales_manager]}
  zed: {roles: []}
  employee: {roles: [sales_rep]}
"""
"""A small sales organisation: an inheritance chain, a team with a lead, a person
whose id is also a role's, a resource with its own actions."""


TIME_BOUND = 5.0
"""Seconds any hostile input may take: a safety net against hangs, not a benchmark."""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_findings(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> tuple[Finding, ...]:
    """The findings of loading ``path``, checking that loading is quick and never raises."""
    start = time.perf_counter()
    model = load_partial(path, limits)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BOUND, f"loading took {elapsed:.1f} s"
    return model.load_findings


def load_error(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> tuple[Finding, ...]:
    """``crmorg.load`` must refuse the model with a LoadError; its findings."""
    start = time.perf_counter()
    with pytest.raises(crmorg.LoadError) as caught:
        crmorg.load(path, limits)
    assert time.perf_counter() - start < TIME_BOUND
    assert caught.value.findings
    return caught.value.findings


def at(findings: Iterable[Finding], rule: str, line: int, column: int, says: str = "") -> Finding:
    """The one finding of ``rule`` at ``line:column`` whose message holds ``says``.

    Fails listing every finding there is, so a wrong position is easy to see.
    """
    findings = tuple(findings)
    matches = [
        f
        for f in findings
        if (f.rule, f.line, f.column) == (rule, line, column) and says in f.message
    ]
    shown = "\n".join(f"  {f.location}: {f.rule}: {f.message}" for f in findings)
    assert len(matches) == 1, f"expected one {rule} at {line}:{column} ({says}); got:\n{shown}"
    return matches[0]


def rules_of(findings: Iterable[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)


def cli(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``crmorg ARGV`` in-process: (exit status, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse: --help, usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
