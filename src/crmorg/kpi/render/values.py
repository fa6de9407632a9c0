"""How KPI numbers read: percentages as percentages, units where they help.

A ``percent`` value is a fraction (0.85) and reads ``85.0%``; its change reads in
percentage points (``+5.0 pp``). Hours and days carry their unit (``4.5 h``,
``12.0 d``), a ``ratio`` reads as a multiple (``3.20x``), currency with two decimals
and thousands separators (the model names no currency), counts as whole numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

from crmorg.kpi.evaluate import Change
from crmorg.kpi.models import Direction, Unit

__all__ = ["SUFFIXES", "format_change", "format_target", "format_value"]

SUFFIXES: Final[Mapping[str, str]] = {
    "hours": " h",
    "days": " d",
    "ratio": "x",
    "pp": " pp",
    "open": " (",
    "close": ")",
}
"""What follows a number of each unit, in English (``pp``: percentage points), and the
brackets around a relative change. A page in another language passes its own
(``scorecard.unit.<key>`` of the message catalogs)."""


def format_value(
    value: float | None, unit: Unit | None, suffixes: Mapping[str, str] = SUFFIXES
) -> str:
    """``value`` as people read it in ``unit``; an empty string for no value."""
    if value is None:
        return ""
    if unit == "percent":
        return f"{value * 100:,.1f}%"
    if unit == "currency":
        return f"{value:,.2f}"
    if unit == "ratio":
        return f"{value:,.2f}{suffixes.get('ratio', '')}"
    if unit in ("hours", "days", "score"):
        return f"{value:,.1f}{suffixes.get(unit, '')}"
    return _plain(value)


def format_target(
    target: float | None,
    direction: Direction | None,
    unit: Unit | None,
    suffixes: Mapping[str, str] = SUFFIXES,
) -> str:
    """``>= 85.0%`` or ``<= 24.0 h``: the target with the side that is met."""
    if target is None:
        return ""
    shown = format_value(target, unit, suffixes)
    if direction is None:
        return shown
    return (">= " if direction == "higher" else "<= ") + shown


def format_change(
    change: Change | None, unit: Unit | None, suffixes: Mapping[str, str] = SUFFIXES
) -> str:
    """``+5.0 pp`` for percent KPIs; ``+2.0 h (+8.3%)`` for the others."""
    if change is None:
        return ""
    absolute = change.absolute
    if unit == "percent":
        return f"{_sign(absolute)}{abs(absolute) * 100:,.1f}{suffixes.get('pp', '')}"
    text = _sign(absolute) + format_value(abs(absolute), unit, suffixes)
    if change.relative is not None and absolute != 0:
        relative = f"{_sign(change.relative)}{abs(change.relative) * 100:,.1f}%"
        text += suffixes.get("open", " (") + relative + suffixes.get("close", ")")
    return text


def _sign(value: float) -> str:
    if value > 0:
        return "+"
    if value < 0:
        return "-"
    return "±"


def _plain(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if value != 0 and abs(value) < 0.01:
        return f"{value:.3g}"
    if math.isfinite(value) and abs(value) >= 1e15:
        return f"{value:.3e}"
    return f"{value:,.2f}"
