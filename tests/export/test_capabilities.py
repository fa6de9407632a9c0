"""What each target declares it can express, and the one error it refuses the rest with."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import (
    EXPORTERS,
    Capabilities,
    Construct,
    Exporter,
    UnsupportedModelError,
    render_target,
)
from crmorg.export import capabilities as capabilities_module
from crmorg.export.capabilities import CONSTRUCTS, Use
from crmorg.model import Model

from .conftest import FIXTURES

CYCLIC = """\
version: 1
organization: {name: Cycles}
resources: {lead: {}}
departments:
  a: {name: A, parent: b}
  b: {name: B, parent: a}
roles:
  x: {inherits: [y], grants: {lead: {read: team}}}
  y:
    inherits: [x]
people:
  boss: {roles: [x]}
"""


@pytest.fixture
def cyclic(tmp_path: Path) -> Model:
    (tmp_path / "model.yaml").write_text(CYCLIC, encoding="utf-8")
    return crmorg.load(tmp_path)


def test_every_target_is_the_package_of_its_name() -> None:
    """Adding a target is a package named like it with an EXPORTER, and a registry line."""
    for name, exporter in EXPORTERS.items():
        assert importlib.import_module(f"crmorg.export.{name}").EXPORTER is exporter, name


def test_a_refusal_names_the_construct_and_where_it_is_written(cyclic: Model) -> None:
    with pytest.raises(UnsupportedModelError) as refused:
        render_target(cyclic, "cedar", force=True)
    problems = refused.value.problems
    assert [p.construct for p in problems] == ["inheritance-cycle", "department-cycle"]
    assert [p.location for p in problems] == ["model.yaml:8", "model.yaml:5"]
    assert "inheritance cycle x -> y" in problems[0].message
    assert refused.value.target == "cedar"
    assert str(problems[0]).startswith("model.yaml:8: inheritance-cycle: ")
    assert "the cedar target cannot express 2 thing(s)" in str(refused.value)


def test_casbin_refuses_an_id_shared_by_a_person_and_a_role(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "version: 1\norganization: {name: X}\nresources: {lead: {}}\n"
        "roles: {boss: {grants: {lead: {read: own}}}}\npeople: {boss: {roles: [boss]}}\n",
        encoding="utf-8",
    )
    model = crmorg.load(tmp_path)
    with pytest.raises(UnsupportedModelError) as refused:
        render_target(model, "casbin")
    (problem,) = refused.value.problems
    assert (problem.construct, problem.location) == ("shared-person-role-id", "model.yaml:5")
    assert "Casbin names roles and people by bare id" in problem.message
    for target in sorted(set(EXPORTERS) - {"casbin"}):
        render_target(model, target)


def test_the_command_prints_the_refusal_like_findings(
    cyclic: Model, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cyclic.root is not None
    out = tmp_path / "out"
    code = main(["export", str(cyclic.root), "-t", "cedar", "-o", str(out), "--force"])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "\n  model.yaml:8: inheritance-cycle: inheritance cycle x -> y; Cedar's" in err


def _everywhere(model: Model) -> Iterator[Use]:
    yield Use(("organization",), "a construct from a later version")


def test_a_new_construct_is_refused_until_a_target_declares_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """How v1.1's constructs plug in: one Construct, and one flag in each target."""
    model = crmorg.load(FIXTURES / "small")
    later = Construct("later-construct", "something a later format says", _everywhere)
    monkeypatch.setattr(capabilities_module, "CONSTRUCTS", (*CONSTRUCTS, later))
    for target in EXPORTERS:
        with pytest.raises(UnsupportedModelError, match="later-construct"):
            render_target(model, target)
    rego = EXPORTERS["rego"]
    expresses = rego.capabilities.expresses | {later}
    monkeypatch.setitem(
        EXPORTERS,
        "rego",
        replace(rego, capabilities=replace(rego.capabilities, expresses=expresses)),
    )
    assert set(render_target(model, "rego")) == set(rego.files)


def test_a_registered_target_is_a_choice_of_the_command_and_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def render(model: Model) -> dict[str, str]:
        return {"roles.txt": "".join(f"{role}\n" for role in sorted(model.roles))}

    demo = Exporter("demo", "role ids, one a line", ("roles.txt",), render, Capabilities())
    monkeypatch.setitem(EXPORTERS, "demo", demo)
    small = str(FIXTURES / "small")
    assert main(["export", small, "--target", "demo", "--out", str(tmp_path / "a")]) == 0
    assert "wrote demo export: 1 file(s)" in capsys.readouterr().out
    model = crmorg.load(FIXTURES / "small")
    (written,) = crmorg.export(model, "demo", tmp_path / "b")
    assert written.read_text(encoding="utf-8").splitlines() == sorted(model.roles)
