"""Words that the text and Markdown renderings of a diff share."""

from __future__ import annotations

from crmorg.diff.results import AccessChange, ProcessChange, RaciChange, StructuralChange

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
    if change.step is not None:
        return f"{change.role} {verb} {part} for step {change.step} of process {change.process}"
    return f"{change.role} {verb} {part} for {change.responsibility}"


def structure_words(change: StructuralChange) -> str:
    what = f"{change.section.rstrip('s') if change.section != 'people' else 'person'} {change.id}"
    if change.section == "sharing":
        what = f"sharing rule {change.id}"
    if change.kind != "changed":
        return f"{what} {change.kind}"
    return f"{what}: {change.attribute} {change.old or '(none)'} -> {change.new or '(none)'}"


def process_words(change: ProcessChange) -> str:
    """``process onboarding: step review added``, ``... now leads from review to close``."""
    what = f"process {change.process}"
    step = f"step {change.step}"
    kind = change.kind
    if kind in ("added", "removed"):
        return f"{what} {kind}" if change.step is None else f"{what}: {step} {kind}"
    if kind == "renamed" and change.attribute == "id":
        return f"{what} renamed from {change.old}"
    if kind in ("renamed", "changed"):
        return f"{what}: {change.attribute} {change.old or '(none)'} -> {change.new or '(none)'}"
    if kind == "requires":
        return (
            f"{what}: {step} requires {change.attribute} "
            f"{change.old or '(nothing)'} -> {change.new or '(nothing)'}"
        )
    if kind == "next-added":
        return f"{what}: {step} now leads to {change.new}"
    if kind == "next-removed":
        return f"{what}: {step} no longer leads to {change.old}"
    if kind == "ends":
        return f"{what}: {step} now ends the process"
    if kind == "no-longer-ends":
        return f"{what}: {step} no longer ends the process"
    return f"{what} now starts at {change.new} (was {change.old})"
