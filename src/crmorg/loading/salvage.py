"""What is left of a rejected entry once its invalid values are taken out.

An entry that fails validation is rejected whole: the rules never see it. But one
error in an entry must not hide an independent one beside it, such as an unknown
resource next to an invalid scope in the same ``grants``. So the values that the
validation errors point at are taken out of a copy of the raw entry, and the rest is
validated again; what passes is kept for the unknown-reference check alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError


def salvage(raw: Any, error: ValidationError, validate: Callable[[Any], Any]) -> Any | None:
    """The entry without the values ``error`` points at, validated; None if none passes."""
    pruned = raw
    for problem in error.errors():
        if problem["type"] == "missing":
            return None  # nothing to take out: a required value is absent
        pruned = _without(pruned, tuple(problem["loc"]))
    if pruned is raw:
        return None
    try:
        return validate(pruned)
    except ValidationError:
        return None  # what is left still fails: the entry is wrong throughout
    except (TypeError, ValueError):
        return None


def _without(value: Any, loc: tuple[int | str, ...]) -> Any:
    """A copy of ``value`` without the item at ``loc`` (copied only along the way)."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(value, dict) and head in value:
        copy: dict[Any, Any] | list[Any] = dict(value)
    elif isinstance(value, list) and isinstance(head, int) and 0 <= head < len(value):
        copy = list(value)
    else:
        return value  # a location that names no item (a union's tag, a model's name)
    if rest:
        copy[head] = _without(value[head], rest)  # type: ignore[index]
    else:
        del copy[head]  # type: ignore[arg-type]
    return copy
