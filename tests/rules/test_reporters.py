"""Reporters: text, JSON, SARIF 2.1.0 and GitHub Actions annotations."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import attr
import jsonschema
import pytest
import sarif_om
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crmorg.api import load_partial
from crmorg.cli.main import main
from crmorg.findings import Finding, Location, Severity
from crmorg.lint.docs import RULES_DOC_URL, anchor
from crmorg.lint.engine import Report, run
from crmorg.lint.registry import all_rules
from crmorg.reporters import REPORTERS, github, json_report, sarif, text
from crmorg.text import hidden_escaped

HERE = Path(__file__).parent
SEEDED = HERE / "seeded"


@pytest.fixture
def broken_report(monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(SEEDED / "broken")
    return run(load_partial("."))


def _finding(
    rule: str = "vacant-role",
    message: str = "nobody holds role x",
    file: str = "model.yaml",
    severity: Severity = Severity.WARNING,
    waived: str | None = None,
) -> Finding:
    finding = Finding(rule, "CRM207", severity, message, Location(file, 3, 5), ("x",))
    return finding.waive(waived) if waived else finding


# SARIF ------------------------------------------------------------------------------

# sarif-om is the SARIF 2.1.0 object model; every object we write must construct its
# class: no unknown property, every required one present.
_NESTED: dict[tuple[type, str], type] = {
    (sarif_om.SarifLog, "runs"): sarif_om.Run,
    (sarif_om.Run, "tool"): sarif_om.Tool,
    (sarif_om.Run, "results"): sarif_om.Result,
    (sarif_om.Tool, "driver"): sarif_om.ToolComponent,
    (sarif_om.ToolComponent, "rules"): sarif_om.ReportingDescriptor,
    (sarif_om.ReportingDescriptor, "shortDescription"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "fullDescription"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "help"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "defaultConfiguration"): sarif_om.ReportingConfiguration,
    (sarif_om.Result, "message"): sarif_om.Message,
    (sarif_om.Result, "locations"): sarif_om.Location,
    (sarif_om.Result, "suppressions"): sarif_om.Suppression,
    (sarif_om.Location, "physicalLocation"): sarif_om.PhysicalLocation,
    (sarif_om.PhysicalLocation, "artifactLocation"): sarif_om.ArtifactLocation,
    (sarif_om.PhysicalLocation, "region"): sarif_om.Region,
}


def _load_object(cls: type, data: dict[str, Any]) -> Any:
    fields = {f.metadata["schema_property_name"]: f.name for f in attr.fields(cls)}
    arguments = {}
    for key, value in data.items():
        assert key in fields, f"SARIF {cls.__name__} has no property {key!r}"
        nested = _NESTED.get((cls, key))
        if nested is not None:
            value = (
                [_load_object(nested, item) for item in value]
                if isinstance(value, list)
                else _load_object(nested, value)
            )
        arguments[fields[key]] = value
    return cls(**arguments)


# RFC 3986 characters, with well-formed percent-escapes; jsonschema checks the `uri`
# formats only when optional packages are installed, so the test brings its own.
_URI_REFERENCE = re.compile(r"^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_FORMATS = jsonschema.FormatChecker(())


@_FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or _URI_REFERENCE.match(value) is not None


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return _is_uri_reference(value) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) is not None


def _validate_sarif(log: dict[str, Any]) -> None:
    schema = json.loads((HERE / "sarif_structure.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=_FORMATS).validate(log)
    assert isinstance(_load_object(sarif_om.SarifLog, log), sarif_om.SarifLog)


def test_sarif_is_valid_and_points_at_the_right_lines(broken_report: Report) -> None:
    log = json.loads(sarif.render(broken_report))
    _validate_sarif(log)
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    expected = {
        (e["rule"], tuple(e["subjects"])): (e["file"], e["line"])
        for e in yaml.safe_load((SEEDED / "expected.yaml").read_text(encoding="utf-8"))
    }
    assert len(run_["results"]) == len(expected)
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        key = (result["ruleId"], tuple(result["properties"]["subjects"]))
        file, line = expected[key]
        assert (physical["artifactLocation"]["uri"], physical["region"]["startLine"]) == (
            file,
            line,
        )
        assert physical["region"]["startColumn"] >= 1


def test_sarif_rule_metadata(broken_report: Report) -> None:
    driver = json.loads(sarif.render(broken_report))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "crmorg"
    assert driver["informationUri"].startswith("https://")
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert list(by_id) == list(all_rules())
    escalation = by_id["privilege-escalation"]
    assert escalation["defaultConfiguration"] == {"level": "error"}
    assert escalation["helpUri"] == f"{RULES_DOC_URL}#{anchor('privilege-escalation')}"
    assert "```yaml" in escalation["help"]["markdown"]
    assert escalation["help"]["text"].startswith("A role can `assign`")
    assert escalation["shortDescription"]["text"]
    assert by_id["department-without-kpi"]["defaultConfiguration"] == {"level": "note"}


def test_sarif_levels_and_suppressions(broken_report: Report) -> None:
    results = json.loads(sarif.render(broken_report))["runs"][0]["results"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["sod-role-conflict"] == "error"
    assert levels["vacant-role"] == "warning"
    assert levels["excess-privilege"] == "note"
    (waived,) = [r for r in results if "suppressions" in r]
    assert waived["ruleId"] == "privilege-escalation"
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["justification"].startswith("Assigning roles")


def test_the_structural_check_rejects_bad_sarif(broken_report: Report) -> None:
    log = json.loads(sarif.render(broken_report))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(log)
    log = json.loads(sarif.render(broken_report))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "a file.yaml"
    )
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(log)
    log = json.loads(sarif.render(broken_report))
    log["runs"][0]["results"][0]["ruleIdx"] = 1
    with pytest.raises((jsonschema.ValidationError, AssertionError)):
        _validate_sarif(log)


def test_sarif_uris_are_escaped_and_absolute_paths_kept() -> None:
    report = Report(
        (
            _finding(file="roles/sales team.yaml"),
            _finding(file="/srv/models/model.yaml"),
            _finding(rule="kpi-owner-lacks-access"),
        )
    )
    log = json.loads(sarif.render(report))
    _validate_sarif(log)
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
    ]
    assert locations[0] == {"uri": "roles/sales%20team.yaml", "uriBaseId": "%SRCROOT%"}
    assert locations[1] == {"uri": "file:///srv/models/model.yaml"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[log["runs"][0]["results"][2]["ruleIndex"]]["id"] == "kpi-owner-lacks-access"


def test_sarif_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(SEEDED / "broken")
    assert main(["validate", ".", "--format", "sarif"]) == 1
    _validate_sarif(json.loads(capsys.readouterr().out))


# GitHub annotations ------------------------------------------------------------------


def test_github_annotation_format() -> None:
    line = github.annotation(_finding(severity=Severity.ERROR))
    assert line == "::error file=model.yaml,line=3,col=5,title=vacant-role::nobody holds role x"
    assert github.annotation(_finding()).startswith("::warning ")
    assert github.annotation(_finding(severity=Severity.INFO)).startswith("::notice ")
    waived = github.annotation(_finding(severity=Severity.ERROR, waived="Hiring"))
    assert waived.startswith("::notice ")
    assert waived.endswith("::[waived: Hiring] nobody holds role x")


def test_github_escaping() -> None:
    finding = _finding(message="100% sure\r\nsecond: line, really", file="a,b:c%.yaml")
    line = github.annotation(finding)
    assert "\n" not in line and "\r" not in line
    assert "file=a%2Cb%3Ac%25.yaml," in line
    assert line.endswith("::100%25 sure%0D%0Asecond: line, really")
    assert github.escape_property("x:y,z%\n") == "x%3Ay%2Cz%25%0A"


def test_github_report(broken_report: Report) -> None:
    lines = github.render(broken_report).splitlines()
    assert len(lines) == len(broken_report.findings) + 1
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1] == text.summary_line(broken_report)


# Text and JSON -----------------------------------------------------------------------


def test_text_groups_by_file_and_ends_with_a_summary(broken_report: Report) -> None:
    rendered = text.render(broken_report)
    blocks = rendered.strip().split("\n\n")
    headers = [block.splitlines()[0] for block in blocks[:-1]]
    assert headers == ["model.yaml", "more.yaml", "processes.yaml", "v11.yaml"]
    for block in blocks[:-1]:
        header, *lines = block.splitlines()
        assert lines and all(line.startswith(f"{header}:") for line in lines)
    counts = broken_report.summary
    assert blocks[-1] == (
        f"FAILED: {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} info ({counts['waived']} waived)"
    )
    assert "\033[" not in rendered
    assert "[waived: Assigning roles" in rendered


def test_text_colour(broken_report: Report) -> None:
    rendered = text.render(broken_report, colour=True)
    assert "\033[31merror\033[0m" in rendered
    assert "\033[1mmodel.yaml\033[0m" in rendered
    assert (
        text.render(Report(()), colour=True) == "\033[32mOK\033[0m: 0 errors, 0 warnings, 0 info\n"
    )


def test_json_is_the_contract(broken_report: Report) -> None:
    data = json.loads(REPORTERS["json"](broken_report, False))
    assert set(data) == {"findings", "summary"}
    counted = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for finding in data["findings"]:
        counted["waived" if finding["waived"] else finding["severity"]] += 1
    assert data["summary"] == counted
    for finding in data["findings"]:
        assert {
            "rule", "code", "severity", "message", "file", "line", "column", "subjects", "waived"
        } <= set(finding)  # fmt: skip


def test_cli_colour_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(SEEDED / "fixed")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["validate", "."])
    assert "\033[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["validate", "."])
    assert "\033[" not in capsys.readouterr().out
    assert os.environ["NO_COLOR"] == "1"


def test_every_format_is_registered() -> None:
    assert set(REPORTERS) == {"text", "json", "sarif", "github"}


_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(_JSON_VALUES)
def test_the_json_encoder_writes_what_json_dumps_writes(value: Any) -> None:
    assert json_report.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_the_json_encoder_on_a_report_and_odd_keys(broken_report: Report) -> None:
    data = broken_report.to_dict()
    assert json_report.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)
    odd = {1: "a", False: [], None: {}, 2.5: [1.5, float("inf")], Severity.ERROR: Severity.INFO}
    assert json_report.dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


_FINDINGS = st.builds(
    Finding,
    rule=st.text(),
    code=st.text(),
    severity=st.sampled_from(Severity),
    message=st.text(),
    location=st.builds(Location, st.text(), st.integers(0, 10**6), st.integers(0, 10**4)),
    subjects=st.lists(st.text(), max_size=3).map(tuple),
    waived=st.booleans(),
    waiver_reason=st.none() | st.text(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FINDINGS, max_size=4), st.sampled_from(Severity))
def test_the_json_report_is_json_dumps_of_its_dictionary(
    findings: list[Finding], fail_on: Severity
) -> None:
    report = Report(tuple(findings), fail_on)
    expected = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    assert json_report.render(report) == hidden_escaped(expected) + "\n"
