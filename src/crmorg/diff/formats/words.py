"""Words that the text and Markdown renderings of a diff share."""

from __future__ import annotations

from crmorg.diff.results import AccessChange, RaciChange, StructuralChange

_PARTS = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}


def values(found: tuple[str, ...]) -> str:
    return " + ".join(found) if found else "none"


def change_words(change: AccessChange) -> str:
    """``opportunity.read: own -> department (widened)``."""
    return f"{change.label}: {values(change.old)} -> {values(change.new)} ({change.kind})"


def raci_words(change: RaciChange) -> str:
    if change.kind in ("added", "removed"):
        return f"responsibility {change.responsibility} {change.kind}"
    part = _PARTS[change.part or "R"]
    verb = "is now" if change.kind == "joined" else "is no longer"
    return f"{change.role} {verb} {part} for {change.responsibility}"


def structure_words(change: StructuralChange) -> str:
    what = f"{change.section.rstrip('s') if change.section != 'people' else 'person'} {change.id}"
    if change.section == "sharing":
        what = f"sharing rule {change.id}"
    if change.kind != "changed":
        return f"{what} {change.kind}"
    return f"{what}: {change.attribute} {change.old or '(none)'} -> {change.new or '(none)'}"
