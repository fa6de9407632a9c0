"""Every finding points at ``file:line:column`` of the offending node, in every file.

Also: the directory loading order, and the JSON report's shape (format-v1 section 5).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crmorg
from crmorg.api import load_partial
from crmorg.lint.rules.rules_not_run import NEEDS_THE_WHOLE_MODEL

from .helpers import HEAD, at, cli, load_error, load_findings, write

SCHEMA_CASES = {
    # name: (body after HEAD, line, column, message fragment)
    "bad scope in a block grant": (
        "resources: {lead: {}}\nroles:\n  rep:\n    grants:\n      lead:\n        read: galaxy\n",
        8,
        15,
        '`grants.lead.read` is "galaxy"',
    ),
    "bad scope in a flow grant": (
        "resources: {lead: {}}\nroles:\n  rep: {grants: {lead: {read: own, update: all}}}\n",
        5,
        44,
        '`grants.lead.update` is "all"',
    ),
    "invalid action key in a grant points at the key": (
        "resources: {lead: {}}\nroles:\n  rep: {grants: {lead: {read: own, Update: own}}}\n",
        5,
        36,
        '`grants.lead.Update` is "Update", which is not a valid id',
    ),
    "invalid resource key in a grant points at the key": (
        "roles:\n  rep:\n    grants:\n      Lead: {read: own}\n",
        6,
        7,
        '`grants.Lead` is "Lead", which is not a valid id',
    ),
    "unknown field points at its key": (
        "roles:\n  rep:\n    name: Rep\n    inherit: [x]\n",
        6,
        5,
        "unknown field `inherit` (did you mean `inherits`?)",
    ),
    "unknown field of a nested object": (
        "settings:\n  waivers:\n    - {rule: schema, reason: ok, subject: [x]}\n",
        5,
        34,
        "unknown field `subject`",
    ),
    "missing required field points at the entity": (
        "departments:\n  sales:\n    parent: management\n  management: {name: M}\n",
        4,
        3,
        "department `sales`: `name` is required",
    ),
    "missing required field of a flow entity": (
        "departments: {management: {head: ceo}}\n",
        3,
        15,
        "`name` is required",
    ),
    "missing required field of a constraint": (
        "constraints:\n  - kind: exclusive_roles\n    roles: [a, b]\n",
        4,
        5,
        "`id` is required",
    ),
    "wrong type in a list item": (
        "roles:\n  a: {}\npeople:\n  p:\n    roles:\n      - a\n      - 42\n",
        9,
        9,
        "`roles.1` is the number `42`",
    ),
    "bad enum value in a KPI": (
        "kpis:\n  k:\n    unit: percent\n    direction: up\n",
        6,
        16,
        '`direction` is "up"',
    ),
    "a mapping where text is expected": (
        "roles:\n  a:\n    name: [Sales]\n",
        5,
        11,
        "expected text, or a mapping from language to text",
    ),
    "bad locale key in a translated name points at the key": (
        "roles:\n  a:\n    name: {en: Sales, Chinese: 销售}\n",
        5,
        23,
        '`name.Chinese` is "Chinese", which is not a language code',
    ),
    "empty translation": (
        "roles:\n  a:\n    description: {en: Sales, zh: ''}\n",
        5,
        34,
        '`description.zh` is "": String should have at least 1 character',
    ),
    "bad permission in a constraint": (
        "constraints:\n  - id: c\n    kind: separation_of_duties\n"
        "    permissions: [quote-create, quote:approve]\n",
        6,
        19,
        "which is not a permission: write `resource:action`",
    ),
    "bad rule name in a waiver": (
        "settings:\n  waivers:\n    - rule: Sod_Role_Conflict\n      reason: trusted\n",
        5,
        13,
        "which is not a rule name",
    ),
    "an entity that is not a mapping": ("roles:\n  a: 5\n", 4, 6, "role `a`: the entry is"),
    "a section that is not a mapping": (
        "roles: [a, b]\n",
        3,
        8,
        "`roles` must be a mapping from id to role",
    ),
    "a list section that is a mapping": (
        "constraints: {a: 1}\n",
        3,
        14,
        "`constraints` must be a list of constraints",
    ),
    "constraint of an unknown kind": (
        "constraints:\n  - {id: c, kind: four_eyes}\n",
        4,
        19,
        "`kind` is 'four_eyes'",
    ),
}


@pytest.mark.parametrize("name", list(SCHEMA_CASES))
def test_schema_error_lands_on_the_offending_node(name: str, workdir: Path) -> None:
    body, line, column, says = SCHEMA_CASES[name]
    path = write(workdir / "model.yaml", HEAD + body)
    finding = at(load_error(path), "schema", line, column, says)
    assert finding.file == "model.yaml"


def test_organization_missing_its_name(workdir: Path) -> None:
    path = write(workdir / "model.yaml", "version: 1\norganization:\n  description: x\n")
    at(load_error(path), "schema", 2, 1, "organization: `name` is required")


def test_a_bad_translation_gives_one_finding_not_one_per_alternative(workdir: Path) -> None:
    # `name` is text or a mapping of translations; a mapping with a bad key is not
    # also reported as "not text".
    path = write(workdir / "model.yaml", HEAD + "roles:\n  a: {name: {en: A, EN: B}}\n")
    findings = load_error(path)
    assert [(f.line, f.column) for f in findings] == [(4, 21)]


def test_schema_findings_name_the_entity(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "roles:\n  rep: {grants: {lead: {read: everywhere}}, nmae: x}\n",
    )
    findings = load_error(path)
    assert {f.subjects for f in findings} == {("rep",)}
    assert len(findings) == 2


def test_an_invalid_entity_is_left_out_and_its_references_are_not_unknown(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "resources:\n  lead: {name: Lead}\n"
        "roles:\n  rep: {grants: {lead: {read: everywhere}}}\n"
        "people:\n  ann: {roles: [rep]}\n",
    )
    model = load_partial(path)
    assert "rep" not in model.roles
    assert "ann" in model.people
    report = crmorg.validate(model)
    assert [f.rule for f in report.findings if f.severity is crmorg.Severity.ERROR] == ["schema"]


def test_directory_files_load_in_sorted_recursive_order(workdir: Path) -> None:
    root = workdir / "model"
    write(root / "b.yaml", "roles:\n  b_role: {}\n")
    write(root / "a" / "z.yml", "roles:\n  az_role: {}\n")
    write(root / "a.yaml", HEAD + "roles:\n  a_role: {}\n")
    write(root / "c" / "d" / "e.yaml", "roles:\n  cde_role: {}\n")
    write(root / ".hidden" / "x.yaml", "roles: [broken\n")
    write(root / ".git" / "y.yaml", "roles: [broken\n")
    write(root / ".dotfile.yaml", "roles: [broken\n")
    write(root / "notes.txt", "roles: [broken\n")
    write(root / "README.md", "# roles: [broken\n")
    model = crmorg.load(root)
    assert list(model.roles) == ["a_role", "az_role", "b_role", "cde_role"]
    assert model.source.files == (
        "model/a.yaml",
        "model/a/z.yml",
        "model/b.yaml",
        "model/c/d/e.yaml",
    )


def test_positions_in_a_directory_point_into_the_right_file(workdir: Path) -> None:
    root = workdir / "model"
    write(root / "org.yaml", HEAD + "resources:\n  lead: {}\n")
    write(root / "roles" / "sales.yaml", "roles:\n  rep:\n    grants: {lead: {read: team}}\n")
    write(
        root / "roles" / "service.yaml",
        "# service roles\nroles:\n  agent:\n    name: Agent\n    grants: {lead: {read: anywhere}}\n"
        "  helper:\n    nmae: Helper\n",
    )
    write(root / "people.yaml", "people:\n  ann:\n    roles: [rep]\n    teams: sales\n")
    findings = load_error(root)
    at(findings, "schema", 5, 27, '`grants.lead.read` is "anywhere"')
    at(findings, "schema", 7, 5, "unknown field `nmae`")
    at(findings, "schema", 4, 12, "`teams`")
    files = {f.message.split(":")[0]: f.file for f in findings}
    assert files == {
        "role `agent`": "model/roles/service.yaml",
        "role `helper`": "model/roles/service.yaml",
        "person `ann`": "model/people.yaml",
    }


def test_constraints_from_several_files_keep_their_positions(workdir: Path) -> None:
    root = workdir / "model"
    write(
        root / "a.yaml",
        HEAD + "roles: {r1: {}, r2: {}}\nconstraints:\n  - {id: ok, kind: exclusive_roles, "
        "roles: [r1, r2]}\n",
    )
    write(
        root / "b.yaml",
        "constraints:\n  - id: fine\n    kind: role_cardinality\n    role: r1\n"
        "  - id: bad\n    kind: exclusive_roles\n    roles: [r1]\n",
    )
    findings = load_error(root)
    finding = at(findings, "schema", 7, 12, "constraint `bad`")
    assert finding.file == "model/b.yaml"


def test_unknown_reference_positions_in_several_files(workdir: Path) -> None:
    root = workdir / "model"
    write(root / "a.yaml", HEAD + "roles:\n  rep: {inherits: [employee]}\n")
    write(root / "b.yaml", "people:\n  ann:\n    roles: [rep, manager]\n")
    report = crmorg.validate(crmorg.load(root))
    unknown = [f for f in report.findings if f.rule == "unknown-reference"]
    assert [(f.file, f.line, f.column) for f in unknown] == [
        ("model/a.yaml", 4, 20),
        ("model/b.yaml", 3, 18),
    ]


# The JSON report ----------------------------------------------------------------------
FINDING_KEYS = {
    "rule": str,
    "code": str,
    "severity": str,
    "message": str,
    "file": str,
    "line": int,
    "column": int,
    "subjects": list,
    "waived": bool,
}
EXTENSION_KEYS = {"waiver_reason"}


def _json_report(path: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code, out, err = cli(["validate", path, "--format", "json"], capsys)
    assert err == ""
    return code, json.loads(out)


def _check_shape(report: dict[str, object]) -> None:
    assert set(report) == {"findings", "summary"}
    findings = report["findings"]
    assert isinstance(findings, list)
    for finding in findings:
        assert set(FINDING_KEYS) <= set(finding) <= set(FINDING_KEYS) | EXTENSION_KEYS
        for key, kind in FINDING_KEYS.items():
            assert type(finding[key]) is kind, (key, finding)
        assert finding["severity"] in ("error", "warning", "info")
        assert all(isinstance(subject, str) for subject in finding["subjects"])
        assert finding["line"] >= 1
        assert finding["column"] >= 1
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert set(summary) == {"error", "warning", "info", "waived"}
    assert all(type(count) is int for count in summary.values())
    for severity in ("error", "warning", "info"):
        expected = sum(1 for f in findings if f["severity"] == severity and not f["waived"])
        assert summary[severity] == expected
    assert summary["waived"] == sum(1 for f in findings if f["waived"])


def test_json_report_shape_with_waived_findings(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir / "model.yaml",
        HEAD
        + "roles:\n  rep: {inherits: [ghost]}\n  lead: {inherits: [phantom]}\n"
        + "settings:\n  waivers:\n"
        + "    - {rule: unknown-reference, subjects: [rep], reason: Hired next month}\n",
    )
    code, report = _json_report("model.yaml", capsys)
    _check_shape(report)
    findings = report["findings"]
    assert isinstance(findings, list)
    waived = [f for f in findings if f["waived"]]
    assert [(f["rule"], f["line"], f["column"], f["subjects"]) for f in waived] == [
        ("unknown-reference", 4, 20, ["rep", "ghost"])
    ]
    assert waived[0]["waiver_reason"] == "Hired next month"
    assert waived[0]["severity"] == "error"  # waived, yet still an error by severity
    unwaived = [f for f in findings if f["rule"] == "unknown-reference" and not f["waived"]]
    assert [(f["line"], f["column"], f["subjects"]) for f in unwaived] == [
        (5, 21, ["lead", "phantom"])
    ]
    assert code == 1


def test_json_report_when_everything_is_waived_exits_zero(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir / "model.yaml",
        HEAD
        + "roles:\n  rep: {inherits: [ghost]}\n"
        + "settings:\n  waivers:\n    - {rule: unknown-reference, subjects: [rep], reason: ok}\n",
    )
    code, report = _json_report("model.yaml", capsys)
    _check_shape(report)
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert summary["error"] == 0
    assert summary["waived"] == 1
    assert code == 0


def test_json_report_of_an_unreadable_model(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "model.yaml", HEAD + "roles: !!python/name:os.system\n")
    code, report = _json_report("model.yaml", capsys)
    _check_shape(report)
    assert code == 1
    assert report["findings"] == [
        {
            "rule": "yaml-syntax",
            "code": "CRM001",
            "severity": "error",
            "message": "the YAML tag `!!python/name:os.system` is not allowed: crmorg reads "
            "plain YAML only; remove the tag",
            "file": "model.yaml",
            "line": 3,
            "column": 8,
            "subjects": [],
            "waived": False,
        },
        {
            "rule": "rules-not-run",
            "code": "CRM303",
            "severity": "info",
            "message": f"{len(NEEDS_THE_WHOLE_MODEL)} checks that need the whole model were "
            "not run because model.yaml could not be read; fix it first",
            "file": "model.yaml",
            "line": 1,
            "column": 1,
            "subjects": ["model.yaml"],
            "waived": False,
        },
    ]
    assert report["summary"] == {"error": 1, "warning": 0, "info": 1, "waived": 0}


def test_json_report_of_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    for example in sorted(p for p in examples.iterdir() if p.is_dir()):
        code, report = _json_report(str(example), capsys)
        _check_shape(report)
        assert code in (0, 1)


def test_json_report_keeps_unicode_and_escapes_nothing_it_should_not(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "模型.yaml", HEAD + 'roles:\n  rep: {name: "销售 \\"代表\\"", nmae: x}\n')
    code, out, _ = cli(["validate", "模型.yaml", "--format", "json"], capsys)
    assert code == 1
    assert "模型.yaml" in out  # not \\u escapes
    report = json.loads(out)
    _check_shape(report)
    assert report["findings"][0]["file"] == "模型.yaml"


def test_load_findings_have_positions_and_severity(workdir: Path) -> None:
    path = write(workdir / "model.yaml", HEAD + "rolez: {}\nroles:\n  x: {name: no}\n")
    findings = load_findings(path)
    assert sorted((f.rule, f.line, f.column) for f in findings) == [
        ("schema", 3, 1),
        ("schema", 5, 13),
    ]
    assert all(f.code.startswith("CRM") for f in findings)
