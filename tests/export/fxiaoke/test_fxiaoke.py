"""The fxiaoke target: payloads valid against a schema written from Fxiaoke's docs, a
workbook that openpyxl reads back equal to its CSVs and to the model, byte-identical
renders, hostile text, and a simulator of Fxiaoke's data permissions that reads the
workbook and equals ``Model.decide`` except exactly the losses ``fidelity.json`` lists."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

import crmorg
from crmorg.export import EXPORTERS, LossyExportError, export_target
from crmorg.model import Model

from ..conftest import FIXTURES, REFERENCE
from ..strategies import load_document, models
from . import harness
from .simulator import operation_code

HERE = Path(__file__).parent
LOSSY = HERE / "fixtures" / "lossy.yaml"
SCHEMA = json.loads((HERE / "openapi.schema.json").read_text(encoding="utf-8"))
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


@pytest.fixture(scope="module")
def lossy() -> Model:
    return crmorg.load(LOSSY)


def _json(files: dict[str, str | bytes], name: str) -> Any:
    text = files[name]
    assert isinstance(text, str)
    return json.loads(text)


def _workbook_rows(files: dict[str, str | bytes]) -> dict[str, list[list[str]]]:
    content = files[harness.WORKBOOK]
    assert isinstance(content, bytes)
    book = load_workbook(io.BytesIO(content))
    return {
        ws.title: [
            ["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)
        ]
        for ws in book.worksheets
    }


def _csv_rows(text: str | bytes) -> list[list[str]]:
    assert isinstance(text, str)
    return list(csv.reader(io.StringIO(text, newline="")))


# The payloads ------------------------------------------------------------------------
EXAMPLES = REFERENCE.parent


@pytest.mark.parametrize(
    "path",
    [REFERENCE, EXAMPLES / "smb", EXAMPLES / "vendor-audit", FIXTURES / "small", LOSSY],
    ids=lambda p: p.name,
)
def test_payloads_validate_against_the_schema_from_the_docs(path: Path) -> None:
    files = harness.render(crmorg.load(path))
    payloads = sorted(n for n in files if n.startswith("openapi/"))
    assert len(payloads) == 7
    for name in payloads:
        jsonschema.validate(_json(files, name), SCHEMA)
    names = [
        c["body"]["department"]["name"] for c in _json(files, "openapi/departments.json")["calls"]
    ]
    assert len(names) == len(set(names))  # Fxiaoke refuses a department name twice
    assert all(c in "-_" or unicodedata.category(c)[0] in "LN" for n in names for c in n)


def test_a_payload_off_the_docs_is_refused_by_the_schema() -> None:
    files = harness.render(crmorg.load(FIXTURES / "small"))
    document = _json(files, "openapi/users.json")
    document["calls"][0]["body"]["user"]["mainDepartment"] = 1  # not the API's name
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_the_plan_creates_what_a_call_needs_before_the_call() -> None:
    model = crmorg.load(REFERENCE)
    files = harness.render(model)
    plan = _json(files, "plan.json")
    done: set[str] = set()
    calls = {
        call["id"]: call
        for name in files
        if name.startswith("openapi/")
        for call in _json(files, name)["calls"]
    }
    for step in plan["steps"]:
        assert set(step["dependsOn"]) <= done, step
        refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(calls[step["call"]]["body"])))
        assert refs - done <= {step["call"]}
        done.add(step["call"])
    assert set(calls) == done
    order = [s["call"] for s in plan["steps"]]
    for dept_id, dept in model.departments.items():
        if dept.parent in model.departments:
            assert order.index(f"department:{dept.parent}") < order.index(f"department:{dept_id}")
    first_user = min(i for i, c in enumerate(order) if c.startswith("user:"))
    assert all(i < first_user for i, c in enumerate(order) if c.startswith("department:"))
    assert "model's" in plan["ids"]


# The workbook ------------------------------------------------------------------------
@pytest.mark.parametrize("path", [REFERENCE, LOSSY], ids=lambda p: p.name)
def test_every_sheet_equals_its_csv_and_the_model(path: Path) -> None:
    model = crmorg.load(path)
    files = harness.render(model)
    sheets = _workbook_rows(files)
    csvs = {n: _csv_rows(t) for n, t in files.items() if n.startswith("workbook/")}
    assert {f"workbook/{title.split(' ')[-1]}.csv" for title in sheets} == set(csvs)
    for title, rows in sheets.items():
        assert rows == csvs[f"workbook/{title.split(' ')[-1]}.csv"], title
        assert all(re.search("[\u4e00-\u9fff]", h) and re.search("[A-Za-z]", h) for h in rows[0])
    by_slug = {t.split(" ")[-1]: rows for t, rows in sheets.items()}
    assert [r[0] for r in by_slug["users"][1:]] == sorted(model.people)
    assert [r[0] for r in by_slug["roles"][1:]] == sorted(model.roles)
    assert {r[0] for r in by_slug["departments"][1:]} == set(model.departments)
    assert [r[0] for r in by_slug["user_groups"][1:]] == sorted(model.teams)
    objects = {r[2]: r[0] for r in by_slug["objects"][1:]}
    assert set(objects) == set(model.resources)
    for _api, _name, resource, base in by_slug["objects"][1:]:
        public = {
            action
            for (r, action), baseline in model.access.baselines.items()
            if r == resource and baseline.scope.label == "organization"
        }
        expected_base = "公开读写" if {"read", "update"} <= public else "公开只读"
        assert base == (expected_base if "read" in public else "私有")
    header, *ticks = by_slug["functional_permissions"]
    codes = [h[h.rindex("[") + 1 : -1] for h in header[2:]]
    ticked = {
        (role, obj, code)
        for role, obj, *cells in ticks
        for code, cell in zip(codes, cells, strict=True)
        if cell == "✓"
    }
    expected = {
        (role, objects[resource], operation_code(action))
        for role in model.roles
        for resource, action in model.access.catalog.permissions()
        if model.allows(role, action, resource, "own")
    }
    assert ticked == expected
    data = {(r[0], r[1]) for r in by_slug["data_permissions"][1:]}
    assert data == {(role, obj) for role, obj, _ in expected}
    # 数据范围 uses only Fxiaoke's four words, 上级可见下级 is 是 or 否.
    assert {r[2] for r in by_slug["data_permissions"][1:]} <= {
        "本人",
        "本部门",
        "本部门及下属部门",
        "全公司",
    }
    assert {r[3] for r in by_slug["data_permissions"][1:]} <= {"是", "否"}
    for role, _obj, _api, _name, field_id, access in by_slug["field_permissions"][1:]:
        resource = next(r for r, res in model.resources.items() if field_id in res.fields)
        granted = model.field_access(role, resource, field_id)
        assert access == {"none": "不可见", "read": "只读", "edit": "读写"}[granted]


def test_objects_and_fields_are_named_by_the_settings_else_by_fxiaoke() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Names"},
            "resources": {
                "opportunity": {
                    "name": "Deal",
                    "fields": {"margin": {"name": "M", "restricted": True}},
                },
                "lead": {"name": "Lead"},
                "widget": {
                    "name": "Widget",
                    "fields": {"colour": {"name": "C", "restricted": True}},
                },
            },
            "roles": {
                "rep": {
                    "grants": {"*": {"read": "own"}},
                    "fields": {"opportunity": {"margin": "edit"}, "widget": {"colour": "read"}},
                }
            },
            "people": {"ann": {"roles": ["rep"]}},
            "settings": {
                "export": {
                    "fxiaoke": {
                        "objects": {"opportunity": "OpportunityObj"},
                        "fields": {"opportunity": {"margin": "field_margin__c"}},
                    }
                }
            },
        }
    )
    files = harness.render(model)
    objects = {row[2]: row[0] for row in _csv_rows(files["workbook/objects.csv"])[1:]}
    assert objects == {"opportunity": "OpportunityObj", "lead": "LeadsObj", "widget": "widget__c"}
    fields = {(r[1], r[2], r[5]) for r in _csv_rows(files["workbook/field_permissions.csv"])[1:]}
    assert fields == {
        ("OpportunityObj", "field_margin__c", "读写"),
        ("widget__c", "colour__c", "只读"),
    }
    assert harness.unexplained(model, files) == []
    assert harness.mismatches(model, harness.simulator(files)) == []


def test_the_workbook_has_no_volatile_metadata() -> None:
    files = harness.render(crmorg.load(FIXTURES / "small"))
    content = files[harness.WORKBOOK]
    assert isinstance(content, bytes)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core and core.count("1980-01-01") == 2


@pytest.mark.parametrize("path", [REFERENCE, FIXTURES / "small"], ids=lambda p: p.name)
def test_two_renders_are_byte_identical(path: Path) -> None:
    for data_range in ("narrowest", "widest"):
        first = harness.render(crmorg.load(path), data_range)
        assert first == harness.render(crmorg.load(path), data_range)


def test_renders_in_two_processes_with_other_hash_seeds_are_identical(tmp_path: Path) -> None:
    script = (
        "import sys, crmorg; from crmorg.export import EXPORTERS; "
        "files = EXPORTERS['fxiaoke'].render(crmorg.load(sys.argv[1])); "
        "import hashlib; print(sorted((n, hashlib.sha256(c if isinstance(c, bytes) "
        "else c.encode()).hexdigest()) for n, c in files.items()))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(FIXTURES / "small")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and "fxiaoke-configuration.xlsx" in outputs[0]


# Decisions ---------------------------------------------------------------------------
@pytest.mark.parametrize("data_range", ["narrowest", "widest"])
@pytest.mark.parametrize("path", [FIXTURES / "small", LOSSY], ids=lambda p: p.name)
def test_the_simulator_differs_from_decide_only_where_a_loss_says(
    path: Path, data_range: str
) -> None:
    model = crmorg.load(path)
    files = harness.render(model, data_range)
    found = harness.mismatches(model, harness.simulator(files))
    assert found, "these models lose something in Fxiaoke"
    assert harness.unexplained(model, files) == []


@pytest.mark.parametrize("data_range", ["narrowest", "widest"])
def test_every_listed_loss_is_real(lossy: Model, data_range: str) -> None:
    files = harness.render(lossy, data_range)
    found = harness.mismatches(lossy, harness.simulator(files))
    listed = harness.losses(files)
    assert {loss["construct"] for loss in listed} >= {"scope", "sharing-rule", "structure"}
    assert {loss["direction"] for loss in listed} == {"over-grants", "under-grants"}
    for loss in listed:
        assert loss["people"], loss
        assert any(harness.explains(loss, m) for m in found), loss


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_generated_models_differ_only_by_the_listed_losses(model: Model) -> None:
    for data_range in ("narrowest", "widest"):
        files = harness.render(model, data_range)
        assert harness.unexplained(model, files) == []
        # What is carried exactly is exact: a model without losses decides the same.
        if not harness.losses(files):
            assert harness.mismatches(model, harness.simulator(files)) == []


def test_an_exact_model_exports_without_loss() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Exact"},
            "resources": {"lead": {"name": "Lead", "baseline": {"*": "department"}}},
            "departments": {"hq": {"name": "HQ"}, "east": {"name": "East", "parent": "hq"}},
            "roles": {
                "base": {"abstract": True, "grants": {"lead": {"read": "own"}}},
                "rep": {
                    "inherits": ["base"],
                    "department": "east",
                    "grants": {"lead": {"update": "own"}},
                },
                "boss": {"department": "hq", "grants": {"lead": {"*": "department"}}},
            },
            "people": {
                "ann": {"roles": ["boss"]},
                "bob": {"roles": ["rep"], "reports_to": "ann"},
            },
        }
    )
    files = harness.render(model)
    assert harness.losses(files) == []
    assert harness.mismatches(model, harness.simulator(files)) == []
    assert _json(files, "fidelity.json")["exact"] is True


def test_cycles_are_cut_or_kept_and_what_a_cut_loses_is_listed() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Cycles"},
            "resources": {"lead": {"name": "Lead"}},
            "departments": {"a": {"name": "A", "parent": "b"}, "b": {"name": "B", "parent": "a"}},
            "roles": {
                "rep": {"department": "a", "grants": {"lead": {"read": "subordinates"}}},
                "boss": {"department": "b", "grants": {"lead": {"read": "department"}}},
            },
            "people": {
                "pat": {"roles": ["rep"], "reports_to": "sam"},
                "sam": {"roles": ["rep", "boss"], "reports_to": "pat"},
                "kim": {"roles": ["boss"]},
            },
        }
    )
    files = harness.render(model)
    steps = [s["call"] for s in _json(files, "plan.json")["steps"]]
    assert steps.index("department:a") < steps.index("department:b")  # cut above `a`
    (cut,) = [loss for loss in harness.losses(files) if "department cycle" in str(loss["written"])]
    assert cut["direction"] == "under-grants" and cut["people"] == ["kim", "pat", "sam"]
    leaders = _json(files, "openapi/user-leaders.json")["calls"]
    assert {c["id"] for c in leaders} == {"leader:pat", "leader:sam"}  # a reporting cycle is kept
    found = harness.mismatches(model, harness.simulator(files))
    assert found and harness.unexplained(model, files) == []
    assert any(harness.explains(cut, m) for m in found)


# The reference model and the CLI -------------------------------------------------------
def test_the_reference_model_exports_with_the_expected_losses(tmp_path: Path) -> None:
    model = crmorg.load(REFERENCE)
    exported = export_target(model, "fxiaoke", tmp_path / "out")
    assert exported.fidelity is not None
    document = json.loads((tmp_path / "out" / "fidelity.json").read_text(encoding="utf-8"))
    assert document["counts"] == {"over-grants": 0, "under-grants": 130}
    by_kind: dict[str, int] = {}
    for loss in document["losses"]:
        by_kind[loss["construct"]] = by_kind.get(loss["construct"], 0) + 1
    assert by_kind == {"scope": 129, "structure": 1}
    assert document["carried"]["sharing-rule"] == len(model.sharing)
    widest = EXPORTERS["fxiaoke"].rendering(model, {"data-range": "widest"}).fidelity
    assert widest is not None and widest.count(widest.losses[0].direction) > 0
    with pytest.raises(LossyExportError):
        export_target(model, "fxiaoke", tmp_path / "strict", strict=True)


def test_the_reference_model_differs_only_by_its_listed_losses() -> None:
    model = crmorg.load(REFERENCE)
    files = harness.render(model)
    found = harness.mismatches(model, harness.simulator(files), limit=40)
    listed = harness.losses(files)
    assert found and all(any(harness.explains(loss, m) for loss in listed) for m in found)


# Hostile text ------------------------------------------------------------------------
HOSTILE = (
    "Quote \" and ' <b>&amp;</b> ]]>",
    "line\nbreak\r\nand\ttab",
    "=cmd|' /C calc'!A0",
    "+1-2@SUM(A1)",
    "\u202eevil\u200bzero\ufeffbom",
    "销售 代表 ＝1+1",
    "\x1b[31mred\x07 \u2066lri",
)


def _hostile_model() -> Model:
    names = iter(HOSTILE * 4)
    return load_document(
        {
            "version": 1,
            "organization": {"name": next(names)},
            "resources": {
                "lead": {
                    "name": next(names),
                    "fields": {"secret": {"name": next(names), "restricted": True}},
                },
                "quote": {"name": next(names)},
            },
            "departments": {
                "hq": {"name": next(names)},
                "ops": {"name": next(names), "parent": "hq"},
                "ops2": {"name": "ops"},
            },
            "roles": {
                "boss": {
                    "name": next(names),
                    "department": "hq",
                    "grants": {"lead": {"*": "team"}},
                    "fields": {"lead": {"secret": "read"}},
                },
                "worker": {
                    "name": next(names),
                    "department": "ops",
                    "inherits": ["boss"],
                    "grants": {"quote": {"read": "organization"}},
                },
            },
            "teams": {"crew": {"name": next(names), "department": "ops", "lead": "pat"}},
            "people": {
                "pat": {"name": next(names), "roles": ["boss"]},
                "sam": {
                    "name": next(names),
                    "roles": ["worker"],
                    "teams": ["crew"],
                    "reports_to": "pat",
                },
            },
            "sharing": {
                "s": {
                    "resource": "lead",
                    "from": {"team": "crew"},
                    "to": {"role": "boss"},
                    "actions": ["read"],
                }
            },
        }
    )


def test_hostile_names_break_no_file() -> None:
    model = _hostile_model()
    files = harness.render(model)
    for name, content in files.items():
        if isinstance(content, bytes):
            continue
        if name.endswith(".csv"):  # CRLF line ends; a carriage return may sit in a quoted cell
            assert not RAW.search(content.replace("\r", "")), name
        else:
            assert not RAW.search(content), name
        if name.endswith(".json"):
            json.loads(content)
        if name.endswith(".csv"):
            rows = _csv_rows(content)
            assert len({len(r) for r in rows}) == 1, name
            for cell in (c for row in rows for c in row):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    users = _json(files, "openapi/users.json")["calls"]
    assert {c["body"]["user"]["name"] for c in users} <= set(HOSTILE)  # JSON keeps text exact
    sheets = _workbook_rows(files)  # openpyxl reads it back: no illegal character in it
    assert any("'=cmd" in cell for rows in sheets.values() for row in rows for cell in row)
    assert harness.unexplained(model, files) == []
