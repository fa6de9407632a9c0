"""The limits: one registry, one documented table, settings that raise them, and each
limit exceeded as one finding at its bound (the largest bounds behind ``slow``)."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import deque
from collections.abc import Mapping
from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.kpi.evaluate import evaluate
from crmorg.kpi.models import Kpi
from crmorg.kpi.render.context import ScorecardContext
from crmorg.kpi.render.json_out import render
from crmorg.lint.engine import run
from crmorg.loading.hr_csv import read_hr_csv
from crmorg.loading.limits import DEFAULT_LIMITS, LIMIT_NAMES, Limits
from crmorg.loading.metric_data import read_metric_data
from crmorg.permissions import effective
from crmorg.permissions.effective import EffectiveGrant, GrantSource, Permission
from crmorg.roles import graphs
from crmorg.roles.models import Role
from crmorg.roles.scopes import BELOW, Scope
from crmorg.text import json_text

from .helpers import HEAD, load_findings, write

DOCS = Path(__file__).parents[2] / "docs" / "limits.md"


def over(findings: tuple[object, ...]) -> list[str]:
    return [f.message for f in findings if getattr(f, "rule", "") == "limit-exceeded"]  # type: ignore[attr-defined]


def test_the_documented_table_is_the_registry() -> None:
    rows = re.findall(r"^\| `(\w+)` \| ([\d,]+)", DOCS.read_text(encoding="utf-8"), re.M)
    assert [name for name, _ in rows] == list(LIMIT_NAMES)
    for name, default in rows:
        assert int(default.replace(",", "")) == getattr(DEFAULT_LIMITS, name), name


def test_a_finding_names_the_limit_the_value_and_the_setting(tmp_path: Path) -> None:
    roles = "".join(f"  r{i}: {{inherits: [r{i + 1}]}}\n" for i in range(70)) + "  r70: {}\n"
    path = write(tmp_path / "model.yaml", HEAD + "roles:\n" + roles)
    (message,) = over(load_findings(path))
    assert "`r0` inherits through a chain of 71 roles" in message
    assert "over the limit of 64 (max_inheritance_depth)" in message
    assert "`settings: {limits: {max_inheritance_depth: ...}}`" in message


@pytest.mark.parametrize(
    ("limit", "make"),
    [
        (
            "max_inheritance_depth",
            lambda n: (
                "roles:\n"
                + "".join(f"  r{i}: {{inherits: [r{i + 1}]}}\n" for i in range(n - 1))
                + f"  r{n - 1}: {{}}\n"
            ),
        ),
        (
            "max_reporting_depth",
            lambda n: (
                "roles: {rep: {}}\npeople:\n"
                + "".join(f"  p{i}: {{roles: [rep], reports_to: p{i + 1}}}\n" for i in range(n - 1))
                + f"  p{n - 1}: {{roles: [rep]}}\n"
            ),
        ),
        (
            "max_department_depth",
            lambda n: (
                "departments:\n  d0: {name: D}\n"
                + "".join(f"  d{i}: {{name: D, parent: d{i - 1}}}\n" for i in range(1, n))
            ),
        ),
    ],
)
def test_depth_limits_at_their_default_bound(tmp_path: Path, limit: str, make: object) -> None:
    bound = getattr(DEFAULT_LIMITS, limit)
    at_bound = write(tmp_path / "at.yaml", HEAD + make(bound))  # type: ignore[operator]
    assert over(load_findings(at_bound)) == []
    past = write(tmp_path / "past.yaml", HEAD + make(bound + 1))  # type: ignore[operator]
    (message,) = over(load_findings(past))
    assert f"over the limit of {bound} ({limit})" in message


def test_over_a_depth_limit_only_the_models_own_checks_run(tmp_path: Path) -> None:
    roles = "".join(f"  r{i}: {{inherits: [r{(i + 1) % 100}]}}\n" for i in range(100))
    path = write(tmp_path / "model.yaml", HEAD + "roles:\n" + roles)
    report = run(load_partial(path))
    rules = [f.rule for f in report.findings]
    assert rules.count("inheritance-cycle") == 1
    assert rules.count("limit-exceeded") == 1
    note = report.by_rule("rules-not-run")[0]
    assert "settings.limits.max_inheritance_depth" in note.message


def test_a_limit_raised_in_a_later_file_reads_the_model_again(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", HEAD + "roles:\n" + "".join(f"  r{i}: {{}}\n" for i in range(50)))
    write(tmp_path / "b.yaml", "settings: {limits: {max_file_bytes: 100000}}\n")
    small = Limits(max_file_bytes=200)
    assert over(load_findings(tmp_path, small)) == []
    assert len(load_partial(tmp_path, small).roles) == 50


def test_a_limit_raised_in_the_file_that_crosses_it(tmp_path: Path) -> None:
    roles = "".join(f"  r{i}: {{}}\n" for i in range(5))
    write(tmp_path / "a.yaml", HEAD + "settings: {limits: {max_entries: 10}}\nroles:\n" + roles)
    assert over(load_findings(tmp_path, Limits(max_entries=3))) == []


_CHAINS = {
    "max_inheritance_depth": lambda i: f"  r{i}: {{name: Role {i}, inherits: [r{i + 1}]}}\n",
    "max_reporting_depth": lambda i: f"  p{i}: {{name: Person {i}, reports_to: p{i + 1}}}\n",
    "max_department_depth": lambda i: f"  d{i}: {{name: Department {i}, parent: d{i + 1}}}\n",
}
_SECTIONS = {
    "max_inheritance_depth": "roles",
    "max_reporting_depth": "people",
    "max_department_depth": "departments",
}


@pytest.mark.parametrize("limit", sorted(_CHAINS))
def test_a_large_file_past_a_depth_limit_is_not_read_again_by_the_positioned_reader(
    limit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chain's depth is measured on the document and placed at an entry both readers
    place alike: the same finding, without PyYAML's node tree of the whole file."""
    from crmorg.loading import loader, yaml_nodes

    chain = "".join(_CHAINS[limit](i) for i in range(1_500))
    write(tmp_path / "model.yaml", HEAD + f"{_SECTIONS[limit]}:\n" + chain)
    assert (tmp_path / "model.yaml").stat().st_size > 64 * 1024  # the fast reader's
    read: list[str] = []
    real = yaml_nodes.parse_yaml

    def counted(text: str, name: str, *args: object, **kwargs: object) -> object:
        read.append(Path(name).name)
        return real(text, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_nodes, "parse_yaml", counted)
    fast = load_findings(tmp_path)
    assert read == []
    name = next(f.location.file for f in fast if limit in f.message)
    positioned = loader._load_document(
        tmp_path, DEFAULT_LIMITS, set(), positioned={name}, settled=True
    )[0].findings
    assert read == ["model.yaml"]  # this time the reference reader read it
    assert [(f.rule, f.message, f.location) for f in fast] == [
        (f.rule, f.message, f.location) for f in positioned
    ]


def test_a_large_file_past_max_entries_is_not_read_again_by_the_positioned_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is the same whichever reader read the file; reading a file this large
    again into PyYAML's node tree is what ran 1,000,000 roles out of memory."""
    from crmorg.loading import yaml_nodes

    write(tmp_path / "a.yaml", HEAD + "settings: {limits: {max_entries: 1000}}\n")
    body = "".join(
        f"  role_{i}: {{name: Role number {i} of the organisation}}\n" for i in range(2000)
    )
    write(tmp_path / "b.yaml", "roles:\n" + body)  # over 64 KiB: the fast reader's
    assert (tmp_path / "b.yaml").stat().st_size > 64 * 1024
    positioned: list[str] = []
    real = yaml_nodes.parse_yaml  # imported from there when a file needs it

    def counted(text: str, name: str, *args: object, **kwargs: object) -> object:
        positioned.append(Path(name).name)
        return real(text, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_nodes, "parse_yaml", counted)
    (message,) = over(load_findings(tmp_path))
    assert "`roles` holds 2,000 roles with this file, over the limit of 1,000" in message
    assert "b.yaml" not in positioned
    assert len(load_partial(tmp_path).roles) == 1000


def test_a_limit_lowered_in_the_model_applies(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", HEAD + "settings: {limits: {max_entries: 2}}\n")
    write(tmp_path / "b.yaml", "roles:\n" + "".join(f"  r{i}: {{}}\n" for i in range(3)))
    write(tmp_path / "c.yaml", "roles: {late: {}}\n")
    findings = load_findings(tmp_path)
    (message,) = over(findings)
    assert "`roles` holds 3 roles with this file, over the limit of 2 (max_entries)" in message
    model = load_partial(tmp_path)
    assert list(model.roles) == ["r0", "r1"]
    assert {Path(name).name for name in model.document.unread} == {"b.yaml", "c.yaml"}


def test_kpi_periods_past_the_limit_are_left_out(tmp_path: Path) -> None:
    rows = "".join(f"2026-{month:02d},won,{month}\n" for month in range(1, 13))
    data = write(tmp_path / "data.csv", "period,metric,value\n" + rows)
    read = read_metric_data(data, {"won"}, limits=Limits(max_kpi_periods=3))
    assert read.data.periods == ("2026-01", "2026-02", "2026-03")
    (finding,) = read.findings
    assert finding.rule == "limit-exceeded" and finding.location.line == 5
    assert "(max_kpi_periods)" in finding.message


def test_hr_rows_past_the_limit(tmp_path: Path) -> None:
    csv = write(tmp_path / "people.csv", "id\n" + "".join(f"p{i}\n" for i in range(5)))
    table = read_hr_csv(csv, "people", Limits(max_hr_rows=3))
    assert list(table.entries) == ["p0", "p1", "p2"]
    assert "(max_hr_rows)" in table.findings[0].message


def test_chain_depths_count_a_cycle_and_what_hangs_below_it() -> None:
    depths = graphs.chain_depths({"a": "b", "b": "c", "c": None, "x": "y", "y": "x", "z": "x"})
    assert depths == {"c": 1, "b": 2, "a": 3, "x": 2, "y": 2, "z": 3}


def test_deepest_inheritance_over_the_condensation() -> None:
    roles = {
        "a": Role(inherits=["b"]),
        "b": Role(inherits=["c"]),
        "c": Role(inherits=["b", "d"]),
        "d": Role(),
    }
    assert graphs.deepest_inheritance(roles) == (4, "a")


def _reference(
    role_id: str, roles: Mapping[str, Role], own: Mapping[str, Mapping[Permission, GrantSource]]
) -> dict[Permission, EffectiveGrant]:
    """A breadth-first search from the role: the widest scope, then the nearest."""
    merged: dict[Permission, EffectiveGrant] = {}
    seen = {role_id}
    queue = deque([(role_id, (role_id,))])
    while queue:
        current, via = queue.popleft()
        for permission, source in own[current].items():
            existing = merged.get(permission)
            if existing is None or BELOW[source.scope] >> existing.scope & 1:
                merged[permission] = EffectiveGrant(source.scope, source, via)
        for parent in roles[current].inherits:
            if parent not in seen and parent in roles:
                seen.add(parent)
                queue.append((parent, (*via, parent)))
    return merged


def test_effective_grants_on_cycles_match_a_search_from_every_role() -> None:
    rng = random.Random(19)
    permissions = [("lead", "read"), ("lead", "update"), ("deal", "read")]
    scopes = [Scope.OWN, Scope.TEAM, Scope.DEPARTMENT, Scope.ORGANIZATION]
    for _ in range(300):
        ids = [f"r{i}" for i in range(rng.randint(1, 9))]
        roles = {r: Role(inherits=rng.sample(ids, rng.randint(0, min(3, len(ids))))) for r in ids}
        own = {
            r: {
                p: GrantSource(r, p[0], p[1], rng.choice(scopes))
                for p in rng.sample(permissions, rng.randint(0, 2))
            }
            for r in ids
        }
        got = effective.effective_role_grants(roles, own, None)
        for role_id in ids:
            expected = _reference(role_id, roles, own)
            assert got[role_id].keys() == expected.keys()
            for permission, grant in got[role_id].items():
                assert grant.scope == expected[permission].scope
                assert len(grant.via) == len(expected[permission].via)  # the shortest
                assert grant.via[0] == role_id and grant.via[-1] == grant.source.role
                assert all(b in roles[a].inherits for a, b in itertools.pairwise(grant.via))


def test_a_ten_thousand_role_cycle_has_the_grants_of_all() -> None:
    size = 10_000
    roles = {f"r{i}": Role(inherits=[f"r{(i + 1) % size}"]) for i in range(size)}
    own = {r: {} for r in roles}
    own["r0"] = {("lead", "read"): GrantSource("r0", "lead", "read", Scope.OWN)}
    got = effective.effective_role_grants(roles, own, None)
    assert len(got["r1"][("lead", "read")].via) == size


def test_the_json_scorecard_is_written_as_json_dumps_writes_it() -> None:
    kpis = {
        "won": Kpi.model_validate(
            {"name": "Won \u202e", "formula": "won", "target": 3, "direction": "higher"}
        ),
        "rate": Kpi.model_validate({"name": "Rate", "formula": "won / lost"}),
    }
    from crmorg.kpi.data import MetricData

    values = {f"2026-{m:02d}": {"won": float(m), "lost": float(m % 3)} for m in range(1, 13)}
    scorecard = evaluate(kpis, MetricData(values))
    text = render(scorecard, ScorecardContext())
    dumped = json_text(scorecard.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
    assert text == dumped + "\n"
    assert json.loads(text)["results"][0]["name"] == "Won \u202e"


# Limit tests at the largest default bounds: minutes of work, so behind `slow`; the
# times and peak memory of these sizes are printed by benchmarks/bench_limits.py.
@pytest.mark.slow
def test_entries_at_the_default_bound(tmp_path: Path) -> None:
    bound = DEFAULT_LIMITS.max_entries
    body = "".join(f"  p{i}: {{}}\n" for i in range(bound))
    write(tmp_path / "a.yaml", HEAD + "people:\n" + body)
    assert over(load_findings(tmp_path)) == []
    write(tmp_path / "b.yaml", "people: {late: {}}\n")
    (message,) = over(load_findings(tmp_path))
    assert f"over the limit of {bound:,} (max_entries)" in message


@pytest.mark.slow
def test_kpi_periods_at_the_default_bound(tmp_path: Path) -> None:
    bound = DEFAULT_LIMITS.max_kpi_periods
    rows = "".join(f"w{i:07d},won,1\n" for i in range(bound))
    data = write(tmp_path / "data.csv", "period,metric,value\n" + rows)
    assert read_metric_data(data, {"won"}).findings == ()
    with data.open("a", encoding="utf-8") as more:
        more.write("late,won,1\n")
    read = read_metric_data(data, {"won"})
    assert len(read.data.periods) == bound
    assert [f.rule for f in read.findings] == ["limit-exceeded"]


@pytest.mark.slow
def test_files_at_the_default_bound(tmp_path: Path) -> None:
    bound = DEFAULT_LIMITS.max_files
    write(tmp_path / "m" / "org.yaml", HEAD)
    for index in range(bound - 1):
        write(tmp_path / "m" / f"r{index:05d}.yaml", f"roles: {{r{index}: {{}}}}\n")
    assert over(load_findings(tmp_path / "m")) == []
    write(tmp_path / "m" / "zz.yaml", "roles: {zz: {}}\n")
    (message,) = over(load_findings(tmp_path / "m"))
    assert f"over the limit of {bound:,} (max_files)" in message


@pytest.mark.slow
def test_file_bytes_at_the_default_bound(tmp_path: Path) -> None:
    bound = DEFAULT_LIMITS.max_file_bytes
    text = HEAD + "roles: {}\n"
    path = write(tmp_path / "model.yaml", text + "#" * (bound - len(text) - 1) + "\n")
    assert over(load_findings(path)) == []
    with path.open("a", encoding="utf-8") as more:
        more.write("\n")
    (message,) = over(load_findings(path))
    assert f"over the limit of {bound:,} (max_file_bytes)" in message
