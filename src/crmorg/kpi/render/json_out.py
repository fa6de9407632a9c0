"""The scorecard as JSON: ``{"results": [...]}`` (format-v1 section 8) plus roll-ups.

The text is produced a result at a time (:func:`render_chunks`), so a scorecard of a
million periods is written without building one dictionary, or one string, of all of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain, repeat
from json.encoder import encode_basestring
from typing import Any, Final

from crmorg.kpi.evaluate import (
    DepartmentRollup,
    KpiInfo,
    Row,
    Scorecard,
    Series,
    Status,
)
from crmorg.kpi.render.context import ScorecardContext
from crmorg.text import HIDDEN, hidden_escaped

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
    series = scorecard.aligned()
    if series:
        yield from _aligned_chunks(scorecard, series)
        return
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
    for period, _, rollups in scorecard.groups():
        for department, counts in rollups:
            around = _around(department, counts, written)
            yield _Encoded(around[0] + encode_basestring(period) + around[1])


def _around(
    department: str | None,
    counts: Mapping[Status, int],
    written: dict[tuple[str | None, int], tuple[str, str]],
) -> tuple[str, str]:
    """A roll-up's entry before and after its period (each roll-up written once)."""
    key = (department, id(counts))
    around = written.get(key)
    if around is None:
        text = _entry(DepartmentRollup(department, _GAP, counts).to_dict())
        before, _, after = text.rpartition(encode_basestring(_GAP))
        around = written[key] = (before, after)
    return around


_GAP = "\x00period\x00"
"""Where a roll-up's period goes: text no period holds (the reader refuses control
characters in periods, and the gap is found from the end)."""


def _encoded(encoded: dict[str, str], value: str | None) -> str:
    """``value`` as a JSON string (``null`` for ``None``), encoded once per text."""
    if value is None:
        return "null"
    found = encoded.get(value)
    if found is None:
        found = encoded[value] = encode_basestring(value)
    return found


def _result(row: Row, encoded: dict[str, str], templates: dict[KpiInfo, str]) -> str:
    """One result as :func:`_entry` writes its ``to_dict()``, from its row: a million of
    them need no dictionary each, and what every period of a KPI shares (its id, name,
    target, owner) is written once into a template for the rest."""

    text = partial(_encoded, encoded)

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


_PIECE: Final = 8_192
"""Periods written per piece by :func:`_aligned_chunks`."""
_NEXT: Final = ",\n    "
"""What precedes each entry of an array at the second level but the first."""
_SLOT: Final = "\x00"
"""Where a result's own values go in its KPI's template: no encoded text holds it."""


def _aligned_chunks(scorecard: Scorecard, series: Sequence[Series]) -> Iterator[str]:
    """:func:`render_chunks` of a scorecard read as columns (:meth:`Scorecard.aligned`):
    a piece of periods at a time, each field of the results written for the whole piece
    by one C call or one comprehension over its column, and the entries joined from
    their KPI's template pieces in one ``str.join``. The output has a hidden character
    only where some text has one: then every piece is escaped (:func:`hidden_escaped`)."""
    periods = scorecard.periods
    encoded: dict[str, str] = {}
    templates = [_pieces(one.info, encoded) for one in series]
    hidden = _any_hidden(periods, series, encoded)
    rollups_of = scorecard.rollups_by_status()
    written: dict[tuple[str | None, int], tuple[str, str]] = {}
    made: dict[tuple[Status, ...], list[tuple[str, str]]] = {}

    def rollup_pieces(statuses: tuple[Status, ...]) -> list[tuple[str, str]]:
        found = made.get(statuses)
        if found is None:
            found = made[statuses] = [
                _around(department, counts, written) for department, counts in rollups_of(statuses)
            ]
        return found

    yield '{\n  "results": '
    encoded_periods: list[list[str]] = []  # each piece's periods encoded, for all three arrays
    for start, text in _pieces_of(len(periods)):
        labels = list(map(encode_basestring, periods[start : start + text]))
        encoded_periods.append(labels)
        columns: list[Iterable[str]] = []
        for one, pieces in zip(series, templates, strict=True):
            columns += _result_columns(one, start, start + text, labels, pieces, encoded)
        # The template pieces repeat without end: the fields' columns end the rows.
        body = "".join(chain.from_iterable(zip(*columns, strict=False)))
        yield _escaped(("[" + body[1:]) if start == 0 else body, hidden)
    yield ("[]" if not periods else "\n  ]") + ',\n  "periods": '
    for (start, _), labels in zip(_pieces_of(len(periods)), encoded_periods, strict=True):
        body = _NEXT + _NEXT.join(labels)
        yield _escaped(("[" + body[1:]) if start == 0 else body, hidden)
    yield ("[]" if not periods else "\n  ]") + ',\n  "departments": '
    first = True
    for (start, text), labels in zip(_pieces_of(len(periods)), encoded_periods, strict=True):
        combos = list(zip(*(one.statuses[start : start + text] for one in series), strict=True))
        found = {combo: rollup_pieces(combo) for combo in set(combos)}
        parts: list[str] = []
        if all(len(entries) == 1 for entries in found.values()):  # one department: columns
            before = {combo: entries[0][0] for combo, entries in found.items()}
            after = {combo: entries[0][1] for combo, entries in found.items()}
            rollup_columns = (
                repeat(_NEXT), map(before.__getitem__, combos), labels,
                map(after.__getitem__, combos),
            )  # fmt: skip
            parts.append("".join(chain.from_iterable(zip(*rollup_columns, strict=False))))
        else:
            for label, combo in zip(labels, combos, strict=True):
                for before_text, after_text in found[combo]:
                    parts += (_NEXT, before_text, label, after_text)
        body = "".join(parts)
        if first and body:
            body = "[" + body[1:]
            first = False
        yield _escaped(body, hidden)
    yield ("[]" if first else "\n  ]") + "\n}\n"


def _pieces_of(count: int) -> Iterator[tuple[int, int]]:
    """(first index, length) of each piece of ``count`` periods."""
    for start in range(0, count, _PIECE):
        yield start, min(_PIECE, count - start)


def _escaped(text: str, hidden: bool) -> str:
    return hidden_escaped(text) if hidden else text


def _any_hidden(periods: Sequence[str], series: Sequence[Series], encoded: dict[str, str]) -> bool:
    """Whether some text the results show holds a hidden character (the templates'
    texts are in ``encoded``; numbers, keys and punctuation hold none)."""
    texts = [*encoded, *(m for one in series for m in set(one.messages) if m is not None)]
    return bool(HIDDEN.search("\n".join(periods)) or HIDDEN.search("\n".join(texts)))


def _pieces(info: KpiInfo, encoded: dict[str, str]) -> tuple[str, ...]:
    """The text of a KPI's result around its nine own values (period, value, status,
    message, previous period, change, relative change, data periods and those
    expected): ``_NEXT`` and the entry up to the first, what lies between each two, and
    what follows the last."""

    text = partial(_encoded, encoded)

    template = _RESULT_TEMPLATE % (
        text(info.kpi), _SLOT, _SLOT, _value(info.target), text(info.direction), _SLOT,
        _SLOT, text(info.name), text(info.department), text(info.owner),
        _list(info.contributors, text), text(info.unit), _SLOT, _SLOT, _SLOT, _SLOT, _SLOT,
    )  # fmt: skip
    split = template.split(_SLOT)
    return (_NEXT + split[0], *split[1:])


def _result_columns(
    one: Series,
    start: int,
    stop: int,
    labels: list[str],
    pieces: tuple[str, ...],
    encoded: dict[str, str],
) -> list[Iterable[str]]:
    """The text of ``one``'s results for periods ``start`` to ``stop``, as columns to
    zip: each template piece repeated, each field written for the whole column (values
    are finite, see :class:`Series`: a float as ``float.__repr__`` writes it)."""
    given = one.values[start:stop]
    values: Iterable[str] = (
        map(float.__repr__, given)
        if set(map(type, given)) == {float}
        else [
            float.__repr__(value) if value.__class__ is float else _value(value) for value in given
        ]
    )
    statuses = one.statuses[start:stop]
    status_text = {status: encode_basestring(status) for status in set(statuses)}
    messages = one.messages[start:stop]
    message_text = {
        message: "null" if message is None else encoded.get(message) or encode_basestring(message)
        for message in set(messages)
    }
    # The status and the message with the text around them: one piece for both.
    judged = (
        map(
            {
                status: pieces[2] + text + pieces[3] + message_text[messages[0]] + pieces[4]
                for status, text in status_text.items()
            }.__getitem__,
            statuses,
        )
        if len(message_text) == 1
        else [
            pieces[2] + status_text[status] + pieces[3] + message_text[message] + pieces[4]
            for status, message in zip(statuses, messages, strict=True)
        ]
    )
    change_at, relative_at = pieces[5].replace("%", "%%"), pieces[6].replace("%", "%%")
    full = "%s" + change_at + "%r" + relative_at + "%r"
    no_relative = "%s" + change_at + "%r" + relative_at + "null"
    no_change = "null" + pieces[5] + "null" + pieces[6] + "null"
    changes = [
        no_change
        if change is None
        else no_relative % (encode_basestring(change[0]), change[2])
        if change[3] is None
        else full % (encode_basestring(change[0]), change[2], change[3])
        for change in one.changes[start:stop]
    ]
    # The data periods with the text around them (the same for every period of data).
    expected_at, before, after = pieces[8], pieces[7], pieces[9]
    parts: Iterable[str] = (
        repeat(before + "null" + expected_at + "null" + after)
        if one.parts is None
        else [
            before + "null" + expected_at + "null" + after
            if part is None
            else before + _value(part[0]) + expected_at + _value(part[1]) + after
            for part in one.parts[start:stop]
        ]
    )
    return [repeat(pieces[0]), labels, repeat(pieces[1]), values, judged, changes, parts]


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
