"""The scorecard as JSON: ``{"results": [...]}`` (format-v1 section 8) plus roll-ups.

The text is produced a result at a time (:func:`render_chunks`), so a scorecard of a
million periods is written without building one dictionary, or one string, of all of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

from crmorg.kpi.evaluate import DepartmentRollup, KpiInfo, Row, Scorecard
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
    templates: dict[KpiInfo, str] = {}
    members = (
        ("results", (_Encoded(_result(row, encoded, templates)) for row in scorecard.rows())),
        ("periods", (_Encoded(encode_basestring(period)) for period in scorecard.periods)),
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


def _rollups(scorecard: Scorecard) -> Iterator[_Encoded]:
    """What :meth:`DepartmentRollup.to_dict` gives for each roll-up, as they come: the
    same few roll-ups repeat over the periods, so each is written once around a gap
    for its period (the last text there: the counts that follow it are numbers)."""
    written: dict[tuple[str | None, int], tuple[str, str]] = {}
    gap = encode_basestring(_GAP)
    for period, _, rollups in scorecard.groups():
        for department, counts in rollups:
            key = (department, id(counts))
            around = written.get(key)
            if around is None:
                text = _entry(DepartmentRollup(department, _GAP, counts).to_dict())
                before, _, after = text.rpartition(gap)
                around = written[key] = (before, after)
            yield _Encoded(around[0] + encode_basestring(period) + around[1])


_GAP = "\x00period\x00"
"""Where a roll-up's period goes: text no period holds (the reader refuses control
characters in periods, and the gap is found from the end)."""


def _result(row: Row, encoded: dict[str, str], templates: dict[KpiInfo, str]) -> str:
    """One result as :func:`_entry` writes its ``to_dict()``, from its row: a million of
    them need no dictionary each, and what every period of a KPI shares (its id, name,
    target, owner) is written once into a template for the rest."""

    def text(value: str | None) -> str:
        if value is None:
            return "null"
        found = encoded.get(value)
        if found is None:
            found = encoded[value] = encode_basestring(value)
        return found

    info, period, value, status, message, change, parts = row
    template = templates.get(info)
    if template is None:

        def constant(text: str) -> str:
            return text.replace("%", "%%")

        template = templates[info] = _RESULT_TEMPLATE % (
            constant(text(info.kpi)),
            "%s",
            "%s",
            constant(_value(info.target)),
            constant(text(info.direction)),
            "%s",
            "%s",
            constant(text(info.name)),
            constant(text(info.department)),
            constant(text(info.owner)),
            constant(_list(info.contributors, text)),
            constant(text(info.unit)),
            "%s",
            "%s",
            "%s",
            "%s",
            "%s",
        )
    return template % (
        encode_basestring(period),
        _value(value),
        text(status),
        text(message),
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
