"""The scorecard as JSON: ``{"results": [...]}`` (format-v1 section 8) plus roll-ups.

The text is produced a result at a time (:func:`render_chunks`), so a scorecard of a
million periods is written without building one dictionary, or one string, of all of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

from crmorg.kpi.evaluate import DepartmentRollup, Row, Scorecard
from crmorg.kpi.render.context import ScorecardContext
from crmorg.text import hidden_escaped

__all__ = ["render", "render_chunks"]

_BATCH = 1_000
"""Entries encoded per chunk: few enough to bound memory, enough to amortise the calls."""


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    """One JSON object; values are numbers or null, never NaN; text exact, hidden
    characters as ``\\u`` escapes."""
    return "".join(render_chunks(scorecard, context))


def render_chunks(scorecard: Scorecard, context: ScorecardContext) -> Iterator[str]:
    """The text of :func:`render` in pieces, byte for byte what ``json.dumps`` with an
    indent of 2 writes for ``scorecard.to_dict()``."""
    encoded: dict[str, str] = {}
    members = (
        ("results", (_Encoded(_result(row, encoded)) for row in scorecard.rows())),
        ("periods", iter(scorecard.periods)),
        ("departments", _rollups(scorecard)),
    )
    yield "{"
    for index, (key, entries) in enumerate(members):
        yield ("," if index else "") + f'\n  "{key}": '
        yield from _array(entries)
    yield "\n}\n"


def _array(entries: Iterator[Any]) -> Iterator[str]:
    """A JSON array at the second level of an object indented by 2, in chunks."""
    first = True
    batch: list[str] = []
    for entry in entries:
        batch.append(("[\n    " if first else ",\n    ") + _entry(entry))
        first = False
        if len(batch) >= _BATCH:
            yield hidden_escaped("".join(batch))
            batch.clear()
    yield hidden_escaped("".join(batch)) + ("[]" if first else "\n  ]")


_scalar = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_KEYS: dict[str, str] = {}
"""Each key once encoded, with what precedes it in an entry: every result has the same."""


def _value(value: object) -> str:
    """One scalar as ``json.dumps`` writes it (floats by ``float.__repr__``, NaN refused),
    without the encoder's own per-call set-up for the common types."""
    kind = type(value)
    if kind is str:
        assert isinstance(value, str)
        return encode_basestring(value)
    if kind is float:
        assert isinstance(value, float)
        if value != value or value in (_INFINITY, -_INFINITY):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    if kind is int:
        assert isinstance(value, int)
        return int.__repr__(value)
    if value is None:
        return "null"
    return _scalar(value)


_INFINITY = float("inf")


def _member(key: str) -> str:
    encoded = _KEYS.get(key)
    if encoded is None:
        encoded = _KEYS[key] = ",\n      " + _scalar(key) + ": "
    return encoded


class _Encoded(str):
    """An entry already written as JSON at the third level."""


_RESULT_KEYS = (
    "kpi", "period", "value", "target", "direction", "status", "message", "name",
    "department", "owner", "contributors", "unit", "previous_period", "change",
    "relative_change", "data_periods", "data_periods_expected",
)  # fmt: skip
"""The keys of :meth:`KpiResult.to_dict`, in its order (a test holds them equal)."""
_RESULT_TEMPLATE = (
    "{\n      " + ",\n      ".join(f'"{key}": %s' for key in _RESULT_KEYS) + "\n    }"
)


def _rollups(scorecard: Scorecard) -> Iterator[dict[str, Any]]:
    """What :meth:`DepartmentRollup.to_dict` gives for each roll-up, as they come."""
    for period, _, rollups in scorecard.groups():
        for department, counts in rollups:
            yield DepartmentRollup(department, period, counts).to_dict()


def _result(row: Row, encoded: dict[str, str]) -> str:
    """One result as :func:`_entry` writes its ``to_dict()``, from its fields: a million
    of them need no dictionary each, and text that repeats (a KPI's id, name, status or
    message in every period) is encoded once."""

    def text(value: str | None) -> str:
        if value is None:
            return "null"
        found = encoded.get(value)
        if found is None:
            found = encoded[value] = encode_basestring(value)
        return found

    info, period, value, status, message, change, parts = row
    return _RESULT_TEMPLATE % (
        text(info.kpi),
        encode_basestring(period),
        _value(value),
        _value(info.target),
        text(info.direction),
        text(status),
        text(message),
        text(info.name),
        text(info.department),
        text(info.owner),
        _list(info.contributors, text),
        text(info.unit),
        encode_basestring(change.previous_period) if change else "null",
        _value(change.absolute) if change else "null",
        _value(change.relative) if change else "null",
        _value(parts[0]) if parts else "null",
        _value(parts[1]) if parts else "null",
    )


def _list(items: tuple[str, ...], text: Callable[[str], str]) -> str:
    """A list of strings at the fourth level, as an indent of 2 writes it."""
    if not items:
        return "[]"
    return "[\n        " + ",\n        ".join(text(item) for item in items) + "\n      ]"


def _entry(entry: Any) -> str:
    """One entry at the third level, as an indent of 2 writes it. A flat object (every
    result and roll-up is one) is written from its encoded scalars: with an indent,
    ``json.dumps`` runs its pure-Python encoder, ten times slower."""
    if isinstance(entry, _Encoded):
        return entry
    if (
        isinstance(entry, dict)
        and entry
        and not any(isinstance(value, dict | list) for value in entry.values())
    ):
        members = "".join(_member(key) + _value(value) for key, value in entry.items())
        return "{\n      " + members[8:] + "\n    }"
    text = json.dumps(entry, ensure_ascii=False, indent=2, allow_nan=False)
    return text.replace("\n", "\n    ")
