"""The handbook of a large model: the RACI matrix one table per department past
RACI_COLUMNS roles, and pages read from per-item indexes equal to the scans they replace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import crmorg
from crmorg.docs.indexes import SiteIndex
from crmorg.docs.matrices import RACI_COLUMNS, raci_matrix, raci_tables
from crmorg.docs.site import build_site
from crmorg.lint.engine import Report
from crmorg.model import Model

DEPARTMENTS = 3
ROLES_PER_DEPARTMENT = 16  # 48 roles in RACI: wider than RACI_COLUMNS


def _document() -> dict[str, Any]:
    departments: dict[str, Any] = {"hq": {"name": "HQ"}}
    roles: dict[str, Any] = {}
    responsibilities: dict[str, Any] = {}
    people: dict[str, Any] = {}
    for d in range(DEPARTMENTS):
        dept = f"dept_{d}"
        departments[dept] = {"name": f"Department {d}", "parent": "hq"}
        for r in range(ROLES_PER_DEPARTMENT):
            role = f"r_{d}_{r}"
            roles[role] = {
                "name": f"Role {d}.{r}",
                "department": dept,
                "reports_to": f"r_{d}_0" if r else None,
            }
            people[f"p_{d}_{r}"] = {"name": f"Person {d}.{r}", "roles": [role]}
            responsibilities[f"task_{d}_{r}"] = {
                "name": f"Task {d}.{r}",
                "department": dept,
                "accountable": f"r_{d}_0",
                "responsible": [role],
                # one cross-department part: the next department's first role is informed
                "informed": [f"r_{(d + 1) % DEPARTMENTS}_0"] if r == 1 else [],
            }
    responsibilities["loose_task"] = {
        "name": "Loose task",
        "accountable": "r_0_0",
        "responsible": ["r_1_1"],
    }
    for role in roles.values():
        if role["reports_to"] is None:
            del role["reports_to"]
    return {
        "version": 1,
        "organization": {"name": "Large"},
        "departments": departments,
        "roles": roles,
        "responsibilities": responsibilities,
        "people": people,
    }


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    directory: Path = tmp_path_factory.mktemp("large")
    (directory / "model.yaml").write_text(yaml.safe_dump(_document()), encoding="utf-8")
    return crmorg.load(directory)


def test_a_wide_raci_matrix_is_one_table_per_department(model: Model) -> None:
    assert len(raci_matrix(model).roles) > RACI_COLUMNS
    tables = raci_tables(model)
    assert [department for department, _ in tables] == ["dept_0", "dept_1", "dept_2", None]
    rows = [r for _, table in tables for r in table.responsibilities]
    assert sorted(rows) == sorted(model.responsibilities)  # each responsibility once
    whole = raci_matrix(model)
    for department, table in tables:
        # a table's columns are exactly the roles taking part in its responsibilities
        involved = {role for (resp, role) in whole.cells if resp in table.responsibilities}
        assert set(table.roles) == involved, department
        for (resp, role), held in table.cells.items():
            assert whole.cell(resp, role) == held
    dept_1 = dict(tables)["dept_1"]
    assert "r_2_0" in dept_1.roles  # the cross-department informed role has its column


def test_a_narrow_raci_matrix_stays_one_table(tmp_path: Path) -> None:
    reference = Path(__file__).resolve().parents[2] / "examples" / "reference"
    small = crmorg.load(reference)
    assert raci_tables(small) == [(None, raci_matrix(small))]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_raci_page_heads_each_department_table(model: Model, fmt: str) -> None:
    files = build_site(model, fmt=fmt, report=Report(()))
    page = next(text for path, text in files.items() if path.startswith("raci."))
    if fmt == "html":
        tables = re.findall(r'<table class="matrix">', page)
        headed = re.findall(r"<h2>.*?</h2>", page)
    else:
        tables = re.findall(r"^\|---\|", page, flags=re.MULTILINE)
        headed = re.findall(r"^## .*$", page, flags=re.MULTILINE)
    assert len(tables) == DEPARTMENTS + 1
    assert sum("Department" in h for h in headed) == DEPARTMENTS
    assert any("Responsibilities without a department" in h for h in headed)


def test_the_indexes_equal_the_scans_they_replace(model: Model) -> None:
    report = crmorg.validate(model)
    index = SiteIndex(model, tuple(report.findings))
    for role_id, role in model.roles.items():
        assert list(index.roles_reporting_to.get(role_id, ())) == [
            r for r, other in model.roles.items() if other.reports_to == role_id
        ]
        assert list(index.roles_inheriting.get(role_id, ())) == [
            r for r, other in model.roles.items() if role_id in other.inherits
        ]
        assert list(index.findings_about(role_id)) == [
            f for f in report.findings if role_id in f.subjects
        ]
        assert role.department is not None
        assert list(index.roles_in[role.department]).index(role_id) >= 0
    for dept_id in model.departments:
        assert list(index.departments_under.get(dept_id, ())) == [
            d for d, other in model.departments.items() if other.parent == dept_id
        ]
        assert list(index.responsibilities_in.get(dept_id, ())) == [
            r for r, resp in model.responsibilities.items() if resp.department == dept_id
        ]
    people = list(model.people)
    assert index.people_in_order(reversed(people)) == tuple(people)
    assert index.people_in_order(["nobody", people[3], people[1]]) == (people[1], people[3])
