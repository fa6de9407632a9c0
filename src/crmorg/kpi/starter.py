"""A model file that pulls standard KPIs into a starter model (``crmorg init --kpis``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from crmorg.kpi.library import STANDARD_KPIS
from crmorg.kpi.standard import pull_in_entry

__all__ = ["StandardKpisFile", "parse_kpi_ids", "standard_kpis_file"]

_HEADER = """\
# yaml-language-server: $schema=crmorg.schema.json
# Standard KPIs from crmorg's library (`crmorg kpi --library` lists them all). Each
# takes its name, formula, unit, direction, frequency, usual target and metrics from
# the library; anything written here (a `target:`, another `owner:`) overrides it.
version: 1
"""


@dataclass(frozen=True)
class StandardKpisFile:
    """The file's text, and notes for the person who asked for it."""

    text: str
    notes: tuple[str, ...]


def parse_kpi_ids(text: str) -> list[str]:
    """``"win_rate, nps"`` -> ids; ``"all"`` -> every library id. Raises ``ValueError``."""
    words = [word.strip() for word in text.split(",") if word.strip()]
    if words == ["all"]:
        return list(STANDARD_KPIS)
    unknown = [word for word in words if word not in STANDARD_KPIS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(STANDARD_KPIS), n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise ValueError(f"no standard KPI `{unknown[0]}`{hint}; `crmorg kpi --library` lists them")
    if not words:
        raise ValueError("name at least one standard KPI, e.g. --kpis win_rate,nps")
    return list(dict.fromkeys(words))


def standard_kpis_file(model: Mapping[str, Any], ids: Iterable[str]) -> StandardKpisFile:
    """A model file pulling ``ids`` into ``model`` (the starter's data, as loaded YAML).

    Owners and departments are the library's typical ones where the model has them;
    otherwise the root department and its head. KPI ids the model already uses are
    left out, with a note.
    """
    roles = set(model.get("roles") or {})
    departments: Mapping[str, Any] = model.get("departments") or {}
    root = next((d for d, v in departments.items() if not (v or {}).get("parent")), None)
    root_head = (departments.get(root) or {}).get("head") if root is not None else None
    taken = set(model.get("kpis") or {})
    entries: dict[str, Any] = {}
    notes: list[str] = []
    for kpi_id in ids:
        standard = STANDARD_KPIS[kpi_id]
        if kpi_id in taken:
            notes.append(f"the starter model already has a KPI `{kpi_id}`; kept it")
            continue
        entries[kpi_id] = pull_in_entry(
            standard,
            roles=roles,
            departments=departments,
            fallback_owner=root_head if root_head in roles else None,
            fallback_department=root,
        )
        if standard.typical_target is None:
            notes.append(f"`{kpi_id}` has no usual target: set `target:` in kpis.yaml")
    body = yaml.safe_dump(
        {"kpis": entries}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000
    )
    return StandardKpisFile(_HEADER + body, tuple(notes))
