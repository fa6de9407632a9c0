"""Turn pydantic validation errors into findings at the offending node's position."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from crmorg.findings import Finding, Path
from crmorg.loading.identities import make_finding
from crmorg.source import SourceMap
from crmorg.text import LOCALE_PATTERN, printable

_UNION_ONLY = {"str", "dict", "list", "tuple"}
_KEY_LOC = "[key]"


def schema_findings(
    error: ValidationError,
    raw: Any,
    base: Path,
    source: SourceMap,
    what: str,
    model: type[BaseModel] | None,
    subjects: tuple[str, ...],
) -> Iterator[Finding]:
    """One finding per offending node: union alternatives are combined into one message."""
    by_path: dict[tuple[Path, bool], list[dict[str, Any]]] = {}
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        # An invalid mapping key (an id such as a grant's resource) is reported at the
        # key, not at the value it introduces.
        at_key = bool(loc) and loc[-1] == _KEY_LOC
        path = _data_path(raw, loc[:-1] if at_key else loc)
        by_path.setdefault((path, at_key), []).append(dict(detail))
    for (path, at_key), details in by_path.items():
        if _explained_deeper(path, details, by_path):
            continue
        full = (*base, *path)
        kinds = {detail["type"] for detail in details}
        if at_key or kinds == {"extra_forbidden"}:
            location = source.key(full)
        elif kinds == {"missing"} and len(full) > 1:
            # A missing field has no node of its own: point at the entry that lacks it.
            location = source.key(full[:-1])
        else:
            location = source.value(full)
        yield make_finding("schema", _message(what, path, details, model), location, subjects)


def _explained_deeper(
    path: Path, details: list[dict[str, Any]], by_path: dict[tuple[Path, bool], Any]
) -> bool:
    """A union's "not a string" is noise when the value, a mapping, is wrong inside.

    ``name: {en: Sales, Chinese: 销售}`` fails both alternatives of text-or-mapping;
    only the mapping's bad key is worth a finding.
    """
    if not all(str(detail["type"]).endswith("_type") for detail in details):
        return False
    return any(len(other) > len(path) and other[: len(path)] == path for other, _ in by_path)


def _data_path(raw: Any, loc: Sequence[Any]) -> Path:
    """Follow pydantic's ``loc`` through the raw data, dropping union-branch labels."""
    path: list[str | int] = []
    current = raw
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not _is_branch(part):
            path.append(part)  # a missing or unknown key
            current = None
    return tuple(path)


def _is_branch(part: str) -> bool:
    head = part.split("[", 1)[0]
    return head in _UNION_ONLY or part.startswith(("constrained-str", "function-", "literal["))


def _shown(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean `{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"the number `{value}`"
    if isinstance(value, str):
        return f'"{printable(value, 60)}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _pattern_hint(pattern: object) -> str:
    if pattern == LOCALE_PATTERN:
        return "which is not a language code (like `en`, `zh` or `pt-BR`)"
    if isinstance(pattern, str) and ":" in pattern:
        return (
            "which is not a permission: write `resource:action` (like `quote:approve`), or "
            "`resource.field:read` or `:edit` for a field (like `opportunity.discount:edit`)"
        )
    if isinstance(pattern, str) and "0-9-" in pattern:
        return "which is not a rule name (like `sod-role-conflict`)"
    return (
        "which is not a valid id: ids are lowercase letters, digits and `_`, start with "
        "a letter, at most 64 characters (like `sales_rep`)"
    )


def _message(
    what: str, path: Path, details: list[dict[str, Any]], model: type[BaseModel] | None
) -> str:
    field = f"`{printable('.'.join(str(part) for part in path))}`" if path else "the entry"
    first = details[0]
    kind = first["type"]
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        known = sorted(model.model_fields) if model is not None and len(path) == 1 else []
        hint = ""
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            hint = f" (did you mean `{close[0]}`?)"
        elif known:
            hint = f"; the fields are: {', '.join(known)}"
        return f"{what}: unknown field `{printable(name)}`{hint}; remove or rename it"
    if kind == "missing":
        return f"{what}: {field} is required; add it"
    given = _shown(first.get("input"))
    if kind == "string_pattern_mismatch":
        return f"{what}: {field} is {given}, {_pattern_hint(first.get('ctx', {}).get('pattern'))}"
    if kind == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        return f"{what}: {field} is {given}; expected one of {expected}"
    texts = sorted({detail["msg"] for detail in details})
    if {detail["type"] for detail in details} >= {"string_type", "dict_type"}:
        return (
            f"{what}: {field} is {given}; expected text, or a mapping from language "
            'to text like {en: Sales, zh: 销售} (quote values such as "no" or "123")'
        )
    return f"{what}: {field} is {given}: {'; '.join(texts)}"
