"""HR exports in a model directory: loaded with the YAML, with findings at their cells."""

from __future__ import annotations

from pathlib import Path

import crmorg
from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.lint.engine import run

MODEL = """\
version: 1
organization: {name: HR Test}
resources:
  lead: {name: Lead}
departments:
  sales: {name: Sales, head: sales_rep}
roles:
  sales_rep:
    department: sales
    grants: {lead: {"*": own}}
responsibilities:
  sell: {accountable: sales_rep, responsible: [sales_rep], requires: {lead: {read: own}}}
"""


def _model(tmp_path: Path, people_csv: str, teams_csv: str | None = None) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL, encoding="utf-8")
    hr = tmp_path / "hr"
    hr.mkdir()
    (hr / "people.csv").write_text(people_csv, encoding="utf-8")
    if teams_csv is not None:
        (hr / "teams.csv").write_text(teams_csv, encoding="utf-8")
    return tmp_path


def test_people_and_teams_come_from_csv(tmp_path: Path) -> None:
    path = _model(
        tmp_path,
        "id,name,name_zh,roles,teams,reports_to\n"
        "li_na,Li Na,李娜,sales_rep,east,\n"
        "wang_fang,Wang Fang,王芳,sales_rep;sales_rep,east,li_na\n",
        "id,name,department,lead\neast,East,sales,li_na\n",
    )
    model = crmorg.load(path)
    assert model.people["li_na"].name == {"en": "Li Na", "zh": "李娜"}
    assert model.people["wang_fang"].reports_to == "li_na"
    assert model.teams["east"].lead == "li_na"
    decision = model.decide("wang_fang", "read", "lead", owner="li_na")
    assert decision.required.label == "team"


def test_unknown_role_in_a_cell_is_reported_at_that_cell(tmp_path: Path) -> None:
    path = _model(tmp_path, "id,name,roles\nli_na,Li Na,sales_rep\nbo,Bo,sales_rep|seller\n")
    report = run(load_partial(path))
    [finding] = report.by_rule("unknown-reference")
    assert finding.file.endswith("hr/people.csv")
    assert (finding.line, finding.column) == (3, 7)
    assert finding.subjects == ("bo", "seller")


def test_an_id_in_csv_and_yaml_is_a_duplicate_naming_both(tmp_path: Path) -> None:
    path = _model(tmp_path, "id,name,roles\nli_na,Li Na,sales_rep\n")
    (tmp_path / "people.yaml").write_text(
        "people:\n  li_na: {name: Li Na, roles: [sales_rep]}\n", encoding="utf-8"
    )
    report = run(load_partial(path))
    [finding] = report.by_rule("duplicate-id")
    assert finding.subjects == ("li_na",)
    # hr/people.csv sorts before people.yaml: the YAML definition is the second one
    assert finding.file.endswith("people.yaml") and "hr/people.csv:2" in finding.message


def test_cli_validates_a_directory_with_hr_exports(tmp_path: Path, capsys: object) -> None:
    path = _model(tmp_path, "id,name,roles\nli_na,Li Na,sales_rep\n")
    assert main(["validate", str(path)]) == 0
