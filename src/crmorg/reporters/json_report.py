"""The contract's JSON report (format-v1 section 5).

The text is ``json.dumps(report, ensure_ascii=False, indent=2)`` (hidden characters then
escaped: :func:`crmorg.text.hidden_escaped`), written by an
encoder of its own: with an indent, the standard library encodes in Python generators,
which made writing 15,000 findings take longer than checking them. This one appends
to one list and hands every string to the standard library's C string encoder;
``tests/rules/test_reporters.py`` checks it against ``json.dumps`` on generated values.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from crmorg.lint.engine import Report
from crmorg.text import hidden_escaped


def render(report: Report, colour: bool = False) -> str:
    return hidden_escaped(dumps(report.to_dict())) + "\n"


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
