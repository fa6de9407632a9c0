"""The scorecard as JSON: ``{"results": [...]}`` (format-v1 section 8) plus roll-ups.

The text is produced a result at a time (:func:`render_chunks`), so a scorecard of a
million periods is written without building one dictionary, or one string, of all of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from crmorg.kpi.evaluate import Scorecard
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
    members = (
        ("results", (result.to_dict() for result in scorecard.results)),
        ("periods", iter(scorecard.periods)),
        ("departments", (rollup.to_dict() for rollup in scorecard.rollups)),
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


def _entry(entry: Any) -> str:
    """One entry at the third level, as an indent of 2 writes it. A flat object (every
    result and roll-up is one) is written from its encoded scalars: with an indent,
    ``json.dumps`` runs its pure-Python encoder, ten times slower."""
    if (
        isinstance(entry, dict)
        and entry
        and not any(isinstance(value, dict | list) for value in entry.values())
    ):
        members = ",\n      ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in entry.items())
        return "{\n      " + members + "\n    }"
    text = json.dumps(entry, ensure_ascii=False, indent=2, allow_nan=False)
    return text.replace("\n", "\n    ")
