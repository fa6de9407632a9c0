"""The diff as a pull-request comment: a summary line, the largest widenings first, and
every list collapsed in ``<details>``. Every user string goes through ``md_escape``.

A comment must stay readable and under GitHub's 65,536 characters: long lists stop
after :data:`LISTED` entries and say how many more ``--format json`` holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from crmorg.diff.formats.words import (
    change_words,
    process_words,
    raci_words,
    structure_words,
)
from crmorg.diff.gate import Gate, summary_line
from crmorg.diff.results import Cause, ModelDiff, SubjectDiff, Widening
from crmorg.markdown_text import md_escape

LISTED = 60
"""Entries shown per collapsed list."""
CHANGES = 8
"""Changes shown per person or role."""
BUDGET = 6_000
"""Characters per collapsed list: eight lists and two tables stay under GitHub's 65,536."""
WIDENINGS = 15
_T = TypeVar("_T")


def render(diff: ModelDiff, gate: Gate) -> str:
    out = [
        f"### crmorg diff: {md_escape(diff.old_label)} → {md_escape(diff.new_label)}",
        "",
        f"**{md_escape(summary_line(diff))}**",
        "",
    ]
    for reason in gate.reasons(diff):
        out += [f"> :x: **Blocked:** {md_escape(reason)}", ""]
    if gate.max_gains is not None and not gate.reasons(diff):
        out += [f"Within the limit: at most {gate.max_gains} people may gain access.", ""]
    if diff.empty:
        out.append("No change to access, responsibilities, structure, processes or findings.")
        return "\n".join(out) + "\n"
    widenings = diff.widenings()
    if widenings:
        out += _widening_table("Largest widenings", "People gaining", widenings)
    narrowings = diff.narrowings()
    if narrowings:
        out += _widening_table("Largest narrowings", "People losing", narrowings)
    gaining = [p for p in diff.people if p.gains]
    losing = [p for p in diff.people if p.loses]
    out += _details("People gaining access", gaining, _person)
    out += _details("People losing access", losing, _person)
    out += _details("Roles changed", diff.roles, _person)
    if diff.findings is not None:
        out += _details(
            "Findings introduced",
            diff.findings.introduced,
            lambda f: [
                f"- {md_escape(f.severity.value)} `{md_escape(f.rule)}` at "
                f"{md_escape(str(f.location))}: {md_escape(f.message)}"
                + (" (waived)" if f.waived else "")
            ],
        )
        out += _details(
            "Findings resolved",
            diff.findings.resolved,
            lambda f: [f"- `{md_escape(f.rule)}`: {md_escape(f.message)}"],
        )
    out += _details(
        "RACI changes",
        diff.raci,
        lambda c: [f"- {md_escape(raci_words(c))} ({md_escape(c.where)})"],
    )
    out += _details(
        "Structural changes",
        diff.structure,
        lambda c: [f"- {md_escape(structure_words(c))} ({md_escape(c.where)})"],
    )
    out += _details(
        "Process changes",
        diff.processes,
        lambda c: [f"- {md_escape(process_words(c))} ({md_escape(c.where)})"],
    )
    return "\n".join(out) + "\n"


def _widening_table(title: str, column: str, rows: Sequence[Widening]) -> list[str]:
    out = [f"#### {title}", "", f"| {column} | Access | Cause |", "|---:|---|---|"]
    for row in rows[:WIDENINGS]:
        cause = "<br>".join(_cause(c) for c in row.causes[:2])
        out.append(f"| {len(row.people)} | {md_escape(row.change.label)} | {cause} |")
    if len(rows) > WIDENINGS:
        out.append(f"| | … and {len(rows) - WIDENINGS} more | |")
    return [*out, ""]


def _cause(cause: Cause) -> str:
    return f"{md_escape(cause.text)} ({md_escape(cause.where)})"


def _person(subject: SubjectDiff) -> list[str]:
    notes: list[str] = [] if subject.status == "kept" else [subject.status]
    if subject.roles_gained:
        notes.append(f"gained role {', '.join(subject.roles_gained)}")
    if subject.roles_lost:
        notes.append(f"lost role {', '.join(subject.roles_lost)}")
    head = f"- **{md_escape(subject.id)}**" + (f" ({md_escape('; '.join(notes))})" if notes else "")
    lines = [head]
    for change in subject.changes[:CHANGES]:
        causes = "; ".join(_cause(c) for c in change.causes[:3])
        lines.append(f"  - {md_escape(change_words(change))}" + (f": {causes}" if causes else ""))
    if len(subject.changes) > CHANGES:
        lines.append(f"  - … and {len(subject.changes) - CHANGES} more")
    return lines


def _details(title: str, entries: Sequence[_T], lines: Callable[[_T], Iterable[str]]) -> list[str]:
    if not entries:
        return []
    out = ["<details>", f"<summary>{md_escape(title)} ({len(entries)})</summary>", ""]
    size = shown = 0
    for entry in entries[:LISTED]:
        written = list(lines(entry))
        size += sum(len(line) + 1 for line in written)
        if size > BUDGET and shown:
            break
        out += written
        shown += 1
    if len(entries) > shown:
        out.append(f"- … and {len(entries) - shown} more (`crmorg diff --format json` lists all)")
    return [*out, "", "</details>", ""]
