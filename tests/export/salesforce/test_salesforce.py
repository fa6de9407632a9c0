"""The salesforce target: its files read back by a simulator of Salesforce's record access
decide as the model does, except exactly the losses that fidelity.json lists."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import crmorg
from crmorg.export import EXPORTERS, export_target
from crmorg.export.fidelity import holders
from crmorg.export.salesforce.names import ApiNames, is_api_name, object_names
from crmorg.model import Model

from ..engines import Record
from ..strategies import load_document, models
from .simulator import NS, SOURCE, Org

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "examples" / "reference"
SMALL = ROOT / "tests" / "export" / "fixtures" / "small"
OTHERS = [ROOT / "examples" / "smb", ROOT / "examples" / "vendor-audit", SMALL]
"""The reference model is checked once, from the disk (it takes a few seconds)."""
EXAMPLES = [REFERENCE, *OTHERS]
EXPORTER = EXPORTERS["salesforce"]
RECORD_ACTIONS = ("read", "update", "delete")

Mismatch = tuple[str, str, str, str]
"""(person, resource, action, direction)."""


def render(model: Model, **options: str) -> tuple[dict[str, str | bytes], dict[str, object]]:
    rendering = EXPORTER.rendering(model, options or None)
    files = dict(rendering.files)
    fidelity = json.loads(files["fidelity.json"])
    return files, fidelity


def _direction(model_says: bool) -> str:
    return "under-grants" if model_says else "over-grants"


def mismatches(model: Model, org: Org) -> tuple[set[Mismatch], list[str]]:
    """Every record question on records that name no team or department of their own."""
    found: set[Mismatch] = set()
    shown: list[str] = []
    owners = [*sorted(model.people), None]
    crud = [(r, a) for r in model.resources for a in ("create", "read", "update", "delete")]
    for resource, action in dict.fromkeys([*model.access.catalog.permissions(), *crud]):
        for person in model.people:
            for owner in owners:
                expected = bool(model.decide(person, action, resource, owner))
                if org.decide(person, action, resource, owner) != expected:
                    found.add((person, resource, action, _direction(expected)))
                    shown.append(f"{person} {action} {resource} of {owner}: model {expected}")
    return found, shown


def field_mismatches(model: Model, org: Org) -> set[Mismatch]:
    found: set[Mismatch] = set()
    for resource_id, resource in model.resources.items():
        for field_id in resource.fields:
            for action in ("read", "update"):
                if not model.access.catalog.applies(resource_id, action):
                    continue
                for person in model.people:
                    for owner in [*model.people, None]:
                        expected = bool(
                            model.decide(person, action, resource_id, owner, field=field_id)
                        )
                        got = org.decide_field(person, action, resource_id, owner, field_id)
                        if got != expected:
                            found.add((person, resource_id, action, _direction(expected)))
    return found


def named_mismatches(model: Model, org: Org, default: set[Mismatch]) -> set[tuple[str, str]]:
    """(person, direction) of the questions on records naming a team or a department
    that are not already differences on the owner's own records."""
    found: set[tuple[str, str]] = set()
    shapes = [Record(o, team=t) for o in [*model.people, None] for t in model.teams] + [
        Record(o, department=d) for o in [*model.people, None] for d in model.departments
    ]
    for resource, action in model.access.catalog.permissions():
        if action not in RECORD_ACTIONS:
            continue
        for person in model.people:
            for shape in shapes:
                expected = bool(
                    model.decide(
                        person, action, resource, shape.owner, shape.team, shape.department
                    )
                )
                if org.decide(person, action, resource, shape.owner) == expected:
                    continue
                on_owner = bool(model.decide(person, action, resource, shape.owner))
                if on_owner == expected:
                    continue  # the same question on the owner's records differs already
                found.add((person, _direction(expected)))
    return found


def listed(fidelity: Mapping[str, object]) -> tuple[set[Mismatch], set[tuple[str, str]]]:
    """The differences fidelity.json admits: per (resource, action) losses, and the
    people of the losses about records naming their own team or department."""
    per_permission: set[Mismatch] = set()
    named: set[tuple[str, str]] = set()
    losses = fidelity["losses"]
    assert isinstance(losses, list)
    for loss in losses:
        subject = loss["written"].split(":")[0].split(" ")[0]
        people = loss["people"]
        assert people, f"a loss affecting nobody is not real: {loss}"
        if "." in subject:
            resource, action = subject.split(".", 1)
            per_permission |= {(p, resource, action, loss["direction"]) for p in people}
        else:
            assert loss["construct"] == "structure" and loss["path"] == ["teams"], loss
            named |= {(p, loss["direction"]) for p in people}
    return per_permission, named


def check(model: Model, files: Mapping[str, str | bytes], fidelity: Mapping[str, object]) -> None:
    org = Org(files)
    found, shown = mismatches(model, org)
    fields = field_mismatches(model, org)
    per_permission, named = listed(fidelity)
    unlisted = sorted((found | fields) - per_permission)
    assert not unlisted, (unlisted, shown[:20])
    # Every listed loss is real: each person it names meets it.
    assert per_permission == found, sorted(per_permission - found)
    assert named == named_mismatches(model, org, found)
    counts = fidelity["counts"]
    assert isinstance(counts, dict) and isinstance(fidelity["losses"], list)
    for loss in fidelity["losses"]:  # a loss placed at a role's grant reaches its holders
        if loss["path"][0] == "roles":
            assert set(loss["people"]) <= set(holders(model, [loss["path"][1]])), loss
    assert sum(counts.values()) == len(fidelity["losses"])
    assert fidelity["exact"] is (not fidelity["losses"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_the_simulator_decides_as_the_model_but_for_the_listed_losses(model: Model) -> None:
    files, fidelity = render(model)
    check(model, files, fidelity)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(deep=True))
def test_deep_inheritance_and_reporting_chains(model: Model) -> None:
    """Chains deeper than ten: permission set groups of every inherited set, and a
    role hierarchy as deep as the reporting chain."""
    files, fidelity = render(model)
    check(model, files, fidelity)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_a_flat_hierarchy_loses_exactly_subordinates(model: Model) -> None:
    files, fidelity = render(model, **{"salesforce-hierarchy": "flat"})
    check(model, files, fidelity)
    roles = [p for p in files if p.startswith(f"{SOURCE}roles/")]
    assert len(roles) == 1 and not _text(files[roles[0]], "m:parentRole")
    reporting = any(model.org.reports(p) for p in model.people)
    carried = [str(x["carried"]) for x in fidelity["losses"] if x["direction"] == "under-grants"]
    if not reporting:
        assert not any("flat" in c for c in carried)


def _text(content: str | bytes, path: str) -> str:
    root = etree.fromstring(content.encode() if isinstance(content, str) else content)
    found = root.find(path, NS)
    return (found.text or "") if found is not None else ""


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: p.name)
def test_the_examples_decide_as_the_model_but_for_the_listed_losses(path: Path) -> None:
    model = crmorg.load(path)
    files, fidelity = render(model)
    check(model, files, fidelity)


def test_the_reference_model_from_the_files_on_disk(tmp_path: Path) -> None:
    """The reference model exported by export_target, read back from the disk: its
    expected loss summary, and what the losses are about."""
    model = crmorg.load(REFERENCE)
    exported = export_target(model, "salesforce", tmp_path / "out")
    files = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    fidelity = json.loads(files["fidelity.json"])
    check(model, files, fidelity)
    assert exported.fidelity is not None
    assert fidelity["counts"] == {"over-grants": 113, "under-grants": 4}
    constructs: dict[str, int] = {}
    for loss in fidelity["losses"]:
        constructs[loss["construct"]] = constructs.get(loss["construct"], 0) + 1
    assert constructs == {"grant": 1, "scope": 101, "structure": 15}
    assert "117 loss(es): 113 over-grant, 4 under-grant" in exported.fidelity.summary()
    # Each loss about a grant is placed at the grant (file and line), not at its resource.
    placed = [x for x in fidelity["losses"] if x["construct"] in ("grant", "scope")]
    assert all(x["path"][0] == "roles" and x["source"].startswith("roles/") for x in placed)
    carried = fidelity["carried"]
    assert carried["baseline"] == 2 and carried["sharing-rule"] == 1
    assert len(fidelity["manual"]) >= 3


def test_two_renders_are_byte_identical() -> None:
    model = crmorg.load(REFERENCE)
    first, _ = render(model)
    second, _ = render(crmorg.load(REFERENCE))
    assert first == second
    assert list(first) == sorted(first)


def test_renders_in_processes_with_other_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    """Nothing depends on the order of a set: two processes, two hash seeds, one output."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
        argv = [sys.executable, "-m", "crmorg", "export", str(SMALL), "-t", "salesforce"]
        subprocess.run([*argv, "-o", str(out)], check=True, env=env, capture_output=True)
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10


def test_the_files_are_what_the_exporter_declares() -> None:
    files, _ = render(crmorg.load(SMALL))
    top = {path.split("/")[0] for path in files}
    assert top == {*EXPORTER.files, *EXPORTER.directories}


def test_the_hierarchy_option_is_a_cli_flag(tmp_path: Path) -> None:
    from crmorg.cli.main import main

    out = tmp_path / "out"
    argv = ["export", str(SMALL), "-t", "salesforce", "-o", str(out)]
    assert main([*argv, "--salesforce-hierarchy", "flat"]) == 0
    assert [p.name for p in (out / SOURCE / "roles").iterdir()] == ["Crm_Staff.role-meta.xml"]
    with pytest.raises(SystemExit):  # not one of the values: a usage error
        main([*argv, "--salesforce-hierarchy", "tree"])


def test_object_permissions_hold_what_salesforce_requires() -> None:
    """Create, Edit and View All need Read; Delete needs Edit; Modify All needs all."""
    for path in EXAMPLES:
        files, _ = render(crmorg.load(path))
        org = Org(files)
        for ps in org.sets.values():
            for flags in ps.objects.values():
                if flags["allowCreate"] or flags["allowEdit"] or flags["viewAllRecords"]:
                    assert flags["allowRead"]
                if flags["allowDelete"]:
                    assert flags["allowEdit"]
                if flags["modifyAllRecords"]:
                    assert all(flags.values()) or not flags["allowCreate"]
                    assert flags["allowDelete"] and flags["viewAllRecords"]
            for readable, editable in ps.fields.values():
                assert readable or not editable


HOSTILE_NAMES = [
    'Say "hi" <b>&amp; ]]> </b>',
    "line one\nline two\r\n",
    "=cmd|' /C calc'!A0",
    "+1-2",
    "@SUM(A1)",
    "\u202eevil\u200b zero\u2066width",
    "销售代表",
    "esc\x1b[31m bell\x07",
    "tab\there",
]


def _hostile_model() -> Model:
    names = iter(HOSTILE_NAMES * 4)
    return load_document(
        {
            "version": 1,
            "organization": {"name": next(names)},
            "actions": ["refund"],
            "resources": {
                "lead": {
                    "name": next(names),
                    "actions": ["create", "read", "update", "delete", "refund"],
                    "fields": {
                        "plain": {"name": next(names)},
                        "secret": {"name": next(names), "restricted": True},
                    },
                },
                "a__b_": {"name": next(names), "baseline": {"read": "organization"}},
                "x" * 60: {"name": next(names)},
            },
            "departments": {"d": {"name": next(names)}},
            "roles": {
                "boss": {
                    "name": next(names),
                    "description": next(names),
                    "department": "d",
                    "grants": {"*": {"*": "team"}},
                    "fields": {"lead": {"secret": "edit"}},
                },
                "r__": {
                    "name": next(names),
                    "inherits": ["boss"],
                    "grants": {"lead": {"refund": "own"}},
                },
            },
            "teams": {"t": {"name": next(names), "lead": "p1"}},
            "people": {
                "p1": {"name": next(names), "roles": ["boss"]},
                "p2": {
                    "name": next(names),
                    "roles": ["r__"],
                    "reports_to": "p1",
                    "email": "a@example.com",
                },
            },
            "sharing": {
                "s": {
                    "resource": "lead",
                    "from": {"team": "t"},
                    "to": {"role": "r__"},
                    "actions": ["read", "delete"],
                    "name": next(names),
                }
            },
        }
    )


def test_hostile_names_break_no_file() -> None:
    model = _hostile_model()
    assert not crmorg.validate(model).errors
    files, fidelity = render(model)
    check(model, files, fidelity)
    for path, content in files.items():
        text = content if isinstance(content, str) else content.decode("utf-8")
        assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text, path
        if path.endswith(".xml"):
            etree.fromstring(text.encode())  # well-formed
        elif path.endswith(".json"):
            json.loads(text)
        elif path.endswith(".csv"):
            for row in csv.reader(io.StringIO(text, newline="")):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
    labels = [_text(files[p], "m:label") for p in files if p.startswith(f"{SOURCE}permissionsets/")]
    assert 'Say "hi" <b>&amp; ]]> </b>' in labels  # kept, escaped by the serializer
    users = list(csv.DictReader(io.StringIO(str(files["data/User.csv"]), newline="")))
    by_person = {row["FederationIdentifier"]: row for row in users}
    assert by_person["p1"]["Name"] == "'=cmd|' /C calc'!A0"  # the formula guard
    assert by_person["p2"]["Name"] == "'+1-2" and by_person["p2"]["Email"] == "a@example.com"
    assert any("\\x1b[31m" in label for label in labels)  # shown, not raw
    names = [
        path.rsplit("/", 1)[-1].split(".")[0]
        for path in files
        if path.startswith(SOURCE) and path.endswith("-meta.xml")
    ]
    for name in names:
        stem = name.removesuffix("__c")
        assert is_api_name(stem), name


def test_api_names_are_valid_distinct_and_short() -> None:
    names = ApiNames(40)
    taken = [names.take(w) for w in ["a__b_", "a_b", "A_B", "9x", "x" * 80, "x" * 80, "_"]]
    assert len({t.lower() for t in taken}) == len(taken)
    assert all(is_api_name(t) and len(t) <= 40 for t in taken), taken
    objects = object_names(
        ["account", "a_1", "a1", "case", "service_case", "thing"], {"thing": "Account"}
    )
    assert objects["account"] == "Account" and objects["case"] == "Case"
    assert objects["service_case"].endswith("__c")  # Case serves one resource
    assert objects["thing"].endswith("__c")  # Account is taken
    assert len(set(objects.values())) == len(objects)


def test_settings_rename_objects_and_fields() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Acme"},
            "settings": {
                "export": {
                    "salesforce": {
                        "objects": {
                            "deal": "Opportunity",
                            "other": "Opportunity",
                            "bad": "No__Good",
                        },
                        "fields": {"deal": {"amount": "Amount"}},
                    }
                }
            },
            "resources": {
                "deal": {"name": "Deal", "fields": {"amount": {"name": "Amount"}}},
                "other": {"name": "Other"},
                "bad": {"name": "Bad"},
            },
            "roles": {"rep": {"grants": {"deal": {"read": "own"}}}},
            "people": {"p": {"roles": ["rep"]}},
        }
    )
    files, fidelity = render(model)
    check(model, files, fidelity)
    assert f"{SOURCE}objects/Opportunity/Opportunity.object-meta.xml" in files
    assert not any("/fields/" in p for p in files)  # a standard field is not defined
    assert "<field>Opportunity.Amount</field>" in str(
        files[f"{SOURCE}permissionsets/Crm_Rep.permissionset-meta.xml"]
    )
    (step,) = [s for s in fidelity["manual"] if "settings.export.salesforce" in str(s)]
    assert "objects.bad: No__Good (used Bad__c)" in str(step)
    assert "objects.other: Opportunity (used Other__c)" in str(step)


def _losses(fidelity: Mapping[str, object]) -> Iterable[Mapping[str, object]]:
    losses = fidelity["losses"]
    assert isinstance(losses, list)
    return losses


def test_a_reporting_cycle_is_an_under_grant_of_subordinates() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Acme"},
            "resources": {"lead": {"name": "Lead"}},
            "roles": {"m": {"grants": {"lead": {"read": "subordinates"}}}},
            "people": {
                "a": {"roles": ["m"], "reports_to": "b"},
                "b": {"roles": ["m"], "reports_to": "a"},
            },
        }
    )
    files, fidelity = render(model)
    check(model, files, fidelity)
    (loss,) = [x for x in _losses(fidelity) if x["direction"] == "under-grants"]
    assert loss["written"] == "lead.read at subordinates"
    assert "cycle" in str(loss["carried"])
    assert any("reports_to of b" in str(step) for step in fidelity["manual"])
