"""When a diff should stop a review: more people gaining access than allowed, new errors."""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.diff.results import ModelDiff


@dataclass(frozen=True)
class Gate:
    """``max_gains``: at most this many people may gain access (None: no limit);
    ``new_errors``: whether a newly introduced error finding fails the diff."""

    max_gains: int | None = None
    new_errors: bool = True

    def reasons(self, diff: ModelDiff) -> tuple[str, ...]:
        """Why the diff fails the gate, one sentence each; ``()`` when it passes."""
        found: list[str] = []
        gaining = len(diff.people_gaining)
        if self.max_gains is not None and gaining > self.max_gains:
            found.append(
                f"{_people(gaining)} gain access, more than --max-gains {self.max_gains}: "
                "review the widenings below, then raise the limit for this change if they "
                "are intended"
            )
        if self.new_errors and diff.findings is not None and diff.findings.new_errors:
            count = len(diff.findings.new_errors)
            found.append(
                f"{count} new error finding{'s' if count != 1 else ''}: fix "
                f"{'them' if count != 1 else 'it'} (`crmorg validate` shows where)"
            )
        return tuple(found)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def summary_line(diff: ModelDiff) -> str:
    """``37 people gain access; 2 lose; 1 new error`` (what changed, in one line)."""
    gaining, losing = len(diff.people_gaining), len(diff.people_losing)
    parts = [f"{_people(gaining)} gain access", f"{losing} lose access"]
    roles_changed = len(diff.roles)
    parts.append(f"{roles_changed} role{'s' if roles_changed != 1 else ''} changed")
    if diff.findings is not None:
        errors = len(diff.findings.new_errors)
        parts.append(f"{errors} new error{'s' if errors != 1 else ''}")
        parts.append(f"{len(diff.findings.introduced)} findings introduced")
        parts.append(f"{len(diff.findings.resolved)} resolved")
    if diff.raci:
        parts.append(f"{len(diff.raci)} RACI changes")
    if diff.structure:
        parts.append(f"{len(diff.structure)} structural changes")
    if diff.processes:
        parts.append(f"{len(diff.processes)} process changes")
    return "; ".join(parts)
