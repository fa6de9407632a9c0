"""The contract's JSON report (format-v1 section 5).

The text is ``json.dumps(report, ensure_ascii=False, indent=2)`` (hidden characters then
escaped: :func:`crmorg.text.hidden_escaped`), written by an
encoder of its own: with an indent, the standard library encodes in Python generators,
which made writing 15,000 findings take longer than checking them. This one appends
to one list and hands every string to the standard library's C string encoder, and
writes each finding, whose shape never changes, from one template rather than from
a dictionary, with what findings share (rule, code, severity, file) encoded once;
``tests/rules/test_reporters.py`` checks both against ``json.dumps`` on generated values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring
from typing import Any

from crmorg.findings import Finding
from crmorg.lint.engine import Report
from crmorg.text import hidden_escaped


def render(report: Report, colour: bool = False) -> str:
    return "".join(chunks(report))


def chunks(report: Report, batch: int = 4096) -> Iterator[str]:
    """:func:`render`'s text in pieces of ``batch`` findings, each escaped: a report of
    300,000 findings is written without holding its 140 MB in one string, several times
    over."""
    summary: list[str] = []
    _encode(report.summary, "\n  ", summary)
    end = f'\n  "summary": {"".join(summary)}\n}}\n'
    if not report.findings:
        yield '{\n  "findings": [],' + end
        return
    yield '{\n  "findings": [\n    '
    texts = _findings_text(report.findings)
    separator = ""
    while piece := ",\n    ".join(islice(texts, batch)):
        yield _escaped(separator + piece)
        separator = ",\n    "
    yield "\n  ]," + end


def _escaped(text: str) -> str:
    """``hidden_escaped(text)`` for a piece of the report.

    Every string of the report went through the JSON string encoder, which escapes each
    C0 control; so in ASCII text only DEL can be hidden, and the search (a third of a
    second for 140 MB) is needed only where DEL or a non-ASCII character is.
    """
    return hidden_escaped(text) if not text.isascii() or "\x7f" in text else text


def _findings_text(findings: Iterable[Finding]) -> Iterator[str]:
    """``dumps(finding.to_dict())`` of each finding as an item of the report's list,
    four spaces in. What findings share (their rule, code and severity, their file) is
    encoded once: a report may hold 300,000 findings of one rule in one file."""
    heads: dict[tuple[str, str, str], str] = {}
    files: dict[str, str] = {}
    for finding in findings:
        severity = finding.severity.value
        head = heads.get((finding.rule, finding.code, severity))
        if head is None:
            head = heads[(finding.rule, finding.code, severity)] = (
                f'{{\n      "rule": {encode_basestring(finding.rule)},'
                f'\n      "code": {encode_basestring(finding.code)},'
                f'\n      "severity": {encode_basestring(severity)},'
                '\n      "message": '
            )
        location = finding.location
        file = files.get(location.file)
        if file is None:
            file = files[location.file] = (
                f',\n      "file": {encode_basestring(location.file)},\n      "line": '
            )
        subjects = finding.subjects
        listed = (
            "[\n        " + ",\n        ".join(map(encode_basestring, subjects)) + "\n      ]"
            if subjects
            else "[]"
        )
        reason = finding.waiver_reason
        yield (
            f"{head}{encode_basestring(finding.message)}{file}{int.__repr__(location.line)},"
            f'\n      "column": {int.__repr__(location.column)},'
            f'\n      "subjects": {listed},'
            f'\n      "waived": {"true" if finding.waived else "false"}'
            + ("" if reason is None else f',\n      "waiver_reason": {encode_basestring(reason)}')
            + "\n    }"
        )


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, faster on large reports."""
    out: list[str] = []
    _encode(value, "\n", out)
    return "".join(out)


def _encode(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value``'s text; ``newline`` is a line break and the current indent."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                out.append(separator + json.dumps({key: None}, ensure_ascii=False)[1:-7])
            else:
                out.append(separator + encode_basestring(key))
            out.append(": ")
            _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _encode(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:  # floats and anything rarer: the standard library's own text
        out.append(json.dumps(value, ensure_ascii=False))
