"""A model's process as swimlanes: lanes per role or department, RACI notes, the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.charts.swimlane_process import UnknownProcessError, process_swimlane
from crmorg.cli.main import main
from crmorg.model import Model

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "docs" / "fixtures" / "processes" / "processes.yaml"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference model with the fixture's processes instead of its own (stable cases)."""
    target = tmp_path_factory.mktemp("swimlane") / "reference"
    shutil.copytree(REPO / "examples" / "reference", target)
    shutil.copy(FIXTURE, target / "processes.yaml")
    return target


@pytest.fixture(scope="module")
def model(model_dir: Path) -> Model:
    return load(model_dir)


def test_lanes_per_role_put_a_step_in_its_first_responsible_roles_lane(model: Model) -> None:
    chart = process_swimlane(model, "complaint_handling")
    assert chart.title == "Complaint handling"
    assert [lane.id for lane in chart.lanes] == ["customer_service_rep", "technical_support"]
    lanes = {box.id: box.lane for box in chart.boxes}
    assert lanes["resolve_service"] == "customer_service_rep"
    assert lanes["resolve_technical"] == "technical_support"
    notes = {box.id: box.notes for box in chart.boxes}
    # The other Responsible role is named; A, C and I are shown by name.
    assert notes["resolve_service"] == (
        "R: Customer Service Representative, Sales Representative",
        "A: Customer Service Manager",
    )
    assert notes["classify"] == ("A: Customer Service Manager", "C: Product Manager")
    kinds = {box.id: box.kind for box in chart.boxes}
    assert kinds["classify"] == "decision" and kinds["resolve_technical"] == "decision"
    assert kinds["follow_up"] == "end" and kinds["reply"] == "step"
    edges = [(e.source, e.target, e.back) for e in chart.edges]
    assert ("resolve_technical", "classify", True) in edges
    assert ("reply", "follow_up", False) in edges  # the default next: the following step
    assert sum(back for *_, back in edges) == 1


def test_lanes_per_department_and_chinese_names(model: Model) -> None:
    chart = process_swimlane(model, "monthly_reporting", "department", "zh")
    assert chart.title == "CRM 月度报告"
    assert [lane.id for lane in chart.lanes] == ["crm"]
    assert all(box.lane == "crm" for box in chart.boxes)
    # Lanes per department say nothing about roles, so R is always shown.
    assert chart.boxes[0].label == "提取数据"
    assert chart.boxes[0].notes[0].startswith("R: ")


def test_unknown_process_names_the_known_ones(model: Model) -> None:
    with pytest.raises(UnknownProcessError, match="complaint_handling, monthly_reporting"):
        process_swimlane(model, "nope")
    with pytest.raises(ValueError, match="unknown lanes"):
        process_swimlane(model, "complaint_handling", "team")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "svg", "html"])
def test_cli_draws_a_process_in_every_format(
    model_dir: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["chart", str(model_dir), "--view", "process", "--process", "complaint_handling"]
    assert main([*args, "--format", fmt]) == 0
    out = capsys.readouterr().out
    start = {"mermaid": "---", "dot": "digraph", "svg": "<?xml", "html": "<!DOCTYPE html>"}[fmt]
    assert out.startswith(start) and "Collect the feedback" in out


def test_cli_errors_name_the_processes(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["chart", str(model_dir), "--view", "process"]
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "needs --process ID" in err and "complaint_handling, monthly_reporting" in err
    assert main([*base, "--process", "complaint_handlin"]) == 2
    err = capsys.readouterr().err
    assert "complaint_handling" in err and "Traceback" not in err
    assert main(["chart", str(model_dir), "--lanes", "department"]) == 2
    assert "--lanes goes with --view process" in capsys.readouterr().err
    target = tmp_path / "lanes.svg"
    assert main([*base, "--process", "monthly_reporting", "--lanes", "department",
                 "--lang", "zh", "--format", "svg", "--out", str(target)]) == 0  # fmt: skip
    svg = target.read_text(encoding="utf-8")
    assert "循环返回" not in svg  # no loop, so no loop in the legend
    assert ">CRM部</tspan>" in svg and "分支" not in svg


def test_cli_draws_the_only_process_without_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.yaml").write_text(
        "organization: {name: T}\nroles:\n  rep: {}\n"
        "processes:\n  one:\n    steps:\n      - {id: a, responsible: [rep]}\n",
        encoding="utf-8",
    )
    assert main(["chart", str(tmp_path), "--view", "process", "--format", "dot"]) == 0
    assert 'id="s-a"' in capsys.readouterr().out


def test_steps_without_a_responsible_role_or_department_get_a_lane_of_their_own(
    tmp_path: Path,
) -> None:
    (tmp_path / "model.yaml").write_text(
        "organization: {name: T}\nroles:\n  rep: {}\n  boss: {}\n"
        "processes:\n  p:\n    steps:\n"
        "      - {id: a, responsible: [rep]}\n"
        "      - {id: b, accountable: boss}\n"
        "      - {id: c}\n",
        encoding="utf-8",
    )
    model = load(tmp_path)  # validation would report b and c; the chart still draws
    by_role = process_swimlane(model, "p")
    assert [(box.id, box.lane) for box in by_role.boxes] == [
        ("a", "rep"),
        ("b", "boss"),
        ("c", "(unassigned)"),
    ]
    assert by_role.lanes[-1].label == "(no Responsible role)"
    by_department = process_swimlane(model, "p", "department", "zh")
    assert [lane.label for lane in by_department.lanes] == ["（未归属部门）", "（无执行角色）"]
