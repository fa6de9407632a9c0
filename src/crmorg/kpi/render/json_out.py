"""The scorecard as JSON: ``{"results": [...]}`` (format-v1 section 8) plus roll-ups."""

from __future__ import annotations

from crmorg.kpi.evaluate import Scorecard
from crmorg.kpi.render.context import ScorecardContext
from crmorg.text import json_text

__all__ = ["render"]


def render(scorecard: Scorecard, context: ScorecardContext) -> str:
    """One JSON object; values are numbers or null, never NaN; text exact, hidden
    characters as ``\\u`` escapes."""
    return json_text(scorecard.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
