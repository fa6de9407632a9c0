"""Structural and RACI changes: what was added, removed or moved, section by section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from crmorg.diff.results import RaciChange, StructuralChange
from crmorg.diff.version import Version

_ATTRIBUTES: Mapping[str, tuple[str, ...]] = {
    "departments": ("parent", "head"),
    "roles": ("department", "inherits", "reports_to", "external", "abstract"),
    "teams": ("department", "lead"),
    "people": ("roles", "teams", "reports_to"),
    "resources": ("actions", "baseline", "sensitive", "grants_roles"),
    "sharing": ("resource", "from_", "to", "actions"),
}
"""Per section, the attributes whose change is reported (name and text aside)."""

RaciPart = Literal["R", "A", "C", "I"]

RACI_PARTS: tuple[tuple[RaciPart, str], ...] = (
    ("A", "accountable"),
    ("R", "responsible"),
    ("C", "consulted"),
    ("I", "informed"),
)
"""The RACI letters and the attributes of a responsibility (or a step) that hold them."""


def _text(value: Any) -> str:
    """An attribute's value as a reader sees it: ids joined, mappings as ``k: v``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if hasattr(value, "kind") and hasattr(value, "id"):  # a sharing group
        return f"{value.kind}:{value.id}"
    return str(value)


def structural_changes(old: Version, new: Version) -> list[StructuralChange]:
    """Every department, role, team, person, resource and sharing rule added, removed or
    changed in an attribute that shapes access or the organisation."""
    found: list[StructuralChange] = []
    for section, attributes in _ATTRIBUTES.items():
        before: Mapping[str, Any] = getattr(old.model, section)
        after: Mapping[str, Any] = getattr(new.model, section)
        for key, value in after.items():
            if key not in before:
                found.append(
                    StructuralChange(section, key, "added", where=new.where((section, key)))  # type: ignore[arg-type]
                )
                continue
            was = before[key]
            if was == value:
                continue
            for attribute in attributes:
                then, now = getattr(was, attribute, None), getattr(value, attribute, None)
                if then != now:
                    name = attribute.rstrip("_")
                    found.append(
                        StructuralChange(
                            section,  # type: ignore[arg-type]
                            key,
                            "changed",
                            name,
                            _text(then),
                            _text(now),
                            new.where((section, key, name)),
                        )
                    )
        for key in before:
            if key not in after:
                found.append(
                    StructuralChange(section, key, "removed", where=old.where((section, key)))  # type: ignore[arg-type]
                )
    return found


def raci_changes(old: Version, new: Version) -> list[RaciChange]:
    """Responsibilities added or removed, and roles joining or leaving R, A, C or I."""
    before, after = old.model.responsibilities, new.model.responsibilities
    found: list[RaciChange] = []
    for key, value in after.items():
        if key not in before:
            found.append(RaciChange(key, "added", where=new.where(("responsibilities", key))))
            continue
        was = before[key]
        if was == value:
            continue
        for part, attribute in RACI_PARTS:
            then, now = members(getattr(was, attribute)), members(getattr(value, attribute))
            path = ("responsibilities", key, attribute)
            found += (
                RaciChange(key, "joined", part, role, new.where(path))
                for role in now
                if role not in then
            )
            found += (
                RaciChange(key, "left", part, role, old.where(path))
                for role in then
                if role not in now
            )
    for key in before:
        if key not in after:
            found.append(RaciChange(key, "removed", where=old.where(("responsibilities", key))))
    return found


def members(value: str | list[str] | None) -> tuple[str, ...]:
    """The roles of one RACI part (Accountable is one role or none), each once."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(dict.fromkeys(value))
