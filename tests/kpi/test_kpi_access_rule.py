"""kpi-owner-lacks-access: a KPI's owner must be able to read its metrics' sources."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.lint.engine import run
from crmorg.lint.registry import all_rules
from crmorg.lint.rules.kpi_owner_lacks_access import kpi_owner_lacks_access

RULE = "kpi-owner-lacks-access"

BASE = """\
version: 1
organization: {{name: T}}
resources:
  account: {{name: Account}}
  case: {{name: Case}}
  audit_log: {{name: Audit log, actions: [export]}}
departments:
  management: {{name: Management}}
  crm: {{name: CRM, parent: management}}
  retention: {{name: Retention, parent: crm}}
  service: {{name: Service, parent: management}}
roles:
  base_reader: {{department: crm, grants: {{case: {{read: department}}}}}}
  crm_manager:
    department: crm
    inherits: [base_reader]
    grants: {{account: {{read: {scope}}}}}
metrics:
  customers_lost: {{unit: count, source: account}}
  customers_at_start: {{unit: count, source: account}}
  complaints: {{unit: count, source: case}}
  exports: {{unit: count, source: audit_log}}
  plan: {{unit: count}}
kpis:
  churn_rate:
    department: {department}
    owner: crm_manager
    formula: {formula}
"""


def _findings(
    tmp_path: Path,
    scope: str = "department",
    department: str = "crm",
    formula: str = "customers_lost / customers_at_start",
) -> list[tuple[tuple[str, ...], int, str]]:
    path = tmp_path / "model.yaml"
    path.write_text(
        BASE.format(scope=scope, department=department, formula=formula), encoding="utf-8"
    )
    report = run(load_partial(path))
    return [(f.subjects, f.line, f.message) for f in report.findings if f.rule == RULE]


@pytest.mark.parametrize("scope", ["department", "organization"])
def test_owner_reading_at_department_scope_in_its_own_department_passes(
    tmp_path: Path, scope: str
) -> None:
    assert _findings(tmp_path, scope=scope) == []


def test_a_department_below_the_owners_is_within_reach(tmp_path: Path) -> None:
    assert _findings(tmp_path, department="retention") == []


@pytest.mark.parametrize("scope", ["own", "team", "none"])
def test_too_narrow_a_read_grant_fires(tmp_path: Path, scope: str) -> None:
    findings = _findings(tmp_path, scope=scope)
    assert len(findings) == 1
    subjects, line, message = findings[0]
    assert subjects == (
        "churn_rate",
        "crm_manager",
        "customers_at_start",
        "customers_lost",
        "account",
    )
    assert line == 27  # the KPI's `owner:`
    assert "grant crm_manager account.read at department scope" in message
    reach = "cannot read account at all" if scope == "none" else f"only at {scope} scope"
    assert reach in message


def test_another_department_needs_organization_scope(tmp_path: Path) -> None:
    findings = _findings(tmp_path, department="service")
    assert len(findings) == 1
    assert "department service, outside its own" in findings[0][2]
    assert "at organization scope" in findings[0][2]
    assert _findings(tmp_path, department="service", scope="organization") == []


def test_inherited_grants_count(tmp_path: Path) -> None:
    # `case.read` comes from base_reader, which crm_manager inherits.
    assert _findings(tmp_path, formula="complaints") == []
    findings = _findings(tmp_path, formula="complaints", department="service")
    assert [f[0] for f in findings] == [("churn_rate", "crm_manager", "complaints", "case")]


def test_metrics_without_a_source_or_readable_resource_are_not_checked(tmp_path: Path) -> None:
    assert _findings(tmp_path, scope="none", formula="plan") == []
    # `read` does not apply to audit_log here, so nobody can be asked to read it.
    assert _findings(tmp_path, scope="none", formula="exports") == []


def test_unparsable_formula_and_unknown_owner_are_left_to_other_rules(tmp_path: Path) -> None:
    assert _findings(tmp_path, scope="none", formula="customers_lost.x") == []
    path = tmp_path / "other.yaml"
    path.write_text(
        BASE.format(scope="none", department="crm", formula="customers_lost").replace(
            "owner: crm_manager", "owner: nobody"
        ),
        encoding="utf-8",
    )
    assert not [f for f in run(load_partial(path)).findings if f.rule == RULE]


def test_rule_is_registered_with_its_catalogue_identity() -> None:
    rule = all_rules()[RULE]
    assert rule is kpi_owner_lacks_access
    assert (rule.info.code, rule.info.severity.value) == ("CRM216", "warning")
    assert "Fails:" in rule.doc and "Fix:" in rule.doc


def test_the_documented_example_fails_and_its_fix_passes(tmp_path: Path) -> None:
    snippet = re.search(r"```yaml\n(.*?)```", kpi_owner_lacks_access.doc, re.S)
    assert snippet is not None
    failing = "version: 1\norganization: {name: T}\n" + textwrap.dedent(snippet.group(1))
    failing += "departments: {crm: {name: CRM}}\nresources: {account: {name: Account}}\n"
    path = tmp_path / "doc.yaml"
    path.write_text(failing, encoding="utf-8")
    assert [f.rule for f in run(load_partial(path)).findings if f.rule == RULE] == [RULE]
    path.write_text(failing.replace("{read: own}", "{read: department}"), encoding="utf-8")
    assert [f.rule for f in run(load_partial(path)).findings if f.rule == RULE] == []
