"""What ``crmorg diff`` finds: typed, immutable results (format-v1 section 17).

A :class:`ModelDiff` holds the access changes of every role and person, the RACI,
structural and process changes, and the findings introduced or resolved. Renderers (one module per
output format in this package) only read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from crmorg.findings import Finding, Severity

Side = Literal["old", "new"]
Aspect = Literal["scope", "field", "sharing", "reach"]
"""What changed: the scopes of an action on a resource, the access to a field, or a
sharing rule that shares records with the subject, or the reports a ``subordinates``
grant reaches."""
ChangeKind = Literal["gained", "lost", "widened", "narrowed", "changed"]
"""``gained``: nothing before; ``lost``: nothing after; ``widened``/``narrowed``: the
new access strictly includes / is included in the old; ``changed``: some of each (format
v1.1's incomparable scopes, ``subordinates`` for ``team``)."""
CauseKind = Literal[
    "grant", "baseline", "inheritance", "membership", "sharing", "field", "added", "removed"
]
SubjectStatus = Literal["added", "removed", "kept"]

GAINING: frozenset[str] = frozenset({"gained", "widened", "changed"})
LOSING: frozenset[str] = frozenset({"lost", "narrowed", "changed"})


@dataclass(frozen=True)
class Cause:
    """Why an access changed, and where that is written: the NEW side's file position
    for what gives access, the OLD side's for what gave the access lost."""

    kind: CauseKind
    side: Side
    text: str
    """One sentence: ``grant of opportunity.read at team on sales_rep``."""
    where: str
    """``file:line:col`` (``REV:PATH/file:line:col`` for a side read from git)."""
    role: str | None = None


@dataclass(frozen=True)
class AccessChange:
    """One permission of one subject gained, lost, widened, narrowed or changed.

    ``old`` and ``new``: for ``scope``, the maximal effective scopes (``()`` for none);
    for ``field``, the field access (``none``, ``read``, ``edit``); for ``sharing``,
    the ``from`` group shared (``("team:sales_east",)``) or ``()``; for ``reach``, the
    number of reports (``("3 reports",)``).
    """

    aspect: Aspect
    resource: str
    action: str
    """The action (``read``); for a field change, ``field``."""
    kind: ChangeKind
    old: tuple[str, ...]
    new: tuple[str, ...]
    causes: tuple[Cause, ...] = ()
    field: str | None = None
    rule: str | None = None
    """The sharing rule, for ``sharing``."""

    @property
    def gains(self) -> bool:
        return self.kind in GAINING

    @property
    def loses(self) -> bool:
        return self.kind in LOSING

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What the change is about, whatever the subject: for grouping and ordering."""
        return (self.aspect, self.resource, self.action, self.field or "", self.rule or "")

    @property
    def label(self) -> str:
        """``opportunity.read``, ``opportunity.margin (field)``, ``opportunity.read via s1``."""
        if self.aspect == "field":
            return f"{self.resource}.{self.field} (field)"
        if self.aspect == "sharing":
            return f"{self.resource}.{self.action} shared by rule {self.rule}"
        if self.aspect == "reach":
            return f"{self.resource}.{self.action} at subordinates (reports reached)"
        return f"{self.resource}.{self.action}"


@dataclass(frozen=True)
class SubjectDiff:
    """The access changes of one role or person (one shared tuple for many people)."""

    kind: Literal["role", "person"]
    id: str
    status: SubjectStatus
    changes: tuple[AccessChange, ...]
    roles_gained: tuple[str, ...] = ()
    roles_lost: tuple[str, ...] = ()

    @property
    def gains(self) -> bool:
        return any(change.gains for change in self.changes)

    @property
    def loses(self) -> bool:
        return any(change.loses for change in self.changes)


@dataclass(frozen=True)
class StructuralChange:
    """A department, role, team or person added, removed or changed in one attribute."""

    section: Literal["departments", "roles", "teams", "people", "resources", "sharing"]
    id: str
    kind: Literal["added", "removed", "changed"]
    attribute: str | None = None
    old: str | None = None
    new: str | None = None
    where: str = ""


@dataclass(frozen=True)
class RaciChange:
    """A responsibility added or removed, or a role joining or leaving one of its parts;
    or a role joining or leaving a part of a process step (format-v1 section 15).

    For a step, ``process`` and ``step`` name it and ``responsibility`` is
    ``process/step`` (ids hold no ``/``), so a reader of responsibilities still reads a
    name; a step added or removed is a :class:`ProcessChange`.
    """

    responsibility: str
    kind: Literal["added", "removed", "joined", "left"]
    part: Literal["R", "A", "C", "I"] | None = None
    role: str | None = None
    where: str = ""
    process: str | None = None
    step: str | None = None


ProcessChangeKind = Literal[
    "added", "removed", "renamed", "changed", "requires", "next-added", "next-removed",
    "ends", "no-longer-ends", "starts",
]  # fmt: skip
"""``added``/``removed``: a process (``step`` None) or a step; ``renamed``: the process's
``id`` (a removed and an added process with the same steps) or ``name``; ``changed``:
its ``department``; ``requires``: one permission a step requires (``attribute``
``resource.action``, ``old``/``new`` the scopes, None when absent); ``next-added`` /
``next-removed``: a flow edge from ``step`` to ``new`` / ``old``; ``ends`` /
``no-longer-ends``: ``step`` now ends the process / no longer does; ``starts``: the
process starts at ``new``, not ``old``."""


@dataclass(frozen=True)
class ProcessChange:
    """One change to a process (format-v1 section 15) other than who does its steps,
    which is a :class:`RaciChange`. ``where``: NEW's position for what is added or now
    holds, OLD's for what is removed or no longer holds."""

    process: str
    kind: ProcessChangeKind
    step: str | None = None
    attribute: str | None = None
    old: str | None = None
    new: str | None = None
    where: str = ""


@dataclass(frozen=True)
class FindingChanges:
    """Findings matched by rule and subjects, not by line: a moved line is no change."""

    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]

    @property
    def new_errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.introduced if f.severity is Severity.ERROR and not f.waived)


@dataclass(frozen=True)
class ModelDiff:
    """Everything that differs between two versions of a model."""

    old_label: str
    new_label: str
    roles: tuple[SubjectDiff, ...]
    people: tuple[SubjectDiff, ...]
    raci: tuple[RaciChange, ...]
    structure: tuple[StructuralChange, ...]
    findings: FindingChanges | None
    """None when the diff was asked without validation."""
    processes: tuple[ProcessChange, ...] = ()
    """Processes and steps added, removed or renamed, ``requires`` and flow changes (the
    RACI changes of steps are in ``raci``)."""

    @property
    def people_gaining(self) -> tuple[str, ...]:
        """The people who gain any access (a new person with any access too)."""
        return tuple(p.id for p in self.people if p.gains)

    @property
    def people_losing(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.people if p.loses)

    @property
    def empty(self) -> bool:
        return not (
            self.roles
            or self.people
            or self.raci
            or self.structure
            or self.processes
            or (self.findings is not None and (self.findings.introduced or self.findings.resolved))
        )

    def widenings(self) -> list[Widening]:
        """Each permission gained, with the people gaining it: the most people first."""
        return _grouped(self.people, lambda change: change.gains)

    def narrowings(self) -> list[Widening]:
        return _grouped(self.people, lambda change: change.loses)


@dataclass(frozen=True)
class Widening:
    """One permission (aspect, resource, action, field, rule) and the people changed on it."""

    change: AccessChange
    """A representative change (the first person's)."""
    people: tuple[str, ...]
    causes: tuple[Cause, ...]
    """The distinct causes, the most frequent first (at most five)."""


def _grouped(
    people: tuple[SubjectDiff, ...], wanted: Callable[[AccessChange], bool]
) -> list[Widening]:
    found: dict[
        tuple[str, str, str, str, str], tuple[AccessChange, list[str], dict[tuple[str, str], Cause]]
    ] = {}
    counts: dict[tuple[str, str, str, str, str], dict[tuple[str, str], int]] = {}
    for person in people:
        for change in person.changes:
            if not wanted(change):
                continue
            key = change.key
            entry = found.get(key)
            if entry is None:
                entry = found[key] = (change, [], {})
                counts[key] = {}
            entry[1].append(person.id)
            for cause in change.causes:
                cause_key = (cause.kind, cause.text)
                entry[2].setdefault(cause_key, cause)
                counts[key][cause_key] = counts[key].get(cause_key, 0) + 1
    result = []
    for key, (change, ids, causes) in found.items():
        ranked = sorted(causes, key=lambda c: (-counts[key][c], c))
        result.append(Widening(change, tuple(ids), tuple(causes[c] for c in ranked[:5])))
    result.sort(key=lambda w: (-len(w.people), w.change.key))
    return result
