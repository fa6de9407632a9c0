"""The model as graphs: cycles name every member; every kind of reference is checked.

The rule-by-rule YAML cases live in ``tests/rules``; these are the foundation's own
checks of cycle naming and of each kind of reference, at its exact position.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import crmorg
from crmorg.findings import Finding

from .helpers import HEAD, write


def where(text: str, line_text: str, token: str) -> tuple[int, int]:
    """(line, column) of ``token`` on the one line of ``text`` holding ``line_text``."""
    hits = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line_text in line
    ]
    assert len(hits) == 1, (line_text, hits)
    number, line = hits[0]
    return number, line.index(token, line.index(line_text)) + 1


def findings_of(text: str, rule: str, workdir: Path) -> list[Finding]:
    model = crmorg.load(write(workdir / "model.yaml", text))
    return [f for f in crmorg.validate(model).findings if f.rule == rule]


# Cycles ------------------------------------------------------------------------------
CYCLES = (
    HEAD
    + """\
departments:
  top: {name: Top}
  c1: {name: C1, parent: c2}
  c2: {name: C2, parent: c3}
  c3: {name: C3, parent: c1}
  below: {name: Below, parent: c3}
  own_parent: {name: Loop, parent: own_parent}
resources:
  lead: {name: Lead}
roles:
  ra: {inherits: [rb], grants: {lead: {read: own}}}
  rb: {inherits: [rc], grants: {lead: {update: team}}}
  rc: {inherits: [ra], grants: {lead: {delete: department}}}
  heir: {inherits: [rb]}
  twin_a: {inherits: [twin_b, twin_c]}
  twin_b: {inherits: [twin_a]}
  twin_c: {inherits: [twin_a]}
  narcissus: {inherits: [narcissus]}
  boss: {reports_to: deputy}
  deputy: {reports_to: boss}
  clerk: {reports_to: boss}
people:
  p1: {roles: [ra], reports_to: p2}
  p2: {roles: [rb], reports_to: p3}
  p3: {roles: [rc], reports_to: p1}
  p4: {reports_to: p4}
  p5: {reports_to: p1}
"""
)


def _cycles(rule: str, workdir: Path) -> dict[tuple[str, ...], Finding]:
    return {tuple(sorted(f.subjects)): f for f in findings_of(CYCLES, rule, workdir)}


def test_inheritance_cycles_name_every_member(workdir: Path) -> None:
    found = _cycles("inheritance-cycle", workdir)
    assert set(found) == {
        ("ra", "rb", "rc"),
        ("twin_a", "twin_b", "twin_c"),  # two circles through twin_a: one finding
        ("narcissus",),
    }
    three = found[("ra", "rb", "rc")]
    assert "ra -> rb -> rc -> ra" in three.message
    assert (three.line, three.column) == where(CYCLES, "ra: {inherits", "[rb]")
    twins = found[("twin_a", "twin_b", "twin_c")]
    assert all(member in twins.message for member in ("twin_a", "twin_b", "twin_c"))
    alone = found[("narcissus",)]
    assert "narcissus -> narcissus" in alone.message
    assert (alone.line, alone.column) == where(CYCLES, "narcissus:", "[narcissus]")
    assert all(f.severity is crmorg.Severity.ERROR for f in found.values())


def test_department_cycles_name_every_member(workdir: Path) -> None:
    found = _cycles("department-cycle", workdir)
    assert set(found) == {("c1", "c2", "c3"), ("own_parent",)}
    three = found[("c1", "c2", "c3")]
    assert "c1 -> c2 -> c3 -> c1" in three.message
    assert (three.line, three.column) == where(CYCLES, "c1: {", "c2}")


def test_reporting_cycles_of_roles_and_people_name_every_member(workdir: Path) -> None:
    found = _cycles("reporting-cycle", workdir)
    assert set(found) == {("boss", "deputy"), ("p1", "p2", "p3"), ("p4",)}
    roles = found[("boss", "deputy")]
    assert "boss -> deputy -> boss" in roles.message
    assert (roles.line, roles.column) == where(CYCLES, "boss: {", "deputy}")
    people = found[("p1", "p2", "p3")]
    assert "p1 -> p2 -> p3 -> p1" in people.message
    assert (people.line, people.column) == where(CYCLES, "p1: {", "p2}")


def test_a_model_with_cycles_still_answers_questions(workdir: Path) -> None:
    model = crmorg.load(write(workdir / "model.yaml", CYCLES))
    # Every role of an inheritance circle holds every grant written in it.
    for role in ("ra", "rb", "rc", "heir"):
        assert model.allows(role, "read", "lead", "own")
        assert model.allows(role, "update", "lead", "team")
        assert model.allows(role, "delete", "lead", "department")
        assert not model.allows(role, "delete", "lead", "organization")
    assert not model.allows("narcissus", "read", "lead")
    decision = model.decide("p1", "delete", "lead", owner="p5", department="below")
    assert decision.granted is crmorg.Scope.DEPARTMENT


# Unknown references --------------------------------------------------------------------
REFERENCES = (
    HEAD
    + """\
actions: [refund]
resources:
  lead: {name: Lead, actions: [read, update, refnd]}
  deal: {name: Deal}
departments:
  sales: {name: Sales, parent: headquarters, head: sales_boss}
  support: {name: Support}
roles:
  rep:
    department: saless
    inherits: [employe]
    reports_to: managr
    grants:
      leed: {read: own}
      lead: {reed: own, update: own, delete: own}
      deal: {refund: own, read: team}
  employee: {department: support}
responsibilities:
  sell:
    department: sals
    accountable: acountable_role
    responsible: [rep, responsible_role]
    consulted: [consulted_role]
    informed: [informed_role]
    requires: {dael: {read: own}, deal: {raed: own}}
teams:
  east: {department: eastern, lead: nobody}
people:
  ann: {roles: [rep, ghost_role], teams: [east, west], reports_to: bob}
metrics:
  won: {unit: count, source: opportunity}
kpis:
  win_rate: {owner: sales_chief, department: marketing}
constraints:
  - {id: sod, kind: separation_of_duties, permissions: ["quote:create", "lead:approve"]}
  - {id: ex, kind: exclusive_roles, roles: [rep, auditor]}
  - {id: card, kind: role_cardinality, role: admin}
settings:
  waivers:
    - {rule: no-such-rule, subjects: [rep], reason: because}
    - {rule: unknown-reference, subjects: [phantom], reason: because}
"""
)

# kind: (line marker, token, subjects, message fragment)
REFERENCE_KINDS = {
    "resource action not declared": (
        "lead: {name: Lead",
        "refnd",
        ("lead", "refnd"),
        "did you mean `refund`?",
    ),
    "department parent": (
        "sales: {name: Sales",
        "headquarters",
        ("sales", "headquarters"),
        "has parent",
    ),
    "department head": ("sales: {name: Sales", "sales_boss", ("sales", "sales_boss"), "headed by"),
    "role department": ("department: saless", "saless", ("rep", "saless"), "`sales`?"),
    "role inherits": ("inherits: [employe]", "employe", ("rep", "employe"), "`employee`?"),
    "role reports_to": ("reports_to: managr", "managr", ("rep", "managr"), "reports to"),
    "grant resource": ("leed: {read", "leed", ("rep", "leed"), "`lead`?"),
    "grant action": ("lead: {reed", "reed", ("rep", "reed"), "`read`?"),
    "action not applicable": (
        "lead: {reed",
        "delete",
        ("rep", "lead", "delete"),
        "does not apply to lead",
    ),
    "model action not applicable": (
        "deal: {refund",
        "refund",
        ("rep", "deal", "refund"),
        "does not apply to deal",
    ),
    "responsibility department": ("department: sals", "sals", ("sell", "sals"), "belongs to"),
    "accountable": ("accountable:", "acountable_role", ("sell", "acountable_role"), "accountable"),
    "responsible": (
        "responsible:",
        "responsible_role",
        ("sell", "responsible_role"),
        "responsible",
    ),
    "consulted": ("consulted:", "consulted_role", ("sell", "consulted_role"), "consulted"),
    "informed": ("informed:", "informed_role", ("sell", "informed_role"), "informed"),
    "requires resource": ("requires:", "dael", ("sell", "dael"), "`deal`?"),
    "requires action": ("requires:", "raed", ("sell", "raed"), "`read`?"),
    "team department": ("east: {department", "eastern", ("east", "eastern"), "belongs to"),
    "team lead": ("east: {department", "nobody", ("east", "nobody"), "led by"),
    "person role": ("ann: {roles", "ghost_role", ("ann", "ghost_role"), "holds"),
    "person team": ("ann: {roles", "west", ("ann", "west"), "is in"),
    "person reports_to": ("ann: {roles", "bob", ("ann", "bob"), "reports to"),
    "metric source": ("won: {", "opportunity", ("won", "opportunity"), "computed from"),
    "KPI owner": ("win_rate: {", "sales_chief", ("win_rate", "sales_chief"), "owned by"),
    "KPI department": ("win_rate: {", "marketing", ("win_rate", "marketing"), "belongs to"),
    "SoD resource": ("id: sod", '"quote:create"', ("sod", "quote"), "resource `quote`"),
    "SoD action not applicable": (
        "id: sod",
        '"lead:approve"',
        ("sod", "lead", "approve"),
        "does not apply",
    ),
    "exclusive roles member": ("id: ex", "auditor", ("ex", "auditor"), "constraint ex names"),
    "cardinality role": ("id: card", "admin", ("card", "admin"), "constraint card names"),
    "waiver rule": ("rule: no-such-rule", "no-such-rule", ("no-such-rule",), "does not exist"),
    "waiver subject": ("subjects: [phantom]", "phantom", ("phantom",), "no id in the model"),
}


@pytest.fixture
def unknown(workdir: Path) -> list[Finding]:
    return findings_of(REFERENCES, "unknown-reference", workdir)


@pytest.mark.parametrize("kind", list(REFERENCE_KINDS))
def test_unknown_reference_of_each_kind(kind: str, unknown: list[Finding]) -> None:
    marker, token, subjects, says = REFERENCE_KINDS[kind]
    line, column = where(REFERENCES, marker, token)
    matches = [f for f in unknown if f.subjects == subjects]
    assert len(matches) == 1, [(f.location, f.subjects) for f in unknown]
    finding = matches[0]
    assert (finding.file, finding.line, finding.column) == ("model.yaml", line, column)
    assert says in finding.message
    assert finding.severity is crmorg.Severity.ERROR


def test_no_other_unknown_references(unknown: list[Finding]) -> None:
    expected = {subjects for _, _, subjects, _ in REFERENCE_KINDS.values()}
    assert {f.subjects for f in unknown} == expected
    assert len(unknown) == len(expected)


def test_references_to_rejected_entities_are_not_unknown(workdir: Path) -> None:
    """An entity refused by the schema is still known by id: one finding, not two."""
    text = HEAD + "roles:\n  rep: {name: [bad]}\npeople:\n  ann: {roles: [rep]}\n"
    model = crmorg.api.load_partial(write(workdir / "model.yaml", text))
    rules = [f.rule for f in crmorg.validate(model).findings if f.severity.value == "error"]
    assert rules == ["schema"]


def test_a_valid_model_has_no_structural_findings(workdir: Path) -> None:
    text = HEAD + (
        "resources: {lead: {}}\n"
        "departments:\n  top: {name: Top, head: boss}\n  sales: {name: Sales, parent: top}\n"
        "roles:\n  boss: {department: top, grants: {lead: {read: organization}}}\n"
        "  rep: {department: sales, inherits: [boss], reports_to: boss}\n"
        "people:\n  ann: {roles: [boss]}\n  bob: {roles: [rep], reports_to: ann}\n"
    )
    model = crmorg.load(write(workdir / "model.yaml", text))
    structural = {
        "unknown-reference", "inheritance-cycle", "department-cycle", "reporting-cycle",
        "duplicate-id", "schema", "yaml-syntax",
    }  # fmt: skip
    assert [f for f in crmorg.validate(model).findings if f.rule in structural] == []


def test_help_starts_without_the_model_libraries() -> None:
    # `crmorg --help` and a usage error are answered before pydantic, networkx or the
    # loader are imported: start-up is a feature (benchmarks/bench_scale.py times it).
    probe = (
        "import contextlib, io, sys\n"
        "from crmorg.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "heavy = sorted(m for m in ('pydantic', 'networkx', 'yaml', 'crmorg.loading.loader')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
