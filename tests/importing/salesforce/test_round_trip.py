"""Export with the salesforce target, import the files back: the imported model decides
as the original on every person x action x resource x record shape, except exactly the
differences the export's fidelity.json lists, and as the simulator of Salesforce does."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.salesforce.plan import build_plan
from crmorg.importing import read, write_imported
from crmorg.model import Model
from export.salesforce.simulator import Org
from export.salesforce.test_salesforce import (
    OTHERS,
    REFERENCE,
    SMALL,
    field_mismatches,
    listed,
    mismatches,
    named_mismatches,
)
from export.strategies import load_document, models

EXPORTER = EXPORTERS["salesforce"]


class Imported:
    """The imported model, asked the simulator's questions (an action that does not
    apply to a resource of the imported model is refused)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def decide(self, user: str, action: str, resource: str, owner: str | None) -> bool:
        if resource not in self.model.resources or not self.model.access.catalog.applies(
            resource, action
        ):
            return False
        return bool(self.model.decide(user, action, resource, owner))

    def decide_field(
        self, user: str, action: str, resource: str, owner: str | None, field_id: str
    ) -> bool:
        if resource not in self.model.resources or not self.model.access.catalog.applies(
            resource, action
        ):
            return False
        if field_id not in self.model.resources[resource].fields:
            return False
        return bool(self.model.decide(user, action, resource, owner, field=field_id))


def write(files: Mapping[str, str | bytes], root: Path) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def round_trip(model: Model, tmp: Path, **options: str) -> tuple[Model, dict[str, object]]:
    rendering = EXPORTER.rendering(model, options or None)
    files = dict(rendering.files)
    fidelity = json.loads(files["fidelity.json"])
    project = write(files, tmp / "project")
    imported = read("salesforce", project)
    # crmorg's own export holds nothing the import cannot carry.
    assert not imported.findings, [f.message for f in imported.findings]
    write_imported(imported, tmp / "model", force=True)
    # The document as JSON (every string quoted): model.yaml's writer (the import
    # plumbing's) leaves a name such as `0E0` plain, which the YAML 1.2 loader reads as
    # a number; the fixtures and the examples load model.yaml itself.
    back = load_document(json.loads(json.dumps(imported.document)))
    # The imported people and roles are the original's: crmorg's mapping names them.
    assert set(back.people) == set(model.people)
    errors = [f for f in crmorg.validate(back).findings if f.severity.name == "ERROR"]
    assert not errors, [(f.rule, f.message) for f in errors]
    simulated = Org(files)
    got, shown = mismatches(model, Imported(back))
    per_permission, named = listed(fidelity)
    fields = field_mismatches(model, Imported(back))
    assert not (got | fields) - per_permission, (sorted((got | fields) - per_permission), shown)
    # And exactly the simulator's decisions: the same differences, person by person.
    assert got == mismatches(model, simulated)[0]
    assert fields == field_mismatches(model, simulated)
    assert named_mismatches(model, Imported(back), got) == named
    return back, fidelity


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(models())
def test_export_then_import_gives_back_the_decisions_but_the_listed_losses(
    tmp_path_factory: pytest.TempPathFactory, model: Model
) -> None:
    round_trip(model, tmp_path_factory.mktemp("rt"))


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(models())
def test_a_flat_hierarchy_round_trips_too(
    tmp_path_factory: pytest.TempPathFactory, model: Model
) -> None:
    back, _ = round_trip(model, tmp_path_factory.mktemp("flat"), **{"salesforce-hierarchy": "flat"})
    assert not any(p.reports_to for p in back.people.values())


@pytest.mark.parametrize("path", [REFERENCE, *OTHERS], ids=lambda p: p.name)
def test_the_examples_and_the_small_fixture(path: Path, tmp_path: Path) -> None:
    model = crmorg.load(path)
    back, _ = round_trip(model, tmp_path)
    from_yaml = crmorg.load(tmp_path / "model")
    assert set(from_yaml.roles) == set(back.roles) and set(from_yaml.people) == set(back.people)
    assert set(back.roles) >= {r for r in model.roles if not model.roles[r].abstract}
    dropped = set(build_plan(model).dropped_reporting)  # a cycle the hierarchy cannot hold
    for person in model.people:  # the reporting lines come back from the role hierarchy
        manager = model.people[person].reports_to
        if manager in model.people and person not in dropped:
            assert back.people[person].reports_to == manager, person


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(models(deep=True))
def test_deep_inheritance_and_reporting_chains_round_trip(
    tmp_path_factory: pytest.TempPathFactory, model: Model
) -> None:
    round_trip(model, tmp_path_factory.mktemp("deep"))


def test_a_retrieved_project_without_crmorg_s_mapping(tmp_path: Path) -> None:
    """What `sf project retrieve start` gives back of an export has no
    crmorg-mapping.json: ids come from the API names, and the decisions stay."""
    model = crmorg.load(SMALL)
    files = dict(EXPORTER.rendering(model, None).files)
    simulated = Org(files)
    del files["data/crmorg-mapping.json"]
    imported = read("salesforce", write(files, tmp_path / "project"))
    back = load_document(json.loads(json.dumps(imported.document)))
    objects = {r: e["object"] for r, e in simulated.mapping["objects"].items()}
    # Each resource comes from its object's folder: objects/<Object>/<Object>.object-meta.xml.
    resource_of = {
        origin.split("/")[-2]: resource
        for (section, resource), origin in imported.origins.items()
        if section == "resources"
    }
    assert sorted(resource_of) == sorted(set(objects.values()))
    assert "crm_sales_rep" in back.roles  # the permission set's API name
    for original, api in objects.items():
        for action in ("create", "read", "update", "delete"):
            for person in model.people:
                for owner in [*model.people, None]:
                    assert Imported(back).decide(
                        person, action, resource_of[api], owner
                    ) == simulated.decide(person, action, original, owner), (
                        person,
                        action,
                        api,
                        owner,
                    )
