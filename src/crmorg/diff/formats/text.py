"""The diff as plain text for a terminal: every change, grouped by subject."""

from __future__ import annotations

from crmorg.diff.formats.words import change_words, process_words, raci_words, structure_words
from crmorg.diff.gate import Gate, summary_line
from crmorg.diff.results import ModelDiff, SubjectDiff
from crmorg.text import reveal


def render(diff: ModelDiff, gate: Gate) -> str:
    lines = [f"crmorg diff {diff.old_label} -> {diff.new_label}", summary_line(diff)]
    lines += (f"FAILED: {reason}" for reason in gate.reasons(diff))
    widenings = diff.widenings()
    if widenings:
        lines += ["", "largest widenings (people gaining):"]
        for widening in widenings[:20]:
            cause = widening.causes[0] if widening.causes else None
            why = f"  <- {cause.text} ({cause.where})" if cause is not None else ""
            lines.append(f"  {len(widening.people):>6}  {widening.change.label}{why}")
        if len(widenings) > 20:
            lines.append(f"  ... and {len(widenings) - 20} more")
    for title, subjects in (("roles", diff.roles), ("people", diff.people)):
        if subjects:
            lines += ["", f"{title} ({len(subjects)}):"]
            for subject in subjects:
                lines += _subject(subject)
    if diff.raci:
        lines += ["", f"RACI ({len(diff.raci)}):"]
        lines += (f"  {raci_words(c)} ({c.where})" for c in diff.raci)
    if diff.structure:
        lines += ["", f"structure ({len(diff.structure)}):"]
        lines += (f"  {structure_words(c)} ({c.where})" for c in diff.structure)
    if diff.processes:
        lines += ["", f"processes ({len(diff.processes)}):"]
        lines += (f"  {process_words(c)} ({c.where})" for c in diff.processes)
    if diff.findings is not None:
        for title, found in (
            ("findings introduced", diff.findings.introduced),
            ("findings resolved", diff.findings.resolved),
        ):
            if found:
                lines += ["", f"{title} ({len(found)}):"]
                lines += (
                    f"  {f.location}: {f.severity.value}: {f.rule}: {f.message}"
                    + (" (waived)" if f.waived else "")
                    for f in found
                )
    return reveal("\n".join(lines)) + "\n"


def _subject(subject: SubjectDiff) -> list[str]:
    notes: list[str] = [subject.status]
    if subject.roles_gained:
        notes.append(f"gained role {', '.join(subject.roles_gained)}")
    if subject.roles_lost:
        notes.append(f"lost role {', '.join(subject.roles_lost)}")
    lines = [f"  {subject.id} ({'; '.join(notes)})"]
    for change in subject.changes:
        lines.append(f"    {change_words(change)}")
        lines += (f"      {c.side}: {c.text} ({c.where})" for c in change.causes)
    return lines
