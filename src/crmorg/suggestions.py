"""Did-you-mean hints for a name that is not known: one helper for every message.

Rules (an undeclared metric), loading (a standard KPI id) and the command line (a
mistyped option, an unknown role in ``explain``) all phrase the hint the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name``, if one is close enough to be a likely typo."""
    matches = difflib.get_close_matches(name, sorted(set(known)), n=1)
    return matches[0] if matches else None


def did_you_mean(name: str, known: Iterable[str], quote: str = "`") -> str:
    """`` (did you mean `x`?)`` for the closest known name, or ``""`` when none is close."""
    match = closest(name, known)
    return f" (did you mean {quote}{match}{quote}?)" if match is not None else ""
