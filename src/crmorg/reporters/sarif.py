"""SARIF 2.1.0: the report as a static-analysis log for code-scanning tools.

``tool.driver.rules`` describes every rule (its documentation as help text, a link to
its section of docs/rules.md, its default level); each result names its rule by id
and index and points at a file, line and column. Waived findings carry an external
suppression with the waiver's reason.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from crmorg.findings import Finding, Severity
from crmorg.lint.docs import PROJECT_URL, doc_markdown, help_uri
from crmorg.lint.engine import Report
from crmorg.lint.registry import all_rules, engine_rules
from crmorg.lint.rule import Rule
from crmorg.text import json_text

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, colour: bool = False) -> str:
    return json_text(sarif_log(report), ensure_ascii=False, indent=2) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log object of a report."""
    from crmorg import __version__

    rules = all_rules()
    names = list(rules)
    names += [f.rule for f in report.findings if f.rule not in rules and f.rule not in names]
    # Rules that report but are not listed (the engine's internal-error) are described too.
    described = {**engine_rules(), **rules}
    index = {name: position for position, name in enumerate(names)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crmorg",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_descriptor(described[name]) for name in names],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule]) for f in report.findings],
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    info = rule.info
    descriptor: dict[str, Any] = {
        "id": info.name,
        "name": "".join(part.capitalize() for part in info.name.split("-")),
        "shortDescription": {"text": rule.summary},
        "helpUri": help_uri(info.name),
        "defaultConfiguration": {"level": _LEVELS[info.severity]},
        # The family, as before groups existed: code-scanning filters may depend on it.
        "properties": {"code": info.code, "family": info.family, "tags": [info.family]},
    }
    if rule.doc:
        descriptor["fullDescription"] = {"text": rule.summary}
        descriptor["help"] = {"text": rule.doc, "markdown": doc_markdown(rule)}
    return descriptor


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.file),
                    "region": {
                        "startLine": max(finding.line, 1),
                        "startColumn": max(finding.column, 1),
                    },
                }
            }
        ],
        "partialFingerprints": {"crmorgFinding/v1": _fingerprint(finding)},
        "properties": {"code": finding.code, "subjects": list(finding.subjects)},
    }
    if finding.waived:
        result["suppressions"] = [
            {"kind": "external", "justification": finding.waiver_reason or ""}
        ]
    return result


def _artifact(file: str) -> dict[str, Any]:
    path = PurePosixPath(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(file, safe="/"), "uriBaseId": SOURCE_ROOT}


def _fingerprint(finding: Finding) -> str:
    """Stable across edits that move the finding: its rule and subjects, not its line."""
    identity = "\0".join((finding.rule, finding.file, *finding.subjects))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
